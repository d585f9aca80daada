"""What the events pages show about each event: labels, badges, calendar items and links.

Computed once per event and shared by every page that lists it (index, past, calendar,
series), so that a date or a badge reads the same everywhere. Plain data: the
templates decide the markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_decimal

from hub.collections.events.jsonld import event_json_ld, iso
from hub.collections.events.occurrences import (
    Badge,
    BadgedView,
    Occurrence,
    Place,
    badges,
    next_occurrence,
    occurrences,
    registration_deadline,
)
from hub.collections.events.schema import END_OF_DAY, EVENTS_OPTIONS, STATUS_LABELS
from hub.core.clock import TOKYO
from hub.core.collection import Entry
from hub.core.references import NamedParty, Party
from hub.core.settings import Settings
from hub.core.vocab import Term, Vocabularies
from hub.output.calendar_ics import CalendarItem, google_calendar_url, uid_domain
from hub.output.formatting import LOCALE

ICS_STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
SUMMARY_PREFIX = {"cancelled": "【中止】", "postponed": "【延期】"}


@lru_cache(maxsize=8192)  # Babel is slow per call, and every build (each preview rebuild) labels every session
def day_label(moment: datetime) -> str:
    """2021年2月27日（土）"""
    return format_datetime(moment, "y年M月d日（E）", tzinfo=TOKYO, locale=LOCALE)


@lru_cache(maxsize=8192)
def time_label(moment: datetime) -> str:
    return format_datetime(moment, "H:mm", tzinfo=TOKYO, locale=LOCALE)


def span_label(start: datetime, end: datetime) -> str:
    """2021年2月27日（土）13:30〜16:30, or both days when it runs past midnight."""
    if start.astimezone(TOKYO).date() == end.astimezone(TOKYO).date():
        return f"{day_label(start)} {time_label(start)}〜{time_label(end)}"
    return f"{day_label(start)} {time_label(start)}〜{day_label(end)} {time_label(end)}"


def deadline_label(moment: datetime) -> str:
    """A deadline written as a date alone (the end of that day) is shown as that date."""
    local = moment.astimezone(TOKYO)
    clock = "" if local.time() == END_OF_DAY else f" {time_label(moment)}"
    return f"{day_label(moment)}{clock}まで"


def fee_label(fee: int | None) -> str | None:
    if fee is None:
        return None
    return "無料" if fee == 0 else f"{format_decimal(fee, locale=LOCALE)}円"


def place_label(place: Place) -> str:
    parts = []
    if place.venue:
        parts.append(place.venue.name)
    if place.online:
        parts.append(f"オンライン（{place.online.platform}）")
    return "＋".join(parts)


def location_text(place: Place) -> str:
    """For calendar apps: the venue with its address (so maps can find it), and the platform."""
    parts = []
    if place.venue:
        parts.append("、".join(part for part in (place.venue.name, place.venue.address) if part))
    if place.online:
        parts.append(f"オンライン（{place.online.platform}）")
    return " / ".join(parts)


@dataclass(frozen=True)
class SessionView:
    """One occurrence as the pages and calendars show it."""

    occurrence: Occurrence
    event_title: str
    url: str  # site-relative, to the event page (and the session's row)
    when: str
    times: str
    place: str
    status_label: str
    item: CalendarItem
    google_url: str

    @property
    def anchor(self) -> str:
        return f"session-{self.occurrence.number}" if self.occurrence.number else ""


@dataclass(frozen=True)
class EventView(BadgedView):
    entry: Entry
    sessions: list[SessionView]
    badges: list[Badge]
    when: str
    place: str
    series: Term | None
    category: Term
    status_label: str
    fee: str | None
    deadline: str | None
    childcare_fee: str | None
    childcare_deadline: str | None
    organizers: list[Party | NamedParty]
    json_ld: dict[str, Any]

    @property
    def ics_url(self) -> str:
        return ics_path(self.entry.slug)

    @property
    def registration_closes(self) -> datetime | None:
        return registration_deadline(self.entry)

    @property
    def start_iso(self) -> str:
        return iso(self.meta.start)

    @property
    def end_iso(self) -> str:
        return iso(self.meta.end)

    def next_session(self, now: datetime) -> SessionView:
        wanted = next_occurrence(self.entry, now).key
        return next(view for view in self.sessions if view.occurrence.key == wanted)


def ics_path(slug: str) -> str:
    return f"events/{slug}.ics"


def series_path(term_id: str) -> str:
    return f"events/series/{term_id}/"


def build_view(entry: Entry, settings: Settings, vocabularies: Vocabularies) -> EventView:
    meta = entry.meta
    page_url = settings.absolute_url(entry.url)
    every = occurrences(entry)
    series = vocabularies["event_series"].get(meta.series) if meta.series else None
    category = vocabularies["event_categories"].get(meta.category)
    labels = tuple(term.label for term in (category, series) if term)
    sessions = [_session_view(item, entry, page_url, settings.site_url, labels) for item in every]
    registration, childcare = meta.registration, meta.childcare
    organizers = [meta.organizer or default_organizer(settings), *meta.co_organizers]
    return EventView(
        entry=entry, sessions=sessions, badges=badges(entry), when=_when(entry, sessions), place=_places(every),
        series=series, category=category,
        status_label=STATUS_LABELS[meta.status],
        fee=fee_label(registration.fee) if registration else None,
        deadline=deadline_label(registration.deadline) if registration and registration.deadline else None,
        childcare_fee=fee_label(childcare.fee) if childcare else None,
        childcare_deadline=deadline_label(childcare.deadline) if childcare and childcare.deadline else None,
        organizers=organizers, json_ld=event_json_ld(entry, every, page_url, organizers))


def _when(entry: Entry, sessions: list[SessionView]) -> str:
    """The time of a single event; the first and last day of a course, with its number of sessions."""
    if len(sessions) == 1:
        return sessions[0].when
    return f"{day_label(entry.meta.start)}〜{day_label(entry.meta.end)}（全{len(sessions)}回）"


def default_organizer(settings: Settings) -> NamedParty:
    """`extra.hub.events.organizer` in mkdocs.yml; the site's name when it is not set."""
    return EVENTS_OPTIONS.read(settings).organizer or NamedParty(name=settings.site_name or "主催者")


