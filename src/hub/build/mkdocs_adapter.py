"""The MkDocs front end: content becomes virtual pages, templates get the engine's data.

State lives on the plugin object and is rebuilt in `on_config`, so each build (and
each rebuild under `mkdocs serve`) starts from the files as they are now.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, PrefixLoader
from jinja2.bccache import Bucket
from markupsafe import Markup, escape
from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_theme_dir

from hub import CACHE_ROOT, PACKAGE_DIR
from hub.build.allocator import tune_for_build
from hub.build.atomic import AtomicSiteDir, BuildLocked, wait_from_env
from hub.build.background import BackgroundFiles
from hub.build.deferred_markdown import ConvertedAnchors, DeferredMarkdown
from hub.build.fingerprint import ENTRY_BODY, Fingerprints
from hub.build.idle_collection import IdleCollection
from hub.build.kept_files import CACHE_DIR, KeptFiles
from hub.build.serve_problems import ServeProblems
from hub.build.workers import JobsError, SharedWork, WorkerFailed, done_elsewhere, jobs_for, jobs_setting
from hub.core.centre import CENTRE_OPTIONS, CentreOptions
from hub.core.clock import TOKYO
from hub.core.content import Content
from hub.core.outputs import FileSpec, PageData, PageSpec, Render
from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.guard.csp import protect_page
from hub.guard.html_policy import BodyPolicy, sanitise
from hub.guard.photos import strip_files
from hub.output.formatting import FILTERS
from hub.output.publishing import require_publishable
from hub.output.site import generate, make_site
from hub.reading.docs_pages import without_pages
from hub.reading.loader import Project
from hub.search import index as search
from hub.search.writer import PreviewIndex, StreamedIndex

log = logging.getLogger("mkdocs.hooks.hub")

TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "assets"
ASSET_URI = "assets/hub"
HUB_TEMPLATE_PREFIX = "hub/"
# The theme's own templates are also found under this prefix: the hub's base.html extends the
# theme's ("theme/base.html") to add what every page shows, such as the sample banner.
THEME_TEMPLATE_PREFIX = "theme"
TEMPLATE_CACHE_DIR = CACHE_ROOT / "templates"
CONTENT_CLASS = "md-content__inner"  # Material's content area: what search indexes of each page
# mkdocs.yml strings that Material prints as they are (in <title>, meta tags, the header, the footer).
PRINTED_CONFIG = ("site_name", "site_description", "site_author", "copyright", "repo_name")


class HubPlugin(BasePlugin):
    """Adapter between MkDocs' build events and the engine."""

    def __init__(self) -> None:
        self.command = "build"
        self.content: Content | None = None
        self.pages: dict[str, PageSpec] = {}
        self.sources: dict[str, str] = {}  # Markdown of each generated page
        self.page_data: dict[str, dict[str, Any]] = {}  # for hand-written pages: see PageData
        self.files: list[FileSpec] = []
        self.output: AtomicSiteDir | None = None
        self.held: AtomicSiteDir | None = None  # committed, its lock kept until on_shutdown
        self.now = datetime.now(TOKYO)  # until on_config reads the settings
        self.pinned_now: datetime | None = None  # a sample site's: see Site.pinned_now
        self.engine_seconds = 0.0  # loading, validation and generation, reported for the benchmark
        self.search_index: StreamedIndex | None = None  # a build's
        self.preview_index: PreviewIndex | None = None  # kept for every rebuild of one `mkdocs serve`
        self.watched: list[Path] = []
        self.dirty = False
        self.fingerprints: dict[str, str] = {}  # of each generated page, kept across preview rebuilds
        # What the next preview rebuild need not walk again (see carried_over): of pages, of files.
        self.digests, self.file_digests = Fingerprints(left_out=ENTRY_BODY), Fingerprints()
        self.unchanged: set[str] = set()
        self.page_urls: list[str] = []
        self.nav_urls: set[str] = set()
        self.kept_files = KeptFiles(Path.cwd())
        self.rendering: BackgroundFiles | None = None
        self.file_fingerprints: dict[str, str] = {}  # of each rendered file's inputs, this build
        self.written_fingerprints: dict[str, str] = {}  # ... as written by the last preview build
        self.html_policy = BodyPolicy()
        self.own_templates: frozenset[str] = frozenset()
        self.problems = ServeProblems()  # of the last preview build; shown in place of its pages
        self.centre: CentreOptions | None = None  # the footer's facts, on every page
        self.jobs = 1  # processes that render the generated pages: see _share_pages
        self.nav: Navigation | None = None
        self.share = _Share([], 1, Files([]))  # this build's generated pages, as they will be shared
        self.shared: SharedWork[str] | None = None  # ... once shared with workers (by source path)
        self.in_worker = False  # in a forked worker, which renders with an environment of its own
        self.worker_env: Environment | None = None
        self.worker_doc_files: list[File] = []
        self.positions: dict[str, int] = {}  # of each shared page, in MkDocs' rendering order
        self.deferred = DeferredMarkdown()  # the worker pages' Markdown, converted by their workers
        self.last_page: str | None = None  # the last page MkDocs renders: see on_post_page
        self.rendered_elsewhere = _RenderedElsewhere()
        self.compiled_templates = _CompiledTemplates()  # kept for every rebuild of one `mkdocs serve`
        self.idle_collection = IdleCollection()  # a preview's full garbage collections, between rebuilds

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """MkDocs keeps this object for every rebuild of one `mkdocs serve`."""
        self.command = command
        self.dirty = dirty
        if command in ("build", "gh-deploy"):
            tune_for_build()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.idle_collection.before_build()
        if self.command in ("build", "gh-deploy"):
            self._begin_output(Path(config.site_dir))  # first: content is read once no other build runs
        settings = Settings.from_mapping(Path(config.config_file_path).parent, config.extra.get("hub"),
                                         config.docs_dir, config.site_url, config.site_name, config.repo_url)
        self.watched = [settings.root / settings.content_dir, settings.root / settings.vocabularies]
        self.kept_files = KeptFiles(settings.root)
        _escape_printed_config(config)
        started = time.perf_counter()
        try:
            self._prepare_search(search.SEARCH_OPTIONS.read(settings), settings.root)
            site = make_site(settings)
            self.html_policy = Project.from_settings(settings).html
            self.now, self.pinned_now, self.content = site.now, site.pinned_now, site.content
            self.centre = CENTRE_OPTIONS.read(settings)
            self.jobs = jobs_setting(settings)
            outputs = generate(site)
            require_publishable(site, outputs)
        except JobsError as error:
            self._cancel_search()
            raise PluginError(f"hub: {error}") from None
        except ContentError as error:
            self._cancel_search()
            if self.command != "serve":
                raise PluginError("内容に問題があるためビルドを中止しました（build aborted: content errors）\n"
                                  + error.report()) from None
            self._show_problems(error, config)
        else:
            self.problems.clear()
            self.pages = {output.src_uri: output for output in outputs if isinstance(output, PageSpec)}
            self.sources = {uri: _page_source(spec) for uri, spec in self.pages.items()}
            self.page_data = {output.src_uri: output.data for output in outputs if isinstance(output, PageData)}
            self.files = [output for output in outputs if isinstance(output, FileSpec)]
            _leave_drafts_out_of_nav(config, self.content.draft_pages)
            self._compare_with_previous_build()
        self.engine_seconds = time.perf_counter() - started
        _add_theme_resources(config)
        if self.output is not None:
            config.site_dir = str(self.output.staging)
        return config

    def _show_problems(self, error: ContentError, config: MkDocsConfig) -> None:
        """`mkdocs serve` goes on, and its server answers every page with the list of problems
        until a rebuild finds none (see serve_problems). No page is rendered meanwhile (on_files):
        none would be shown, and without the generated pages each hand-written one would only
        warn of its links and, under `--dirty`, be left behind with a navigation that lacks them.
        The last good build's fingerprints and search index are kept: after the fix, `--dirty`
        renders again only what changed since then."""
        log.error("内容に問題があるため、プレビューには問題の一覧を表示します"
                  "（content errors: the preview lists them）\n" + error.report())
        self.problems.remember(error.problems)
        self.content, self.pages, self.sources, self.files, self.page_data = None, {}, {}, [], {}
        config.nav = []

    def _begin_output(self, site_dir: Path) -> None:
        """Wait until no other build uses this project folder, then stage into a folder of its own."""
        try:
            output = AtomicSiteDir(site_dir, wait_from_env(), notify=lambda message: log.info(f"hub: {message}"))
            output.begin()
        except BuildLocked as error:
            raise PluginError(f"hub: {error}") from None
        self.output = output

    def _compare_with_previous_build(self) -> None:
        """`mkdocs serve --dirty` renders again only the generated pages whose inputs changed."""
        incremental = self.command == "serve" and self.dirty
        if not incremental:
            self.fingerprints, self.unchanged = {}, set()
            self.file_fingerprints, self.written_fingerprints = {}, {}
            return
        digests, files = self.digests, self.file_digests
        current = {uri: digests.of(self.sources[uri], spec.data) for uri, spec in self.pages.items()}
        self.file_fingerprints = {spec.src_uri: files.of(spec.inputs)
                                  for spec in self.files if spec.render is not None and spec.inputs is not None}
        self.unchanged = {uri for uri, digest in current.items() if self.fingerprints.get(uri) == digest}
        self.fingerprints, self.digests, self.file_digests = current, digests.carried_over(), files.carried_over()
        if self.unchanged:
            log.info(f"hub: {len(current) - len(self.unchanged)} of {len(current)} generated pages changed")

    def on_shutdown(self) -> None:
        self.idle_collection.stop()
        if self.preview_index is not None:
            self.preview_index.wait()
        if self.held is not None and self.command != "gh-deploy":
            self.held.release()
            self.held = None
        # gh-deploy pushes site/ after this last event: its lock is left to the end of the process,
        # when the operating system releases it, so no other build swaps site/ during the push.

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Content and vocabularies live outside docs/: saving them must rebuild the preview too.
        The server's pages show the content's problems while it has any."""
        for path in self.watched:
            if path.exists():
                server.watch(str(path))
        server.set_app(self.problems.middleware(server.get_app(), server.mount_path))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        files = _without_engine_sources(files)
        if self.content is None:  # a preview whose content has problems renders no page: see _show_problems
            return Files([file for file in files if not file.is_documentation_page()])
        for spec in [*self.pages.values(), *self.files]:
            if files.get_file_from_path(spec.src_uri) is not None:
                raise PluginError(f"docs/{spec.src_uri}: このファイルは自動で作られるため、docs/ に同じ名前のファイルは置けません"
                                  "（generated file would be overwritten）")
        assert self.content is not None
        for uri in self.content.draft_pages:
            draft = files.get_file_from_path(uri)
            if draft is not None:  # left out of the build, shown by `mkdocs serve` as MkDocs' own drafts are
                draft.inclusion = InclusionLevel.DRAFT
                log.info(f"hub: docs/{uri} is a draft (draft: true): not published")
        if self.command == "serve" and self.dirty:
            _render_data_pages_again(files, self.page_data)
        for spec in _listings_first(self.pages.values()):
            kind = _UnchangedFile if spec.src_uri in self.unchanged else File
            files.append(kind.generated(config, spec.src_uri, content=self.sources[spec.src_uri],
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        for output in self.files:
            kind = File if output.render is None else _FileWrittenByHub
            files.append(kind.generated(config, output.src_uri, content=output.content or b""))
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
        # (the engine's and the site's overrides) print editors' text, so they, and only they, are
        # autoescaped. What Material prints is escaped at its source: see on_page_markdown.
        self.own_templates = _template_names(config.theme.custom_dir)
        env.autoescape = self._is_own_template
        env.globals["hub_fragment"] = FragmentCache()  # new for every build: a preview may change the nav
        env.globals["hub_nav_key"] = self._nav_key
        env.globals["hub_depth_key"] = _depth_key
        env.globals["hub_pinned_now"] = self.pinned_now
        env.loader = ChoiceLoader([env.loader, PrefixLoader(
            {THEME_TEMPLATE_PREFIX: FileSystemLoader(get_theme_dir(config.theme.name))})])
        env.globals["hub_centre"] = self.centre
        # A one-off build never sees a template change: skip the freshness check (a stat per include).
        env.auto_reload = self.command == "serve"
        if self.command == "serve":  # each rebuild makes a new environment; its templates are mostly the same
            env.bytecode_cache = self.compiled_templates
        else:
            env.bytecode_cache = compiled_templates_on_disk(self.kept_files.root)
        if self.in_worker:  # a worker making its own environment (see _become_worker)
            return env
        self._hand_over(env, files)
        if self.search_index is not None:  # its sending thread starts after the last fork
            self.search_index.start(Path(config.site_dir))
        return env

    def _doc_files(self, files: Files) -> list[File]:
        """The pages MkDocs reads and renders, in its order."""
        inclusion = InclusionLevel.is_in_serve if self.command == "serve" else InclusionLevel.is_included
        return files.documentation_pages(inclusion=inclusion)

    def _share_pages(self, config: MkDocsConfig, files: Files, nav: Navigation) -> None:
        """Generated pages at every `jobs`-th position are read, converted and rendered by forked
        workers, which write into the folder being built; MkDocs does the others and everything
        else. The workers are forked as soon as the navigation is made, before MkDocs reads any
        page: they convert their pages' Markdown while this process converts its own (see
        deferred_markdown), on the core that had little else to do then. `--dirty` renders only
        the changed pages."""
        self.positions, self.last_page = {}, None
        uris = [file.src_uri for file in self._doc_files(files) if file.src_uri in self.pages
                and (self.command != "serve" or not self.dirty or file.is_modified())]
        self.share = _Share(uris, jobs_for(len(uris), self.jobs), files)
        self.deferred = DeferredMarkdown(self.share.elsewhere())
        if self.share.jobs < 2:
            return
        self.shared = SharedWork(uris, self.share.jobs, lambda uri: self._render_in_worker(uri, config, nav, files),
                                 name=lambda uri: uri, setup=lambda: self._become_worker(config, files, nav),
                                 logger="mkdocs")
        self.positions = {uri: position for position, uri in enumerate(uris)}
        self.last_page = self._doc_files(files)[-1].src_uri

    def _hand_over(self, env: Environment, files: Files) -> None:
        """Once MkDocs has read every page: each worker page gives MkDocs a template that renders
        nothing (see _RenderedElsewhere)."""
        if self.shared is not None:
            self.rendered_elsewhere.take(env, [page for position, page in enumerate(self.share.pages())
                                               if self.shared.elsewhere(position)])

    def _forget_share(self) -> None:
        """`mkdocs serve` keeps this object: the build's pages go with the build."""
        self.rendered_elsewhere.release()
        self.share, self.deferred = _Share([], 1, Files([])), DeferredMarkdown()

    def _become_worker(self, config: MkDocsConfig, files: Files, nav: Navigation) -> None:
        """In a worker, before its first page: what MkDocs does between the navigation and the
        first page, for the worker's pages and the navigation's (whose titles the nav shows):
        read and convert them, then make the template environment (every plugin's on_env). What
        the search index reads of each page goes back to the build."""
        self.shared, self.positions, self.last_page, self.search_index = None, {}, None, _SearchedText()
        self.in_worker, self.deferred = True, DeferredMarkdown()
        read = self.share.elsewhere() | {page.file.src_uri for page in nav.pages}
        self.worker_doc_files = self._doc_files(files)
        for file in self.worker_doc_files:
            if file.src_uri in read:
                try:
                    _populate_page(file.page or Page(None, file, config), config, files, self.dirty)
                except Exception as error:
                    raise PluginError(f"{file.src_uri}: {type(error).__name__}: {error}") from error
        self.worker_env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)

    def _render_in_worker(self, uri: str, config: MkDocsConfig, nav: Navigation, files: Files) -> _WorkerPage:
        page = _page_of(files, uri)
        assert self.worker_env is not None
        _render_page(page, config, nav, self.worker_doc_files, self.worker_env)
        assert isinstance(self.search_index, _SearchedText)
        return _WorkerPage(uri, self.search_index.take(), ConvertedAnchors.of(page))

    def _take_worker_pages(self, until: int | None = None) -> None:
        """The workers' pages before `until` (all when None) into the search index, in MkDocs'
        order, and their anchors onto the build's pages."""
        if self.shared is None:
            return
        results = self.shared.finish() if until is None else self.shared.results_before(until)
        for result in results:
            result.anchors.give(_page_of(self.share.files, result.uri), self.share.files)
            if result.searched is not None:
                self._index(*result.searched)

    def _finish_shared_pages(self) -> None:
        """The workers' last pages indexed and the workers waited for; a worker's failure fails the build."""
        if self.shared is None:
            return
        try:
            self._take_worker_pages()
        except WorkerFailed as error:
            raise PluginError(f"hub: {error.failure.name}: ページを描けませんでした（error building page）: "
                              f"{error.failure.message}") from None
        finally:
            shared, self.shared = self.shared, None
        seconds = ", ".join(f"{worker:.1f}" for worker in shared.seconds)
        log.info(f"hub: {len(shared.items)} generated pages rendered by {shared.jobs} processes; "
                 f"CPU seconds of the workers: {seconds}")
        if shared.warnings:
            log.warning(f"hub: {shared.warnings} warning(s) while rendering pages in other processes (above)")

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        self.nav_urls = {page.url for page in nav.pages}
        _escape_nav_titles(nav.items)
        self._share_pages(config, files, nav)
        return nav

    def _is_own_template(self, name: str | None) -> bool:
        return name is not None and (name.startswith(HUB_TEMPLATE_PREFIX) or name in self.own_templates)

    def _nav_key(self, page: Any) -> str | None:
        """Pages outside the nav in one folder share the nav's markup (its links are relative)."""
        if not isinstance(page, Page) or page.url in self.nav_urls:
            return None
        return page.url.rstrip("/").rpartition("/")[0]

    @event_priority(-100)  # last: the Markdown a worker converts is what every plugin made of it
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Escape by construction: Material prints `page.meta.title`, `.description`, `.author`
        (and may print any other key) into element text and attribute values without escaping,
        and MkDocs' environment does not autoescape. Overriding each of Material's blocks that
        prints one would have to be repeated for every block a Material release adds; escaping
        every front-matter string here, once, covers every template that prints it. Values are
        Markup, so the hub's autoescaped templates do not escape them twice.
        A page a worker renders is converted there: MkDocs gets an empty source for it."""
        page.meta = _escaped(page.meta)
        return self.deferred.keep(page, markdown)

    def on_page_content(self, output: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The second wall of the body HTML policy, for entries and hand-written pages alike;
        and the page title as escaped text when it came from a heading, a file name or the nav."""
        if not isinstance(page.title, Markup) and page.title is not None:
            page.title = escape(html.unescape(page.title))
        return sanitise(output, self.html_policy)

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        spec = self.pages.get(page.file.src_uri)
        data = spec.data if spec is not None else self.page_data.get(page.file.src_uri)
        if data is not None:
            context["hub"] = data
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Keep what a reader sees of each rendered page for the search index, and give the page
        its Content-Security-Policy, hashing the scripts of the final markup but not of its content."""
        if self.rendered_elsewhere.holds(page):
            self._finish_after(page)
            return output
        started = time.perf_counter()
        if page.file.src_uri in self.positions:
            self._take_worker_pages(until=self.positions[page.file.src_uri])
        if not (page.meta.get("search") or {}).get("exclude"):
            self._index(page.url, _plain(page.title), output)
        self._finish_after(page)
        self.engine_seconds += time.perf_counter() - started
        return protect_page(_valid_theme_markup(output), page.content or "", live_reload=self.command == "serve",
                            embeds=self.html_policy.usable_embeds())

    def _finish_after(self, page: Page) -> None:
        """After the last page, MkDocs checks links to anchors: every worker's pages must be in."""
        if page.file.src_uri == self.last_page:
            self._finish_shared_pages()

    def _index(self, url: str, title: str, html: str) -> None:
        (self.search_index or self.preview_index).add(url, title, html)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        """Material's static templates: 404.html is a page and gets a page's policy; sitemap.xml is not HTML."""
        output = _valid_theme_markup(output_content)
        if not template_name.endswith(".html"):
            return output
        return protect_page(output, live_reload=self.command == "serve")

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._finish_shared_pages()
        self._forget_share()
        self._write_search_index(Path(config.site_dir))
        strip_files([Path(config.site_dir)])  # a second wall: no photo's GPS position reaches the site
        self._finish_rendered_files()
        if self.command == "serve":
            self.idle_collection.after_build()
        if self.output is None:
            return
        if _strict_warnings():
            self._discard(config)  # MkDocs aborts right after this event; keep the last good site.
            return
        self.output.commit()
        config.site_dir = str(self.output.final)
        self.held, self.output = self.output, None
        assert self.content is not None
        counts = ", ".join(f"{name} {len(entries)}" for name, entries in self.content.entries.items())
        log.info(f"hub: {counts}; {len(self.pages)} generated pages, {len(self.files)} files; "
                 f"{self.content.drafts} draft(s) left out; engine {self.engine_seconds:.2f} s")

    def on_build_error(self, error: Exception) -> None:
        if self.shared is not None:
            self.shared.cancel()
            self.shared = None
        self._forget_share()
        self._cancel_rendered_files()
        self._cancel_search()
        if self.output is not None:
            self.output.abort()
            self.output.release()
            self.output = None

    def _start_rendered_files(self, site_dir: Path) -> None:
        """Files with a `render` are made on another core while MkDocs renders the pages; a
        preview makes only those whose inputs changed, and never the `build_only` ones."""
        specs = [spec for spec in self.files if spec.render is not None]
        if self.command == "serve":
            for spec in specs:
                if spec.build_only:
                    log.info(f"hub: {spec.src_uri} is made by mkdocs build only (preview skips it)")
            specs = [spec for spec in specs if not spec.build_only and self._changed_file(spec, site_dir)]
            if self.written_fingerprints:
                log.info(f"hub: {len(specs)} of {len(self.file_fingerprints)} generated files changed")
        jobs = [(spec, self._kept_or_render(spec, site_dir)) for spec in specs]
        cheap = [(spec.src_uri, render) for spec, render in jobs if render is not None and not spec.keep]
        costly = [(spec.src_uri, render) for spec, render in jobs if render is not None and spec.keep]
        if cheap or costly:
            self.rendering = BackgroundFiles(cheap, site_dir, costly)

    def _kept_or_render(self, spec: FileSpec, site_dir: Path) -> Render | None:
        """None when the file kept by an earlier build was copied in; else how to make (and keep) it."""
        assert spec.render is not None
        if not spec.keep or spec.inputs is None:
            return spec.render
        digest = Fingerprints(self.kept_files.root).of(spec.inputs)
        if self.kept_files.copy(spec.src_uri, digest, site_dir / spec.src_uri):
            log.info(f"hub: {spec.src_uri} reused from {CACHE_DIR} (its inputs are unchanged)")
            return None
        return self.kept_files.keeping(spec.src_uri, digest, spec.render)

    def _changed_file(self, spec: FileSpec, site_dir: Path) -> bool:
        digest = self.file_fingerprints.get(spec.src_uri)
        return digest is None or digest != self.written_fingerprints.get(spec.src_uri) \
            or not (site_dir / spec.src_uri).exists()

    def _finish_rendered_files(self) -> None:
        rendering, self.rendering = self.rendering, None
        if rendering is not None:
            try:
                waited = rendering.finish()
            except RuntimeError as error:
                raise PluginError(f"hub: {error}") from None
            self.engine_seconds += waited
            log.info(f"hub: {len(rendering.names)} files made in the background; the build waited {waited:.2f} s for them")
        self.written_fingerprints = self.file_fingerprints

    def _cancel_rendered_files(self) -> None:
        if self.rendering is not None:
            self.rendering.cancel()
        self.rendering = None

    def _prepare_search(self, options: search.SearchOptions, root: Path) -> None:
        """A build streams pages to an indexing process, which keeps their texts in root's .cache/ for
        the next build; a preview keeps its index across rebuilds."""
        if self.command != "serve":
            self.search_index = StreamedIndex(options, CONTENT_CLASS, root)
        elif self.preview_index is None or self.preview_index.options != options:
            self.preview_index = PreviewIndex(options, CONTENT_CLASS)

    def _cancel_search(self) -> None:
        if self.search_index is not None:
            self.search_index.cancel()
            self.search_index = None

    def _write_search_index(self, site_dir: Path) -> None:
        """Into the staging folder, before it is swapped into place (or serve's temporary folder)."""
        started = time.perf_counter()
        if self.search_index is not None:
            waited = self.search_index.finish()
            self.search_index = None
            log.info(f"hub: search index made in the background; the build waited {waited:.2f} s for it")
        elif self.preview_index is not None and self.content is not None:  # kept as it is while the content has problems
            self.preview_index.write(site_dir, set(self.page_urls))
        self.engine_seconds += time.perf_counter() - started

    def _discard(self, config: MkDocsConfig) -> None:
        assert self.output is not None
        self.output.abort()
        self.output.release()
        config.site_dir = str(self.output.final)
        self.output = None


