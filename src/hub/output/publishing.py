"""What a public site needs beyond its pages: robots.txt, an optional CNAME, and links that hold.

GitHub Pages serves whatever the build wrote, so the checks here run before anything is
written: a front-matter link to a page of this site that is not published (a typo, a
renamed file, a draft) stops the build with the file, the line and the link, the same
way as a content error. Links in Markdown bodies are MkDocs' own business
(`validation.links` in mkdocs.yml, fatal under `--strict`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel

from hub.collections import COLLECTIONS
from hub.core.collection import Entry, kept_with_entry
from hub.core.content import Site
from hub.core.outputs import FileSpec, Output, PageData, PageSpec
from hub.core.problems import ContentError, Problem
from hub.core.settings import CONFIG_FILE, Settings, config_line  # noqa: F401 - config_line: used from here by others
from hub.core.validation import dotted_key
from hub.core.walking import fields_that_may_hold
from hub.reading.frontmatter import KeyPath, read_source

ROBOTS = "robots.txt"
CNAME = "CNAME"
CNAME_OPTION = "cname"
# Written by MkDocs itself, not by the engine or docs/, yet a link may point at them.
THEME_OUTPUTS = frozenset({"sitemap.xml", "404.html"})
_HOSTNAME = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")


def publishing_files(site: Site) -> Iterator[FileSpec]:
    """robots.txt (unless docs/ has its own) and, when `extra.hub.cname` is set, CNAME."""
    settings = site.settings
    if not (settings.root / settings.docs_dir / ROBOTS).is_file():
        yield FileSpec(ROBOTS, robots_txt(settings).encode("utf-8"))
    cname = custom_domain(settings)
    if cname:
        yield FileSpec(CNAME, f"{cname}\n".encode("utf-8"))


def robots_txt(settings: Settings) -> str:
    """Every page may be crawled; the sitemap lists the published ones.

    A few fixed lines, not a page: kept out of the theme's template folders, whose
    non-HTML files MkDocs would copy into the site.
    """
    lines = [f"# {settings.site_name}", "User-agent: *", "Allow: /"]
    if settings.site_url:
        lines += ["", f"Sitemap: {settings.absolute_url('sitemap.xml')}"]
    return "\n".join(lines) + "\n"


def custom_domain(settings: Settings) -> str:
    return str(settings.options.get(CNAME_OPTION) or "").strip()


def require_publishable(site: Site, outputs: Iterable[Output] | None = None) -> None:
    """Raise ContentError when the custom domain or a front-matter link to this site is wrong.

    The build passes every output and so checks every link. `hub check` passes none:
    generating every page (PDFs included) takes seconds, so it checks the links that
    name an entry, the common case, and leaves the rest to the build.
    """
    problems = cname_problems(site.settings)
    docs = docs_paths(site.settings.root / site.settings.docs_dir)
    if outputs is None:
        problems += entry_link_problems(site, docs)
    else:
        problems += site_link_problems(site, published_paths(outputs) | docs)
    if problems:
        raise ContentError(problems)


def cname_problems(settings: Settings) -> list[Problem]:
    """The custom domain is a bare host name, and site_url (canonical URLs, sitemap, OGP) is on it."""
    cname = custom_domain(settings)
    if not cname:
        return []
    line = config_line(settings.root, ("extra", "hub", CNAME_OPTION))
    key = f"extra.hub.{CNAME_OPTION}"
    if not _HOSTNAME.fullmatch(cname.lower()):
        return [Problem(CONFIG_FILE, line, key, f"独自ドメインはホスト名だけを書いてください: 「{cname}」",
                        "例: hub.example.org（https:// や末尾の / は付けません）")]
    site_host = urlsplit(settings.site_url).hostname or ""
    if site_host != cname.lower():
        return [Problem(CONFIG_FILE, line, key,
                        f"site_url「{settings.site_url}」のホスト名が独自ドメイン「{cname}」と違います",
                        f"site_url を https://{cname}/ にしてください（正規 URL・サイトマップ・OGP に使われます）")]
    return []


def published_paths(outputs: Iterable[Output]) -> set[str]:
    """Site paths of generated pages and files, and of the files MkDocs writes itself (a
    hand-written page given data is among the docs' paths already)."""
    return set(THEME_OUTPUTS) | {output.url if isinstance(output, PageSpec) else output.src_uri
                                 for output in outputs if not isinstance(output, PageData)}


def docs_paths(docs_dir: Path) -> set[str]:
    """Site paths of the hand-written pages and the files under docs/."""
    if not docs_dir.is_dir():
        return set()
    return {_docs_url(path.relative_to(docs_dir)) for path in docs_dir.rglob("*")
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(docs_dir).parts)}


def _docs_url(relative: Path) -> str:
    """MkDocs' directory URLs: about.md → about/, guide/index.md and guide/README.md → guide/."""
    if relative.suffix.lower() != ".md":
        return relative.as_posix()
    parent = relative.parent.as_posix()
    folder = "" if parent == "." else parent + "/"
    return folder if relative.stem in ("index", "README") else f"{folder}{relative.stem}/"


@dataclass(frozen=True)
class SiteLink:
    """A front-matter URL on this site's own address, and the site path it names."""

    entry: Entry
    key_path: KeyPath
    url: str
    target: str


def site_links(site: Site) -> list[SiteLink]:
    """Front-matter URLs that point at this site (either scheme), found without generating anything."""
    base = urlsplit(site.settings.site_url)
    if not base.hostname:
        return []
    links = []
    for entries in site.content.entries.values():
        for entry in entries:
            for key_path, url in entry_urls(entry):
                target = _path_on_site(url, base.hostname, base.path)
                if target is not None:
                    links.append(SiteLink(entry, key_path, url, target))
    return links