def _places(every: list[Occurrence]) -> str:
    labels = list(dict.fromkeys(place_label(item.place) for item in every))
    return labels[0] if len(labels) == 1 else f"{labels[0]} ほか"


def _session_view(item: Occurrence, entry: Entry, page_url: str, site_url: str,
                  categories: tuple[str, ...]) -> SessionView:
    anchor = f"#session-{item.number}" if item.number else ""
    calendar_item = calendar_item_of(item, entry, page_url + anchor, site_url, categories)
    return SessionView(occurrence=item, event_title=entry.title, url=entry.url + anchor,
                       when=span_label(item.start, item.end),
                       times=f"{time_label(item.start)}〜{time_label(item.end)}",
                       place=place_label(item.place), status_label=STATUS_LABELS[item.status],
                       item=calendar_item, google_url=google_calendar_url(calendar_item))


def calendar_item_of(item: Occurrence, entry: Entry, url: str, site_url: str,
                     categories: tuple[str, ...] = ()) -> CalendarItem:
    """One VEVENT per occurrence; a cancelled one stays in the feed so that subscribers see it cancelled."""
    return CalendarItem(
        uid=f"{item.key}@{uid_domain(site_url)}",
        summary=SUMMARY_PREFIX.get(item.status, "") + item.full_title,
        start=item.start, end=item.end, url=url,
        description=_description(item, entry), location=location_text(item.place),
        status=ICS_STATUS.get(item.status, "CONFIRMED"), categories=categories)


def _description(item: Occurrence, entry: Entry) -> str:
    meta = entry.meta
    lines = [meta.summary]
    if meta.status_note:
        lines.append(f"{STATUS_LABELS[meta.status]}: {meta.status_note}")
    if item.note:
        lines.append(item.note)
    if item.place.online and item.place.online.note:
        lines.append(f"オンライン参加: {item.place.online.note}")
    registration = meta.registration
    if registration and registration.deadline:
        lines.append(f"申込締切: {deadline_label(registration.deadline)}")
    if registration and registration.how:
        lines.append(f"申込方法: {registration.how}")
    return "\n".join(lines)
