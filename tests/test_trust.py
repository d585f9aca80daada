"""What tells a reader whom they deal with: the centre's contact in the footer of every page,
the privacy policy and the accessibility policy, and the accessibility test results, whose
figures must be those the test run measures.

Every page is read with lxml, only its footer; the results page with BeautifulSoup. That the
published report is what a run measures is tested in tests/test_accessibility.py, beside the run.
Hostile values in extra.hub.centre are part of tests/hostile.py's corpus (test_escaping).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
from bs4 import BeautifulSoup

from accessibility_support import REPORT
from conftest import MKDOCS_YML
from hub.core.centre import CENTRE_OPTIONS, CentreOptions
from hub.core.options import option_problems
from hub.core.settings import Settings
from hub.output.accessibility_report import CRITERIA
from hub.output.formatting import japanese_date
from hub.output.site import OPTION_SECTIONS
from search_support import site_pages
from sitebuild import PROJECT

FOOTER = re.compile(r'<footer class="md-footer">.*?</footer>', re.S)
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')
POLICY_PAGES = {"privacy/": "プライバシーポリシー", "accessibility/": "ウェブアクセシビリティ方針", "about/": "センターについて"}
OWN_SOURCES = re.compile(r"'self'|'none'|data:|'sha256-[A-Za-z0-9+/=]+'")
BASE = "https://example.org/hub/"  # links resolve against it as against site_url (404.html links from its path)


@pytest.fixture(scope="module")
def centre() -> CentreOptions:
    found = CENTRE_OPTIONS.read(Settings.find(PROJECT))
    assert found is not None, "the sample sets extra.hub.centre"
    return found


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, str]:
    """Every HTML page of the site by its URL path (the editing UI and the e-mails' web copies are not pages)."""
    found = {}
    for path in site.rglob("*.html"):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("admin/") or path.name == "email.html":
            continue
        found[relative.removesuffix("index.html")] = path.read_text(encoding="utf-8")
    assert len(found) > 200
    return found


def _footer(html: str) -> lxml.html.HtmlElement:
    match = FOOTER.search(html)
    assert match, "no footer"
    return lxml.html.fragment_fromstring(match.group(0))


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


# --- the footer ----------------------------------------------------------------------------


def test_every_page_shows_how_to_reach_the_centre(pages: dict[str, str], centre: CentreOptions) -> None:
    for url, html in pages.items():
        footer = _footer(html)
        facts = {_text(term): term.getnext() for term in footer.iter("dt")}
        assert _text(footer.find_class("hub-footer__name")[0]) == centre.name, url
        assert _text(facts["所在地"]).startswith(centre.address), url
        assert _text(facts["開館時間"]) == centre.hours and _text(facts["休館日"]) == centre.closed, url
        assert [link.get("href") for link in facts["電話"].iter("a")] == ["tel:0450000010"], url
        assert _text(facts["電話"]) == centre.phone, url
        assert [link.get("href") for link in facts["メール"].iter("a")] == [f"mailto:{centre.email}"], url
        assert all(line in _text(facts["アクセス"]) for line in centre.access), url
        assert [link.get("href") for link in facts["アクセス"].iter("a")] == [centre.map_url], url


def test_every_page_links_the_privacy_and_accessibility_policies(pages: dict[str, str], site: Path) -> None:
    for url, html in pages.items():
        page_url = urljoin(BASE, url)
        links = {urljoin(page_url, link.get("href"))[len(BASE):]: _text(link)
                 for nav in _footer(html).find_class("hub-footer__pages") for link in nav.iter("a")}
        assert links == POLICY_PAGES, url
    assert all((site / path / "index.html").is_file() for path in POLICY_PAGES)


def test_the_policy_pages_are_in_the_sitemap_and_the_navigation(site: Path, pages: dict[str, str]) -> None:
    listed = set(site_pages(site))
    assert {"privacy/", "accessibility/", "accessibility/results/"} <= listed
    [nav] = lxml.html.document_fromstring(pages[""]).find_class("md-nav--primary")
    assert {"privacy/", "accessibility/", "accessibility/results/"} <= {link.get("href") for link in nav.iter("a")}


def test_about_sends_readers_to_the_footer_not_to_a_search_elsewhere(pages: dict[str, str]) -> None:
    about = BeautifulSoup(pages["about/"], "lxml").find("article")
    assert "このページのいちばん下" in about.get_text()
    assert "検索してください" not in about.get_text()


def test_centre_settings_are_checked_on_their_lines(hub_project) -> None:
    config = MKDOCS_YML + """\
    centre:
      name: センター
      address: 横浜市中区本町6丁目50番地の10
      hours: 9:00〜17:00
      phone: 電話はありません
      access: [一, 二, 三]
      map_url: maps.example.org
"""
    hub_project.write("mkdocs.yml", config)
    problems = [problem.format() for problem in option_problems(Settings.find(hub_project.root), OPTION_SECTIONS)]
    lines = config.splitlines()
    for key in ("phone", "access", "map_url"):
        line = next(number for number, text in enumerate(lines, start=1) if text.strip().startswith(f"{key}:"))
        assert any(problem.startswith(f"mkdocs.yml:{line}: extra.hub.centre.{key}: ") for problem in problems), problems
    assert len(problems) == 3, problems


# --- the privacy policy's claims -----------------------------------------------------------


def test_pages_load_nothing_from_elsewhere_and_set_no_cookie(site: Path, pages: dict[str, str]) -> None:
    """/privacy/ says so: every page's policy names no other origin and frames nothing, no page
    embeds anything, and no script of the site touches cookies."""
    for url, html in pages.items():
        directives = [part.split() for part in CSP.search(html).group(1).split(";") if part.strip()]
        assert all(OWN_SOURCES.fullmatch(source) for _, *sources in directives for source in sources), url
        assert "frame-src" not in {name for name, *_ in directives} and "<iframe" not in html, url
        assert "document.cookie" not in html, url
    scripts = [path for path in site.rglob("*.js") if "admin" not in path.relative_to(site).parts]
    assert scripts and not [path.name for path in scripts if "document.cookie" in path.read_text(encoding="utf-8")]
    textsize = (site / "assets" / "hub" / "javascripts" / "textsize.js").read_text(encoding="utf-8")
    assert "localStorage" in textsize and "localStorage" in BeautifulSoup(pages["privacy/"], "lxml").article.get_text()


# --- the accessibility test results --------------------------------------------------------


@pytest.fixture(scope="module")
def published() -> dict:
    assert REPORT.is_file(), "run scripts/accessibility-report"
    return json.loads(REPORT.read_text(encoding="utf-8"))


def test_the_results_page_shows_the_reports_figures(site: Path, published: dict) -> None:
    page = BeautifulSoup((site / "accessibility" / "results" / "index.html").read_text(encoding="utf-8"), "lxml")
    article = page.find("article")
    summary = " ".join(article.find("dl").get_text().split())
    assert japanese_date(date.fromisoformat(published["date"])) in summary
    assert f"axe-core {published['tools']['axe_core']}" in summary
    assert f"Nu Html Checker {published['tools']['vnu']}" in summary
    page_table, criteria_table = article.find_all("table")
    rows = page_table.find("tbody").find_all("tr")
    assert len(rows) == len(published["pages"])
    for row, result in zip(rows, published["pages"]):
        assert row.th.a.get_text() + " - よこはま市民協働ハブ" == result["title"]
        assert urljoin(BASE + "accessibility/results/", row.th.a["href"]) == BASE + result["path"]
        counts = [int(cell.get_text()) for cell in row.find_all("td")]
        assert counts == [sum(result["axe"][c["key"]] for c in published["combinations"]), result["vnu"]]
    found = {item["number"]: item for item in published["criteria"]}
    rows = criteria_table.find("tbody").find_all("tr")
    assert [row.th.get_text() for row in rows] == [f"{criterion.number} {criterion.title}" for criterion in CRITERIA]
    for row in rows:
        verdict, checks = (cell.get_text() for cell in row.find_all("td")[-2:])
        result = found.get(row.th.get_text().split()[0])
        if result is None:
            assert (verdict, checks) == ("自動試験の対象外", "—")
        else:
            assert checks == "、".join(result["checks"])
            assert verdict == (f"不適合（{result['failures']} 件）" if result["failures"] else "自動試験では問題なし")
    assert "適合" not in {row.find_all("td")[-2].get_text() for row in rows}
