"""The body HTML policy: what HTML a Markdown body may hold, the check and the sanitiser.

Editors write Markdown, and Markdown lets raw HTML through. Bodies may carry the HTML
editors need for layout and nothing that runs:

- **Tags** (`TAGS`): text and structure (`p`, headings, lists, `blockquote`, `pre`,
  `code`, `hr`, `br`), inline marks (`strong`, `em`, `small`, `mark`, `kbd`, `sub`,
  `sup`, `abbr`, `time`, `ruby`/`rt`/`rp` …), tables, `details`/`summary`,
  `figure`/`figcaption`, `img`, `a`, `div`/`span`/`section`/`aside`. `iframe` only from
  an embed origin listed in `extra.hub.html.embeds` (none by default), for example::

      extra:
        hub:
          html:
            embeds:
              - https://www.youtube-nocookie.com/embed/
              - https://www.google.com/maps/embed

- **Attributes** (`ATTRIBUTES`): `id`, `class`, `title`, `lang`, `dir`, `role`, `aria-*`
  everywhere, and per tag what it needs (`href` on `a`; `src`, `alt`, `width`, `height`
  on `img`; `colspan`/`rowspan`/`scope` on table cells; `open` on `details` …). Never an
  event handler (`on…`), never `style` (a stylesheet belongs to the theme).
- **URLs** in `href`/`src`/`cite`: relative, `#anchors`, or `http`, `https`, `mailto`,
  `tel`. Not `javascript:`, `vbscript:` nor `data:` — not even `data:` images: a picture
  is a file under `docs/assets/` where the privacy guard and the link check see it.

Two walls. `body_problems` checks the Markdown source (raw HTML tags, `[x](url)` links,
reference definitions and `{ attr=value }` lists) and reports what the policy refuses as
`path:line: body` problems, so that `hub check` and the build stop with the same message;
code (fenced blocks and `inline code`) is not HTML and is not checked. `sanitise` then
cleans every rendered body that leaves the hub — pages, feed items, the newsletter's web
page and mail — with nh3 and the same allow-lists, in case the check missed a trick.
What was already clean is returned byte for byte as rendered: the sanitiser's own
serialisation (`<br>` for `<br />`, `¶` for `&para;`) is used only when it removed something.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import lxml.html
import nh3

from hub.core.options import Options, OptionSection, Texts
from hub.core.problems import Problem, display_path
from hub.core.settings import config_line
from hub.reading.frontmatter import read_source

BODY_KEY = "body"
OPTIONS_KEY = "html"
EMBEDS_KEY = "embeds"
EMBEDS_PATH = f"extra.hub.{OPTIONS_KEY}.{EMBEDS_KEY}"
README_SECTION = "README「本文に書ける HTML」"

TAGS = frozenset({
    "a", "abbr", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
})
EMBED_TAG = "iframe"
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "role"})
GENERIC_PREFIXES = frozenset({"aria-"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": GLOBAL_ATTRIBUTES,
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "iframe": frozenset({"src", "width", "height", "loading", "referrerpolicy", "allowfullscreen"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}), "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}), "li": frozenset({"value"}),
    "details": frozenset({"open"}), "time": frozenset({"datetime"}),
    "blockquote": frozenset({"cite"}), "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}), "ins": frozenset({"cite", "datetime"}),
}
SOURCE_ONLY_ATTRIBUTES = frozenset({"markdown"})  # md_in_html's switch, consumed by Markdown
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DROPPED_WITH_CONTENT = frozenset({"script", "style"})

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # what browsers drop from anywhere in a URL


class HtmlOptions(Options):
    """`extra.hub.html.embeds`: the https address prefixes whose <iframe> a body may hold."""

    embeds: Texts = ()


HTML_OPTIONS = OptionSection(OPTIONS_KEY, HtmlOptions)


@dataclass(frozen=True)
class BodyPolicy:
    """The site's HTML policy for bodies: the fixed allow-lists and its embed origins."""

    embeds: tuple[str, ...] = ()

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> "BodyPolicy":
        return cls(HtmlOptions.model_validate((options or {}).get(OPTIONS_KEY) or {}).embeds)

    def embeddable(self, url: str) -> bool:
        """An https address under one of the listed embed origins and paths."""
        written = url_as_browsers_read(url)
        return written.startswith("https://") and any(written.startswith(prefix) for prefix in self.usable_embeds())

    def usable_embeds(self) -> tuple[str, ...]:
        return tuple(prefix for prefix in self.embeds if _valid_embed(prefix))

    def unusable_embeds(self) -> list[str]:
        """Listed origins that could never match safely (not https, no path after the host)."""
        return [prefix for prefix in self.embeds if not _valid_embed(prefix)]


def _valid_embed(prefix: str) -> bool:
    return re.fullmatch(r"https://[a-z0-9.\-]+(?::\d+)?/\S*", prefix) is not None


