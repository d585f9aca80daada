"""数字で見る横浜: CSVs read against their descriptions (a hostile corpus), figures linked to them,
and the sample's data pages as built: each chart's SVG, its table, its download and its links."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from sitebuild import PROJECT

from hub.cli import main
from hub.collections.data import charts
from hub.collections.data.charts import ChartView
from hub.collections.data.schema import Figure
from hub.collections.data.tables import Table, read_table
from hub.core.vocab import Vocabularies
from hub.guard.privacy import PrivacyPolicy

SCHEMA = """\
title: 区ごとの団体数
source: {name: テスト用の出典, url: "https://example.org/stats"}
licence: {name: CC BY 4.0, attribution: 「テスト」（横浜市）を加工して作成}
as_of: 2020-03-31
columns:
  - {name: 区, type: ward}
  - {name: 団体数, type: integer, unit: 団体}
  - {name: 割合, type: number, unit: "%"}
  - {name: メモ, type: text}
"""
HEADER = "区,団体数,割合,メモ\n"
WARDS = Vocabularies.load(PROJECT / "data" / "vocabularies.yml", "data/vocabularies.yml")["wards"]


def read(tmp_path: Path, data: bytes, schema: str = SCHEMA) -> tuple[Table | None, list[str]]:
    folder = tmp_path / "data" / "open"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.yml").write_text(schema, encoding="utf-8")
    (folder / "t.csv").write_bytes(data)
    table, problems = read_table(folder / "t.csv", tmp_path, WARDS, PrivacyPolicy())
    return table, [problem.format() for problem in problems]


# --- a hostile corpus ----------------------------------------------------------------------

@pytest.mark.parametrize(("row", "where", "message"), [
    ("西区,\"1,234\",1.5,メモ", "data/open/t.csv:2: 団体数:", "数字にカンマ（,）は使えません: 「1,234」 → 1234 と書いてください"),
    ("保土谷区,3,1.5,メモ", "data/open/t.csv:2: 区:", "「保土谷区」という区はありません → もしかして 保土ケ谷区？"),
    ("西,3,1.5,メモ", "data/open/t.csv:2: 区:", "もしかして 西区？"),
    ("西区,,1.5,メモ", "data/open/t.csv:2: 団体数:", "値がありません"),
    ("西区,3,1.5,=cmd|' /C calc'!A0", "data/open/t.csv:2: メモ:", "表計算ソフトが式として実行してしまう書き方です"),
    ("西区,3,1.5,@SUM(A1)", "data/open/t.csv:2: メモ:", "式として実行"),
    ("西区,1234567890123456,1.5,メモ", "data/open/t.csv:2: 団体数:", "数字の桁が多すぎます"),
    ("西区,3.5,1.5,メモ", "data/open/t.csv:2: 団体数:", "整数ではありません"),
    ("西区,3団体,1.5,メモ", "data/open/t.csv:2: 団体数:", "単位は書きません"),
    ("西区,3,1.5", "data/open/t.csv:2: csv:", "この行は 3 列ですが、表は 4 列です"),
])
def test_a_bad_cell_is_reported_at_file_row_and_column_in_japanese(tmp_path, row, where, message) -> None:
    table, problems = read(tmp_path, (HEADER + row + "\n").encode("utf-8"))
    assert table is None
    assert len(problems) == 1 and problems[0].startswith(where) and message in problems[0], problems


def test_rows_are_numbered_as_the_file_s_lines_and_every_problem_is_reported(tmp_path) -> None:
    text = HEADER + "西区,3,1.5,a\n\n中区,x,1.5,b\n\"港\n北区\",4,2,c\n南区,5,y,d\n"
    _, problems = read(tmp_path, text.encode("utf-8"))
    assert [problem.split(": ")[0] + ":" + problem.split(": ")[1] for problem in problems] == [
        "data/open/t.csv:4:団体数", "data/open/t.csv:5:区", "data/open/t.csv:7:割合"]


def test_bom_crlf_full_width_digits_html_and_empty_rows_are_read_as_text_and_numbers(tmp_path) -> None:
    text = HEADER.replace("\n", "\r\n") + "西区,１２,0.5,<b>太字</b> & <script>x</script>\r\n,,,\r\n\r\n"
    table, problems = read(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert problems == [] and table is not None
    assert table.rows == [{"区": "西区", "団体数": 12, "割合": Decimal("0.5"), "メモ": "<b>太字</b> & <script>x</script>"}]


@pytest.mark.parametrize(("data", "message"), [
    (HEADER.encode("cp932") + "西区,1,1,メモ\n".encode("cp932"), "文字コードが UTF-8 ではありません"),
    (b"ward,count,rate,note\n", "1 行目の列名が説明と違います"),
    (HEADER.encode("utf-8"), "データの行がありません"),
    ((HEADER + "西区,1,1,\"閉じていない\n").encode("utf-8"), "CSV として読めません"),
    ((HEADER + "西区,1,1,担当 090-1234-5678\n").encode("utf-8"), "090-"),
])
def test_a_file_that_cannot_be_read_as_a_table_says_why(tmp_path, data, message) -> None:
    table, problems = read(tmp_path, data)
    assert table is None and any(message in problem for problem in problems), problems


def test_the_description_is_checked_as_front_matter_is(tmp_path) -> None:
    schema = SCHEMA.replace("as_of: 2020-03-31\n", "").replace("type: integer", "type: count")
    _, problems = read(tmp_path, (HEADER + "西区,1,1,メモ\n").encode("utf-8"), schema)
    assert any(problem.startswith("data/open/t.yml:1: as_of:") for problem in problems), problems
    assert any(problem.startswith("data/open/t.yml:6: columns.type:") for problem in problems), problems


def test_hub_check_reports_a_broken_csv_and_a_figure_naming_a_missing_column(hub_project, capsys) -> None:
    hub_project.write("data/open/t.yml", SCHEMA)
    hub_project.write("data/open/t.csv", HEADER + "西区,1,1,a\n保土谷区,2,1,b\n")
    hub_project.write("data/open/u.yml", SCHEMA)
    hub_project.write("data/open/u.csv", HEADER + "西区,1,1,a\n")
    hub_project.write("content/data/story.md", "---\ntitle: 例\ndate: 2021-01-10\nsummary: 例です。\nthemes: [community]\n"
                      "figures:\n  - csv: u.csv\n    title: 図\n    finding: 西区は 1 団体です。\n"
                      "    chart: {mark: bar, category: 区, value: 件数}\n---\n本文\n")
    assert main(["--root", str(hub_project.root), "check"]) == 1
    err = capsys.readouterr().err
    assert "data/open/t.csv:3: 区: 「保土谷区」という区はありません → もしかして 保土ケ谷区？" in err
    assert re.search(r"content/data/story\.md:10: figures\.chart\.value: u\.csv に「件数」という列はありません → 列: 区、団体数", err), err


# --- charts ---------------------------------------------------------------------------------

def test_a_chart_is_drawn_once_and_kept_by_the_digest_of_what_it_shows(tmp_path, monkeypatch) -> None:
    table, _ = read(tmp_path, (HEADER + "西区,3,1.5,a\n中区,5,2,b\n").encode("utf-8"))
    assert table is not None
    drawn: list[dict] = []
    monkeypatch.setattr(charts, "render", lambda spec: drawn.append(spec) or
                        b'<svg xmlns="http://www.w3.org/2000/svg" role="graphics-document" aria-label="x" style="a" width="9">'
                        b'<path fill="#0000a1" aria-hidden="true"/></svg>')
    figure = Figure(csv="t.csv", title="団体数", finding="中区が多い。",
                    chart={"mark": "bar", "category": "区", "value": "団体数"}).linked(table)
    first = ChartView(figure, tmp_path).svg()
    assert ChartView(figure, tmp_path).svg() == first and len(drawn) == 1
    assert drawn[0]["data"]["values"] == [{"区": "西区", "団体数": 3, "割合": 1.5, "メモ": "a"},
                                          {"区": "中区", "団体数": 5, "割合": 2.0, "メモ": "b"}]
    svg = ElementTree.fromstring(str(first))
    assert svg.get("role") == "img" and svg.get("style") is None and svg.get("width") is None
    assert [child.tag.split("}")[1] for child in svg][:2] == ["title", "desc"]
    assert svg[1].text == "棒グラフ。中区が多い。"
    path = svg.find("{http://www.w3.org/2000/svg}path")
    assert path.get("class") == "hub-chart__fill-1" and path.get("fill") is None and path.get("aria-hidden") is None
    other = figure.model_copy(update={"finding": "西区が少ない。"}).linked(table)
    ChartView(other, tmp_path).svg()
    assert len(drawn) == 2


# --- the sample as built ------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
DATA_PAGES = sorted(path.stem for path in (PROJECT / "content" / "data").glob("*.md"))


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def _numbers(text: str) -> list[str]:
    """Every number in a text, without grouping commas: the table's 「1,234人」 is the CSV's 1234."""
    return [found.replace(",", "") for found in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def _marks(svg: ElementTree.Element) -> int:
    """Bars, or the points of lines: the marks standing for one row each (not the legend's)."""
    groups = [group for group in svg.iter(f"{SVG}g") if "role-mark" in group.get("class", "").split()]
    return sum(len(group.findall(f"{SVG}path")) for group in groups
               if {"mark-rect", "mark-symbol"} & set(group.get("class", "").split()))


def test_the_sample_has_the_plan_s_topics_each_labelled_made_up() -> None:
    assert len(DATA_PAGES) >= 4


@pytest.mark.parametrize("slug", DATA_PAGES)
def test_each_chart_is_an_image_with_its_finding_its_marks_its_table_and_its_download(site: Path, slug: str) -> None:
    html = (site / "data" / slug / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    figures = soup.select("figure.hub-chart")
    assert figures and not soup.find_all(style=True) and "<style" not in html
    for figure in figures:
        svg = ElementTree.fromstring(str(figure.find("svg")).replace("viewbox=", "viewBox="))
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("role") == "img" and svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text == figure.figcaption.get_text(" ", strip=True).split("　", 1)[1].removesuffix(" サンプル（架空の値）")
        finding = figure.select_one(".hub-chart__finding").get_text()
        assert desc.text.endswith("グラフ。" + finding)
        assert not [element for element in svg.iter() if any(name.startswith("aria-") and name != "aria-labelledby"
                                                              or name == "role" and element is not svg for name in element.attrib)]
        link = figure.select_one("a[download]")
        published = (site / "data" / slug / link["href"]).resolve()
        data = published.read_bytes()
        assert data == (PROJECT / "data" / "open" / published.name).read_bytes()
        rows = [row for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))) if any(row.values())]
        table = figure.select_one("details table")
        headers = [th.get_text() for th in table.select("thead th")]
        shown = [[cell.get_text() for cell in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
        columns = [re.sub(r"（.*）$", "", header) for header in headers]
        expected = {tuple(_numbers(" ".join(row[column] for column in columns))) for row in rows}
        assert all(tuple(_numbers(" ".join(cells))) in expected for cells in shown)
        assert _marks(svg) == len(shown) > 0
        facts = figure.select_one(".hub-chart__facts").get_text(" ", strip=True)
        assert "時点" in facts and "出典" in facts and "ライセンス" in facts
    assert "サンプル（架空の値）" in soup.select_one(".hub-data__sample").get_text()


def test_a_filtered_chart_plots_only_its_rows(site: Path) -> None:
    figure = soup_of(site, "data/volunteer-registrations").select_one("figure.hub-chart")
    cells = [tr.find("th").get_text() for tr in figure.select("details tbody tr")]
    values = [tr.find("td").get_text() for tr in figure.select("details tbody tr")]
    assert len(cells) == 6 and values[0] == "300人" and "150人" in values and "260人" not in values  # 2020 only
    assert cells[0] == "子ども・子育て"  # sorted: the most registrations first


def test_data_pages_link_to_cases_groups_and_events_on_their_themes_and_those_link_back(site: Path) -> None:
    soup = soup_of(site, "data/ibasho-trend")
    headings = [section.h2.get_text() for section in soup.select("section.hub-related")]
    assert "関連する協働事例" in headings and "関連する登録団体" in headings
    assert soup.select_one('.hub-facts a[href="../themes/ibasho/"]')
    case = soup_of(site, "cases/asahi-danchi-ibasho")
    section = case.select_one("section.hub-related-data")
    assert section.h2.get_text() == "関連するデータ"
    assert section.select_one('a[href$="data/ibasho-trend/"]')
    # An event has no themes: the ward of its venue relates it, and an event elsewhere shows no data.
    assert soup_of(site, "events/caravan-mate-exchange-2021-02").select_one("section.hub-related-data")
    assert not soup_of(site, "events/chiiki-zukuri-nishi-2020").select_one("section.hub-related-data")


def test_data_pages_are_in_the_feed_the_sitemap_and_search(site: Path) -> None:
    links = [entry.link for entry in feedparser.parse((site / "feed.xml").read_bytes()).entries]
    sitemap = [element.text for element in ElementTree.parse(site / "sitemap.xml").iter() if element.tag.endswith("loc")]
    blocks = [json.loads(path.read_text(encoding="utf-8")) for path in (site / "search" / "t").glob("*.json")]
    for slug in DATA_PAGES:
        assert any(link.endswith(f"/data/{slug}/") for link in links)
        assert any(location.endswith(f"/data/{slug}/") for location in sitemap)
        assert any(block["url"] == f"data/{slug}/" for block in blocks)


# --- in a browser: colours from the page, in either scheme ----------------------------------

COLOURS_JS = """() => {
  const svg = document.querySelector('figure.hub-chart svg');
  const bar = svg.querySelector('.hub-chart__fill-1');
  const label = svg.querySelector('.role-axis-label text');
  const hatch = svg.querySelector('.hub-chart__hatch');
  return {bar: getComputedStyle(bar).fill, label: getComputedStyle(label).fill,
          text: getComputedStyle(document.querySelector('.hub-chart__finding')).color,
          hatch: getComputedStyle(hatch).stroke, page: getComputedStyle(document.body).backgroundColor,
          width: svg.getBoundingClientRect().width, open: document.querySelector('details.hub-chart__table').open};
}"""


def test_charts_take_their_colours_from_the_scheme(base_url: str, browser) -> None:
    found = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{base_url}/data/children-japanese-support/")
        found[scheme] = page.evaluate(COLOURS_JS)
        context.close()
    light, dark = found["light"], found["dark"]
    assert light["bar"] == "rgb(0, 23, 193)" and dark["bar"] == "rgb(157, 183, 249)"  # blue-900, blue-300
    for colours in (light, dark):
        assert colours["label"] == colours["text"] and colours["hatch"] == colours["page"]
        assert 300 < colours["width"] <= 390 and colours["open"] is False