def _without_engine_sources(files: Files) -> Files:
    """The engine's templates folder is a theme folder, and MkDocs publishes a theme's files that are
    not templates: the sources of the e-mail's styles and the editing UI's files are not pages."""
    return Files([file for file in files if not Path(file.abs_src_path or "").is_relative_to(TEMPLATES_DIR)])


def _render_data_pages_again(files: Files, page_data: dict[str, Any]) -> None:
    """A hand-written page given data (PageData) shows content whose changes leave its own file
    as it was: `mkdocs serve --dirty`, which renders only changed files, renders it every time."""
    for uri in page_data:
        file = files.get_file_from_path(uri)
        if file is not None:
            files.remove(file)
            files.append(_DataPageFile(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls,
                                       inclusion=file.inclusion))


def _leave_drafts_out_of_nav(config: MkDocsConfig, drafts: frozenset[str]) -> None:
    """A draft page is not published: a nav item linking to it would be a broken link."""
    if config.nav and drafts:
        kept = without_pages(config.nav, drafts)
        if kept != config.nav:
            log.info("hub: draft pages (draft: true) left out of the navigation: " + ", ".join(sorted(drafts)))
        config.nav = kept


def _listings_first(pages: Iterable[PageSpec]) -> list[PageSpec]:
    """MkDocs renders pages in this order. A listing (an index or a term page: many cards) is
    quick to render and long to index; rendered first, the indexing child works through them
    while the entry pages, slower to render, follow, and the build does not wait for it at the end."""
    return sorted(pages, key=lambda spec: "entries" not in spec.data)