def url_as_browsers_read(url: str) -> str:
    """Entities decoded, tabs and newlines dropped, surrounding controls and spaces trimmed, lower case."""
    decoded = _IGNORED_IN_URLS.sub("", html.unescape(url))
    return decoded.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
                         "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f \x7f").lower()


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see (`javascript` for ` java&#x09;script:`); None for relative URLs."""
    match = _SCHEME.match(url_as_browsers_read(url))
    return match.group(1) if match else None


def allowed_url(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in URL_SCHEMES


def allowed_attribute(tag: str, name: str) -> bool:
    return (name in GLOBAL_ATTRIBUTES or name in ATTRIBUTES.get(tag, ())
            or any(name.startswith(prefix) for prefix in GENERIC_PREFIXES))


# --- the check: problems in the Markdown source ----------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One thing the policy refuses: the line offset within the body, the message and the hint."""

    offset: int
    message: str
    hint: str


def body_problems(body: str, shown_path: str, body_line: int, policy: BodyPolicy) -> list[Problem]:
    """Everything in a Markdown body that the policy refuses, each at its own line, key `body`."""
    found = [Problem(shown_path, body_line + finding.offset, BODY_KEY, finding.message, finding.hint)
             for finding in findings(body, policy)]
    return list(dict.fromkeys(found))


def docs_body_problems(docs_dir: Path, root: Path, policy: BodyPolicy) -> list[Problem]:
    """Hand-written pages under docs/ are published like bodies (a page without front matter from line 1)."""
    problems: list[Problem] = []
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        if any(part.startswith(".") for part in path.relative_to(docs_dir).parts):
            continue
        shown = display_path(path, root)
        source = read_source(path, shown)
        if source.problems:  # no front matter (or a broken one): MkDocs publishes the whole file
            text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
            problems += body_problems(text, shown, 1, policy)
        else:
            problems += body_problems(source.body, shown, source.body_line, policy)
    return problems


def embeds_problems(policy: BodyPolicy, root: Path) -> list[Problem]:
    """An embed origin must be an https address with a path: a bare host would allow any page of it."""
    line = config_line(root, ("extra", "hub", OPTIONS_KEY, EMBEDS_KEY))
    return [Problem("mkdocs.yml", line, EMBEDS_PATH,
                    f"埋め込み元「{value}」は https:// で始まり、ホスト名のあとに / がある形で書いてください"
                    "（embed origin must be an https URL prefix）",
                    "例: https://www.youtube-nocookie.com/embed/")
            for value in policy.unusable_embeds()]


def findings(body: str, policy: BodyPolicy) -> list[Finding]:
    if "<" not in body and "(" not in body and "]:" not in body and "{" not in body:
        return []  # most bodies: nothing that could be HTML, a link or an attribute list
    text = _without_code(body)
    tags = _TagScanner(policy)
    tags.feed(text)
    tags.close()
    return sorted([*tags.found, *_markdown_links(text), *_attribute_lists(text)], key=lambda finding: finding.offset)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_AUTOLINK = re.compile(r"<(?:(?:https?|ftp)://[^<>\s]*|mailto:[^<>\s]*|[^<>\s!]+@[^<>\s@]+)>", re.IGNORECASE)


def _without_code(body: str) -> str:
    """Fenced code, inline code and autolinks blanked with spaces: line numbers stay where they were."""
    lines, fence = [], None
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            lines.append("")
            continue
        if opening:
            fence = opening.group(1)
            lines.append("")
            continue
        line = _CODE_SPAN.sub(lambda match: " " * len(match.group(0)), line)
        lines.append(_AUTOLINK.sub(lambda match: " " * len(match.group(0)), line))
    return "\n".join(lines)


class _TagScanner(HTMLParser):
    """Raw HTML in the source, tag by tag, with the line each starts on."""

    def __init__(self, policy: BodyPolicy):
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.found: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self.getpos()[0] - 1
        if tag == EMBED_TAG:
            self._embed(offset, dict(attrs).get("src") or "")
        elif tag not in TAGS:
            self.found.append(Finding(offset, f"本文に使えない HTML タグ <{tag}> があります（tag not allowed: {tag}）",
                                      _tag_hint(tag)))
            return
        for name, value in attrs:
            self.found += _attribute_findings(offset, tag, name, value or "")

    handle_startendtag = handle_starttag

    def _embed(self, offset: int, src: str) -> None:
        if not self.policy.embeddable(src):
            self.found.append(Finding(offset, f"埋め込み <iframe> の src「{_shown(src)}」は許可された埋め込み元ではありません"
                                      "（iframe origin not allowed）",
                                      "YouTube（youtube-nocookie.com）や Google マップの埋め込みを使うときは mkdocs.yml の "
                                      f"{EMBEDS_PATH} に https://www.youtube-nocookie.com/embed/ のように書いてください。"
                                      "ほかのサイトはリンク [題名](https://…) で紹介してください"))


