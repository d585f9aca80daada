"""iCalendar files and "add to calendar" links, built with the `icalendar` library.

Generic over what is on the calendar: callers turn their content (event sessions,
a cafe's monthly schedule with an RRULE) into `CalendarItem`s and get bytes back.
Times are written with TZID=Asia/Tokyo and a VTIMEZONE, so that every calendar app
shows them at the same wall-clock time; DTSTAMP is the build's "now", never the
clock, so the same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from icalendar import Calendar, Component, Event, Timezone, vDuration, vRecur, vText

from hub.core.clock import TOKYO

PRODID = "-//Yokohama Civic Collaboration Hub//hub//JA"
TZID = "Asia/Tokyo"
# Calendar apps that honour these poll a subscribed feed twice a day.
REFRESH = timedelta(hours=12)
GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")
# The library writes NAME (RFC 7986) and the widely read copies of NAME and DESCRIPTION as unknown properties,
# whose values it neither escapes nor checks: a line break in them stops it writing at all.
_COPIES_AS_TEXT = ("NAME", "X-WR-CALNAME", "X-WR-CALDESC")


@dataclass(frozen=True)
class CalendarItem:
    """One VEVENT: a single occurrence, or a recurring one when `rrule` is given (e.g. {"FREQ": "MONTHLY", "BYDAY": "3SA"})."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    url: str = ""
    description: str = ""
    location: str = ""
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()
    rrule: dict[str, Any] | None = field(default=None, hash=False)  # compared, not hashed: items key a cache
    exdates: tuple[datetime, ...] = ()  # starts of skipped occurrences of a recurring item

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown iCalendar status {self.status}")


@dataclass(frozen=True)
class CalendarInfo:
    """The calendar as a whole: what a subscriber sees as its name, and a stable UID."""

    uid: str
    name: str
    description: str = ""
    url: str = ""


def calendar_bytes(info: CalendarInfo, items: Iterable[CalendarItem], now: datetime) -> bytes:
    """A whole VCALENDAR with the Asia/Tokyo VTIMEZONE, items in time order.

    The bytes are those of icalendar's `Calendar.to_ical()` with the VTIMEZONE and the items added as
    components: each component's content lines, each folded and ended with CRLF, in order. They are
    joined here so that the VTIMEZONE, the same in every file, is written once, and folded here because
    icalendar's folding, character by character, took most of the time of a site's calendars."""
    stamp = now.astimezone(timezone.utc)
    events = [_vevent_ical(item, stamp) for item in sorted(items, key=lambda item: (item.start, item.uid))]
    return b"".join([_ical(vcalendar(info)).removesuffix(_END_CALENDAR), _tokyo(), *events, _END_CALENDAR])


def vcalendar(info: CalendarInfo) -> Calendar:
    """The calendar's own properties, without components."""
    calendar = Calendar.new(prodid=PRODID, uid=info.uid, name=info.name, description=info.description or None,
                            url=info.url or None)
    for name in _COPIES_AS_TEXT:
        if name in calendar:
            calendar[name] = vText(str(calendar[name]))
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


_END_CALENDAR = b"END:VCALENDAR\r\n"
FOLD_OCTETS = 75  # RFC 5545: no line longer than 75 octets; icalendar folds one that would reach it


def _ical(component: Component) -> bytes:
    """`component.to_ical()`, line by line."""
    return b"".join(_folded(line) for line in component.content_lines() if line)


def _folded(line: str) -> bytes:
    """The line as `Contentline.to_ical()` folds it, and its CRLF. icalendar counts octets character by
    character; this cuts the encoded line instead: each piece the most whole characters that make fewer
    than FOLD_OCTETS octets, and a backslash or ^ that ends a piece of several characters goes on to the
    next (icalendar keeps an escape with what it escapes). tests/test_events.py compares the two."""
    data = line.encode("utf-8")
    pieces, start = [], 0
    while len(data) - start >= FOLD_OCTETS:
        end = start + FOLD_OCTETS - 1
        while data[end] & 0xC0 == 0x80:  # inside a character
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


@lru_cache(maxsize=4096)
def _vevent_ical(item: CalendarItem, stamp: datetime) -> bytes:
    """An item is on several calendars (an event on its own, its series' and the site's): written once."""
    return _ical(vevent(item, stamp))


@cache
def _tokyo() -> bytes:
    """The VTIMEZONE, made once: icalendar derives it from the tz database, which takes a while."""
    return _ical(Timezone.from_tzid(TZID))


def vevent(item: CalendarItem, stamp: datetime) -> Event:
    event = Event.new(uid=item.uid, summary=item.summary, start=_local(item.start), end=_local(item.end),
                      stamp=stamp, url=item.url or None, description=item.description or None,
                      location=item.location or None, categories=item.categories)
    event.add("status", item.status)
    if item.status == "CANCELLED":
        event.add("transp", "TRANSPARENT")  # a cancelled event does not block the subscriber's time
    if item.rrule:
        event.add("rrule", vRecur(item.rrule))
    if item.exdates:
        event.add("exdate", [_local(moment) for moment in item.exdates])
    return event


def _local(moment: datetime) -> datetime:
    """Any offset written by an editor becomes the same instant on the Tokyo clock."""
    return moment.astimezone(TOKYO)


def google_calendar_url(item: CalendarItem) -> str:
    """An "add to Google Calendar" link for one item (the recurrence goes along as `recur`)."""
    span = "/".join(moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ") for moment in (item.start, item.end))
    details = "\n\n".join(part for part in (item.description, item.url) if part)
    query = {"action": "TEMPLATE", "text": item.summary, "dates": span, "ctz": TZID,
             "details": details, "location": item.location}
    if item.rrule:
        query["recur"] = "RRULE:" + vRecur(item.rrule).to_ical().decode()
    return f"{GOOGLE_TEMPLATE}?{urlencode({key: value for key, value in query.items() if value}, safe='/')}"


def webcal_url(url: str) -> str | None:
    """The subscription form of an http(s) feed URL: calendar apps open webcal: links as subscriptions.
    None for a site path (a site without site_url): an app cannot subscribe to an address without a host."""
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    return urlunsplit(("webcal", parts.netloc, parts.path, parts.query, parts.fragment))


def uid_domain(site_url: str) -> str:
    """The right-hand side of every UID: the site's host and path, stable as long as the site's address is."""
    parts = urlsplit(site_url)
    host = parts.netloc or "hub.invalid"
    path = parts.path.strip("/").replace("/", ".")
    return f"{path}.{host}" if path else host