def _depth_key(page: Any) -> int | None:
    """Pages whose URLs hold as many slashes sit at one folder depth: a relative link to any
    site path is the same from all of them, so markup with no other per-page part is shared."""
    return page.url.count("/") if isinstance(page, Page) else None


class FragmentCache:
    """`{% call hub_fragment(name, key) %}…{% endcall %}` renders its body once per (name, key)
    in a build; a key of None renders it every time."""

    def __init__(self) -> None:
        self.rendered: dict[tuple[Any, ...], str] = {}

    def __call__(self, *key: Any, caller: Any) -> str:
        if key[-1] is None:
            return caller()
        if key not in self.rendered:
            self.rendered[key] = caller()
        return self.rendered[key]


def _page_of(files: Files, uri: str) -> Page:
    file = files.get_file_from_path(uri)
    if file is None or file.page is None:
        raise PluginError(f"hub: {uri}: a generated page left the build after its navigation was made")
    return file.page


def _populate_page(page: Page, config: MkDocsConfig, files: Files, dirty: bool) -> None:
    """MkDocs' own `_populate_page`, for a worker's pages and the navigation's: the same events
    and the same steps, so that the worker reads what MkDocs would have."""
    if dirty and not page.file.is_modified():
        return
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
        assert page.content is not None
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
    finally:
        config._current_page = None


