"""Term pages' data: which entries carry which term, built in one pass over sorted entries."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from hub.core.collection import Collection, Entry, Taxonomy
from hub.core.vocab import Term, Vocabularies


@dataclass(frozen=True)
class TermLink:
    term: Term
    url: str
    count: int


@dataclass(frozen=True)
class TaxonomyLinks:
    taxonomy: Taxonomy
    label: str
    url: str
    links: list[TermLink]


def taxonomy_url(collection: Collection, taxonomy: Taxonomy) -> str:
    return f"{collection.path}/{taxonomy.key}/"


def term_url(collection: Collection, taxonomy: Taxonomy, term_id: str) -> str:
    return f"{collection.path}/{taxonomy.key}/{term_id}/"


class TaxonomyIndex:
    """Entries per (taxonomy, term) for one collection; lists keep the collection's order."""

    def __init__(self, collection: Collection, entries: list[Entry], vocabularies: Vocabularies):
        self.collection = collection
        self.vocabularies = vocabularies
        self._entries: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        self._links_of: dict[str, list[TaxonomyLinks]] = {}
        self._member_ids: dict[tuple[str, str], frozenset[int]] = {}
        for entry in entries:
            for taxonomy in collection.taxonomies:
                for term_id in entry.terms(taxonomy):
                    self._entries[(taxonomy.key, term_id)].append(entry)

    def fingerprint_parts(self) -> tuple[Any, ...]:
        """What the answers depend on: the terms of every entry, not their text (see hub.build.fingerprint)."""
        return (self.collection.name, self.vocabularies, sorted(
            (key, [entry.slug for entry in entries]) for key, entries in self._entries.items()))

    def entries(self, taxonomy: Taxonomy, term_id: str) -> list[Entry]:
        return self._entries.get((taxonomy.key, term_id), [])

    def link(self, taxonomy: Taxonomy, term_id: str) -> TermLink:
        term = self.vocabularies[taxonomy.vocabulary].get(term_id)
        assert term is not None, f"validated term {taxonomy.key}:{term_id} missing from vocabulary"
        return TermLink(term, term_url(self.collection, taxonomy, term_id), len(self.entries(taxonomy, term_id)))

    def overview(self, taxonomy: Taxonomy) -> TaxonomyLinks:
        """Every term of the vocabulary, in its order, with counts (zero included)."""
        vocabulary = self.vocabularies[taxonomy.vocabulary]
        return TaxonomyLinks(taxonomy, vocabulary.label, taxonomy_url(self.collection, taxonomy),
                             [self.link(taxonomy, term.id) for term in vocabulary.terms])

    def overviews(self) -> list[TaxonomyLinks]:
        return [self.overview(taxonomy) for taxonomy in self.collection.taxonomies]

    def links_of(self, entry: Entry) -> list[TaxonomyLinks]:
        """The entry's own terms, per taxonomy: the links from an entry page to its term pages.

        Every card and the entry page ask for these, so they are built once per entry.
        """
        cached = self._links_of.get(entry.slug)
        if cached is None:
            cached = self._links_of[entry.slug] = self._build_links_of(entry)
        return cached

    def _build_links_of(self, entry: Entry) -> list[TaxonomyLinks]:
        return [TaxonomyLinks(taxonomy, self.vocabularies[taxonomy.vocabulary].label,
                              taxonomy_url(self.collection, taxonomy),
                              [self.link(taxonomy, term_id) for term_id in entry.terms(taxonomy)])
                for taxonomy in self.collection.taxonomies]

    def related(self, entry: Entry, limit: int = 3) -> list[Entry]:
        """Entries sharing the most terms of the first taxonomy (e.g. themes), in collection order on ties.

        Candidates come term list by term list, and the scan stops as soon as no later one can
        rank higher: on a large site an entry looks at a few dozen others, not thousands.
        """
        taxonomy = self.collection.taxonomies[0]
        lists = [self.entries(taxonomy, term_id) for term_id in entry.terms(taxonomy)]
        members = [self._members(taxonomy, term_id) for term_id in entry.terms(taxonomy)]
        ranked: list[tuple[int, int, Entry]] = []  # (-shared terms, position), best first
        position = 0
        for index, candidates in enumerate(lists):
            for other in candidates:
                if len(ranked) == limit and -ranked[-1][0] >= len(lists) - index:
                    return [found for _, _, found in ranked]
                if other is entry or any(id(other) in earlier for earlier in members[:index]):
                    continue
                shared = 1 + sum(id(other) in later for later in members[index + 1:])
                position += 1
                bisect.insort(ranked, (-shared, position, other), key=lambda item: item[:2])
                del ranked[limit:]
        return [found for _, _, found in ranked]

    def _members(self, taxonomy: Taxonomy, term_id: str) -> frozenset[int]:
        key = (taxonomy.key, term_id)
        found = self._member_ids.get(key)
        if found is None:
            found = self._member_ids[key] = frozenset(map(id, self.entries(taxonomy, term_id)))
        return found
