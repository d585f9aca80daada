"""What one issue carries, as data: new entries by collection, what is on, the editor's intro.

- New entries: every collection with a `news_date` except events, whose news date falls in the
  issue's period (cases, talents, cafes... a new collection appears once it sets `news_date`).
- What is on: events with an occurrence in the weeks after the issue goes out; a deadline
  before the next issue is flagged, since readers must act before the next mail.
- ボランティア募集: every recruitment posted before the issue and open when it goes out, the
  soonest deadline first; a deadline before the next issue is flagged in the same way.
- The intro may pin entries (first, even from outside the period) and exclude entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from hub.collections.events.occurrences import Coming, coming_up
from hub.collections.volunteer.schema import closes
from hub.collections.volunteer.timeline import split
from hub.collections.volunteer.views import Organiser, organiser_of
from hub.core.collection import Collection, Entry
from hub.core.content import Content
from hub.digest.intro import Intro
from hub.digest.periods import Period, next_issue, period_of, send_moment
from hub.output.news import NewsItem, news_collections, news_items

EVENTS = "events"
VOLUNTEER = "volunteer"
OWN_SECTIONS = (EVENTS, VOLUNTEER)  # shown as what is on and what is open, not as new entries
# Far enough to reach any pinned event that has not happened yet.
PIN_HORIZON = timedelta(days=3660)


@dataclass(frozen=True)
class Section:
    collection: Collection
    items: list[NewsItem]
    pinned: frozenset[str] = frozenset()  # entry paths shown as 注目

    @property
    def title(self) -> str:
        return f"新しい{self.collection.label}"


@dataclass(frozen=True)
class Upcoming:
    coming: Coming
    is_new: bool  # announced during the issue's period
    pinned: bool
    urgent: bool  # registration closes before the next issue

    @property
    def entry(self) -> Entry:
        return self.coming.occurrence.entry


@dataclass(frozen=True)
class Recruiting:
    """A recruitment open when the issue goes out."""

    entry: Entry
    organiser: Organiser
    closes: datetime
    is_new: bool  # posted during the issue's period
    pinned: bool
    urgent: bool  # its deadline falls before the next issue

    @property
    def deadline(self) -> datetime | None:
        return self.entry.meta.deadline


@dataclass(frozen=True)
class Issue:
    day: date
    period: Period
    sections: list[Section]
    upcoming: list[Upcoming]
    intro: Intro | None = None
    events_label: str = "イベント・講座"
    excluded: list[str] = field(default_factory=list)
    recruitments: list[Recruiting] = field(default_factory=list)
    volunteer_label: str = "ボランティア募集"

    @property
    def new_count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def empty(self) -> bool:
        """Nothing to send: no new entries, nothing on, nothing open, and no word from the editor."""
        return (not self.new_count and not self.upcoming and not self.recruitments
                and not (self.intro and self.intro.body.strip()))

    @property
    def headline(self) -> str | None:
        return self.intro.meta.title if self.intro else None


def build_issue(content: Content, day: date, intro: Intro | None, horizon: timedelta,
                collections: Iterable[Collection] | None = None, period: Period | None = None) -> Issue:
    """`period` is the days whose news the issue carries: the newsletter's half month unless given
    (a quarterly paper edition covers the months since its previous issue)."""
    every = list(collections) if collections is not None else news_collections()
    period = period or period_of(day)
    pinned = frozenset(intro.meta.pin) if intro else frozenset()
    excluded = frozenset(intro.meta.exclude) if intro else frozenset()
    sections = [_section(content, collection, period, pinned, excluded)
                for collection in every if collection.name not in OWN_SECTIONS]
    events = next((collection for collection in every if collection.name == EVENTS), None)
    upcoming = _upcoming(content, events, day, horizon, pinned, excluded, period) if events else []
    volunteer = next((collection for collection in every if collection.name == VOLUNTEER), None)
    recruitments = _recruitments(content, volunteer, day, pinned, excluded, period) if volunteer else []
    return Issue(day, period, [section for section in sections if section.items], upcoming, intro,
                 events.label if events else "イベント・講座", sorted(excluded), recruitments,
                 volunteer.label if volunteer else "ボランティア募集")


def _path(entry: Entry) -> str:
    return entry.url.rstrip("/")


def _section(content: Content, collection: Collection, period: Period, pinned: frozenset[str],
             excluded: frozenset[str]) -> Section:
    assert collection.news_date is not None
    fresh = news_items(content, [collection], period.start, period.end)
    chosen = [NewsItem(entry, collection, day) for entry in content[collection.name]
              if _path(entry) in pinned and (day := collection.news_date(entry)) is not None]
    chosen += [item for item in fresh if _path(item.entry) not in pinned]
    items = [item for item in chosen if _path(item.entry) not in excluded]
    return Section(collection, items, pinned & {_path(item.entry) for item in items})


def _upcoming(content: Content, events: Collection, day: date, horizon: timedelta,
              pinned: frozenset[str], excluded: frozenset[str], period: Period) -> list[Upcoming]:
    moment = send_moment(day)
    entries = [entry for entry in content[events.name] if _path(entry) not in excluded]
    soon = coming_up(entries, moment, horizon)
    shown = {coming.occurrence.entry.slug for coming in soon}
    later = coming_up([entry for entry in entries if _path(entry) in pinned and entry.slug not in shown],
                      moment, PIN_HORIZON)
    deadline_limit = send_moment(next_issue(day))
    found = [_as_upcoming(coming, events, period, pinned, deadline_limit) for coming in [*later, *soon]]
    return sorted(found, key=lambda item: not item.pinned)


def _as_upcoming(coming: Coming, events: Collection, period: Period, pinned: frozenset[str],
                 deadline_limit: datetime) -> Upcoming:
    entry = coming.occurrence.entry
    assert events.news_date is not None
    announced = events.news_date(entry)
    urgent = coming.open and coming.deadline is not None and coming.deadline < deadline_limit
    is_new = announced is not None and period.start <= announced < period.end
    return Upcoming(coming, is_new, _path(entry) in pinned, urgent)


def _recruitments(content: Content, volunteer: Collection, day: date, pinned: frozenset[str],
                  excluded: frozenset[str], period: Period) -> list[Recruiting]:
    """Posted before the issue and open when it goes out; pinned ones first, then by deadline."""
    assert volunteer.news_date is not None
    moment = send_moment(day)
    deadline_limit = send_moment(next_issue(day))
    posted = [entry for entry in content[volunteer.name]
              if volunteer.news_date(entry) < period.end and _path(entry) not in excluded]
    found = [Recruiting(entry, organiser_of(entry, content), closes(entry),
                        period.start <= volunteer.news_date(entry), _path(entry) in pinned,
                        entry.meta.deadline is not None and entry.meta.deadline < deadline_limit)
             for entry in split(posted, moment).open]
    return sorted(found, key=lambda item: not item.pinned)
