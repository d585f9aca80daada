"""The volunteer collection's pages (its feed is made with the others', in hub.output.feeds).

  /volunteer/          open recruitments, the soonest deadline first, ongoing ones after them;
                       then the most recently closed (events.js keeps both lists current)
  /volunteer/past/     every recruitment that has closed, filled or passed its deadline, by year
  /volunteer/<slug>/   one recruitment with every fact and how to apply
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hub.collections.events.occurrences import group_by_year
from hub.collections.volunteer.schema import NAME
from hub.collections.volunteer.timeline import split
from hub.collections.volunteer.views import RecruitmentView, build_view
from hub.core.collection import Collection
from hub.core.content import Site
from hub.core.outputs import Output, PageSpec
from hub.core.problems import ContentError, Problem

RECENT = 3  # closed recruitments shown under the open ones, most recently closed first
PAST_PATH = f"{NAME}/past/"


@dataclass(frozen=True)
class Group:
    """Open recruitments under one heading: those with a deadline, then those taken on an ongoing basis."""

    key: str
    heading: str
    views: list[RecruitmentView]


def volunteer_pages(collection: Collection, site: Site) -> Iterator[Output]:
    listing = split(site.content[collection.name], site.now)
    views = {entry.slug: build_view(entry, site) for entry in site.content[collection.name]}
    _refuse_desk_without_centre(views.values())
    still = [views[entry.slug] for entry in listing.open]
    past = [views[entry.slug] for entry in listing.past]
    shared = {"collection": collection, "now": site.now, "feed": f"{NAME}/feed.xml", "past_url": PAST_PATH}
    groups = [Group("dated", "締切のある募集", [view for view in still if not view.meta.when.ongoing]),
              Group("ongoing", "随時募集", [view for view in still if view.meta.when.ongoing])]
    yield PageSpec(f"{NAME}/index.md", collection.label, f"hub/{NAME}-index.html",
                   {**shared, "groups": [group for group in groups if group.views], "open_count": len(still),
                    "recent": past[:RECENT]},
                   description=f"募集中の{collection.label}（{len(still)} 件）。締切が近い順に並べています")
    yield PageSpec(f"{PAST_PATH}index.md", f"終了した{collection.label}", f"hub/{NAME}-past.html",
                   {**shared, "years": group_by_year(past, lambda view: view.closes)},
                   description=f"終了した{collection.label}（{len(past)} 件）")
    for view in views.values():
        yield _entry_page(view, shared)


def _entry_page(view: RecruitmentView, shared: dict[str, Any]) -> PageSpec:
    return PageSpec(f"{NAME}/{view.entry.slug}.md", view.entry.title, f"hub/{NAME}-entry.html",
                    {**shared, "recruitment": view, "entry": view.entry},
                    body=view.entry.body, description=view.meta.summary)


def _refuse_desk_without_centre(views: Any) -> None:
    """`desk: true` sends readers to the centre: the site has to say how to reach it."""
    problems = [Problem(view.entry.source, 0, "apply.desk", "センターの窓口の連絡先が mkdocs.yml にありません",
                        "mkdocs.yml の extra.hub.centre（または extra.hub.help）に name と phone を書くか、"
                        "apply: の url: や contact: で応募を受け付けてください")
                for view in views if view.meta.apply and view.meta.apply.desk and view.desk is None]
    if problems:
        raise ContentError(problems)
