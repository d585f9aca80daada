"""The talents' pages as data: the 五十音 directory, a page per talent and per category, and the guidebook."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hub.collections.talents.directory import Directory, TalentView, build_directory
from hub.collections.talents.guidebook import guidebook_outputs
from hub.collections.talents.schema import CATEGORY_SEGMENT, NAME, request_desk
from hub.core.collection import Collection
from hub.core.content import Site
from hub.core.outputs import Output, PageSpec

RELATED_LIMIT = 4


def talent_pages(collection: Collection, site: Site) -> Iterator[Output]:
    """The directory, one page per talent, the category pages and the guidebook (with its PDF when possible)."""
    directory = build_directory(site.content[collection.name], site.content.vocabularies)
    shared = {"collection": collection, "directory": directory, "request": request_desk(site.settings),
              "taxonomies": [directory.categories]}
    yield PageSpec(f"{NAME}/index.md", collection.label, f"hub/{NAME}-index.html", shared,
                   description=f"{collection.label}の五十音順の一覧（{len(directory.talents)} 件）。"
                               "ご依頼はセンターが受け付けます。")
    for view in directory.talents:
        yield _talent_page(view, directory, shared)
    yield from _category_pages(collection, directory, shared)
    yield from guidebook_outputs(site, shared)


def _talent_page(view: TalentView, directory: Directory, shared: dict[str, Any]) -> PageSpec:
    """Others of the talent's first category are suggested, in directory order."""
    first = view.categories[0].term.id
    related = [other for other in directory.in_category(first) if other is not view][:RELATED_LIMIT]
    return PageSpec(f"{NAME}/{view.entry.slug}.md", view.entry.title, f"hub/{NAME}-entry.html",
                    {**shared, "talent": view, "entry": view.entry, "related": related},
                    body=view.entry.body, description=view.meta.summary)


def _category_pages(collection: Collection, directory: Directory, shared: dict[str, Any]) -> Iterator[PageSpec]:
    """/talents/category/ with counts, and one page per category: filtering that works without JavaScript."""
    overview = directory.categories
    yield PageSpec(f"{NAME}/{CATEGORY_SEGMENT}/index.md", f"{overview.label}別の{collection.label}",
                   "hub/taxonomy.html", {**shared, "overview": overview},
                   description=f"{overview.label}ごとの{collection.label}の件数と一覧")
    for link in overview.links:
        yield PageSpec(f"{NAME}/{CATEGORY_SEGMENT}/{link.term.id}.md", f"{link.term.label}の{collection.label}",
                       f"hub/{NAME}-category.html",
                       {**shared, "overview": overview, "term": link, "talents": directory.in_category(link.term.id)},
                       description=f"{overview.label}「{link.term.label}」の{collection.label}（{link.count} 件）")
