"""The events collection's outputs: listing pages, one page per event and series, and calendars.

  /events/                 upcoming, soonest first, by month (a script keeps it current)
  /events/past/            past events by year
  /events/calendar/        month grids from this month on
  /events/series/          every series; /events/series/<id>/ its editions
  /events/<slug>/          one event, with "add to calendar"
  /events/calendar.ics     every event; /events/series/<id>.ics, /events/<slug>.ics
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hub.collections.events.occurrences import calendar_months, group_by_month, group_by_year, month_grid, split
from hub.collections.events.views import EventView, build_view, ics_path, series_path
from hub.core.collection import Collection
from hub.core.content import Site
from hub.core.outputs import FileSpec, Output, PageSpec
from hub.core.vocab import Term
from hub.output.calendar_ics import CalendarInfo, calendar_bytes, uid_domain, webcal_url

FEED_PATH = "events/calendar.ics"
RECENT = 3  # ended events shown under the upcoming list, newest first


@dataclass(frozen=True)
class Subscription:
    """A calendar feed as links: download (site-relative), https and webcal (absolute; None without site_url)."""

    path: str
    url: str
    webcal: str | None
    name: str


@dataclass(frozen=True)
class SeriesView:
    term: Term
    upcoming: list[EventView]
    past: list[EventView]
    subscription: Subscription

    @property
    def url(self) -> str:
        return series_path(self.term.id)

    @property
    def count(self) -> int:
        return len(self.upcoming) + len(self.past)


class EventsBuilder:
    """Views of every event, computed once, and the outputs made from them."""

    def __init__(self, collection: Collection, site: Site):
        self.collection = collection
        self.site = site
        self.now = site.now
        entries = site.content[collection.name]
        self.views = {entry.slug: build_view(entry, site.settings, site.content.vocabularies) for entry in entries}
        timeline = split(entries, self.now)
        self.upcoming = [self.views[entry.slug] for entry in timeline.upcoming]
        self.past = [self.views[entry.slug] for entry in timeline.past]
        self.sessions = {view.occurrence.key: view for event in self.views.values() for view in event.sessions}
        self.domain = uid_domain(site.settings.site_url)
        self.everything = self.subscription(FEED_PATH, collection.label)
        self.series = [self._series(term) for term in site.content.vocabularies["event_series"].terms]

    def subscription(self, path: str, name: str) -> Subscription:
        url = self.site.settings.absolute_url(path)
        return Subscription(path, url, webcal_url(url), f"{name}（{self.site.settings.site_name}）")

    def shared(self) -> dict[str, Any]:
        return {"collection": self.collection, "now": self.now, "subscription": self.everything,
                "series_list": self.series}

    def outputs(self) -> Iterator[Output]:
        yield self.index_page()
        yield self.past_page()
        yield self.calendar_page()
        yield self.series_index_page()
        for series in self.series:
            yield self.series_page(series)
            yield self.calendar_file(series.subscription, [*series.upcoming, *series.past],
                                     f"events-series-{series.term.id}", series.term.description, series.url)
        for view in self.views.values():
            yield self.entry_page(view)
            yield self.calendar_file(self.subscription(view.ics_url, view.entry.title), [view],
                                     f"events-{view.entry.slug}", view.meta.summary, view.url)
        yield self.calendar_file(self.everything, list(self.views.values()), "events",
                                 f"{self.collection.label}の予定", "events/")

    def index_page(self) -> PageSpec:
        months = group_by_month(self.upcoming, lambda view: view.next_session(self.now).occurrence.start)
        return PageSpec("events/index.md", self.collection.label, "hub/events-index.html",
                        {**self.shared(), "months": months, "recent": self.past[:RECENT],
                         "upcoming_count": len(self.upcoming)},
                        description=f"これから開催する{self.collection.label}（{len(self.upcoming)} 件）")

    def past_page(self) -> PageSpec:
        years = group_by_year(self.past, lambda view: view.meta.start)
        return PageSpec("events/past/index.md", f"過去の{self.collection.label}", "hub/events-past.html",
                        {**self.shared(), "years": years},
                        description=f"これまでに開催した{self.collection.label}（{len(self.past)} 件）")

    def calendar_page(self) -> PageSpec:
        every = [view.occurrence for view in self.sessions.values()]
        grids = [month_grid(month, every) for month in calendar_months(every, self.now)]
        return PageSpec("events/calendar/index.md", "イベントカレンダー", "hub/events-calendar.html",
                        {**self.shared(), "grids": grids, "sessions": self.sessions},
                        description=f"{self.collection.label}の予定を月ごとのカレンダーで表示します")

    def series_index_page(self) -> PageSpec:
        return PageSpec("events/series/index.md", "シリーズから探す", "hub/events-series-index.html",
                        self.shared(), description=f"シリーズごとの{self.collection.label}")

    def series_page(self, series: SeriesView) -> PageSpec:
        return PageSpec(f"events/series/{series.term.id}.md", series.term.label, "hub/events-series.html",
                        {**self.shared(), "series": series},
                        description=series.term.description or f"{series.term.label}の開催一覧")

    def entry_page(self, view: EventView) -> PageSpec:
        same_series = next((series for series in self.series if series.term == view.series), None)
        return PageSpec(f"events/{view.entry.slug}.md", view.entry.title, "hub/events-entry.html",
                        {**self.shared(), "event": view, "entry": view.entry, "series": same_series,
                         "event_subscription": self.subscription(view.ics_url, view.entry.title)},
                        body=view.entry.body, description=view.meta.summary)

    def calendar_file(self, subscription: Subscription, views: list[EventView], uid: str,
                      description: str, page: str) -> FileSpec:
        """One .ics; `page` (site path) is where a subscriber can read about the calendar."""
        info = CalendarInfo(uid=f"{uid}@{self.domain}", name=subscription.name, description=description,
                            url=self.site.settings.absolute_url(page))
        items = [session.item for view in views for session in view.sessions]
        # DTSTAMP (the build's "now") is not a reason to make a calendar again in a preview.
        return FileSpec(subscription.path, render=functools.partial(calendar_bytes, info, items, self.now),
                        inputs=(info, items))

    def _series(self, term: Term) -> SeriesView:
        def of_series(views: list[EventView]) -> list[EventView]:
            return [view for view in views if view.meta.series == term.id]

        subscription = self.subscription(ics_path(f"series/{term.id}"), term.label)
        return SeriesView(term, of_series(self.upcoming), of_series(self.past), subscription)


def event_outputs(collection: Collection, site: Site) -> list[Output]:
    return list(EventsBuilder(collection, site).outputs())
