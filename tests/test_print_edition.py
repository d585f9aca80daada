"""The paper editions (『にしとも広場mini』, 『にしとも広場』): /print/, each issue's page and its PDF.

The PDFs are the ones the session's sample build laid out; they are read with pypdf, their
QR codes taken out as images and decoded with zxing-cpp. The one new layout is `hub print`'s.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import zxingcpp
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sitebuild import PROJECT, copy_project

from hub.build.fingerprint import Fingerprints
from hub.cli import main
from hub.core.content import Content, Site
from hub.core.settings import Settings
from hub.digest.intro import CONTEXT_KEY
from hub.digest.wards import ward_content
from hub.output.pdf import pdf_unavailable, print_environment
from hub.output.site import make_site
from hub.paper import command, outputs
from hub.paper.config import PRINT_OPTIONS
from hub.paper.edition import make_edition
from hub.paper.issues import PUBLICATIONS_KEY, IssueFile, PrintIssueMeta
from hub.paper.layout import PDF_TEMPLATE, PRINT_CSS, pdf_data
from hub.paper.outputs import prepare

MINI = ["mini-2020-04", "mini-2020-07", "mini-2020-10", "mini-2021-01"]
BOOKLET = "hiroba-2020-10"
ISSUES = [*MINI, BOOKLET]
SITE_URL = "https://example.github.io/hub/"
A4 = (595.3, 841.9)


def flat(text: str) -> str:
    """NFKC without any whitespace: PDF text extraction breaks lines where the layout did."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


@cache
def _reader(path: Path) -> PdfReader:
    return PdfReader(path)


@pytest.fixture
def pdf(site: Path, request: pytest.FixtureRequest) -> PdfReader:
    path = site / "print" / f"{request.param}.pdf"
    if not path.is_file():
        missing = pdf_unavailable()
        if missing is None:
            pytest.fail(f"{path.name} was not built, though WeasyPrint is available")
        pytest.skip(f"the paper edition's PDF needs WeasyPrint and a Japanese font: {missing}")
    return _reader(path)


def web_items(site: Path, issue: str) -> list[tuple[str, str, str]]:
    """Each item of the web edition (which has them all): its URL, its title and its whole text."""
    page = soup(site, f"print/{issue}")
    return [(item.select_one(".hub-paper__item-title a")["href"],
             flat(item.select_one(".hub-paper__item-title a").get_text()), flat(item.get_text()))
            for item in page.select(".hub-paper__item")]


@cache
def page_texts(reader: PdfReader) -> list[str]:
    return [flat(page.extract_text()) for page in reader.pages]


def decoded_urls(reader: PdfReader) -> list[str]:
    """Every QR code of the PDF, read back from its embedded images."""
    images = {image.name: image for page in reader.pages for image in page.images}
    return sorted(result.text for image in images.values() for result in zxingcpp.read_barcodes(image.image))


def on_paper(items: list[tuple[str, str, str]], text: str) -> tuple[list[tuple[str, str, str]], int]:
    """The items the PDF shows and how many it says are left for the web (「ほか N 件はウェブ版で」)."""
    left = re.search(r"ほか(\d+)件はウェブ版で", text)
    return [item for item in items if item[1] in text], int(left.group(1)) if left else 0


# --- the archive and the web edition -------------------------------------------------------------

def test_archive_lists_every_issue_newest_first_with_its_pdf(site: Path) -> None:
    archive = soup(site, "print")
    links = [a["href"].strip("/").split("/")[-1] for a in archive.select(".hub-paper-archive__issue > a:first-child")]
    assert sorted(links) == sorted(ISSUES) and links[0] == "mini-2021-01" and links[-1] == "mini-2020-04"
    if pdf_unavailable() is None:
        pdfs = [a["href"] for a in archive.select(".hub-paper-archive__pdf")]
        assert len(pdfs) == len(ISSUES) and all((site / "print" / Path(href).name).is_file() for href in pdfs)
    assert soup(site, "newsletter").select_one("nav a[href='../print/']"), "the archive is in the navigation"


