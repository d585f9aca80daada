"""The MkDocs front end: content becomes virtual pages, templates get the engine's data.

State lives on the plugin object and is rebuilt in `on_config`, so each build (and
each rebuild under `mkdocs serve`) starts from the files as they are now.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from hub.atomic import AtomicSiteDir
from hub.background import BackgroundFile
from hub.clock import resolve_now
from hub.fingerprint import Fingerprints
from hub.formatting import FILTERS
from hub.loader import Content, Project, load_content
from hub.pages import FileSpec, PageSpec, Site
from hub.problems import ContentError
from hub import search
from hub.publishing import require_publishable
from hub.settings import Settings
from hub.site import generate

log = logging.getLogger("mkdocs.hooks.hub")

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "assets"
ASSET_URI = "assets/hub"
HUB_TEMPLATE_PREFIX = "hub/"
CONTENT_CLASS = "md-content__inner"  # Material's content area: what search indexes of each page


class HubPlugin(BasePlugin):
    """Adapter between MkDocs' build events and the engine."""

    def __init__(self) -> None:
        self.command = "build"
        self.content: Content | None = None
        self.pages: dict[str, PageSpec] = {}
        self.sources: dict[str, str] = {}  # Markdown of each generated page
        self.files: list[FileSpec] = []
        self.output: AtomicSiteDir | None = None
        self.now = resolve_now()
        self.engine_seconds = 0.0  # loading, validation and generation, reported for the benchmark
        self.search_documents: dict[str, search.Document] = {}
        self.search_options = search.SearchOptions()
        self.watched: list[Path] = []
        self.dirty = False
        self.fingerprints: dict[str, str] = {}  # of each generated page, kept across preview rebuilds
        self.unchanged: set[str] = set()
        self.page_urls: list[str] = []
        self.rendering: list[BackgroundFile] = []
        self.search_counts: search.BlockCounts = {}  # bigram counts of text blocks, kept across preview rebuilds

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """MkDocs keeps this object for every rebuild of one `mkdocs serve`."""
        self.command = command
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = Settings.from_mapping(Path(config.config_file_path).parent, config.extra.get("hub"),
                                         config.docs_dir, config.site_url, config.site_name)
        project = Project.from_settings(settings)
        self.watched = [project.content_dir, project.vocabularies_file]
        self.now = resolve_now(settings.now)
        started = time.perf_counter()
        try:
            self.content = load_content(project)
            site = Site(self.content, self.now, settings)
            outputs = generate(site)
            require_publishable(site, outputs)
        except ContentError as error:
            raise PluginError("内容に問題があるためビルドを中止しました（build aborted: content errors）\n"
                              + error.report()) from None
        self.pages = {output.src_uri: output for output in outputs if isinstance(output, PageSpec)}
        self.sources = {uri: _page_source(spec) for uri, spec in self.pages.items()}
        self.files = [output for output in outputs if isinstance(output, FileSpec)]
        self._compare_with_previous_build()
        self.search_options = search.SearchOptions.from_mapping(settings.options.get("search"))
        self.engine_seconds = time.perf_counter() - started
        _add_theme_resources(config)
        if self.command in ("build", "gh-deploy"):
            self.output = AtomicSiteDir(Path(config.site_dir))
            config.site_dir = str(self.output.begin())
        return config

    def _compare_with_previous_build(self) -> None:
        """`mkdocs serve --dirty` renders again only the generated pages whose inputs changed."""
        incremental = self.command == "serve" and self.dirty
        if not incremental:
            self.fingerprints, self.unchanged, self.search_documents = {}, set(), {}
            return
        digests = Fingerprints()
        current = {uri: digests.of(self.sources[uri], spec.data) for uri, spec in self.pages.items()}
        self.unchanged = {uri for uri, digest in current.items() if self.fingerprints.get(uri) == digest}
        self.fingerprints = current
        if self.unchanged:
            log.info(f"hub: {len(current) - len(self.unchanged)} of {len(current)} generated pages changed")

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Content and vocabularies live outside docs/: saving them must rebuild the preview too."""
        for path in self.watched:
            if path.exists():
                server.watch(str(path))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        for spec in [*self.pages.values(), *self.files]:
            if files.get_file_from_path(spec.src_uri) is not None:
                raise PluginError(f"docs/{spec.src_uri}: このファイルは自動で作られるため、docs/ に同じ名前のファイルは置けません"
                                  "（generated file would be overwritten）")
        for spec in self.pages.values():
            kind = _UnchangedFile if spec.src_uri in self.unchanged else File
            files.append(kind.generated(config, spec.src_uri, content=self.sources[spec.src_uri],
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        for output in self.files:
            if output.render is None:
                files.append(File.generated(config, output.src_uri, content=output.content))
        self.page_urls = [file.url for file in files.documentation_pages()]
        self._start_rendered_files(Path(config.site_dir))
        for asset in sorted(ASSETS_DIR.rglob("*")):
            if asset.is_file():
                uri = f"{ASSET_URI}/{asset.relative_to(ASSETS_DIR).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(asset)))
        self.engine_seconds += time.perf_counter() - started
        return files

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.filters.update(FILTERS)
        # MkDocs renders without autoescaping and Material relies on that; the hub's own templates
        # print editors' text (a title may hold < or &), so they, and only they, are autoescaped.
        env.autoescape = _is_hub_template
        env.globals["hub_now"] = self.now
        # A one-off build never sees a template change: skip the freshness check (a stat per include).
        env.auto_reload = self.command == "serve"
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Material prints page titles unescaped; a title from front matter may hold < or &."""
        title = page.meta.get("title")
        if isinstance(title, str):
            page.meta["title"] = escape(title)
        return markdown

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            context["hub"] = spec.data
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Keep what a reader sees of each rendered page for the search index."""
        started = time.perf_counter()
        if not (page.meta.get("search") or {}).get("exclude"):
            self.search_documents[page.url] = search.Document(
                page.url, _plain(page.title), search.visible_text(output, CONTENT_CLASS))
        self.engine_seconds += time.perf_counter() - started
        return _valid_theme_markup(output)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        return _valid_theme_markup(output_content)

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._forget_removed_pages()
        self._write_search_index(Path(config.site_dir))
        self._finish_rendered_files()
        if self.output is None:
            return
        if _strict_warnings():
            self._discard(config)  # MkDocs aborts right after this event; keep the last good site.
            return
        self.output.commit()
        config.site_dir = str(self.output.final)
        self.output = None
        assert self.content is not None
        counts = ", ".join(f"{name} {len(entries)}" for name, entries in self.content.entries.items())
        log.info(f"hub: {counts}; {len(self.pages)} generated pages, {len(self.files)} files; "
                 f"{self.content.drafts} draft(s) left out; engine {self.engine_seconds:.2f} s")

    def on_build_error(self, error: Exception) -> None:
        self._cancel_rendered_files()
        if self.output is not None:
            self.output.abort()
            self.output = None

    def _start_rendered_files(self, site_dir: Path) -> None:
        """Costly files (the guidebook PDF) are made for builds that publish, not for previews,
        on another core while MkDocs renders the pages."""
        for output in self.files:
            if output.render is None:
                continue
            if self.command == "serve":
                log.info(f"hub: {output.src_uri} is made by mkdocs build only (preview skips it)")
                continue
            self.rendering.append(BackgroundFile(output.src_uri, output.render, site_dir / output.src_uri))

    def _finish_rendered_files(self) -> None:
        rendering, self.rendering = self.rendering, []
        for job in rendering:
            try:
                waited = job.finish()
            except RuntimeError as error:
                raise PluginError(f"hub: {error}") from None
            self.engine_seconds += waited
            log.info(f"hub: {job.name} made in the background; the build waited {waited:.2f} s for it")

    def _cancel_rendered_files(self) -> None:
        for job in self.rendering:
            job.cancel()
        self.rendering = []

    def _write_search_index(self, site_dir: Path) -> None:
        """Into the staging folder, before it is swapped into place (or serve's temporary folder)."""
        started = time.perf_counter()
        documents = list(self.search_documents.values())
        memo = self.search_counts if self.command == "serve" else None
        for path, data in search.build_index(documents, self.search_options.fold_kana, memo).items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self.engine_seconds += time.perf_counter() - started

    def _forget_removed_pages(self) -> None:
        """A dirty preview keeps the search text of pages it did not render again, but not of deleted ones."""
        if self.unchanged:
            live = set(self.page_urls)
            self.search_documents = {url: document for url, document in self.search_documents.items() if url in live}

    def _discard(self, config: MkDocsConfig) -> None:
        assert self.output is not None
        self.output.abort()
        config.site_dir = str(self.output.final)
        self.output = None


class _UnchangedFile(File):
    """A generated page whose Markdown and data are those of the previous preview build."""

    def is_modified(self) -> bool:
        return False


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _page_source(spec: PageSpec) -> str:
    """Markdown for a virtual page: its metadata as front matter, then the entry's body (never `private:`)."""
    meta = {"title": spec.title, "template": spec.template, "description": spec.description}
    if not spec.searchable:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=True) + "---\n\n" + spec.body


