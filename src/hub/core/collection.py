"""What a collection is: a declaration, not code.

Cases, events, talents and cafes each declare their schema, where their files live,
how they sort and which of their keys are taxonomies; loading, validation, term pages
and URLs work the same for all of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from hub.core.collation import sort_key
from hub.core.fields import HubModel


class EntryMeta(HubModel):
    """Keys every entry may carry. `private:` is taken out by the loader before validation."""

    title: str
    summary: str
    draft: bool = False


@dataclass(frozen=True)
class Taxonomy:
    """A list-of-terms key of a collection that gets browsable term pages."""

    key: str
    vocabulary: str


@dataclass(frozen=True, eq=False)
class Entry:
    """One published entry: validated front matter and the Markdown body. Never a draft.

    Compared by identity: each file yields exactly one entry.
    """

    collection: str
    slug: str
    meta: Any
    body: str
    source: str
    base: str = ""  # the collection's site path when it is not its name (Collection.url_base)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def url(self) -> str:
        return f"{self.base or self.collection}/{self.slug}/"

    def terms(self, taxonomy: Taxonomy) -> list[str]:
        return list(getattr(self.meta, taxonomy.key))


Found = TypeVar("Found")


# Findings looked up in every entry by checks and pages across the site: see kept_with_entry.
_KEPT_FINDINGS: list[Callable[[Entry], Any]] = []


def kept_with_entry(function: Callable[[Entry], Found]) -> Callable[[Entry], Found]:
    """`function`, computed once per entry and kept inside the entry object, where it travels with
    it. An entry never changes: a preview rebuild gets the same objects back for every file that
    did not change, and the loader finds every such finding as soon as it has read an entry
    (`find_kept`), so the check cache (hub.reading.result_cache) keeps it with the entry and a
    warm `hub check` looks nothing up again. The finding must be made of plain values (the cache
    reads back nothing else). A changed entry is a new object, found again."""
    key = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def kept(entry: Entry) -> Found:
        try:
            return entry.__dict__[key]
        except KeyError:
            found = entry.__dict__[key] = function(entry)  # as functools.cached_property does, past frozen=True
            return found

    _KEPT_FINDINGS.append(kept)
    return kept


def find_kept(entry: Entry) -> None:
    for finding in _KEPT_FINDINGS:
        finding(entry)


@dataclass(frozen=True)
class Collection:
    name: str
    label: str
    model: type[EntryMeta]
    sort_key: Callable[[Entry], Any]
    newest_first: bool = True
    taxonomies: tuple[Taxonomy, ...] = ()
    card_taxonomies: tuple[str, ...] = ()  # shown as links on index cards; all are filterable
    reserved_slugs: frozenset[str] = field(default_factory=frozenset)
    # (collection, site) -> pages and files; None means the generic index, entry and term pages.
    generate: Callable[..., Iterable[Any]] | None = None
    # When an entry became news (feeds, the digest): a front-matter date, never the build clock.
    # None means the collection's entries are never news; a date of None, that this entry is not
    # (a dissolved group).
    news_date: Callable[[Entry], date | None] | None = None
    # Where the collection's pages live when not at /<name>/ (cafes: machikado-care/cafes).
    url_base: str = ""

    @property
    def path(self) -> str:
        """The site path of the collection's index, without slashes at either end: `cases`, `machikado-care/cafes`."""
        return self.url_base or self.name

    def on_cards(self, taxonomy: Taxonomy) -> bool:
        return not self.card_taxonomies or taxonomy.key in self.card_taxonomies

    def taxonomy(self, key: str) -> Taxonomy:
        return next(t for t in self.taxonomies if t.key == key)

    def slug_reserved(self, slug: str) -> bool:
        return slug in self.reserved_slugs or any(slug == t.key for t in self.taxonomies)

    def sort(self, entries: list[Entry]) -> list[Entry]:
        ordered = sorted(entries, key=lambda e: e.slug)
        return sorted(ordered, key=self.sort_key, reverse=self.newest_first)


def by_date(entry: Entry) -> date:
    return entry.meta.date


def by_reading(entry: Entry) -> tuple[Any, ...]:
    """五十音 order of the entry's `kana`, then its title: the directories' order (talents, groups)."""
    return (*sort_key(entry.meta.kana), entry.meta.title)