@pytest.mark.parametrize("issue", ISSUES)
def test_each_issue_has_items_with_links_to_their_pages_and_the_centres_contact(site: Path, issue: str) -> None:
    page = soup(site, f"print/{issue}")
    items = web_items(site, issue)
    assert len(items) >= 5, "the sample's dates pick real content"
    for url, _, _ in items:
        assert url.startswith(SITE_URL) and (site / url.removeprefix(SITE_URL) / "index.html").is_file(), url
    contact = page.select_one(".hub-paper__contact").get_text()
    assert "045-000-0010" in contact and "本町6丁目50番地の10" in contact and "9:00〜21:00" in contact
    assert not page.select("[style], style"), "the page policy allows no inline style"


def test_ward_edition_carries_the_wards_events_and_cafes_only(site: Path) -> None:
    urls = [url for url, _, _ in web_items(site, "hiroba-2020-10")]
    assert any("/events/chiiki-zukuri-nishi-2020/" in url for url in urls), "a Nishi-ku venue"
    assert any("/events/npo-basics-2020-11/" in url for url in urls), "online: open to every ward"
    assert not any("/events/trial-studio-2020-10/" in url for url in urls), "Naka-ku is another ward"
    cafes = [url for url in urls if "/cafes/" in url]
    assert cafes and all("/cafes/nishi-" in url for url in cafes)


@pytest.fixture(scope="module")
def sample_site() -> Site:
    """The sample's content and settings, without a build."""
    return make_site(Settings.find(PROJECT))


def test_a_wards_share_keeps_entries_without_a_ward_and_pinned_ones_from_elsewhere(sample_site: Site) -> None:
    def slugs(content: Content, collection: str) -> set[str]:
        return {entry.slug for entry in content[collection]}

    nishi = ward_content(sample_site.content, "nishi")
    assert "chiiki-zukuri-nishi-2020" in slugs(nishi, "events") and "npo-basics-2020-11" in slugs(nishi, "events")
    assert "trial-studio-2020-10" not in slugs(nishi, "events") and "ichimatsu-square-salon" not in slugs(nishi, "cases")
    assert "minkana-disaster-platform" in slugs(nishi, "cases"), "one of its wards"
    pinned = ward_content(sample_site.content, "nishi", keep=frozenset({"events/trial-studio-2020-10"}))
    assert "trial-studio-2020-10" in slugs(pinned, "events")
    assert ward_content(sample_site.content, None) is sample_site.content


def test_issue_is_in_the_site_feed(site: Path) -> None:
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert f"<link>{SITE_URL}print/mini-2021-01/</link>" in feed


# --- the PDFs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("pdf", ISSUES, indirect=True)
def test_pdf_is_a4_with_its_publications_page_count_and_page_numbers(pdf: PdfReader, request) -> None:
    issue = request.node.callspec.params["pdf"]
    pages = len(pdf.pages)
    assert (pages <= 2) if issue in MINI else (pages % 4 == 0 and pages <= 8), pages
    assert all(abs(float(page.mediabox.width) - A4[0]) < 1 and abs(float(page.mediabox.height) - A4[1]) < 1
               for page in pdf.pages)
    texts = page_texts(pdf)
    assert all(f"{number}/{pages}ページ" in text for number, text in enumerate(texts, start=1))
    assert pdf.metadata.title.startswith("にしとも広場")


@pytest.mark.parametrize("pdf", ISSUES, indirect=True)
def test_pdf_shows_its_items_in_reading_order_each_on_one_page(pdf: PdfReader, site: Path, request) -> None:
    issue = request.node.callspec.params["pdf"]
    items, texts = web_items(site, issue), page_texts(pdf)
    shown, left = on_paper(items, "".join(texts))
    assert shown and len(shown) + left == len(items), "every item is on paper or counted for the web"
    positions = ["".join(texts).index(title) for _, title, _ in shown]
    assert positions == sorted(positions), "in the web edition's order"
    for _, title, whole in shown:
        assert sum(whole in text for text in texts) == 1, f"「{title}」 is split across pages"
    contact = re.search(r"お問い合わせ横浜市市民協働推進センター(.*?)開館(.*?)電話045-000-0010", "".join(texts))
    assert contact and "本町6丁目50番地の10" in contact.group(1) and "9:00〜21:00" in contact.group(2)


