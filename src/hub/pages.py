"""The pages a collection publishes, as data: where, with which template, showing what.

A front end (the MkDocs adapter today) turns each PageSpec into a page; the engine
never writes HTML itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hub.collection import Collection, Entry
from hub.loader import Content
from hub.taxonomy import TaxonomyIndex


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    description: str = ""

    @property
    def url(self) -> str:
        stem = self.src_uri.removesuffix(".md")
        return "" if stem == "index" else stem.removesuffix("index").rstrip("/") + "/"


def collection_pages(collection: Collection, content: Content) -> Iterator[PageSpec]:
    """Index, one page per entry, and an overview plus one page per term for each taxonomy."""
    entries = content[collection.name]
    index = TaxonomyIndex(collection, entries, content.vocabularies)
    shared = {"collection": collection, "taxonomies": index.overviews()}
    yield PageSpec(f"{collection.name}/index.md", collection.label, f"hub/{collection.name}-index.html",
                   {**shared, "entries": entries, "index": index},
                   description=f"{collection.label}の一覧（{len(entries)} 件）")
    for entry in entries:
        yield _entry_page(entry, index, shared)
    for overview in shared["taxonomies"]:
        taxonomy = overview.taxonomy
        yield PageSpec(f"{collection.name}/{taxonomy.key}/index.md", f"{overview.label}別の{collection.label}",
                       "hub/taxonomy.html", {**shared, "overview": overview},
                       description=f"{overview.label}ごとの{collection.label}の件数と一覧")
        for link in overview.links:
            yield PageSpec(f"{collection.name}/{taxonomy.key}/{link.term.id}.md",
                           f"{link.term.label}の{collection.label}", "hub/term.html",
                           {**shared, "overview": overview, "term": link,
                            "entries": index.entries(taxonomy, link.term.id), "index": index},
                           description=link.term.description or f"{overview.label}「{link.term.label}」の{collection.label}（{link.count} 件）")


def _entry_page(entry: Entry, index: TaxonomyIndex, shared: dict[str, Any]) -> PageSpec:
    return PageSpec(f"{entry.collection}/{entry.slug}.md", entry.title, f"hub/{entry.collection}-entry.html",
                    {**shared, "entry": entry, "terms": index.links_of(entry), "related": index.related(entry),
                     "index": index},
                    body=entry.body, description=entry.meta.summary)


def site_pages(content: Content, collections: dict[str, Collection]) -> list[PageSpec]:
    return [page for collection in collections.values() for page in collection_pages(collection, content)]
