"""The whole site: its settings checked and content loaded (`make_site`), then every output
generated from them, the way Pelican's generators do (`generate`).

Each collection generates its own pages (its declaration may name a generator of its
own); site-wide generators (feeds, the digest) run after them over all content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError

from hub.build.workers import JOBS_OPTIONS
from hub.collections import COLLECTIONS
from hub.collections.cafes.pages import MACHIKADO_CARE_OPTIONS
from hub.collections.data.linking import link_figures
from hub.collections.data.related import with_related_data
from hub.collections.events.schema import EVENTS_OPTIONS
from hub.collections.pages import collection_pages
from hub.collections.talents.schema import TALENTS_OPTIONS
from hub.core.centre import CENTRE_OPTIONS
from hub.core.clock import resolve_now
from hub.core.collection import Collection
from hub.core.content import Content, Site
from hub.core.options import OptionSection, option_problems
from hub.core.outputs import Output
from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.digest.config import NEWSLETTER_OPTIONS
from hub.digest.outputs import newsletter_outputs
from hub.editing.cms import CMS_OPTIONS, cms_files
from hub.editing.contributing import HELP_OPTIONS
from hub.guard.html_policy import HTML_OPTIONS
from hub.guard.privacy import PRIVACY_OPTIONS
from hub.output.accessibility_report import accessibility_results
from hub.output.feeds import FEEDS_OPTIONS, feed_files
from hub.output.home import home_data
from hub.output.publishing import publishing_files
from hub.paper.config import PRINT_OPTIONS
from hub.paper.outputs import paper_outputs
from hub.reading.loader import Project, load_content
from hub.reading.references import link_groups
from hub.search.index import SEARCH_OPTIONS

SiteGenerator = Callable[[Site], Iterable[Output]]

# Every typed section of extra.hub, checked before any content is read.
OPTION_SECTIONS: tuple[OptionSection[Any], ...] = (
    PRIVACY_OPTIONS, HTML_OPTIONS, EVENTS_OPTIONS, TALENTS_OPTIONS, MACHIKADO_CARE_OPTIONS, FEEDS_OPTIONS,
    CMS_OPTIONS, SEARCH_OPTIONS, NEWSLETTER_OPTIONS, HELP_OPTIONS, CENTRE_OPTIONS, PRINT_OPTIONS,
    JOBS_OPTIONS,
)

# Site-wide generators, in order.
SITE_GENERATORS: list[SiteGenerator] = [publishing_files, cms_files, feed_files, newsletter_outputs, paper_outputs,
                                        home_data, accessibility_results]


def make_site(settings: Settings) -> Site:
    """What the build, `hub check` and `hub digest` start from. Problems in the settings, "now"
    and the content are reported together, so that fixing one never reveals the next."""
    problems = option_problems(settings, OPTION_SECTIONS)
    try:
        now = resolve_now(settings.now, settings.root)
    except ContentError as error:
        problems += error.problems
        now = resolve_now()
    try:
        content = linked_content(Project.from_settings(settings))
    except ContentError as error:
        problems += error.problems
    except ValidationError:  # a settings section the loader reads, already among the problems
        pass
    if problems:
        raise ContentError(problems)
    return Site(content, now, settings)


def linked_content(project: Project) -> Content:
    """The project's content with what entries name resolved: parties their groups, figures their tables."""
    return link_figures(link_groups(load_content(project), project.root), project.root, project.privacy)


def generate(site: Site, collections: dict[str, Collection] = COLLECTIONS,
             generators: list[SiteGenerator] = SITE_GENERATORS) -> list[Output]:
    outputs: list[Output] = []
    for collection in collections.values():
        outputs += (collection.generate or collection_pages)(collection, site)
    for generator in generators:
        outputs += generator(site)
    outputs = with_related_data(outputs, site)
    _refuse_clashes(outputs)
    return outputs


def _refuse_clashes(outputs: list[Output]) -> None:
    seen: set[str] = set()
    for output in outputs:
        if output.src_uri in seen:
            raise ValueError(f"two generators write {output.src_uri}")
        seen.add(output.src_uri)