@pytest.mark.parametrize("pdf", ISSUES, indirect=True)
def test_every_qr_code_decodes_to_its_items_page(pdf: PdfReader, site: Path, request) -> None:
    issue = request.node.callspec.params["pdf"]
    shown, left = on_paper(web_items(site, issue), "".join(page_texts(pdf)))
    expected = sorted([url for url, _, _ in shown] + ([f"{SITE_URL}print/{issue}/"] if left else []))
    assert decoded_urls(pdf) == expected


def test_a_full_sheet_gives_way_to_the_web_edition_but_keeps_pinned_items(site: Path) -> None:
    path = site / "print" / "mini-2021-01.pdf"
    if not path.is_file():
        pytest.skip("no PDF on this machine")
    text = "".join(page_texts(_reader(path)))
    shown, left = on_paper(web_items(site, "mini-2021-01"), text)
    assert left > 0 and "ウェブ版で" in text
    assert any("/volunteer/tobe-mimamori-visit/" in url for url, _, _ in shown), "pinned in the issue's file"


# --- what staff write: checked, escaped, laid out ----------------------------------------------

HOSTILE_TITLE = '冬号 x"><script>alert("hub")</script><img src=x onerror=alert(1)>&amp;'
LONG = "https://example.org/" + "a" * 300


