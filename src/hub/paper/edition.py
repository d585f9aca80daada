"""What one issue of a paper edition carries, chosen like the newsletter's digest.

The digest's own selection (`hub.digest.issue.build_issue`) is run over the publication's
ward (`hub.digest.wards`) for the months since the publication's previous issue: events in the
covered months, recruitments open on the issue's date, new cases, talents and groups. Paper
adds what the web does not need to say: the Machikado Care cafes of the ward with their next
meetings (a reader without the web cannot look them up), and the absolute URL of every item,
which the sheet prints as a QR code. When the paper is full, the last items that the editor
did not pin give way (the web edition keeps them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

from hub.collections.cafes.recurrence import Occurrence, occurrences
from hub.collections.events.schema import END_OF_DAY
from hub.core.centre import CENTRE_OPTIONS, CentreOptions
from hub.core.clock import TOKYO
from hub.core.collection import Entry
from hub.core.content import Content, Site
from hub.core.vocab import Term
from hub.digest.intro import Intro
from hub.digest.issue import EVENTS, OWN_SECTIONS, Issue, build_issue
from hub.digest.periods import Period, send_moment
from hub.digest.wards import ward_content
from hub.paper.config import Publication
from hub.paper.issues import IssueFile, add_months

ARCHIVE_PATH = "print/"
CAFES = "cafes"
CAFE_MEETINGS = 3
PINNED = "注目"
EVENTS_TITLE = "これからのイベント・講座"
CAFES_TITLE = "まちかどケア（認知症カフェ）の予定"


@dataclass(frozen=True)
class CafeDates:
    entry: Entry
    meetings: list[Occurrence]


@dataclass(frozen=True)
class PaperItem:
    """One item on paper: `detail` is the digest's Upcoming, Recruiting or NewsItem, or a CafeDates."""

    section: str  # events, cafes, volunteer or a collection's name (new entries)
    title: str  # the section's heading
    detail: Any
    url: str  # the entry's absolute URL, which the QR code carries
    mark: str = ""  # 注目 (pinned by the editor), 新着 (new in the issue's period), or nothing

    @property
    def entry(self) -> Entry:
        return self.detail.entry


@dataclass(frozen=True)
class PaperSection:
    key: str
    title: str
    items: list[PaperItem]


@dataclass(frozen=True)
class Edition:
    """One issue as both editions show it: its file, its publication and every item chosen for it."""

    file: IssueFile
    publication: Publication
    issue: Issue
    items: list[PaperItem]
    ward: Term | None
    centre: CentreOptions | None
    url: str  # the web edition's absolute URL

    @property
    def id(self) -> str:
        return self.file.id

    @property
    def day(self) -> date:
        return self.file.meta.date

    @property
    def title(self) -> str:
        """にしとも広場mini 2020年7月号（夏号）"""
        headline = f"（{self.file.meta.title}）" if self.file.meta.title else ""
        return f"{self.publication.name} {self.day.year}年{self.day.month}月号{headline}"

    @property
    def page_path(self) -> str:
        return f"{ARCHIVE_PATH}{self.id}/"

    @property
    def pdf_path(self) -> str:
        return f"{ARCHIVE_PATH}{self.id}.pdf"

    @property
    def last_day(self) -> date:
        return self.file.meta.last_day

    @property
    def publisher(self) -> str:
        return self.publication.publisher or (self.centre.name if self.centre else "")

    def kept(self, shown: int | None) -> list[PaperItem]:
        """The `shown` items paper keeps (all for None), in the items' order: the editor's pinned
        items first, then the others in order, so that the last unpinned items give way first."""
        if shown is None:
            return self.items
        ranked = sorted(range(len(self.items)), key=lambda index: self.items[index].mark != PINNED)
        keep = set(ranked[:shown])
        return [item for index, item in enumerate(self.items) if index in keep]

    def sections(self, shown: int | None = None) -> list[PaperSection]:
        """The items paper keeps (`kept`) under their headings."""
        chosen = self.kept(shown)
        return [PaperSection(key, items[0].title, items)
                for key, group in groupby(chosen, key=lambda item: item.section) if (items := list(group))]


def make_edition(site: Site, file: IssueFile, publication: Publication, previous: date | None) -> Edition:
    """`previous` is the date of the publication's issue before this one: the news it carries is since
    then. A first issue looks back as far as it looks ahead (three months for a quarterly)."""
    meta = file.meta
    content = ward_content(site.content, publication.ward, keep=frozenset(meta.pin))
    start = previous or _looking_back(meta.date, meta.last_day)
    horizon = _end_of(meta.last_day) - send_moment(meta.date)
    intro = Intro(meta.date, meta, file.body, file.source)
    issue = build_issue(content, meta.date, intro, horizon, period=Period(start, meta.date))
    items = [*_events(issue, site), *_cafes(content, meta.date, meta.last_day, issue, site),
             *_recruitments(issue, site), *_news(issue, site)]
    ward = site.content.vocabularies["wards"].get(publication.ward) if publication.ward else None
    return Edition(file, publication, issue, items, ward, CENTRE_OPTIONS.read(site.settings),
                   site.settings.absolute_url(f"{ARCHIVE_PATH}{file.id}/"))


def _looking_back(day: date, last_day: date) -> date:
    """As many whole months before `day` as the issue covers after it (six for 10/1 to 3/31)."""
    end = last_day + timedelta(days=1)
    months = (end.year - day.year) * 12 + end.month - day.month
    return add_months(day, -max(months, 1))


def _end_of(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, TOKYO)


def _item(section: str, title: str, detail: Any, site: Site, pinned: bool = False, is_new: bool = False) -> PaperItem:
    mark = PINNED if pinned else "新着" if is_new else ""
    return PaperItem(section, title, detail, site.settings.absolute_url(detail.entry.url), mark)


def _events(issue: Issue, site: Site) -> list[PaperItem]:
    return [_item(EVENTS, EVENTS_TITLE, upcoming, site, upcoming.pinned, upcoming.is_new) for upcoming in issue.upcoming]


def _cafes(content: Content, day: date, last_day: date, issue: Issue, site: Site) -> list[PaperItem]:
    """Every cafe of the ward listed by the issue's date that meets in the covered months."""
    excluded = set(issue.excluded)
    found = []
    for entry in content[CAFES]:
        if entry.meta.listed > day or entry.url.rstrip("/") in excluded:
            continue
        meetings = occurrences(entry.meta.schedule, entry.meta.listed, send_moment(day), CAFE_MEETINGS,
                               until=_end_of(last_day))
        if meetings:
            found.append(_item(CAFES, CAFES_TITLE, CafeDates(entry, meetings), site))
    return found


def _recruitments(issue: Issue, site: Site) -> list[PaperItem]:
    return [_item("volunteer", issue.volunteer_label, recruiting, site, recruiting.pinned, recruiting.is_new)
            for recruiting in issue.recruitments]


def _news(issue: Issue, site: Site) -> list[PaperItem]:
    """New entries of every other collection; new cafes are already among the cafes with their dates."""
    return [_item(section.collection.name, section.title, item, site, item.entry.url.rstrip("/") in section.pinned)
            for section in issue.sections if section.collection.name not in (*OWN_SECTIONS, CAFES)
            for item in section.items]
