"""Measuring site search the way a reader meets it: typing into the search box in Chromium.

Shared by tests/test_search_browser.py and scripts/search-quality. The truth for a query is
the set of pages whose visible text contains it after the search normalisation, where
"visible text" is what Chromium shows of the page's content area with JavaScript off, on
a wide screen or on a phone (navigation, forms and buttons taken out), read
independently of the indexer.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import yaml

from hub.search.index import normalize

QUERIES_FILE = Path(__file__).with_name("search_queries.yml")

# Chromium's reading of a page's content area, without what search leaves out: as shown
# (innerText, which follows the style sheets) or as written in the document (textContent).
CONTENT_TEXT_JS = """(rendered) => {
  const content = document.querySelector('.md-content__inner');
  if (!content) return '';
  content.querySelectorAll('nav, form, button, script, style, template, noscript, svg, [hidden], .headerlink')
    .forEach((element) => element.remove());
  content.querySelectorAll('details').forEach((element) => { element.open = true; });
  return rendered ? content.innerText : content.textContent;
}"""
# The hub's search box after a query: waits for its results, presses 「さらに表示」 until it is
# gone, and returns every result's link.
ALL_RESULTS_JS = """async (query) => {
  const root = document.querySelector('[data-hub-search]');
  const more = root.querySelector('[data-hub-search-more]');
  const done = () => new Promise((resolve) => {
    const check = () => root.getAttribute('data-hub-search-state') === 'done'
      && root.getAttribute('data-hub-search-for') === query ? resolve() : setTimeout(check, 10);
    check();
  });
  await done();
  while (!more.hidden) {
    more.click();
    await done();
  }
  return [...document.querySelectorAll('.md-search-result__link')].map((link) => link.href);
}"""
# Pages may show different text on phones and on wide screens (a calendar grid or a list).
WIDTHS = (1280, 390)


@dataclass(frozen=True)
class Query:
    text: str
    kind: str


@dataclass(frozen=True)
class Score:
    query: Query
    truth: frozenset[str]
    hits: tuple[str, ...]

    @property
    def found(self) -> frozenset[str]:
        return frozenset(self.hits) & self.truth

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.truth) if self.truth else 1.0

    @property
    def precision(self) -> float:
        return len(self.found) / len(set(self.hits)) if self.hits else (1.0 if not self.truth else 0.0)


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    return [Query(str(item["query"]), str(item["kind"]))
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, from its sitemap, as paths relative to the site root."""
    tree = ElementTree.parse(site / "sitemap.xml")
    locations = [element.text or "" for element in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    root = min(locations, key=len)
    return sorted(location[len(root):] for location in locations)


# Pages the site keeps out of its search on purpose: a newsletter issue repeats entries that
# have pages of their own (PageSpec.searchable; tests/test_digest_site.py checks the exclusion).
NOT_SEARCHED = re.compile(r"newsletter/\d{4}-\d{2}-\d{2}/|print/[a-z0-9-]+/")  # issues: their items have pages


def searched_pages(site: Path) -> list[str]:
    """The pages search should find: every page of the sitemap but those kept out on purpose."""
    return [page for page in site_pages(site) if not NOT_SEARCHED.fullmatch(page)]


@dataclass(frozen=True)
class PageText:
    visible: str  # what a reader sees of the content area, at every width
    document: str  # the content area's text as written in the document, whatever the styles hide


def read_pages(browser, base_url: str, pages: Iterable[str]) -> dict[str, PageText]:
    """Each page loaded once with JavaScript off, read at every width by resizing the window
    (the style sheets' media queries apply again; nothing else on a page changes with width)."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    read = {}
    for path in pages:
        page.goto(base_url + path)
        shown = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            shown.append(page.evaluate(CONTENT_TEXT_JS, True))
        read[path] = PageText("\n\uffff\n".join(shown), page.evaluate(CONTENT_TEXT_JS, False))
    context.close()
    return read


def visible_texts(browser, base_url: str, pages: Iterable[str]) -> dict[str, str]:
    """What a reader sees of each page's content, on a wide screen and on a phone."""
    return {path: text.visible for path, text in read_pages(browser, base_url, pages).items()}


def truth(texts: dict[str, str], query: str, fold_kana: bool = True) -> frozenset[str]:
    needle = normalize(query, fold_kana)
    return frozenset(path for path, text in texts.items() if needle and needle in normalize(text, fold_kana))


def site_path(base_url: str, href: str) -> str:
    """A result link as a page path relative to the site root, without anchor or query."""
    absolute, _ = urldefrag(urljoin(base_url, href))
    return urlsplit(absolute)._replace(query="").geturl()[len(base_url):]


class HubSearchBox:
    """The hub's search box (search.js)."""

    def __init__(self, page):
        self.page = page

    def results(self, query: str) -> list[str]:
        page = self.page
        field = page.locator("[data-hub-search-query]")
        if not field.is_visible():
            page.click("[data-hub-search-open]")
        field.fill(query)
        # Every further ten, as a reader would press 「さらに表示」, in one call into the page.
        hrefs = page.evaluate(ALL_RESULTS_JS, query)
        return [site_path(self.base_url, href) for href in hrefs]

    @property
    def base_url(self) -> str:
        return self.page.evaluate("new URL('../', new URL(document.querySelector('[data-hub-search]')"
                                  ".getAttribute('data-hub-search-index'), location.href)).href")

    def status(self) -> str:
        return self.page.inner_text("[data-hub-search-status]")

    def _wait(self, query: str) -> None:
        self.page.wait_for_function(
            "q => { const r = document.querySelector('[data-hub-search]');"
            " return r.getAttribute('data-hub-search-state') === 'done' && r.getAttribute('data-hub-search-for') === q; }",
            arg=query)


class MaterialSearchBox:
    """Material for MkDocs' own search box, for comparison (its search plugin enabled)."""

    PLACEHOLDER = "検索キーワードを入力してください"

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url

    def results(self, query: str) -> list[str]:
        page = self.page
        field = page.locator("input[data-md-component=search-query]")
        if not field.is_visible():
            page.click("label.md-header__button[for=__search]")
        self._type("")
        # Material builds its whole index in the browser first: minutes for thousands of pages.
        page.wait_for_function(f"() => document.querySelector('.md-search-result__meta').textContent.trim() === '{self.PLACEHOLDER}'",
                               timeout=600_000)
        self._type(query)
        page.wait_for_function(f"() => document.querySelector('.md-search-result__meta').textContent.trim() !== '{self.PLACEHOLDER}'")
        meta = page.inner_text(".md-search-result__meta")
        expected = int(match.group(1)) if (match := re.search(r"(\d+)", meta)) else (1 if "1件" in meta else 0)
        # Material adds results in fours each time the list is scrolled to its end again.
        scrollwrap = page.locator(".md-search__scrollwrap")
        for _ in range(500):
            if page.locator(".md-search-result__item").count() >= expected:
                break
            scrollwrap.evaluate("element => element.scrollTo(0, 0)")
            page.wait_for_timeout(30)
            scrollwrap.evaluate("element => element.scrollTo(0, element.scrollHeight)")
            page.wait_for_timeout(30)
        hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(l => l.href)")
        return list(dict.fromkeys(site_path(self.base_url, href) for href in hrefs))

    def _type(self, text: str) -> None:
        field = self.page.locator("input[data-md-component=search-query]")
        field.fill(text)
        field.dispatch_event("keyup")


class Traffic:
    """Bytes a page downloads, each response counted as if served gzip-compressed."""

    def __init__(self, page, matching: re.Pattern[str]):
        self.matching = matching
        self.responses: dict[str, int] = {}
        page.on("response", self._record)

    def _record(self, response) -> None:
        if self.matching.search(response.url) and response.ok:
            try:
                self.responses[response.url] = len(gzip.compress(response.body(), compresslevel=6))
            except Exception:  # a response the page abandoned has no body to count
                pass

    def total(self) -> int:
        return sum(self.responses.values())