def _render_page(page: Page, config: MkDocsConfig, nav: Navigation, doc_files: list[File],
                 env: Environment) -> None:
    """MkDocs' own `_build_page` for a page that is neither a draft nor skipped by `--dirty`
    (those the workers get): the same context, events and bytes."""
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = config.plugins.on_post_page(template.render(context), page=page, config=config)
        if output.strip():
            mkdocs_utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
    finally:
        page.active = False
        config._current_page = None


@dataclass(frozen=True)
class _Share:
    """The generated pages MkDocs will render, in its order, and how many processes render them."""

    uris: list[str]
    jobs: int
    files: Files

    def elsewhere(self) -> frozenset[str]:
        """The pages workers will render: SharedWork gives them the same positions."""
        if self.jobs < 2:
            return frozenset()
        return frozenset(uri for position, uri in enumerate(self.uris) if done_elsewhere(position, self.jobs))

    def pages(self) -> list[Page]:
        """Once MkDocs has read every page (on_env): in the order of `uris`, position for position."""
        return [_page_of(self.files, uri) for uri in self.uris]


@dataclass(frozen=True)
class _WorkerPage:
    """What a worker sends back of a page it rendered: what the search index reads of it, and
    what MkDocs' anchor check reads of its converted Markdown."""

    uri: str
    searched: tuple[str, str, str] | None
    anchors: ConvertedAnchors


