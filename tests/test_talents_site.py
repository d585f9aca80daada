"""The talents as built by the real `mkdocs build`: read with an HTML parser, pypdf and headless Chromium."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sitebuild import PROJECT

from hub.output.pdf import pdf_unavailable
from hub.core.content import Content
from hub.core.settings import Settings
from hub.reading.loader import Project, load_content

A4 = (595.3, 841.9)  # points; Letter, the default otherwise, is 612 × 792


def is_a4(box) -> bool:
    """Within a point: Chromium rounds the page size to whole CSS pixels."""
    return abs(float(box.width) - A4[0]) < 1 and abs(float(box.height) - A4[1]) < 1


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(Project.from_settings(Settings.find(PROJECT)))


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.find(PROJECT)


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def resolve(url: str, href: str) -> str:
    parts = [p for p in url.split("/") if p]
    for piece in href.split("#")[0].split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts) + "/"


def directory_titles(site: Path) -> list[str]:
    return [a.get_text(strip=True) for a in soup(site, "talents").select(".hub-talent-card .hub-card__title a")]


def text_without_spaces(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the sample ---------------------------------------------------------------------------------

def test_sample_has_twenty_talents_in_varied_categories(content: Content) -> None:
    talents = content["talents"]
    assert len(talents) >= 20
    used = {category for talent in talents for category in talent.meta.categories}
    assert used == {term.id for term in content.vocabularies["talent_categories"].terms}
    assert {talent.meta.fee.type for talent in talents} == {"free", "expenses", "honorarium"}


# --- the directory --------------------------------------------------------------------------------

@pytest.mark.parametrize("first, second", [
    pytest.param("鰹節けずり実演", "がっきあそび隊", id="ga-folds-into-ka"),
    pytest.param("がっきあそび隊", "河童の昔話を語る会", id="small-tsu-folds-into-tsu"),
    pytest.param("カードマジック研究会", "介護予防体操の会", id="long-vowel-reads-as-a"),
    pytest.param("ハーモニカ同好会 にし", "花笠踊りの会", id="long-vowel-in-the-ha-row"),
    pytest.param("ヴァイオリン三重奏 みなとみらい", "ウクレレ ひだまり", id="vu-folds-into-u"),
    pytest.param("三味線 西の音", "手話で歌おう", id="small-ya-before-small-yu"),
    pytest.param("花笠踊りの会", "バルーンアート ぷくぷく", id="ba-folds-into-ha"),
])
def test_directory_is_in_gojuon_order(site: Path, first: str, second: str) -> None:
    titles = directory_titles(site)
    assert titles.index(first) < titles.index(second)


def test_voiced_pair_sits_together_plain_first(site: Path) -> None:
    titles = directory_titles(site)
    assert titles.index("胡麻の会") == titles.index("独楽の会") + 1


def test_directory_lists_every_published_talent_once_and_no_draft(site: Path, content: Content) -> None:
    titles = directory_titles(site)
    assert sorted(titles) == sorted(talent.title for talent in content["talents"])
    assert "新しく登録予定の達人（準備中）" not in titles
    assert not (site / "talents" / "shinki-toroku").exists()


def test_rows_hold_their_talents_under_a_heading(site: Path) -> None:
    page = soup(site, "talents")
    rows = {section["id"]: [a.get_text(strip=True) for a in section.select(".hub-card__title a")]
            for section in page.select("section.hub-kana-row")}
    assert "がっきあそび隊" in rows["kana-ka"]
    assert "ヴァイオリン三重奏 みなとみらい" in rows["kana-a"]
    assert "バルーンアート ぷくぷく" in rows["kana-ha"]
    assert "輪投げと昔あそび" in rows["kana-wa"]
    headings = [h2.get_text(" ", strip=True).split()[0] for h2 in page.select("section.hub-kana-row h2")]
    assert headings == ["あ行", "か行", "さ行", "た行", "な行", "は行", "ま行", "や行", "ら行", "わ行"]


def test_jump_index_links_to_each_row(site: Path) -> None:
    page = soup(site, "talents")
    links = page.select("nav.hub-kana-index a")
    assert [a.get_text(strip=True) for a in links] == list("あかさたなはまやらわ")
    for link in links:
        assert page.find(id=link["href"].lstrip("#")) is not None, link["href"]


# --- category pages -----------------------------------------------------------------------------

def test_each_category_page_lists_its_talents_in_directory_order(site: Path, content: Content) -> None:
    order = directory_titles(site)
    for term in content.vocabularies["talent_categories"].terms:
        url = f"talents/category/{term.id}/"
        page = soup(site, url)
        titles = [a.get_text(strip=True) for a in page.select(".hub-card__title a")]
        expected = [t for t in order if any(e.title == t and term.id in e.meta.categories for e in content["talents"])]
        assert titles == expected, url
        assert page.h1.get_text(strip=True) == f"{term.label}の西区街の名人・達人"


def test_category_overview_counts_and_links(site: Path, content: Content) -> None:
    page = soup(site, "talents/category")
    items = page.select(".hub-overview li")
    terms = content.vocabularies["talent_categories"].terms
    assert len(items) == len(terms)
    for item, term in zip(items, terms):
        count = sum(term.id in talent.meta.categories for talent in content["talents"])
        assert item.select_one(".hub-count").get_text(strip=True) == f"{count} 件"
        assert resolve("talents/category/", item.a["href"]) == f"talents/category/{term.id}/"


def test_talent_pages_link_to_their_category_pages(site: Path, content: Content) -> None:
    for talent in content["talents"]:
        page = soup(site, talent.url)
        targets = {resolve(talent.url, a["href"]) for a in page.select(".hub-talent-facts a.hub-term")}
        assert targets == {f"talents/category/{c}/" for c in talent.meta.categories}, talent.slug


# --- a talent's page -------------------------------------------------------------------------------

def test_talent_page_shows_what_they_offer_and_the_centres_desk(site: Path, content: Content, settings) -> None:
    talent = next(t for t in content["talents"] if t.slug == "harmonica-nishi")
    page = soup(site, talent.url)
    text = page.select_one("article").get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == "ハーモニカ同好会 にし"
    assert page.select_one(".hub-kana").get_text(strip=True) == "ハーモニカどうこうかい にし"
    assert "（約45分）" in text and "（約60分）" in text
    assert "謝礼" in text and "火・木" in text
    assert page.select_one("img")["alt"] == "横に長いハーモニカのイラスト"
    desk = settings.options["talents"]["contact"]
    request = page.select_one("section#request")
    assert request.h2.get_text(strip=True) == "ご依頼方法"
    article = page.select_one("article")  # the footer adds the centre's own contact on every page
    assert {a["href"] for a in article.select("a[href^='tel:'], a[href^='mailto:']")} == {
        "tel:" + desk["tel"].replace("-", ""), "mailto:" + desk["email"]}
    assert desk["name"] in request.get_text()


# --- the guidebook ---------------------------------------------------------------------------------

def test_guidebook_has_cover_contents_by_category_and_one_block_per_talent(site: Path, content: Content) -> None:
    page = soup(site, "talents/guidebook")
    cover = page.select_one(".hub-guidebook__cover")
    assert cover.h1.get_text(strip=True) == "西区街の名人・達人ガイドブック"
    assert f"登録 {len(content['talents'])} 件" in cover.get_text()
    blocks = page.select("article.hub-guidebook__talent")
    assert [block.h3.get_text(strip=True) for block in blocks] == directory_titles(site)
    ids = {block["id"] for block in blocks}
    sections = page.select(".hub-guidebook__toc-section")
    used = [t for t in content.vocabularies["talent_categories"].terms
            if any(t.id in talent.meta.categories for talent in content["talents"])]
    assert [s.h3.contents[0].strip() for s in sections] == [t.label for t in used]
    for section, term in zip(sections, used):
        links = section.select("a")
        assert {a["href"].lstrip("#") for a in links} <= ids
        assert len(links) == sum(term.id in talent.meta.categories for talent in content["talents"])
    assert page.select_one("section#request") is not None


def test_guidebook_page_links_its_print_stylesheet(site: Path) -> None:
    page = soup(site, "talents/guidebook")
    [link] = [l for l in page.select("link[rel=stylesheet]") if "print/guidebook.css" in l["href"]]
    css = (site / "talents" / "guidebook" / link["href"]).resolve().read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    others = [soup(site, url).select("link[href*='print/guidebook.css']") for url in ("talents", "talents/gakki-asobi")]
    assert others == [[], []], "only the guidebook page prints as a booklet"


CHROME = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".hub-breadcrumb",
          ".hub-guidebook__actions"]


def printed(page, media: str) -> tuple[PdfReader, list[str]]:
    """Chromium's own PDF of the page, with `media` CSS, and each page's text (NFKC, no spaces)."""
    page.emulate_media(media=media)
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    return reader, [text_without_spaces(unicodedata.normalize("NFKC", p.extract_text())) for p in reader.pages]


# Text of the header, the breadcrumb and the page's buttons that survives PDF text extraction (some kanji
# come back as radicals, such as 民 in the site's name, so part of the name is used).
CHROME_TEXT = ["協働ハブ", "ホーム", "PDF版をダウンロード"]


def test_printing_the_guidebook_in_chromium(browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "talents/guidebook/")
    for selector in CHROME:
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") != "none", selector
    _, on_screen = printed(page, "screen")
    assert all(marker in "".join(on_screen) for marker in CHROME_TEXT), "the markers are found when shown"
    reader, pages = printed(page, "print")
    for selector in CHROME:
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    assert not [marker for marker in CHROME_TEXT if marker in "".join(pages)], "no navigation chrome on paper"
    styles = page.evaluate("""() => ({
        cover: getComputedStyle(document.querySelector('.hub-guidebook__cover')).breakAfter,
        toc: getComputedStyle(document.querySelector('.hub-guidebook__toc')).breakAfter,
        talent: getComputedStyle(document.querySelector('.hub-guidebook__talent')).breakInside,
    })""")
    assert styles == {"cover": "page", "toc": "page", "talent": "avoid"}
    assert is_a4(reader.pages[0].mediabox), "the page size comes from the stylesheet's @page"
    assert "ガイドブック" in pages[0] and "もくじ" not in pages[0], "the cover has a page of its own"
    assert any(re.sub(r"^\d+/\d+", "", text).startswith("もくじ") for text in pages), "the contents start a page"
    page.close()


# --- guidebook.pdf ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf(site: Path) -> PdfReader:
    path = site / "talents" / "guidebook.pdf"
    if not path.is_file():
        missing = pdf_unavailable()
        if missing is None or os.environ.get("CI"):
            pytest.fail(f"guidebook.pdf was not built ({missing or 'WeasyPrint is available'})")
        pytest.skip(f"guidebook.pdf needs WeasyPrint and a Japanese font: {missing}")
    return PdfReader(path)


def test_pdf_is_an_a4_guidebook_with_every_talent_in_japanese(pdf: PdfReader, content: Content) -> None:
    assert pdf.metadata.title == "西区街の名人・達人 ガイドブック"
    assert all(is_a4(page.mediabox) for page in pdf.pages)
    pages = [text_without_spaces(page.extract_text()) for page in pdf.pages]
    assert "西区街の名人・達人" in pages[0] and "ガイドブック" in pages[0]
    assert "ご依頼方法" in pages[1] and "045-000-0000" in pages[1]
    everything = "".join(pages)
    for talent in content["talents"]:
        assert text_without_spaces(talent.title) in everything, talent.title
        assert text_without_spaces(talent.meta.kana) in everything, talent.meta.kana


def test_pdf_contents_give_the_page_of_each_talent(pdf: PdfReader) -> None:
    pages = [text_without_spaces(page.extract_text()) for page in pdf.pages]
    block_page = next(number for number, text in enumerate(pages, start=1) if "ヴァイオリンさんじゅうそう" in text)
    toc = next(text for text in pages if "もくじ（分野別）" in text)
    match = re.search(r"ヴァイオリン三重奏みなとみらい[.]*(\d+)", toc)
    assert match and int(match.group(1)) == block_page


def test_guidebook_page_offers_the_pdf(site: Path, pdf: PdfReader) -> None:
    page = soup(site, "talents/guidebook")
    link = page.select_one(".hub-guidebook__actions a[download]")
    assert resolve("talents/guidebook/", link["href"]).rstrip("/") == "talents/guidebook.pdf"
    assert "PDF" in link.get_text() and (site / "talents" / "guidebook.pdf").stat().st_size > 0
