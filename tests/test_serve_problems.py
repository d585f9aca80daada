"""The preview shows content problems: `mkdocs serve` answers its pages with the list of them.

One real `mkdocs serve --dirty` runs on a copy of the project whose content is broken before
the first build; the tests read its pages over HTTP as the editor's browser does, fix the
files, break one again and fix it again, in that order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from serving import Preview, Response, serving
from sitebuild import PROJECT, copy_project

from hub.build.serve_problems import STYLESHEET_URL

CASE = "nishi-shotengai-tasedai"  # its summary: line 5
OTHER = "asahi-danchi-ibasho"  # its wards: line 7
PHONE = "045-123-4567"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_KEY = "<img src=x onerror=alert(2)>"
HEADING = "内容に問題があるため、プレビューを更新できません"


def _lists_problems(response: Response) -> bool:
    return response.soup().find("h1", string=HEADING) is not None


def _source(preview: Preview, name: str) -> Path:
    return preview.project / "content" / "cases" / f"{name}.md"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    project = copy_project(tmp_path_factory.mktemp("serve-problems") / "project")
    cases = project / "content" / "cases"
    _break(cases / f"{CASE}.md", "summary: ", f"電話 {PHONE} まで。")
    other = cases / f"{OTHER}.md"
    other.write_text(other.read_text(encoding="utf-8").replace("wards: [asahi]", f'wards: [asahi, "{HOSTILE}"]', 1)
                     .replace("status: active\n", f'status: active\n"{HOSTILE_KEY}": 1\n', 1), encoding="utf-8")
    with serving(project, f"cases/{CASE}/") as running:
        yield running


def _break(path: Path, key: str, addition: str) -> None:
    """`addition` at the end of `key`'s line, saved as an editor saves."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\n" + key) + 1
    end = text.index("\n", start)
    path.write_text(text[:end] + addition + text[end:], encoding="utf-8")


def _restore(path: Path) -> None:
    path.write_text((PROJECT / "content" / "cases" / path.name).read_text(encoding="utf-8"), encoding="utf-8")


def _items(soup: BeautifulSoup) -> dict[tuple[str, str], str]:
    """(path:line, key) → the problem's text, for each item of the list."""
    found = {}
    for item in soup.select("main li"):
        where, key = (code.get_text() for code in item.select(".where code"))
        found[(where, key)] = item.get_text(" ", strip=True)
    return found


def test_serve_starts_on_broken_content_and_every_page_lists_the_problems(preview: Preview) -> None:
    response = preview.get(f"cases/{CASE}/")
    assert response.status == 200 and response.content_type.startswith("text/html")
    soup = response.soup()
    assert soup.html["lang"] == "ja"
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "2"
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "問題は 3 件です" in soup.get_text()
    items = _items(soup)
    assert {where for where, _ in items} == {f"content/cases/{CASE}.md:5", f"content/cases/{OTHER}.md:7",
                                             f"content/cases/{OTHER}.md:10"}
    assert "電話番号" in items[(f"content/cases/{CASE}.md:5", "summary")]
    assert "自動で読み込み直され" in soup.get_text()
    assert [heading.get_text() for heading in soup.select("main h2 code")] == [f"content/cases/{OTHER}.md",
                                                                                f"content/cases/{CASE}.md"]
    assert PHONE not in response.text
    for path in ("", "about/", "events/", "404.html", "no/such/page/"):
        assert _lists_problems(preview.get(path)), path


def test_what_an_editor_wrote_is_text_on_the_problems_page(preview: Preview) -> None:
    soup = preview.get(f"cases/{OTHER}/").soup()
    assert soup.find("script") is None and soup.find("img") is None
    assert not [element for element in soup.find_all(True) if any(name.startswith("on") for name in element.attrs)]
    items = _items(soup)
    assert HOSTILE in items[(f"content/cases/{OTHER}.md:7", "wards")]
    assert (f"content/cases/{OTHER}.md:10", HOSTILE_KEY) in items


def test_files_that_are_not_pages_pass_through(preview: Preview) -> None:
    stylesheet = preview.get(STYLESHEET_URL)
    assert stylesheet.content_type.startswith("text/css") and "overflow-wrap" in stylesheet.text
    assert preview.get("sitemap.xml").text.startswith("<?xml")
    assert preview.get("/livereload/0/0").text.isdigit()


def test_the_page_comes_back_once_the_files_are_fixed(preview: Preview) -> None:
    _restore(_source(preview, CASE))
    _restore(_source(preview, OTHER))
    page = preview.wait_for(f"cases/{CASE}/", lambda response: not _lists_problems(response), timeout=180).soup()
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert "商店街" in page.find("h1").get_text()


def test_a_rebuild_with_a_problem_lists_it_until_the_fix(preview: Preview) -> None:
    _break(_source(preview, CASE), "summary: ", f"電話 {PHONE} まで。")
    response = preview.wait_for(f"cases/{CASE}/", _lists_problems)
    assert list(_items(response.soup())) == [(f"content/cases/{CASE}.md:5", "summary")]
    assert PHONE not in response.text
    preview.wait_for("search/manifest.json", lambda response: response.text.startswith("{"))  # not a page: passes
    _restore(_source(preview, CASE))
    page = preview.wait_for(f"cases/{CASE}/", lambda response: not _lists_problems(response)).soup()
    assert "商店街" in page.find("h1").get_text()
