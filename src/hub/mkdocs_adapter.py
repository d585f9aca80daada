"""The MkDocs front end: content becomes virtual pages, templates get the engine's data.

State lives on the plugin object and is rebuilt in `on_config`, so each build (and
each rebuild under `mkdocs serve`) starts from the files as they are now.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from hub.atomic import AtomicSiteDir
from hub.clock import resolve_now
from hub.formatting import FILTERS
from hub.loader import Content, Project, load_content
from hub.pages import FileSpec, PageSpec, Site
from hub.problems import ContentError
from hub.settings import Settings
from hub.site import generate

log = logging.getLogger("mkdocs.hooks.hub")

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
ASSETS_DIR = PACKAGE_DIR / "assets"
ASSET_URI = "assets/hub"


class HubPlugin(BasePlugin):
    """Adapter between MkDocs' build events and the engine."""

    def __init__(self) -> None:
        self.command = "build"
        self.content: Content | None = None
        self.pages: dict[str, PageSpec] = {}
        self.files: list[FileSpec] = []
        self.output: AtomicSiteDir | None = None
        self.now = resolve_now()
        self.engine_seconds = 0.0  # loading, validation and generation, reported for the benchmark

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = Settings.from_mapping(Path(config.config_file_path).parent, config.extra.get("hub"),
                                         config.docs_dir, config.site_url, config.site_name)
        project = Project.from_settings(settings)
        self.now = resolve_now(settings.now)
        started = time.perf_counter()
        try:
            self.content = load_content(project)
        except ContentError as error:
            raise PluginError("内容に問題があるためビルドを中止しました（build aborted: content errors）\n"
                              + error.report()) from None
        outputs = generate(Site(self.content, self.now, settings))
        self.pages = {output.src_uri: output for output in outputs if isinstance(output, PageSpec)}
        self.files = [output for output in outputs if isinstance(output, FileSpec)]
        self.engine_seconds = time.perf_counter() - started
        _add_theme_resources(config)
        if self.command in ("build", "gh-deploy"):
            self.output = AtomicSiteDir(Path(config.site_dir))
            config.site_dir = str(self.output.begin())
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        for spec in [*self.pages.values(), *self.files]:
            if files.get_file_from_path(spec.src_uri) is not None:
                raise PluginError(f"docs/{spec.src_uri}: このファイルは自動で作られるため、docs/ に同じ名前のファイルは置けません"
                                  "（generated file would be overwritten）")
        for spec in self.pages.values():
            files.append(File.generated(config, spec.src_uri, content=_page_source(spec),
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        for output in self.files:
            files.append(File.generated(config, output.src_uri, content=output.content))
        for asset in sorted(ASSETS_DIR.rglob("*")):
            if asset.is_file():
                uri = f"{ASSET_URI}/{asset.relative_to(ASSETS_DIR).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(asset)))
        self.engine_seconds += time.perf_counter() - started
        return files

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.filters.update(FILTERS)
        env.globals["hub_now"] = self.now
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            context["hub"] = spec.data
        return context

    def on_post_build(self, config: MkDocsConfig) -> None:
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
        if self.output is not None:
            self.output.abort()
            self.output = None

    def _discard(self, config: MkDocsConfig) -> None:
        assert self.output is not None
        self.output.abort()
        config.site_dir = str(self.output.final)
        self.output = None


def _page_source(spec: PageSpec) -> str:
    """Markdown for a virtual page: its metadata as front matter, then the entry's body (never `private:`)."""
    meta = {"title": spec.title, "template": spec.template, "description": spec.description}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n" + spec.body


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


def _strict_warnings() -> bool:
    """Whether MkDocs' strict mode counted warnings, which makes it abort after post_build."""
    return any(isinstance(handler, CountHandler) and handler.get_counts()
               for handler in logging.getLogger("mkdocs").handlers)