class _SearchedText:
    """In a worker, in place of the search index: the content area of the page just rendered,
    which the build adds to the index (the area, cut out again, is itself)."""

    def __init__(self) -> None:
        self.last: tuple[str, str, str] | None = None

    def add(self, url: str, title: str, html: str) -> None:
        self.last = (url, title, search.content_region(html, CONTENT_CLASS) or "")

    def take(self) -> tuple[str, str, str] | None:
        last, self.last = self.last, None
        return last


class _RenderedElsewhere(logging.Filter):
    """The pages a worker renders, as MkDocs' loop still visits them: a template that renders
    nothing, so MkDocs writes nothing over the worker's file; the note it logs for an empty
    page is left out."""

    def __init__(self) -> None:
        super().__init__()
        self.stand_in: Any = None
        self.notes: set[str] = set()

    def take(self, env: Environment, pages: list[Page]) -> None:
        self.stand_in = env.from_string("")
        for page in pages:
            page.meta["template"] = self.stand_in
        self.notes = {f"Page skipped: '{page.file.src_uri}'. Generated empty output." for page in pages}
        logging.getLogger("mkdocs.commands.build").addFilter(self)

    def holds(self, page: Page) -> bool:
        return self.stand_in is not None and page.meta.get("template") is self.stand_in

    def release(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self)
        self.stand_in, self.notes = None, set()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.notes


