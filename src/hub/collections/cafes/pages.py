"""The Machikado Care section's generated pages and calendars.

  /machikado-care/cafes/              every cafe grouped by ward, the ward map and its table
  /machikado-care/cafes/<slug>/       one cafe: schedule, next meetings, how to get there
  /machikado-care/cafes/<slug>.ics    its calendar: one VEVENT with an RRULE and EXDATEs
  /machikado-care/trainings/          upcoming caravan-mate and supporter trainings (from events)

The hand-written pages of the section are docs/machikado-care/*.md. Next meetings are
computed from the build's "now"; each page also carries the meetings of the coming year so
that cafes.js can show the right three on the visitor's clock when the page is old.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hub.collections.cafes.recurrence import (
    HORIZON,
    Occurrence,
    first_meeting,
    ical_rule,
    occurrences,
    skipped_meetings,
)
from hub.collections.cafes.schema import SECTION
from hub.collections.cafes.ward_map import WardMap, ward_anchor, ward_counts, ward_map
from hub.collections.events.occurrences import split
from hub.collections.events.pages import Subscription
from hub.collections.events.schema import STATUS_LABELS
from hub.core.collection import Collection, Entry
from hub.core.content import Site
from hub.core.options import Options, OptionSection, Texts
from hub.core.outputs import FileSpec, Output, PageSpec
from hub.core.settings import Settings
from hub.core.vocab import Term
from hub.output.calendar_ics import (
    CalendarInfo,
    CalendarItem,
    calendar_bytes,
    google_calendar_url,
    uid_domain,
    webcal_url,
)

NEXT_COUNT = 3
OPTIONS_KEY = "machikado_care"
# Event series whose upcoming editions /machikado-care/trainings/ lists (extra.hub.machikado_care.training_series).
TRAINING_SERIES = ("caravan-mate-training", "dementia-supporter-course")
TRAININGS_PATH = f"{SECTION}/trainings/"


@dataclass(frozen=True)
class CafeView:
    """One cafe with its ward's label, its next meetings and its calendar, computed once per build."""

    entry: Entry
    ward: Term
    upcoming: list[Occurrence]  # from "now" to a year ahead; the page shows the first NEXT_COUNT
    subscription: Subscription
    calendar_item: CalendarItem

    @property
    def meta(self) -> Any:
        return self.entry.meta

    @property
    def next(self) -> list[Occurrence]:
        return self.upcoming[:NEXT_COUNT]

    @property
    def script_dates(self) -> list[dict[str, str]]:
        """What cafes.js needs to pick the next meetings on the visitor's clock."""
        return [{"start": item.start.isoformat(), "end": item.end.isoformat(), "label": item.label}
                for item in self.upcoming]

    @property
    def google_url(self) -> str:
        return google_calendar_url(self.calendar_item)


@dataclass(frozen=True)
class WardGroup:
    term: Term
    cafes: list[CafeView]

    @property
    def anchor(self) -> str:
        return ward_anchor(self.term.id)


def ics_path(entry: Entry) -> str:
    return entry.url.removesuffix("/") + ".ics"


