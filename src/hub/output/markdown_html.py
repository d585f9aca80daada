"""Markdown bodies as HTML for places without a base URL: feed items and e-mail.

MkDocs resolves a link such as `../cases/foo.md` relative to the page's source file;
a feed reader or a mail client cannot, so every relative link and image is made
absolute here, the way MkDocs would publish it (`foo.md` → `foo/`). The HTML is then
sanitised with the body HTML policy (hub.guard.html_policy): what leaves the hub is what it allows.
"""

from __future__ import annotations

import re
from posixpath import dirname, normpath
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor

from hub.core.settings import Settings
from hub.guard.html_policy import BodyPolicy, sanitise

EXTENSIONS = ["attr_list", "md_in_html", "admonition"]
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def site_path(target: str, source_uri: str) -> str | None:
    """The site path a relative link in the file `source_uri` points to; None for absolute links and anchors."""
    if not target or target.startswith("#") or urlsplit(target).scheme or target.startswith("//"):
        return None
    path, _, fragment = target.partition("#")
    joined = normpath(f"{dirname(source_uri)}/{path}").lstrip("./") if path else source_uri
    joined += "/" if path.endswith("/") and not joined.endswith("/") else ""
    if joined.endswith("index.md"):
        joined = joined.removesuffix("index.md")
    elif joined.endswith(".md"):
        joined = joined.removesuffix(".md") + "/"
    return joined + (f"#{fragment}" if fragment else "")


class _AbsoluteLinks(Treeprocessor):
    def __init__(self, md: markdown.Markdown, settings: Settings, source_uri: str):
        super().__init__(md)
        self.settings = settings
        self.source_uri = source_uri

    def run(self, root: Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            path = site_path(element.get(attribute, ""), self.source_uri) if attribute else None
            if attribute and path is not None:
                element.set(attribute, self.settings.absolute_url(path))


def absolute_html(body: str, settings: Settings, source_uri: str) -> str:
    """`body` (Markdown of the file at `source_uri`, a docs-relative path) as sanitised HTML with
    absolute links: feed readers and mail clients get only what the body HTML policy allows."""
    md = markdown.Markdown(extensions=EXTENSIONS)
    md.treeprocessors.register(_AbsoluteLinks(md, settings, source_uri), "hub_absolute_links", 0)
    return sanitise(md.convert(body), BodyPolicy.from_options(settings.options))


def plain_text(body: str, settings: Settings, source_uri: str) -> str:
    """Markdown as mail text: a link becomes its words and then its absolute URL; emphasis marks go."""
    def link(match: re.Match[str]) -> str:
        path = site_path(match.group(2), source_uri)
        return f"{match.group(1)} {settings.absolute_url(path) if path is not None else match.group(2)} "

    return _LINK.sub(link, body).replace("**", "").strip()