class _UnchangedFile(File):
    """A generated page whose Markdown and data are those of the previous preview build."""

    def is_modified(self) -> bool:
        return False


class _DataPageFile(File):
    """A hand-written page that shows the engine's data: see _render_data_pages_again."""

    def is_modified(self) -> bool:
        return True


class _FileWrittenByHub(File):
    """A file MkDocs should know of (links to it are valid) but not write: the hub's
    background job makes it, or a preview kept it from the last build."""

    def copy_file(self, dirty: bool = False) -> None:
        return None


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _page_source(spec: PageSpec) -> str:
    """Markdown for a virtual page: its metadata as front matter, then the entry's body (never `private:`)."""
    return _front_matter(spec.title, spec.template, spec.description, spec.searchable) + spec.body


@lru_cache(maxsize=16384)
def _front_matter(title: str, template: str, description: str, searchable: bool) -> str:
    """Remembered: a preview rebuild writes the same front matter for nearly every page again,
    and PyYAML's representer, in Python, takes about a millisecond a page."""
    meta: dict[str, Any] = {"title": title, "template": template, "description": description}
    if not searchable:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=True) + "---\n\n"


def compiled_templates_on_disk(root: Path) -> FileSystemBytecodeCache:
    """Jinja's compiled templates kept between builds (every process of a build compiled the
    hundred templates again: about 0.4 s of CPU each). Jinja keys each by the template's name,
    file and source checksum, and the Python version; the folder is named by Jinja's version,
    whose code generation the cache does not otherwise record. Safe to delete."""
    folder = root / TEMPLATE_CACHE_DIR / f"jinja-{jinja2.__version__}"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates in memory, across the rebuilds of one `mkdocs serve`: each
    rebuild's new environment would compile every template again. Jinja keys each by its
    source's checksum, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"')