def _tag_hint(tag: str) -> str:
    if tag in DROPPED_WITH_CONTENT:
        return "スクリプトやスタイルは本文に書けません。削除してください（見た目はテーマが決めます）"
    if tag in {"object", "embed", "applet", "frame", "frameset"}:
        return "埋め込みは使えません。リンク [題名](https://…) にするか、動画・地図は <iframe> と " + EMBEDS_PATH + " を使ってください"
    if tag in {"form", "input", "button", "select", "textarea"}:
        return "入力フォームは本文に置けません。申込フォームへのリンク [申し込む](https://…) を書いてください"
    return f"削除するか Markdown で書いてください（使える HTML は {README_SECTION}）"


def _attribute_findings(offset: int, tag: str, name: str, value: str) -> list[Finding]:
    if name.startswith("on"):
        return [Finding(offset, f"HTML の属性 {name}= は使えません（event handler attribute: {name}）",
                        "スクリプトを動かす属性は本文に書けません。属性ごと削除してください")]
    if name in URL_ATTRIBUTES and not allowed_url(value):
        return [_url_finding(offset, value)]
    if name in SOURCE_ONLY_ATTRIBUTES or allowed_attribute(tag, name):
        return []
    return [Finding(offset, f"<{tag}> に属性 {name}= は使えません（attribute not allowed: {name}）",
                    f"属性を削除してください（使える HTML は {README_SECTION}）")]


def _url_finding(offset: int, url: str) -> Finding:
    scheme = url_scheme(url) or ""
    hint = ("画像はファイルにして docs/assets/images/ に置き、![説明](../assets/images/名前.png) と書いてください"
            if scheme == "data" else
            "https:// で始まるアドレスか、サイト内のページへの相対リンク（例: ../cases/ファイル名.md）を書いてください")
    return Finding(offset, f"リンク先「{scheme}:…」は使えません（URL scheme not allowed: {scheme}）", hint)


def _shown(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "…"


_LINK_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.MULTILINE)
_ATTRIBUTE_LIST = re.compile(r"\{:?([^{}\n]*=[^{}\n]*)\}")
_ATTRIBUTE = re.compile(r"""([^\s=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s}]+)""")


def _markdown_links(text: str) -> Iterable[Finding]:
    """`[x](url)`, `![x](url)` and `[id]: url`."""
    for pattern in (_LINK_TARGET, _REFERENCE):
        for match in pattern.finditer(text):
            if not allowed_url(match.group(1)):
                yield _url_finding(text.count("\n", 0, match.start()), match.group(1))


def _attribute_lists(text: str) -> Iterable[Finding]:
    """attr_list's `{ key=value }`: the element is not known here, so any tag's attribute passes."""
    known = frozenset().union(*ATTRIBUTES.values())
    for block in _ATTRIBUTE_LIST.finditer(text):
        offset = text.count("\n", 0, block.start())
        for match in _ATTRIBUTE.finditer(block.group(1)):
            name, value = match.group(1).lower(), match.group(2).strip("\"'")
            if name.startswith("on") or name in URL_ATTRIBUTES or name not in known | SOURCE_ONLY_ATTRIBUTES:
                yield from _attribute_findings(offset, "*", name, value)


# --- the sanitiser: the second wall, on rendered HTML -----------------------------------------

def sanitise(rendered: str, policy: BodyPolicy = BodyPolicy()) -> str:
    """Rendered body HTML with everything outside the policy removed; unchanged if nothing was."""
    cleaned = _cleaner(policy).clean(rendered)
    return rendered if _tree(cleaned) == _tree(rendered) else cleaned


@functools.lru_cache(maxsize=8)
def _cleaner(policy: BodyPolicy) -> nh3.Cleaner:
    """Made once per policy: building the allow-lists costs more than cleaning a page."""
    embeds = bool(policy.usable_embeds())
    return nh3.Cleaner(tags=set(TAGS | ({EMBED_TAG} if embeds else set())),
                       clean_content_tags=set(DROPPED_WITH_CONTENT),
                       attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                       attribute_filter=_embed_filter(policy) if embeds else None,
                       generic_attribute_prefixes=set(GENERIC_PREFIXES), url_schemes=set(URL_SCHEMES),
                       link_rel=None, strip_comments=True)


def _embed_filter(policy: BodyPolicy) -> Any:
    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == EMBED_TAG and attribute == "src" and not policy.embeddable(value):
            return None
        return value
    return keep


def _tree(markup: str) -> list[tuple[Any, ...]]:
    """The fragment as libxml2's HTML5 tokenizer reads it: `<br />` and `<br>`, `&para;` and `¶`
    read the same, so two serialisations of one tree compare equal."""
    root = lxml.html.fragment_fromstring(markup, create_parent="div") if markup.strip() else None
    if root is None:
        return []
    return [(str(element.tag), tuple(element.attrib.items()), element.text, element.tail) for element in root.iter()]
