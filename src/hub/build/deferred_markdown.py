"""The Markdown of a page that a forked worker renders is converted by that worker, not here.

The workers are forked once the navigation is made, before MkDocs reads any page (see
`HubPlugin._share_pages`). Each reads, converts and renders its own pages, as MkDocs'
`_populate_page` and `_build_page` would have, while this process converts its own. MkDocs
still reads every page here; a page a worker renders gives it an empty source, so that its
steps stay cheap (the front matter is still read: title, metadata and URL are right). After
every page is rendered, MkDocs' anchor check runs here: the worker sends back what it reads of
each page it converted (ConvertedAnchors). Every other page is converted by MkDocs' own
`Page.render`, with the process's kept converter (kept_converter.py).
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
    """The pages whose Markdown a worker converts (known before MkDocs reads any page)."""

    def __init__(self, uris: frozenset[str] = frozenset()) -> None:
        self.uris = uris

    def keep(self, page: Page, markdown: str) -> str:
        """The source MkDocs converts here: empty for a page a worker converts, and converted
        without building a Markdown converter (a third of a millisecond a page, thousands of
        pages). Other pages are converted with the process's kept converter."""
        if page.file.src_uri not in self.uris:
            page.render = functools.partial(kept_converter.render, page)  # type: ignore[method-assign]
            return markdown
        page.render = functools.partial(_render_empty, page)  # type: ignore[method-assign]
        return ""


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