class CafesBuilder:
    """Views of every cafe, grouped by ward, and the outputs made from them."""

    def __init__(self, collection: Collection, site: Site):
        self.collection = collection
        self.site = site
        self.wards = site.content.vocabularies["wards"]
        self.domain = uid_domain(site.settings.site_url)
        entries = site.content[collection.name]
        self.views = [self._view(entry) for entry in entries]
        self.groups = [WardGroup(term, [view for view in self.views if view.meta.ward == term.id])
                       for term in self.wards.terms]
        self.counts = ward_counts(self.wards, [view.meta.ward for view in self.views])
        self.map: WardMap = ward_map(self.wards, self.counts)

    def _view(self, entry: Entry) -> CafeView:
        schedule, now = entry.meta.schedule, self.site.now
        upcoming = occurrences(schedule, entry.meta.listed, now, until=now + HORIZON)
        url = self.site.settings.absolute_url(ics_path(entry))
        subscription = Subscription(ics_path(entry), url, webcal_url(url), f"{entry.title}（{self.site.settings.site_name}）")
        return CafeView(entry, self.wards.get(entry.meta.ward), upcoming, subscription, self._item(entry))

    def _item(self, entry: Entry) -> CalendarItem:
        meta = entry.meta
        start = first_meeting(meta.schedule, meta.listed)
        notes = [meta.summary, meta.schedule.label, meta.schedule.note or ""]
        return CalendarItem(uid=f"cafes-{entry.slug}@{self.domain}", summary=entry.title, start=start,
                            end=start + meta.schedule.duration, url=self.site.settings.absolute_url(entry.url),
                            description="\n".join(note for note in notes if note),
                            location=f"{meta.venue.name}（{meta.venue.address}）", categories=("認知症カフェ",),
                            rrule=ical_rule(meta.schedule), exdates=tuple(skipped_meetings(meta.schedule)))

    def shared(self) -> dict[str, Any]:
        return {"collection": self.collection, "now": self.site.now, "section": f"{SECTION}/"}

    def outputs(self) -> Iterator[Output]:
        yield self.index_page()
        for view in self.views:
            yield self.entry_page(view)
            yield self.calendar_file(view)
        yield trainings_page(self.site, self.shared())

    def index_page(self) -> PageSpec:
        having = sum(1 for count in self.counts.values() if count)
        return PageSpec(f"{self.collection.path}/index.md", f"{self.collection.label}を探す", "hub/cafes-index.html",
                        {**self.shared(), "groups": [group for group in self.groups if group.cafes],
                         "all_groups": self.groups, "map": self.map, "count": len(self.views)},
                        description=f"横浜市内の{self.collection.label}（{having} 区・{len(self.views)} か所）を区ごとに、"
                                    "次の開催日とあわせて紹介します。")

    def entry_page(self, view: CafeView) -> PageSpec:
        group = next(group for group in self.groups if group.term == view.ward)
        nearby = [other for other in group.cafes if other is not view]
        return PageSpec(view.entry.url.removesuffix("/") + ".md", view.entry.title, "hub/cafes-entry.html",
                        {**self.shared(), "cafe": view, "entry": view.entry, "nearby": nearby, "group": group},
                        body=view.entry.body, description=view.meta.summary)

    def calendar_file(self, view: CafeView) -> FileSpec:
        info = CalendarInfo(uid=f"cafes-{view.entry.slug}@{self.domain}", name=view.subscription.name,
                            description=view.meta.summary, url=self.site.settings.absolute_url(view.entry.url))
        items = [view.calendar_item]
        return FileSpec(view.subscription.path, render=functools.partial(calendar_bytes, info, items, self.site.now),
                        inputs=(info, items))


# --- trainings ---------------------------------------------------------------------------------

class MachikadoCareOptions(Options):
    """`extra.hub.machikado_care`: the event series listed as the section's trainings."""

    training_series: Texts = TRAINING_SERIES


MACHIKADO_CARE_OPTIONS = OptionSection(OPTIONS_KEY, MachikadoCareOptions)


def training_series(settings: Settings) -> tuple[str, ...]:
    return MACHIKADO_CARE_OPTIONS.read(settings).training_series or TRAINING_SERIES


def upcoming_trainings(site: Site) -> list[Entry]:
    """Events of the training series that have not ended by "now", soonest first."""
    series = training_series(site.settings)
    events = [entry for entry in site.content["events"] if entry.meta.series in series]
    return split(events, site.now).upcoming


def trainings_page(site: Site, shared: dict[str, Any]) -> PageSpec:
    vocabulary = site.content.vocabularies["event_series"]
    series = [term for term_id in training_series(site.settings) if (term := vocabulary.get(term_id)) is not None]
    trainings = upcoming_trainings(site)
    return PageSpec(f"{TRAININGS_PATH}index.md", "研修・講座の予定", "hub/cafes-trainings.html",
                    {**shared, "trainings": trainings, "series": series, "statuses": STATUS_LABELS},
                    description=f"認知症キャラバン・メイト養成研修と認知症サポーター養成講座のこれからの予定（{len(trainings)} 件）")


def cafe_outputs(collection: Collection, site: Site) -> list[Output]:
    return list(CafesBuilder(collection, site).outputs())