def site_link_problems(site: Site, published: set[str]) -> list[Problem]:
    """Each front-matter link to this site must name a published page or file.

    Editors copy a page's address from the browser into `links:`; when that page is
    renamed or turned back into a draft, the link would silently break.
    """
    return [_broken_link(site.settings, link) for link in site_links(site)
            if not _is_published(link.target, published)]


def entry_link_problems(site: Site, docs: set[str]) -> list[Problem]:
    """Links of the form `<collection>/<slug>/` must name a published entry (or a docs/ page).

    Other paths under a collection (index, term and calendar pages) are reserved slugs
    or have more parts; only the build, which generates them, checks those.
    """
    published = docs | {entry.url for entries in site.content.entries.values() for entry in entries}
    problems = []
    for link in site_links(site):
        parts = [part for part in link.target.removesuffix("index.html").split("/") if part]
        collection = COLLECTIONS.get(parts[0]) if len(parts) == 2 else None
        if collection is None or collection.slug_reserved(parts[1]):
            continue
        if not _is_published(link.target, published):
            problems.append(_broken_link(site.settings, link))
    return problems


@kept_with_entry
def entry_urls(entry: Entry) -> tuple[tuple[KeyPath, str], ...]:
    return tuple(urls_in(entry.meta))


def urls_in(value: Any, path: KeyPath = ()) -> list[tuple[KeyPath, str]]:
    """Every http(s) URL in validated front matter, with the key path it was written at, in the order
    written. Only containers are opened (most values are plain strings), from a stack rather than
    by recursion: this walks every entry of the site."""
    found = []
    stack: list[tuple[KeyPath, Any]] = _children(path, value)
    while stack:
        at, item = stack.pop()
        if isinstance(item, str):
            if item.startswith(("http://", "https://")):
                found.append((at, item))
        elif isinstance(item, (BaseModel, dict, list, tuple)):
            stack += _children(at, item)
    return found


def _children(at: KeyPath, value: Any) -> list[tuple[KeyPath, Any]]:
    """A container's items with their key paths, last first (the stack takes them from the end)."""
    if isinstance(value, BaseModel):
        items: list[tuple[Any, Any]] = [(name, getattr(value, name))
                                        for name in fields_that_may_hold(type(value), (str, BaseModel))]
    elif isinstance(value, dict):
        items = [(str(key), item) for key, item in value.items()]
    elif isinstance(value, (list, tuple)):
        items = list(enumerate(value))
    else:
        return []
    return [((*at, key), item) for key, item in reversed(items)]


def _path_on_site(url: str, host: str, base_path: str) -> str | None:
    """`cases/foo/` for a URL under site_url (either scheme), None for any other site."""
    parts = urlsplit(url)
    prefix = base_path if base_path.endswith("/") else base_path + "/"
    path = parts.path or "/"
    if (parts.hostname or "").lower() != host.lower() or not (path + "/").startswith(prefix):
        return None
    return unquote(path[len(prefix):])


def _is_published(path: str, published: set[str]) -> bool:
    """`cases/foo`, `cases/foo/` and `cases/foo/index.html` all name the page `cases/foo/`."""
    page = path.removesuffix("index.html")
    return bool({path, page, page.rstrip("/") + "/" if page else ""} & published)


def _broken_link(settings: Settings, link: SiteLink) -> Problem:
    """Lines are looked up again from the file: entries keep their values, not their positions."""
    source = read_source(settings.root / link.entry.source, link.entry.source)
    return Problem(link.entry.source, source.line_of(link.key_path), dotted_key(link.key_path),
                   f"このサイトのページ「{link.url}」は公開されていません（broken link）",
                   "URL の綴りを確かめてください。下書きの記事や、ファイル名を変えたページにはリンクできません")


def github_annotations(problems: Iterable[Problem]) -> str:
    """Problems as GitHub Actions workflow commands: each shows on its line in a pull request."""
    return "\n".join(f"::error file={_property(p.path)},line={p.line},title={_property(p.key)}::"
                     f"{_data(p.message + (' → ' + p.hint if p.hint else ''))}" for p in problems)


def github_step_summary(problems: Sequence[Problem]) -> str:
    """Problems as the Markdown of a job summary (GITHUB_STEP_SUMMARY): the whole list on the
    pull request's checks page, where annotations beyond GitHub's limit per step are not shown."""
    if not problems:
        return "## 内容の検査（hub check）\n\n問題はありません。\n"
    rows = [f"| {_cell(f'{p.path}:{p.line}' if p.line else p.path)} | {_cell(p.key)} | {_cell(p.message)} | {_cell(p.hint)} |"
            for p in problems]
    return "\n".join([
        "## 内容の検査（hub check）", "",
        f"{len(problems)} 件の問題があります。それぞれのファイルの行を直してください。", "",
        "| ファイル:行 | 項目 | 問題 | 直し方 |", "| --- | --- | --- | --- |", *rows, ""])


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()!|~#])")  # what could start markup inside a cell
_LINE_BREAKS = re.compile(r"[\r\n]+")


def _cell(text: str) -> str:
    """Text as written, in a Markdown table cell: a quoted value makes no link, image, HTML or
    emphasis, its | ends no cell, and a line break inside it becomes a space."""
    text = html.escape(_LINE_BREAKS.sub(" ", text), quote=False)  # < > & as entities: no HTML
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
