"""The sample site built by the real `mkdocs build`, read back with an HTML parser."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitebuild import PROJECT, build, content_digest, copy_project

from hub.collections import COLLECTIONS
from hub.core.content import Content
from hub.core.settings import Settings
from hub.reading.loader import Project, collection_files, load_content

CASES = COLLECTIONS["cases"]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(Project.from_settings(Settings.find(PROJECT)))


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def local_links(page: BeautifulSoup, scope: str = "article, .md-content") -> set[str]:
    root = page.select_one(scope) or page
    return {a["href"] for a in root.select("a[href]") if not a["href"].startswith(("http", "#", "mailto:"))}


def resolve(url: str, href: str) -> str:
    """A relative href on the page at `url` as a site path such as `cases/themes/welfare/`."""
    parts = [p for p in url.split("/") if p]
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts) + ("/" if href.endswith("/") else "")


def test_sample_content_is_rich_enough(content: Content) -> None:
    cases = content["cases"]
    assert len(cases) >= 12
    wards = {ward for case in cases for ward in case.meta.wards}
    themes = {theme for case in cases for theme in case.meta.themes}
    assert len(wards) >= 10
    assert len(themes) >= len(content.vocabularies["themes"].terms) * 0.7
    assert content.drafts >= 1


def test_every_case_has_its_page_with_title_summary_and_terms(site: Path, content: Content) -> None:
    for case in content["cases"]:
        page = soup(site, case.url)
        assert page.h1.get_text(strip=True) == case.title
        assert case.meta.summary in page.get_text()
        targets = {resolve(case.url, href) for href in local_links(page, "article")}
        for taxonomy in CASES.taxonomies:
            for term_id in case.terms(taxonomy):
                assert f"cases/{taxonomy.key}/{term_id}/" in targets, (case.slug, taxonomy.key, term_id)


def test_term_pages_link_back_to_every_case_carrying_the_term(site: Path, content: Content) -> None:
    for taxonomy in CASES.taxonomies:
        for term in content.vocabularies[taxonomy.vocabulary].terms:
            url = f"cases/{taxonomy.key}/{term.id}/"
            page = soup(site, url)
            linked = {resolve(url, href) for href in local_links(page)}
            expected = {case.url for case in content["cases"] if term.id in case.terms(taxonomy)}
            assert expected <= linked, url
            cards = {resolve(url, a["href"]) for a in page.select(".hub-card__title a")}
            assert cards == expected, url


def test_overview_pages_count_cases_per_term(site: Path, content: Content) -> None:
    for taxonomy in CASES.taxonomies:
        page = soup(site, f"cases/{taxonomy.key}/")
        items = page.select(".hub-overview li")
        assert len(items) == len(content.vocabularies[taxonomy.vocabulary].terms)
        for item, term in zip(items, content.vocabularies[taxonomy.vocabulary].terms):
            count = sum(term.id in case.terms(taxonomy) for case in content["cases"])
            assert item.select_one(".hub-count").get_text(strip=True) == f"{count} 件"
            assert term.display_label in item.get_text()


def test_case_index_lists_every_case_newest_first(site: Path, content: Content) -> None:
    page = soup(site, "cases/")
    titles = [a.get_text(strip=True) for a in page.select(".hub-card__title a")]
    assert titles == [case.title for case in content["cases"]]
    dates = [time["datetime"] for time in page.select(".hub-card__meta time")]
    assert dates == sorted(dates, reverse=True)
    filters = page.select("form[data-hub-filter] select")
    assert [select["name"] for select in filters] == [t.key for t in CASES.taxonomies]
    assert page.select_one("form[data-hub-filter]").has_attr("hidden"), "the JS filter is hidden without JS"
    assert page.select_one('script[src$="assets/hub/javascripts/filter.js"]') is not None


def test_cards_carry_their_terms_for_the_filter(site: Path, content: Content) -> None:
    page = soup(site, "cases/")
    for card, case in zip(page.select(".hub-card"), content["cases"]):
        for taxonomy in CASES.taxonomies:
            assert card[f"data-{taxonomy.key}"].split() == case.terms(taxonomy)


def test_navigation_lists_sections_not_entries(site: Path, content: Content) -> None:
    page = soup(site, content["cases"][0].url)
    nav_links = {a["href"] for a in page.select("nav.md-nav--primary a[href]")}
    assert len(nav_links) < 35  # sections and their index pages; the real check is the loop below
    for case in content["cases"]:
        assert not any(href.rstrip("/").endswith(case.slug) for href in nav_links)


def test_home_page_links_to_sections(site: Path) -> None:
    page = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert page.html["lang"] == "ja"
    links = {resolve("", href) for href in local_links(page)}
    assert {"cases/", "cases/themes/", "cases/wards/", "about/"} <= links


def _published_text(site: Path) -> str:
    chunks = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".gz", ".js"):
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            chunks.append(data.decode("utf-8", errors="replace"))
    return "\n".join(chunks)


def test_no_draft_or_private_value_anywhere(site: Path) -> None:
    cases_dir = PROJECT / "content" / "cases"
    canaries = set()
    for path in collection_files(Project.from_settings(Settings.find(PROJECT)), CASES):
        text = path.read_text(encoding="utf-8")
        canaries.update(word for word in text.split() if "CANARY" in word)
        if "draft: true" in text:
            assert not (site / "cases" / path.stem).exists()
    assert any("PRIVATE-CANARY" in c for c in canaries) and any("DRAFT-CANARY" in c for c in canaries), cases_dir
    published = _published_text(site)
    leaked = [c for c in canaries if c.strip("\"'") in published]
    assert not leaked
    search_files = [path for path in (site / "search").rglob("*") if path.is_file()]
    assert search_files, "the search index is built"
    assert not any(b"CANARY" in path.read_bytes() for path in search_files)
    drafts = [path.stem for path in (PROJECT / "content").rglob("*.md") if "draft: true" in path.read_text(encoding="utf-8")]
    assert drafts and not any(draft.encode() in path.read_bytes() for path in search_files for draft in drafts)


def test_sitemap_lists_published_pages_only(site: Path, content: Content) -> None:
    sitemap = BeautifulSoup((site / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    urls = {loc.get_text() for loc in sitemap.find_all("loc")}
    for case in content["cases"]:
        assert any(url.endswith(case.url) for url in urls)
    assert len([u for u in urls if "/cases/" in u]) >= len(content["cases"])


def test_same_input_and_epoch_give_identical_bytes(site: Path, tmp_path: Path) -> None:
    second = copy_project(tmp_path / "again", paper_pdfs=True)
    result = build(second)
    assert result.returncode == 0, result.stderr
    assert content_digest(second / "site") == content_digest(site)
