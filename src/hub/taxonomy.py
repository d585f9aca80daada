"""Term pages' data: which entries carry which term, built in one pass over sorted entries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from hub.collection import Collection, Entry, Taxonomy
from hub.vocab import Term, Vocabularies


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
        for entry in entries:
            for taxonomy in collection.taxonomies:
                for term_id in entry.terms(taxonomy):
                    self._entries[(taxonomy.key, term_id)].append(entry)

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
        """Entries sharing the most terms of the first taxonomy (e.g. themes), newest first on ties."""
        taxonomy = self.collection.taxonomies[0]
        shared: Counter[Entry] = Counter()
        for term_id in entry.terms(taxonomy):
            shared.update(other for other in self.entries(taxonomy, term_id) if other is not entry)
        order = {other.slug: position for position, other in enumerate(shared)}
        ranked = sorted(shared, key=lambda other: (-shared[other], order[other.slug]))
        return ranked[:limit]
