"""What the volunteer pages show about each recruitment: who, when, where, until when, how to apply.

Computed once per recruitment and shared by every page that lists it, so that a deadline
or a badge reads the same everywhere. Plain data: the templates decide the markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.collections.events.jsonld import iso
from hub.collections.events.occurrences import Badge, BadgedView
from hub.collections.events.schema import END_OF_DAY
from hub.collections.events.views import day_label, deadline_label, span_label, time_label
from hub.collections.volunteer.schema import closes
from hub.collections.volunteer.timeline import badges, is_open
from hub.core.clock import TOKYO
from hub.core.collection import Entry
from hub.core.contact import CentreContact, centre_contact
from hub.core.content import Content, Site
from hub.core.references import group_entry
from hub.core.vocab import Term
from hub.output.formatting import month_day


@dataclass(frozen=True)
class Organiser:
    """Who recruits, as pages show it: a name, and a page of this site when there is one."""

    name: str
    url: str | None = None  # site-relative


def organiser_of(entry: Entry, content: Content) -> Organiser:
    """Who recruits: `organizer:` as written, or the registered group that `group:` names.

    Every page, feed and mail asks here, so that this is the one place where a group's id
    becomes what readers see: the group's current name and its page.
    """
    meta = entry.meta
    if meta.organizer:
        return Organiser(meta.organizer)
    group = group_entry(content, meta.group)
    return Organiser(group.title, group.url)


@dataclass(frozen=True)
class RecruitmentView(BadgedView):
    entry: Entry
    organiser: Organiser
    closes: datetime
    open: bool  # at the build's "now"
    badges: list[Badge]
    deadline: str | None  # 「2月10日（水）」 on cards (the year when it is not this year's)
    deadline_full: str | None  # 「2021年2月10日（水）まで」 on the recruitment's page
    review: str | None  # an ongoing call's review day, as `deadline`
    when: str
    dates: list[str]
    place: str
    audiences: list[Term]
    capacity: str | None
    desk: CentreContact | None  # the centre's desk, when it takes applications

    @property
    def closes_iso(self) -> str:
        return iso(self.closes)


def build_view(entry: Entry, site: Site) -> RecruitmentView:
    meta = entry.meta
    apply = meta.apply
    audiences = site.content.vocabularies["volunteer_audiences"]
    return RecruitmentView(
        entry=entry, organiser=organiser_of(entry, site.content), closes=closes(entry),
        open=is_open(entry, site.now), badges=badges(entry),
        deadline=short_day(meta.deadline, site.now) if meta.deadline else None,
        deadline_full=deadline_label(meta.deadline) if meta.deadline else None,
        review=short_day(meta.when.review_ends, site.now) if meta.when.ongoing else None,
        when=when_label(meta.when), dates=[span_label(span.start, span.end) for span in meta.when.dates],
        place=place_label(meta.where, site.content), audiences=[audiences.get(key) for key in meta.audiences],
        capacity=capacity_label(meta.capacity),
        desk=centre_contact(site.settings) if apply and apply.desk else None)


def short_day(moment: datetime, now: datetime) -> str:
    """2月10日（水）, with the time unless it is the end of the day, and the year unless it is this year."""
    local = moment.astimezone(TOKYO)
    day = month_day(local) if local.year == now.astimezone(TOKYO).year else day_label(local)
    return day if local.time() == END_OF_DAY else f"{day} {time_label(local)}"


def when_label(when: Any) -> str:
    """One date, the first and last day of several (全3回), or 随時 with the note that says when."""
    if when.ongoing:
        return f"随時（{when.note}）" if when.note else "随時"
    spans = sorted(when.dates, key=lambda span: span.start)
    if len(spans) == 1:
        return span_label(spans[0].start, spans[0].end)
    return f"{day_label(spans[0].start)}〜{day_label(spans[-1].end)}（全{len(spans)}回）"


def place_label(where: Any, content: Content) -> str:
    """西区・西区地域子育て支援拠点＋オンライン"""
    ward = content.vocabularies["wards"].get(where.ward) if where.ward else None
    on_site = "・".join(part for part in (ward.label if ward else None, where.venue) if part)
    return "＋".join(part for part in (on_site, "オンライン" if where.online else "") if part)


def capacity_label(capacity: int | str | None) -> str | None:
    if capacity is None:
        return None
    return f"{capacity}名" if isinstance(capacity, int) else capacity