@pytest.fixture
def paper_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def write_issue(project: Path, name: str, front: str, body: str = "本文です。\n") -> None:
    (project / "content" / "print" / f"{name}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def test_hub_check_refuses_a_phone_number_script_unknown_pins_and_publications(paper_project: Path, capsys) -> None:
    write_issue(paper_project, "mini-2021-04", "publication: mini\ndate: 2021-04-01\n",
                "春号です。\n詳しくは山田さん（090-1234-5678）まで。\n")
    write_issue(paper_project, "bad", "publication: minii\ndate: 2021-04-01\n"
                "pin: ['javascript:alert(1)', events/no-such-event]\n", "<script>alert(1)</script>\n")
    assert main(["--root", str(paper_project), "check"]) == 1
    report = capsys.readouterr().err
    assert "content/print/mini-2021-04.md:6: body: 電話番号" in report and "1234" not in report, "masked"
    assert "content/print/bad.md:2: publication" in report and "使える値: mini, hiroba" in report
    assert "「javascript:alert(1)」という公開中の記事はありません" in report
    assert "「events/no-such-event」という公開中の記事はありません" in report
    assert "content/print/bad.md:6: body" in report and "script" in report


def test_markup_is_text_and_long_strings_wrap_on_a_phone(sample_site: Site, browser) -> None:
    published = {entry.url.rstrip("/") for entries in sample_site.content.entries.values() for entry in entries}
    meta = PrintIssueMeta.model_validate(
        {"publication": "mini", "date": "2021-01-01", "title": HOSTILE_TITLE + LONG, "pin": ["events/npo-basics-2021-03"]},
        context={PUBLICATIONS_KEY: ["mini"], CONTEXT_KEY: published})
    publication = PRINT_OPTIONS.read(sample_site.settings).publications["mini"]
    edition = make_edition(sample_site, IssueFile("hostile", meta, f"<b>{LONG}</b>\n", "hostile.md"), publication, None)
    html = print_environment().get_template(PDF_TEMPLATE).render(
        hub={**pdf_data(edition, sample_site.settings), "shown": len(edition.items), "memo_pages": 0})
    parsed = BeautifulSoup(html, "lxml")
    assert not parsed.select("script, [onerror]") and HOSTILE_TITLE in parsed.h1.get_text()
    assert parsed.select_one(".hub-paper__item .hub-paper__mark").get_text() == "注目", "the pinned event comes first"
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_content(html)
    page.add_style_tag(path=str(PRINT_CSS))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the issue scrolls sideways by {overflow}px"
    page.close()


def test_hub_print_writes_one_issue_pdf_that_keeps_long_strings_on_the_page(paper_project: Path, capsys) -> None:
    """The suite's one layout: a small issue (two items) with a 320-character string in its title and editorial."""
    if pdf_unavailable():
        pytest.skip(f"needs WeasyPrint and a Japanese font: {pdf_unavailable()}")
    write_issue(paper_project, "hostile", f"publication: mini\ndate: 2019-12-01\ntitle: '{HOSTILE_TITLE}{LONG}'\n",
                f"<b>{LONG}</b>\n")
    out = paper_project / "out"
    assert main(["--root", str(paper_project), "print", "--issue", "hostile", "--out", str(out)]) == 0
    assert re.search(r"A4・両面1枚 [12] ページ、\d+ kB.*\n  紙面のお知らせ \d+ 件", capsys.readouterr().out)
    reader = PdfReader(out / "hostile.pdf")
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    runs = [len(run) for line in lines for run in re.findall(r"a{10,}", line)]
    assert sum(runs) == 2 * 300 and max(runs) < 100, "the string wraps within the page instead of running off it"
    assert "<script>" in "".join(lines), "markup is printed as the text it is"


def test_without_weasyprint_the_pages_are_made_and_the_pdfs_skipped_with_a_message(
        sample_site: Site, monkeypatch, caplog, capsys) -> None:
    monkeypatch.setattr(outputs, "pdf_unavailable", lambda: "WeasyPrint がインストールされていません")
    monkeypatch.setattr(command, "pdf_unavailable", lambda: "WeasyPrint がインストールされていません")
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.hub.pdf"):
        made = list(outputs.paper_outputs(sample_site))
    assert made and not [output for output in made if output.src_uri.endswith(".pdf")]
    assert all(output.data["pdf"] in (None, False) for output in made)
    assert any("print/*.pdf" in record.getMessage() and "WeasyPrint" in record.getMessage() for record in caplog.records)
    assert main(["--root", str(PROJECT), "print", "--issue", "mini-2020-07"]) == 1
    assert "PDF を作れません" in capsys.readouterr().err


def test_each_pdf_is_kept_by_the_digest_of_its_issue_and_laid_out_by_builds_only(sample_site: Site) -> None:
    """What hub.build.kept_files reuses a kept file by (tests/test_kept_files.py builds with the guidebook's)."""
    paper = prepare(sample_site)
    again = prepare(sample_site)
    first, same = (outputs.pdf_file(paper.find("mini-2021-01"), sample_site),
                   outputs.pdf_file(again.find("mini-2021-01"), sample_site))
    other = outputs.pdf_file(paper.find("mini-2020-10"), sample_site)
    assert first.keep and first.build_only and first.src_uri == "print/mini-2021-01.pdf"
    assert Fingerprints().of(first.inputs) == Fingerprints().of(same.inputs) != Fingerprints().of(other.inputs)


def test_pdf_false_makes_the_web_editions_only(sample_site: Site, monkeypatch) -> None:
    monkeypatch.setitem(sample_site.settings.options["print"], "pdf", False)
    made = list(outputs.paper_outputs(sample_site))
    assert len(made) == len(ISSUES) + 1 and all(output.data["pdf"] in (None, False) for output in made)


def test_phone_viewport_has_no_horizontal_scroll_and_no_qr_codes(browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    for path in ("print/", "print/mini-2021-01/", "print/hiroba-2020-10/"):
        page.goto(base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        assert all(qr.is_hidden() for qr in page.locator(".hub-paper__qr").all()), "QR codes are for paper"
    page.close()


def test_printing_the_web_edition_leaves_the_chrome_and_shows_the_qr_codes(browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "print/mini-2021-01/")
    shown = "s => [...document.querySelectorAll(s)].map(e => getComputedStyle(e).display)"
    assert "none" in page.evaluate(shown, ".hub-paper__qr") and "none" not in page.evaluate(shown, ".md-header")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".hub-breadcrumb", ".hub-paper__actions"):
        assert set(page.evaluate(shown, selector)) == {"none"}, selector
    assert "none" not in page.evaluate(shown, ".hub-paper__qr")
    assert page.evaluate("getComputedStyle(document.querySelector('.hub-paper__item')).breakInside") == "avoid"
    page.close()