def _valid_theme_markup(output: str) -> str:
    """Two habits of Material's markup that the Nu HTML checker reports as errors: `autocomplete`
    on its checkbox toggles, and the table of contents' label pointing at a toggle that
    Material writes only for pages listed in the navigation (entry pages are not). The drawer's
    and the search's toggles, which Material's styles hide, are also `hidden`: a page whose
    styles do not arrive (404.html served away from site_url's path) shows no unlabelled
    checkbox outside its landmarks. Their labels still toggle them."""
    output = _TOGGLE_AUTOCOMPLETE.sub(r"\1 hidden", output)
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


def _template_names(custom_dir: str | None) -> frozenset[str]:
    """The site's overrides (main.html, partials/header.html …), by the names templates load them."""
    if not custom_dir or not Path(custom_dir).is_dir():
        return frozenset()
    folder = Path(custom_dir)
    return frozenset(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))


def _escaped(value: Any) -> Any:
    """Every string inside `value` as escaped Markup; strings without markup characters stay as
    they are (the same text either way), so keys such as `template` keep their plain values."""
    if isinstance(value, str) and not isinstance(value, Markup):
        escaped = escape(value)
        return escaped if escaped != value else value
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


def _escape_printed_config(config: MkDocsConfig) -> None:
    """mkdocs.yml strings Material prints, and the colour toggles' labels, escaped once at the source.
    The hub's settings were read before this: feeds and mail get the text as written."""
    for key in PRINTED_CONFIG:
        config[key] = _escaped(config.get(key))
    palette = config.theme.get("palette")
    for option in palette if isinstance(palette, list) else []:
        if isinstance(option, dict) and isinstance(option.get("toggle"), dict):
            option["toggle"] = _escaped(option["toggle"])


def _escape_nav_titles(items: list[Any]) -> None:
    """Section and link titles written in mkdocs.yml's nav; page titles follow in on_page_content."""
    for item in items:
        if isinstance(item, (Section, Link)) and item.title is not None:
            item.title = escape(item.title)
        if isinstance(item, Section):
            _escape_nav_titles(item.children)


def _strict_warnings() -> bool:
    """Whether MkDocs' strict mode counted warnings, which makes it abort after post_build."""
    return any(isinstance(handler, CountHandler) and handler.get_counts()
               for handler in logging.getLogger("mkdocs").handlers)
