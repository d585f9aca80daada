"""When events happen, as data: sessions expanded into occurrences, upcoming vs past, badges.

The events pages and calendars use this, and so can anything else that needs to know
what is on (the newsletter digest, other listings): functions take entries and a moment
("now" of the build) and return plain data. Nothing here knows about MkDocs or HTML.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any, TypeVar

from hub.core.clock import TOKYO
from hub.core.collection import Entry

# 締切間近 from this long before the registration deadline.
CLOSING_SOON = timedelta(days=7)
# The digest's "what is on" window.
DIGEST_HORIZON = timedelta(weeks=6)
# Sunday first, as Japanese wall calendars are.
FIRST_WEEKDAY = calendar.SUNDAY

T = TypeVar("T")


@dataclass(frozen=True)
class Place:
    """Where one occurrence happens: a venue, an online platform, or both (hybrid)."""

    venue: Any | None
    online: Any | None

    @property
    def mode(self) -> str:
        """offline, online or mixed: the three attendance modes of schema.org."""
        if self.venue and self.online:
            return "mixed"
        return "online" if self.online else "offline"


@dataclass(frozen=True)
class Occurrence:
    """One meeting in time: a single event, or one session of a course."""

    entry: Entry
    number: int | None  # 1-based session number; None for a single event
    count: int  # sessions in the whole course (1 for a single event)
    title: str | None  # the session's own title, if it has one
    start: datetime
    end: datetime
    place: Place
    status: str
    note: str | None = None

    @property
    def key(self) -> str:
        """Unique and stable within the site: the slug, plus the session number for a course.

        The dot cannot occur in a slug, so session 2 of `forum` never collides with an event `forum-2`.
        """
        return self.entry.slug if self.number is None else f"{self.entry.slug}.{self.number}"

    @property
    def label(self) -> str:
        return "" if self.number is None else f"第{self.number}回"

    @property
    def full_title(self) -> str:
        """What a calendar shows: 「講座名 第3回 データリテラシー」."""
        parts = [self.entry.title, self.label, self.title or ""]
        return " ".join(part for part in parts if part)

    def days(self) -> list[date]:
        """Every calendar day (Asia/Tokyo) this occurrence touches."""
        first = self.start.astimezone(TOKYO).date()
        last = (self.end.astimezone(TOKYO) - timedelta(microseconds=1)).date()
        return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


@dataclass(frozen=True)
class Badge:
    """A status label that holds for a while: shown from `start` (inclusive) until `until` (exclusive).

    The page is rendered with the badges true at build time; the visitor's clock can
    re-evaluate the same windows later, so a badge never needs a rebuild to turn over.
    """

    key: str
    label: str
    start: datetime | None = None
    until: datetime | None = None

    def shows_at(self, now: datetime) -> bool:
        return (self.start is None or self.start <= now) and (self.until is None or now < self.until)

    def over_at(self, now: datetime) -> bool:
        return self.until is not None and self.until <= now


class BadgedView:
    """What every view of an entry with time-windowed badges offers its templates (events, recruitments).

    Subclasses are dataclasses with an `entry` and its `badges`."""

    entry: Entry
    badges: list[Badge]

    @property
    def meta(self) -> Any:
        return self.entry.meta

    @property
    def url(self) -> str:
        return self.entry.url

    def current_badges(self, now: datetime) -> list[Badge]:
        """Badges still to come or holding now: those already over are left out of the page."""
        return [badge for badge in self.badges if not badge.over_at(now)]


@dataclass(frozen=True)
class Timeline:
    """Events split at a moment: upcoming soonest first, past most recent first."""

    upcoming: list[Entry]
    past: list[Entry]


@dataclass(frozen=True)
class Coming:
    """An occurrence starting soon, with what a reader needs to decide: the deadline and whether it is open."""

    occurrence: Occurrence
    deadline: datetime | None
    open: bool


def place_of(meta: Any) -> Place:
    """An event moved online has no venue any more."""
    if meta.status == "moved-online":
        return Place(None, meta.online)
    return Place(meta.venue, meta.online)


def occurrences(entry: Entry) -> list[Occurrence]:
    """The event itself, or each of its sessions in time order."""
    meta = entry.meta
    event_place = place_of(meta)
    if not meta.sessions:
        return [Occurrence(entry, None, 1, None, meta.start, meta.end, event_place, meta.status)]
    ordered = sorted(meta.sessions, key=lambda session: session.start)
    return [Occurrence(entry, number, len(ordered), session.title, session.start, session.end,
                       _session_place(session, meta, event_place), _session_status(session, meta), session.note)
            for number, session in enumerate(ordered, start=1)]


def _session_place(session: Any, meta: Any, event_place: Place) -> Place:
    if meta.status == "moved-online" or not (session.venue or session.online):
        return event_place
    return Place(session.venue, session.online)


def _session_status(session: Any, meta: Any) -> str:
    """A cancelled or postponed course cancels or postpones every session."""
    if meta.status in ("cancelled", "postponed") or not session.status:
        return meta.status
    return session.status


def has_ended(entry: Entry, now: datetime) -> bool:
    return entry.meta.end <= now


def next_occurrence(entry: Entry, now: datetime) -> Occurrence:
    """The first occurrence not yet over, or the last one once everything is over."""
    every = occurrences(entry)
    return next((item for item in every if item.end > now), every[-1])


def split(entries: Iterable[Entry], now: datetime) -> Timeline:
    """Upcoming (not yet ended) by next occurrence, soonest first; past by start, most recent first."""
    entries = list(entries)
    upcoming = [entry for entry in entries if not has_ended(entry, now)]
    past = [entry for entry in entries if has_ended(entry, now)]
    upcoming.sort(key=lambda entry: (next_occurrence(entry, now).start, entry.slug))
    past.sort(key=lambda entry: entry.slug)
    past.sort(key=lambda entry: entry.meta.start, reverse=True)
    return Timeline(upcoming, past)


def coming_up(entries: Iterable[Entry], now: datetime, horizon: timedelta = DIGEST_HORIZON) -> list[Coming]:
    """Occurrences starting from `now` to `now + horizon`, soonest first, one per event (its next one)."""
    found = []
    for entry in entries:
        upcoming = [item for item in occurrences(entry) if now <= item.start < now + horizon]
        if upcoming:
            deadline = registration_deadline(entry)
            is_open = entry.meta.status in ("scheduled", "moved-online") and (deadline is None or now < deadline)
            found.append(Coming(upcoming[0], _explicit_deadline(entry), is_open))
    return sorted(found, key=lambda coming: (coming.occurrence.start, coming.occurrence.key))


def _explicit_deadline(entry: Entry) -> datetime | None:
    registration = entry.meta.registration
    return registration.deadline if registration else None


def registration_deadline(entry: Entry) -> datetime | None:
    """Applications close at the deadline, or at the start when no deadline is written."""
    registration = entry.meta.registration
    if registration is None:
        return None
    return registration.deadline or entry.meta.start


def badges(entry: Entry) -> list[Badge]:
    """Status, registration and format badges with the time each holds; callers pick those true "now"."""
    return [*_status_badges(entry), *_format_badges(entry)]


def _status_badges(entry: Entry) -> list[Badge]:
    meta = entry.meta
    if meta.status == "cancelled":
        return [Badge("cancelled", "中止")]
    if meta.status == "postponed":
        return [Badge("postponed", "延期")]
    ended = Badge("ended", "終了", start=meta.end)
    if meta.status == "full":
        return [Badge("full", "満席", until=meta.end), ended]
    return [*_registration_badges(entry), ended]


def _registration_badges(entry: Entry) -> list[Badge]:
    deadline = registration_deadline(entry)
    if deadline is None:
        return []
    closing = deadline - CLOSING_SOON if _explicit_deadline(entry) else None
    opened = [Badge("open", "受付中", until=closing or deadline)]
    if closing is not None:
        opened.append(Badge("closing", "締切間近", start=closing, until=deadline))
    return [*opened, Badge("closed", "受付終了", start=deadline, until=entry.meta.end)]


def _format_badges(entry: Entry) -> list[Badge]:
    mode = place_of(entry.meta).mode
    found = []
    if mode == "online":
        found.append(Badge("online", "オンライン"))
    elif mode == "mixed":
        found.append(Badge("hybrid", "会場＋オンライン"))
    if entry.meta.childcare is not None:
        found.append(Badge("childcare", "託児付き"))
    return found


def group_by_month(items: Sequence[T], moment: Callable[[T], datetime]) -> list[tuple[date, list[T]]]:
    """Consecutive items of the same month (Asia/Tokyo) together, in the given order."""
    def month(item: T) -> date:
        local = moment(item).astimezone(TOKYO)
        return date(local.year, local.month, 1)

    return [(key, list(group)) for key, group in groupby(items, key=month)]


def group_by_year(items: Sequence[T], moment: Callable[[T], datetime]) -> list[tuple[int, list[T]]]:
    return [(key, list(group)) for key, group in groupby(items, key=lambda item: moment(item).astimezone(TOKYO).year)]


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    occurrences: list[Occurrence]


@dataclass(frozen=True)
class MonthGrid:
    """A month as weeks of seven days (Sunday first), each day with its occurrences."""

    month: date
    weeks: list[list[Day]]

    @property
    def occurrences(self) -> list[Occurrence]:
        seen: dict[str, Occurrence] = {}
        for week in self.weeks:
            for day in week:
                if day.in_month:
                    seen.update((item.key, item) for item in day.occurrences)
        return list(seen.values())


def month_grid(month: date, every: Iterable[Occurrence]) -> MonthGrid:
    by_day: dict[date, list[Occurrence]] = {}
    for item in sorted(every, key=lambda occurrence: (occurrence.start, occurrence.key)):
        for day in item.days():
            by_day.setdefault(day, []).append(item)
    weeks = calendar.Calendar(FIRST_WEEKDAY).monthdatescalendar(month.year, month.month)
    return MonthGrid(month, [[Day(day, day.month == month.month, by_day.get(day, []) if day.month == month.month else [])
                              for day in week] for week in weeks])


def calendar_months(every: Iterable[Occurrence], now: datetime) -> list[date]:
    """This month, then every later month that has something on."""
    local = now.astimezone(TOKYO)
    this_month = date(local.year, local.month, 1)
    later = {date(day.year, day.month, 1) for item in every for day in item.days()}
    return [this_month, *sorted(month for month in later if month > this_month)]
