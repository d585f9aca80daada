"""The generic pages every collection gets unless it declares its own generator:
an index, a page per entry, and an overview plus a page per term for each taxonomy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from hub.core.collection import Collection, Entry
from hub.core.content import Site
from hub.core.outputs import PageSpec
from hub.core.taxonomy import TaxonomyIndex


def collection_pages(collection: Collection, site: Site) -> Iterator[PageSpec]:
    """Index, one page per entry, and an overview plus one page per term for each taxonomy."""
    content = site.content
    entries = content[collection.name]
    index = TaxonomyIndex(collection, entries, content.vocabularies)
    shared = {"collection": collection, "taxonomies": index.overviews()}
    yield PageSpec(f"{collection.path}/index.md", collection.label, f"hub/{collection.name}-index.html",
                   {**shared, "entries": entries, "index": index},
                   description=f"{collection.label}の一覧（{len(entries)} 件）")
    for entry in entries:
        yield _entry_page(entry, index, shared)
    yield from taxonomy_pages(collection, index, shared)


def taxonomy_pages(collection: Collection, index: TaxonomyIndex, shared: dict[str, Any],
                   term_template: str = "hub/term.html",
                   listed: Callable[[list[Entry]], Any] = lambda entries: entries) -> Iterator[PageSpec]:
    """For each taxonomy, its overview with counts and one page per term: the filters that work
    without JavaScript. The overviews are `shared["taxonomies"]`, which every page of the collection
    links from; `listed` turns a term's entries into what its template lists (views)."""
    for overview in shared["taxonomies"]:
        taxonomy = overview.taxonomy
        yield PageSpec(f"{collection.path}/{taxonomy.key}/index.md", f"{overview.label}別の{collection.label}",
                       "hub/taxonomy.html", {**shared, "overview": overview},
                       description=f"{overview.label}ごとの{collection.label}の件数と一覧")
        for link in overview.links:
            yield PageSpec(f"{collection.path}/{taxonomy.key}/{link.term.id}.md",
                           f"{link.term.label}の{collection.label}", term_template,
                           {**shared, "overview": overview, "term": link,
                            "entries": listed(index.entries(taxonomy, link.term.id)), "index": index},
                           description=link.term.description or f"{overview.label}「{link.term.label}」の{collection.label}（{link.count} 件）")


def _entry_page(entry: Entry, index: TaxonomyIndex, shared: dict[str, Any]) -> PageSpec:
    return PageSpec(entry.url.removesuffix("/") + ".md", entry.title, f"hub/{entry.collection}-entry.html",
                    {**shared, "entry": entry, "terms": index.links_of(entry), "related": index.related(entry),
                     "index": index},
                    body=entry.body, description=entry.meta.summary)