_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"')


def _valid_theme_markup(output: str) -> str:
    """Two habits of Material's markup that the Nu HTML checker reports as errors: `autocomplete`
    on its checkbox toggles, and the table of contents' label pointing at a toggle that
    Material writes only for pages listed in the navigation (entry pages are not)."""
    output = _TOGGLE_AUTOCOMPLETE.sub(r"\1", output)
    if 'id="__toc"' not in output:
        output = output.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')
    return output


def _add_theme_resources(config: MkDocsConfig) -> None:
    """The engine's templates sit after the site's own overrides and before Material's."""
    template_dir = str(TEMPLATES_DIR)
    if template_dir not in config.theme.dirs:
        position = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(position, template_dir)
    for stylesheet in sorted(ASSETS_DIR.glob("stylesheets/*.css")):
        uri = f"{ASSET_URI}/stylesheets/{stylesheet.name}"
        if uri not in config.extra_css:
            config.extra_css.append(uri)


def _plain(title: str | None) -> str:
    """A page title as text again, after `on_page_markdown` escaped it for the theme."""
    return title.unescape() if isinstance(title, Markup) else (title or "")


def _is_hub_template(name: str | None) -> bool:
    return name is not None and name.startswith(HUB_TEMPLATE_PREFIX)


def _strict_warnings() -> bool:
    """Whether MkDocs' strict mode counted warnings, which makes it abort after post_build."""
    return any(isinstance(handler, CountHandler) and handler.get_counts()
               for handler in logging.getLogger("mkdocs").handlers)
