"""The Markdown of a page that a forked worker renders is converted by that worker too.

MkDocs converts every page's Markdown (`_populate_page`) in one process before the build forks
its workers (see workers.py): for the generated pages, the great majority, that is much of the
build's work on one core. A page a worker will render gives MkDocs an empty source instead, so
that MkDocs' own steps stay cheap for it in the build's process (its front matter is still
read: its title, metadata and URL are right, as before); the worker converts the real source
right before rendering the page, as `_populate_page` would have, and sends back what MkDocs'
anchor check, which runs in the build's process after every page is rendered, reads of it.
The pages the build's process renders itself are converted by MkDocs' own `Page.render`, with
the process's kept converter (kept_converter.py): converting them after the fork would not shorten
the build, whose own process has the most to do.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.pages import log as pages_log
from mkdocs.structure.toc import get_toc

from hub.build import kept_converter


class DeferredMarkdown:
    """The pages whose Markdown a worker converts (known before MkDocs reads any page), and their
    sources as MkDocs' `on_page_markdown` events left them."""

    def __init__(self, uris: frozenset[str] = frozenset()) -> None:
        self.uris = uris
        self.sources: dict[str, str] = {}

    def keep(self, page: Page, markdown: str) -> str:
        """The source MkDocs converts here: empty for a page a worker converts (its own kept), and
        converted without building a Markdown converter (a third of a millisecond a page, before
        the build can share any work). Other pages are converted with the process's kept converter."""
        if page.file.src_uri not in self.uris:
            page.render = functools.partial(kept_converter.render, page)  # type: ignore[method-assign]
            return markdown
        self.sources[page.file.src_uri] = markdown
        page.render = functools.partial(_render_empty, page)  # type: ignore[method-assign]
        return ""

    def convert(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """In a worker: the rest of MkDocs' `_populate_page` for the page's real source. Its
        `on_page_content` events ran on the empty source before the fork; they run again on the real one."""
        source = self.sources.pop(page.file.src_uri, None)
        if source is None:
            return
        config._current_page = page
        try:
            page.markdown = source
            kept_converter.render(page, config, files)
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
        finally:
            config._current_page = None


def _render_empty(page: Page, config: MkDocsConfig, files: Files) -> None:
    """What `Page.render` makes of an empty source (Python-Markdown returns "" for it at once),
    without the converter and its extensions."""
    page.content, page.toc, page.present_anchor_ids = "", get_toc([]), set()
    page._title_from_render = None
    if pages_log.getEffectiveLevel() > logging.DEBUG:  # as MkDocs decides it
        page.links_to_anchors = {}


@dataclass(frozen=True)
class ConvertedAnchors:
    """What MkDocs' anchor check (`Page.validate_anchor_links`, after every page is rendered)
    reads of a page converted in a worker: the anchors it holds and its links to anchors, by the
    linked file's path, as the build's own File objects are not the worker's."""

    present: frozenset[str] | None
    links: dict[str, dict[str, str]] | None

    @classmethod
    def of(cls, page: Page) -> ConvertedAnchors:
        links = page.links_to_anchors
        return cls(None if page.present_anchor_ids is None else frozenset(page.present_anchor_ids),
                   None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()})

    def give(self, page: Page, files: Files) -> None:
        """Onto the build's own page, which was converted here from an empty source."""
        if self.present is not None:
            page.present_anchor_ids = set(self.present)
        if self.links is not None:
            page.links_to_anchors = {file: anchors for uri, anchors in self.links.items()
                                     if (file := files.get_file_from_path(uri)) is not None}
