"""One Python-Markdown converter per process, reset between pages, in place of a new one a page.

MkDocs' `Page.render` builds `markdown.Markdown(extensions=..., extension_configs=...)` for every
page: loading the extensions and building their parsers took 0.18 ms a page, about a second of a
build at N = 3,000, half of it before the build can share any work. Python-Markdown is made to
convert many documents with one instance (`Markdown.reset()` between them), and MkDocs registers
its own per-page processors under fixed names, so each page's replace the previous page's.

While a page is converted (`render`), the `markdown` name that `Page.render` looks up finds a
stand-in: its `Markdown(...)` returns the kept converter for those options, reset, and everything
else it is asked for is the module's own. The name is the module again as soon as the page is
done. Should MkDocs stop building its converter through that name, pages are converted as
before (a test notices: it counts the converters built and reused).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import markdown
import mkdocs.structure.pages as mkdocs_pages
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


class _KeptConverter:
    """Stands in for the `markdown` module inside `mkdocs.structure.pages` while a page converts."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.options: str | None = None  # of the kept converter: a site's options change only between builds
        self.converter: markdown.Markdown | None = None
        self.built = self.reused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.module, name)

    def Markdown(self, **options: Any) -> markdown.Markdown:  # noqa: N802 (the module's name for it)
        key = repr(sorted(options.items()))
        if self.converter is None or key != self.options:
            self.converter, self.options = self.module.Markdown(**options), key
            self.built += 1
        else:
            self.converter.reset()
            self.reused += 1
        return self.converter


KEPT = _KeptConverter(markdown)


def render(page: Page, config: MkDocsConfig, files: Files) -> None:
    """MkDocs' `Page.render`, with the kept converter."""
    mkdocs_pages.markdown = KEPT  # type: ignore[assignment]
    try:
        Page.render(page, config, files)
    finally:
        mkdocs_pages.markdown = markdown
