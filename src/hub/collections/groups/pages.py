"""The groups' pages as data.

  /groups/                         listed groups (active and dormant) in 五十音 order, with the kana index
  /groups/<slug>/                  one group; a dissolved group's page stays, marked, out of every list
  /groups/themes/, /groups/wards/  each vocabulary with counts of listed groups
  /groups/themes/<id>/, /groups/wards/<id>/   the listed groups of one term (filters without JavaScript)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hub.collections.groups.directory import GroupDirectory, GroupView, build_directory
from hub.collections.groups.references import reference_lists
from hub.collections.pages import taxonomy_pages
from hub.core.collection import Collection
from hub.core.content import Site
from hub.core.outputs import PageSpec
from hub.core.references import entries_naming

RELATED_LIMIT = 4


def group_pages(collection: Collection, site: Site) -> Iterator[PageSpec]:
    named = entries_naming(site.content)
    references = {entry.slug: reference_lists(named.get(entry.slug, {}), site.now)
                  for entry in site.content[collection.name]}
    directory = build_directory(collection, site.content[collection.name], site.content.vocabularies)
    shared = {"collection": collection, "directory": directory, "taxonomies": directory.index.overviews()}
    count = len(directory.listed)
    yield PageSpec(f"{collection.path}/index.md", collection.label, f"hub/{collection.name}-index.html", shared,
                   description=f"センターに登録している市民活動団体・NPO の五十音順の一覧（{count} 団体）。"
                               "活動分野と区からも探せます。")
    for view in directory.groups:
        yield _group_page(collection, view, directory, {**shared, "references": references[view.entry.slug]})
    yield from taxonomy_pages(collection, directory.index, shared, f"hub/{collection.name}-term.html",
                              directory.views_of)


def _group_page(collection: Collection, view: GroupView, directory: GroupDirectory,
                shared: dict[str, Any]) -> PageSpec:
    """Listed groups sharing the most themes are suggested, on a dissolved group's page too. The
    lists of entries that name the group are this page's alone: an edited case that names a
    group changes that group's page, not every page that shows the directory."""
    related = directory.views_of(directory.index.related(view.entry, RELATED_LIMIT))
    summary = view.meta.summary if view.listed else f"（解散しました）{view.meta.summary}"
    return PageSpec(view.entry.url.removesuffix("/") + ".md", view.entry.title, f"hub/{collection.name}-entry.html",
                    {**shared, "group": view, "entry": view.entry, "related": related},
                    body=view.entry.body, description=summary)
