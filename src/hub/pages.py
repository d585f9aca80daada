"""What the site publishes, as data: pages (where, which template, showing what) and files.

A front end (the MkDocs adapter today) turns each PageSpec into a page and writes each
FileSpec as it is; the engine never writes HTML itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Union

from hub.background import Render
from hub.collection import Collection, Entry
from hub.loader import Content
from hub.settings import Settings
from hub.taxonomy import TaxonomyIndex


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    description: str = ""
    # False keeps the page out of the site search (a newsletter issue repeats entries that have pages).
    searchable: bool = True

    @property
    def url(self) -> str:
        stem = self.src_uri.removesuffix(".md")
        return "" if stem == "index" else stem.removesuffix("index").rstrip("/") + "/"


@dataclass(frozen=True)
class FileSpec:
    """A file that is not a page (a calendar, a feed, an e-mail), written at `src_uri`.

    Cheap files give their `content`. Others give `render`, called only when a front end
    writes the file: a build calls it on another core while pages render, a preview only
    when `inputs` (the data its bytes depend on; without them, always) differ from the last
    preview's, and `hub check` never. A `build_only` file (the guidebook PDF) is left out
    of previews altogether; a `keep` file is kept between builds and reused while its inputs
    stay the same (see hub.kept_files). `render` may return None when the file cannot be made here.
    """

    src_uri: str
    content: bytes | None = None
    render: Render | None = None
    inputs: Any = None
    build_only: bool = False
    keep: bool = False

    def data(self) -> bytes | None:
        return self.content if self.render is None else self.render()



Output = Union[PageSpec, FileSpec]


@dataclass(frozen=True)
class Site:
    """Everything a generator may use: the validated content, "now" and the settings."""

    content: Content
    now: datetime
    settings: Settings


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
    for overview in shared["taxonomies"]:
        taxonomy = overview.taxonomy
        yield PageSpec(f"{collection.path}/{taxonomy.key}/index.md", f"{overview.label}別の{collection.label}",
                       "hub/taxonomy.html", {**shared, "overview": overview},
                       description=f"{overview.label}ごとの{collection.label}の件数と一覧")
        for link in overview.links:
            yield PageSpec(f"{collection.path}/{taxonomy.key}/{link.term.id}.md",
                           f"{link.term.label}の{collection.label}", "hub/term.html",
                           {**shared, "overview": overview, "term": link,
                            "entries": index.entries(taxonomy, link.term.id), "index": index},
                           description=link.term.description or f"{overview.label}「{link.term.label}」の{collection.label}（{link.count} 件）")


def _entry_page(entry: Entry, index: TaxonomyIndex, shared: dict[str, Any]) -> PageSpec:
    return PageSpec(entry.url.removesuffix("/") + ".md", entry.title, f"hub/{entry.collection}-entry.html",
                    {**shared, "entry": entry, "terms": index.links_of(entry), "related": index.related(entry),
                     "index": index},
                    body=entry.body, description=entry.meta.summary)

