"""What is new, and when: every collection that declares `news_date`, read the same way.

Feeds and the newsletter both ask "which entries became news between these two days";
the answer comes from front matter alone (never git, never the build clock), so the
same content always gives the same feeds and the same issues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from hub.collections import COLLECTIONS
from hub.core.clock import TOKYO
from hub.core.collection import Collection, Entry
from hub.core.content import Content

# C0 controls other than tab and newline, DEL, and the two non-characters XML 1.0 forbids.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text that XML (feeds) and e-mail can carry: a control character pasted into a title is dropped."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class NewsItem:
    entry: Entry
    collection: Collection
    day: date

    @property
    def moment(self) -> datetime:
        """The start of the news day in Tokyo: what feeds give as the publication date."""
        return datetime.combine(self.day, time(0), TOKYO)


@dataclass(frozen=True)
class Notice:
    """A feed item that is not an entry of a collection: an issue of a paper edition."""

    title: str
    path: str  # site path of its page
    moment: datetime
    summary: str
    links: tuple[tuple[str, str], ...] = ()  # (label, site path): its files, such as the PDF


def news_collections(collections: dict[str, Collection] = COLLECTIONS) -> list[Collection]:
    """Collections whose entries can be news, in registry order (cases, events, talents, cafes...)."""
    return [collection for collection in collections.values() if collection.news_date is not None]


def news_items(content: Content, collections: Iterable[Collection], since: date | None,
               until: date) -> list[NewsItem]:
    """Entries that became news on `since` (inclusive, None for "ever") up to `until` (exclusive),
    newest first; ties keep the collections' order, then slugs."""
    found = []
    for rank, collection in enumerate(collections):
        assert collection.news_date is not None
        for entry in content[collection.name]:
            day = collection.news_date(entry)
            if day is not None and (since is None or since <= day) and day < until:
                found.append((rank, NewsItem(entry, collection, day)))
    found.sort(key=lambda pair: (pair[0], pair[1].entry.slug))
    found.sort(key=lambda pair: pair[1].day, reverse=True)
    return [item for _, item in found]
