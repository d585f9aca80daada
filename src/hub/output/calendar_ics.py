"""iCalendar files and "add to calendar" links, built with the `icalendar` library.

Generic over what is on the calendar: callers turn their content (event sessions,
a cafe's monthly schedule with an RRULE) into `CalendarItem`s and get bytes back.
Times are written with TZID=Asia/Tokyo and a VTIMEZONE, so that every calendar app
shows them at the same wall-clock time; DTSTAMP is the build's "now", never the
clock, so the same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from icalendar import Calendar, Event, Timezone, vDuration, vRecur, vText

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
    rrule: dict[str, Any] | None = None
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
    """A whole VCALENDAR with the Asia/Tokyo VTIMEZONE, items in time order."""
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
    calendar.add_component(_tokyo())
    stamp = now.astimezone(timezone.utc)
    for item in sorted(items, key=lambda item: (item.start, item.uid)):
        calendar.add_component(_vevent(item, stamp))
    return calendar.to_ical()


@cache
def _tokyo() -> Timezone:
    """The VTIMEZONE, computed once: icalendar derives it from the tz database, which takes a while."""
    return Timezone.from_tzid(TZID)


def _vevent(item: CalendarItem, stamp: datetime) -> Event:
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
