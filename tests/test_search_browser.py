"""Site search on the built sample site: what it indexes, and the real search box in Chromium.

The query set (tests/search_queries.yml) is typed into the header's search box; every page
whose visible text contains the query must be listed (recall 1.0), and nothing else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from search_support import HubSearchBox, PageText, Score, load_queries, read_pages, searched_pages, truth
from sitebuild import PROJECT

from hub.search.index import bigrams, normalize, shard_of, visible_text

QUERIES = load_queries()


@pytest.fixture(scope="module")
def read(browser, base_url: str, site: Path) -> dict[str, PageText]:
    return read_pages(browser, base_url, searched_pages(site))


@pytest.fixture(scope="module")
def texts(read: dict[str, PageText]) -> dict[str, str]:
    return {path: text.visible for path, text in read.items()}


@pytest.fixture
def page(browser, base_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url)
    yield page
    context.close()


def index_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in (site / "search").rglob("*") if path.is_file()}


# --- what is indexed -----------------------------------------------------------------------


def test_drafts_and_private_values_never_reach_the_index(site: Path) -> None:
    canaries = {"DRAFT-CANARY", "PRIVATE-CANARY"}
    sources = "".join(path.read_text(encoding="utf-8") for path in (PROJECT / "content").rglob("*.md"))
    assert all(canary in sources for canary in canaries), "the sample content carries the canaries"
    files = index_files(site)
    assert len(files) > 10
    for path, data in files.items():
        for canary in canaries:
            assert canary.encode() not in data, f"{canary} in {path}"
    urls = {json.loads(data)["url"] for path, data in files.items() if path.startswith("search/t/")}
    assert "cases/tsurumi-draft-coop-market/" not in urls


def test_every_page_is_indexed_once_and_material_search_is_off(site: Path) -> None:
    files = index_files(site)
    manifest = json.loads(files["search/manifest.json"])
    first_blocks = [json.loads(files[f"search/t/{sum(manifest['blocks'][:page])}.json"]) for page in range(len(manifest["blocks"]))]
    assert sorted(block["url"] for block in first_blocks) == searched_pages(site)
    assert not (site / "search" / "search_index.json").exists()
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.select_one("form[name=search]") is None, "Material's own search box is not on the page"
    assert home.select_one("[data-hub-search] input[data-hub-search-query]") is not None


def test_indexed_text_is_the_content_the_browser_reads(read: dict[str, PageText], site: Path) -> None:
    """The page as built, before scripts change it (read with JavaScript off)."""
    for path, text in read.items():
        html = (site / path / "index.html").read_text(encoding="utf-8")
        assert normalize(visible_text(html, "md-content__inner")) == normalize(text.document), path


# --- the search box ------------------------------------------------------------------------


def test_query_set_finds_every_page_containing_the_query_and_nothing_else(page, texts: dict[str, str]) -> None:
    box = HubSearchBox(page)
    scores = []
    for query in QUERIES:
        scores.append(Score(query, truth(texts, query.text), tuple(box.results(query.text))))
        shown = len(scores[-1].hits)
        assert box.status() == (f"{shown} 件見つかりました" if shown else "見つかりませんでした"), query.text
    assert sum(1 for score in scores if score.truth) >= 40, "the query set stays meaningful for the sample"
    assert len({query.kind for query in QUERIES}) >= 6
    for score in scores:
        assert len(score.hits) == len(set(score.hits)), f"{score.query.text}: a page listed twice"
        assert score.recall == 1.0, f"{score.query.text}: missed {sorted(score.truth - set(score.hits))}"
        assert score.precision == 1.0, f"{score.query.text}: wrong {sorted(set(score.hits) - score.truth)}"


def test_title_matches_rank_first_and_snippets_mark_the_query(page) -> None:
    box = HubSearchBox(page)
    box.results("キャラバンメイト")
    titles = page.locator(".md-search-result__article h2").all_inner_texts()
    in_title = [normalize("キャラバンメイト") in normalize(title) for title in titles]
    assert any(in_title) and not all(in_title)
    assert in_title == sorted(in_title, reverse=True), "every title match comes before the others"
    for marked in page.locator(".md-search-result__article p mark").all_inner_texts():
        assert normalize(marked) == normalize("キャラバンメイト"), marked


def test_longer_queries_count_only_pages_that_really_contain_them(page, texts: dict[str, str]) -> None:
    """地域の居場所: many pages hold all its bigrams, fewer hold the phrase itself; the count is theirs."""
    box = HubSearchBox(page)
    query = "地域の居場所"
    hits = box.results(query)
    every_bigram = frozenset.intersection(*(truth(texts, query[i:i + 2]) for i in range(len(query) - 1)))
    assert 0 < len(hits) < len(every_bigram)
    assert set(hits) == truth(texts, query)
    assert box.status() == f"{len(hits)} 件見つかりました"


def test_results_come_ten_at_a_time_with_a_count_for_screen_readers(page) -> None:
    box = HubSearchBox(page)
    page.keyboard.press("/")
    page.keyboard.type("協働")
    box._wait("協働")
    status = page.locator("[data-hub-search-status]")
    assert status.get_attribute("role") == "status"
    total = int(re.match(r"(\d+) 件見つかりました", status.inner_text()).group(1))
    assert total > 20
    assert page.locator(".md-search-result__link").count() == 10
    more = page.locator("[data-hub-search-more]")
    assert more.inner_text() == f"さらに表示（残り {total - 10} 件）"
    more.click()
    box._wait("協働")
    assert page.locator(".md-search-result__link").count() == 20
    assert page.evaluate("document.activeElement === document.querySelectorAll('.md-search-result__link')[10]")


def test_keyboard_opens_moves_through_results_and_closes(page, base_url: str) -> None:
    box = HubSearchBox(page)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('[data-hub-search-query]')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("リビングラボ")
    box._wait("リビングラボ")
    page.keyboard.press("ArrowDown")
    first = page.locator(".md-search-result__link").first
    assert page.evaluate("document.activeElement === document.querySelector('.md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('[data-hub-search-query]')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("s")
    target = first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)


def test_first_query_downloads_only_the_shards_of_its_own_bigrams(browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url + "about/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/search/" in url], "nothing is downloaded before the search is used"
    HubSearchBox(page).results("認知症カフェ")
    manifest = json.loads(page.evaluate("fetch('../search/manifest.json').then(r => r.text())"))
    wanted = {shard_of(key, manifest["bigram_shards"]) for key in bigrams(normalize("認知症カフェ"))}
    shards = {int(re.search(r"/search/b/(\d+)\.json", url).group(1)) for url in requested if "/search/b/" in url}
    assert shards and shards <= wanted
    assert not [url for url in requested if "/search/u/" in url]
    context.close()


def test_phone_opens_the_search_from_the_header_button(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(base_url + "cases/")
    panel = page.locator(".hub-search .md-search__inner")
    assert panel.bounding_box()["width"] == 0, "closed, Material's panel takes no room"
    page.tap("[data-hub-search-open]")
    page.wait_for_function("() => document.querySelector('.hub-search .md-search__inner').getBoundingClientRect().width === 390")
    assert page.evaluate("document.activeElement.matches('[data-hub-search-query]')")
    results = HubSearchBox(page).results("ｶﾌｪ")
    assert results and page.locator(".md-search-result__link").first.is_visible()
    context.close()


def test_a_link_with_q_opens_the_search_with_that_query(browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "?q=" + "西区")
    HubSearchBox(page)._wait("西区")
    assert page.locator("[data-hub-search-query]").input_value() == "西区"
    assert page.locator(".md-search-result__link").count() > 0
    context.close()


def test_without_javascript_no_search_box_is_offered(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url)
    assert not page.locator("[data-hub-search-open]").is_visible()
    assert not page.locator("[data-hub-search-query]").is_visible()
    context.close()
