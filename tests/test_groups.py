"""登録団体: the schema's messages, the directory data, the built pages and the kintone import.

Schema and import tests write a small project (`hub_project`); page tests read the session's
sample site (`site`), whose content/groups/ has active, dormant and dissolved groups.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import lxml.html
import pytest
from bs4 import BeautifulSoup
from sitebuild import PROJECT

from hub.cli import main
from hub.collections import COLLECTIONS
from hub.collections.groups.directory import build_directory
from hub.collections.groups.references import GroupRegister, ReferenceList
from hub.collections.groups.schema import registered_news
from hub.core.collation import ROWS, row_of, sort_key
from hub.core.contact import contact_from_text
from hub.output.templating import template_environment
from hub.reading.frontmatter import read_source

GROUP = "content/groups/example.md"
# A valid group using every key; each value on lines of its own, so that a problem's line says which.
BASELINE = {
    "title": "みなと日本語教室",
    "kana": "みなとにほんごきょうしつ",
    "summary": "外国につながる人に、ボランティアが日本語を教える教室です。",
    "themes": "[multicultural]",
    "wards": "[naka]",
    "activities": "\n  - 毎週土曜の日本語教室",
    "legal_form": "voluntary",
    "founded": "2009",
    "registered": "2016-04-20",
    "website": "https://example.org/minato/",
    "links": "\n  - title: 活動日記\n    url: https://example.org/minato/blog",
    "contact": "\n  org: みなと日本語教室\n  phone: 045-000-0012\n  email: minato@example.org"
               "\n  url: https://example.org/minato/contact\n  hours: 土曜 10:00〜12:00\n  public: organisation",
    "status": "active",
    "status_note": "夏休みの 8 月は教室をお休みします。",
}
BODY = "中区の地区センターで、毎週土曜日の午前に教室を開いています。\n"
MOBILE = "090-1234-5678"


def group_text(body: str = BODY, **changes: str | None) -> str:
    values = {**BASELINE, **changes}
    lines = [f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}"
             for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def write_group(hub_project, name: str = "example", body: str = BODY, **changes: str | None) -> Path:
    return hub_project.write(f"content/groups/{name}.md", group_text(body, **changes))


def line_starting(path: Path, start: str) -> int:
    [number] = [number for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
                if line.startswith(start)]
    return number


def test_the_baseline_group_is_valid(hub_project) -> None:
    write_group(hub_project)
    [entry] = hub_project.load()["groups"]
    assert entry.meta.founded == 2009 and entry.meta.contact.public == "organisation"


# --- the schema: every problem names the file, the line and the key, and what to write --------

@pytest.mark.parametrize("changes, start, key, message", [
    pytest.param({"kana": "港日本語"}, "kana:", "kana", "ひらがなかカタカナで", id="kanji-in-kana"),
    pytest.param({"themes": "[多文化共生]"}, "themes:", "themes", "themes（テーマ）の語彙にありません", id="theme-label"),
    pytest.param({"legal_form": "NPO法人"}, "legal_form:", "legal_form", "legal_forms（法人格）の語彙", id="legal-form-label"),
    pytest.param({"founded": "昔から"}, "founded:", "founded", "設立は年か日付で", id="founded-words"),
    pytest.param({"founded": "1850"}, "founded:", "founded", "1900〜2100 年", id="founded-range"),
    pytest.param({"founded": "2017"}, "registered:", "registered", "設立（2017）より前", id="registered-before-founded"),
    pytest.param({"status": "休み"}, "status:", "status", "status（活動状況）に使えません", id="unknown-status"),
    pytest.param({"dissolved": "2020-12-31"}, "dissolved:", "dissolved", "status が active", id="dissolved-while-active"),
    pytest.param({"status": "dissolved", "dissolved": "2015-12-31"}, "dissolved:", "dissolved", "登録日 2016-04-20 より前",
                 id="dissolved-before-registered"),
    pytest.param({"website": "javascript:alert(1)"}, "website:", "website", "URL の形になっていません", id="javascript-website"),
    pytest.param({"links": "\n  - title: 活動日記\n    url: javascript:alert(1)"}, "    url:", "links.url",
                 "URL の形になっていません", id="javascript-link"),
    pytest.param({"contact": "\n  org: 教室\n  url: javascript:alert(1)"}, "  url:", "contact.url",
                 "URL の形になっていません", id="javascript-contact"),
    pytest.param({"contact": "\n  org: 教室\n  phone: 045-000-0012"}, "  phone:", "contact.phone",
                 "contact not declared public", id="contact-not-declared-public"),
])
def test_problems_name_file_line_and_key(hub_project, changes, start, key, message) -> None:
    path = write_group(hub_project, **changes)
    [problem] = hub_project.problems()
    assert (problem.path, problem.line, problem.key) == (GROUP, line_starting(path, start), key), problem.format()
    assert message in problem.message and problem.hint, problem.format()


def test_a_label_written_for_an_id_is_answered_with_the_id(hub_project) -> None:
    write_group(hub_project, themes="[多文化共生]", legal_form="NPO法人", status="休み")
    hints = {problem.key: problem.hint for problem in hub_project.problems()}
    assert "もしかして multicultural（多文化共生）" in hints["themes"]
    assert "もしかして npo（NPO法人）" in hints["legal_form"]
    assert "active（活動中）" in hints["status"] and "dissolved（解散）" in hints["status"]


def test_japanese_status_and_a_founding_year_are_read(hub_project) -> None:
    write_group(hub_project, status="休止中", founded="2009年")
    [entry] = hub_project.load()["groups"]
    assert (entry.meta.status, entry.meta.founded) == ("dormant", 2009)


# A mobile number appended to every text a page shows: each is refused on its own line and key.
TEXT_FIELDS = [("title:", "title"), ("summary:", "summary"), ("  - 毎週", "activities"), ("  - title:", "links.title"),
               ("  org:", "contact.org"), ("  phone:", "contact.phone"), ("  hours:", "contact.hours"),
               ("status_note:", "status_note"), ("kana:", "kana"), ("  email:", "contact.email"), ("中区の", "body")]


@pytest.mark.parametrize("start, key", TEXT_FIELDS, ids=[key for _, key in TEXT_FIELDS])
def test_a_mobile_number_in_any_text_is_refused_where_it_is(hub_project, start, key) -> None:
    path = write_group(hub_project)
    lines = path.read_text(encoding="utf-8").split("\n")
    number = line_starting(path, start)
    lines[number - 1] += f" {MOBILE}"
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = hub_project.problems()
    assert [(p.path, p.line, p.key) for p in problems] == [(GROUP, number, key)], [p.format() for p in problems]
    if key not in ("kana", "contact.email"):  # the schema refuses those first, quoting what it read
        assert "090-****-5678" in problems[0].message and MOBILE not in problems[0].format()


def test_a_dissolved_group_is_no_longer_news(hub_project) -> None:
    write_group(hub_project, status="dissolved", dissolved="2020-12-31")
    [entry] = hub_project.load()["groups"]
    assert registered_news(entry) is None


# --- the directory's data ------------------------------------------------------------------

def test_directory_lists_by_reading_and_leaves_dissolved_groups_out(hub_project) -> None:
    write_group(hub_project, "gomi", title="ごみゼロの会", kana="ごみぜろのかい", themes="[environment]")
    write_group(hub_project, "kodomo", title="こどもの森", kana="コドモノモリ", themes="[environment, children]")
    write_group(hub_project, "karuta", title="かるた会", kana="かるたかい", themes="[culture]")
    write_group(hub_project, "aozora", title="あおぞら", kana="あおぞら", themes="[environment]", status="dormant")
    write_group(hub_project, "wakaba", title="わかば", kana="わかば", themes="[environment]", status="dissolved")
    content = hub_project.load()
    groups = COLLECTIONS["groups"]
    directory = build_directory(groups, content["groups"], content.vocabularies)
    assert [view.entry.slug for view in directory.listed] == ["aozora", "karuta", "kodomo", "gomi"]
    assert [view.entry.slug for view in directory.groups] == ["aozora", "karuta", "kodomo", "gomi", "wakaba"]
    assert {row.row.label: [view.entry.slug for view in row.items] for row in directory.rows if row.items} == {
        "あ": ["aozora"], "か": ["karuta", "kodomo", "gomi"]}
    assert [row.row for row in directory.rows] == list(ROWS)
    environment = groups.taxonomy("themes")
    assert [entry.slug for entry in directory.index.entries(environment, "environment")] == ["aozora", "kodomo", "gomi"]
    counts = {link.term.id: link.count for link in directory.index.overview(environment).links}
    assert counts["environment"] == 3 and counts["culture"] == 1
    dormant = directory.views_of([content["groups"][0]])[0]
    assert dormant.dormant and dormant.status_label == "休止中" and dormant.founded_label == "2009年"


def test_register_resolves_ids_and_suggests_for_a_name_or_a_typo(hub_project) -> None:
    write_group(hub_project, "minato-nihongo")
    write_group(hub_project, "kohoku-foodbank", title="港北フードバンク", kana="こうほくふーどばんく",
                status="dissolved")
    register = GroupRegister.of(hub_project.load()["groups"])
    assert register.get("kohoku-foodbank").title == "港北フードバンク"  # dissolved groups keep their pages
    assert register.get("minato") is None
    assert [entry.slug for entry in register.suggest("みなと日本語教室")] == ["minato-nihongo"]
    assert [entry.slug for entry in register.suggest("minato-nihongo-")] == ["minato-nihongo"]


def test_the_group_page_has_a_place_for_what_refers_to_the_group(hub_project) -> None:
    write_group(hub_project)
    [entry] = hub_project.load()["groups"]
    environment = template_environment(trim=False)
    environment.filters["url"] = lambda path: path
    partial = environment.get_template("hub/partials/group-references.html")
    assert not BeautifulSoup(partial.render(reference_lists=()), "lxml").find("section")
    listed = (ReferenceList("この団体の協働事例", [entry]), ReferenceList("イベント", []))
    [section] = BeautifulSoup(partial.render(reference_lists=listed), "lxml").find_all("section")
    assert section.h2.get_text() == "この団体の協働事例" and section.a["href"] == "groups/example/"


@pytest.mark.parametrize("written, expected", [
    ("045-000-0031\nhidamari@example.org", {"phone": "045-000-0031", "email": "hidamari@example.org"}),
    ("https://example.org/cafe/ ／ 045-000-0032（平日、10時から）",
     {"url": "https://example.org/cafe/", "phone": "045-000-0032（平日、10時から）"}),
])
def test_a_public_contact_written_in_one_field_is_read_item_by_item(written, expected) -> None:
    assert contact_from_text("ひだまり", written) == {"org": "ひだまり", **expected, "public": "organisation"}


@pytest.mark.parametrize("written, message", [
    (MOBILE, "携帯電話の番号"), ("山田さんに電話", "読めません"), ("045-000-0031\n045-000-0032", "2 つあります"),
])
def test_a_public_contact_refuses_mobiles_and_what_it_cannot_read(written, message) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        contact_from_text("ひだまり", written)
    assert MOBILE not in str(raised.value)


# --- the built sample site ------------------------------------------------------------------

@functools.cache
def sample_groups() -> list[tuple[str, dict]]:
    """(slug, front matter) of every sample group, as written."""
    folder = PROJECT / "content" / "groups"
    return [(path.stem, read_source(path, path.name).meta) for path in sorted(folder.glob("*.md"))]


def listed_in_order(having=lambda meta: True) -> list[str]:
    """Titles of the listed (not dissolved) sample groups that match, in 五十音 order of their readings."""
    found = [meta for _, meta in sample_groups() if meta.get("status") != "dissolved" and having(meta)]
    return [meta["title"] for meta in sorted(found, key=lambda meta: (*sort_key(meta["kana"]), meta["title"]))]


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


_CARD_TITLES = "//article[contains(@class, 'hub-group-card')]/*[contains(@class, 'hub-card__title')]"


def card_titles(soup: BeautifulSoup) -> list[str]:
    return [card.select_one(".hub-card__title").get_text() for card in soup.select("article.hub-group-card")]


def test_the_sample_has_the_groups_other_work_refers_to() -> None:
    slugs = {slug for slug, _ in sample_groups()}
    assert {"nishi-kodomo-shokudo", "minato-nihongo", "tabunka-support", "kohoku-foodbank", "isogo-umi"} <= slugs
    assert len(slugs) == 15
    statuses = {slug: meta.get("status", "active") for slug, meta in sample_groups()}
    assert (statuses["isogo-umi"], statuses["kohoku-foodbank"]) == ("dormant", "dissolved")
    assert all(str(meta["registered"]) < "2021-02-01" for _, meta in sample_groups())


def test_index_lists_active_and_dormant_groups_in_kana_order_with_the_kana_index(site: Path) -> None:
    soup = soup_of(site, "groups")
    expected = listed_in_order()
    assert card_titles(soup) == expected and len(expected) == 14
    assert "港北フードバンク" not in soup.select_one(".md-content__inner").get_text()
    rows_with_groups = {row_of(meta["kana"]).id for _, meta in sample_groups() if meta.get("status") != "dissolved"}
    index = soup.select("nav.hub-kana-index li")
    assert [next(item.stripped_strings) for item in index] == [row.label for row in ROWS]
    assert [a["href"] for a in soup.select("nav.hub-kana-index a")] == [f"#kana-{row.id}" for row in ROWS
                                                                     if row.id in rows_with_groups]
    for row_id in rows_with_groups:
        assert soup.find("section", id=f"kana-{row_id}").select("article.hub-group-card")
    badges = {card.select_one(".hub-card__title").get_text(): card.select_one(".hub-badge")
              for card in soup.select("article.hub-group-card")}
    assert badges["磯子の海と遊ぶ会"].get_text() == "休止中"
    assert [title for title, badge in badges.items() if badge] == ["磯子の海と遊ぶ会"]


@pytest.mark.parametrize("taxonomy", ["themes", "wards"])
def test_term_pages_list_the_listed_groups_of_their_term(site: Path, taxonomy: str) -> None:
    overview = soup_of(site, f"groups/{taxonomy}")
    counts = {li.select_one("a, span").get_text(): li.select_one(".hub-count").get_text()
              for li in overview.select("ul.hub-overview > li")}
    pages = sorted(path.name for path in (site / "groups" / taxonomy).iterdir() if path.is_dir())
    assert pages and len(pages) == len(counts)
    for term_id in pages:  # read with lxml alone: 34 pages
        expected = listed_in_order(lambda meta: term_id in meta[taxonomy])
        tree = lxml.html.parse(site / "groups" / taxonomy / term_id / "index.html")
        titles = [title.text_content() for title in tree.xpath(_CARD_TITLES)]
        assert titles == expected, term_id
        assert f"「{tree.xpath('//h1')[0].text_content().removesuffix('の登録団体')}」の登録団体: {len(expected)} 団体" in \
            tree.xpath("//*[contains(@class, 'md-content__inner')]")[0].text_content()
    if taxonomy == "wards":  # 港北区's only group has dissolved
        assert not card_titles(soup_of(site, "groups/wards/kohoku")) and counts["港北区"] == "0 件"


def test_a_dissolved_group_keeps_its_page_marked_but_offers_no_contact(site: Path) -> None:
    soup = soup_of(site, "groups/kohoku-foodbank")
    notice = soup.select_one(".hub-group__notice")
    assert notice.select_one(".admonition-title").get_text() == "解散しました"
    assert "2020年12月31日" in notice.get_text() and notice.find("time")["datetime"] == "2020-12-31"
    article = soup.select_one("article.hub-group")
    assert not article.select('a[href^="tel:"], a[href^="mailto:"]') and "045-000-0025" not in article.get_text()
    assert not article.select('a[href*="kohoku-foodbank"]')  # neither its website
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith("（解散しました）")


def test_a_dissolved_group_stays_in_the_sitemap_and_search_but_leaves_the_feeds(site: Path) -> None:
    sitemap = [element.text for element in ElementTree.parse(site / "sitemap.xml").iter()
               if element.tag.endswith("loc")]
    assert any(location.endswith("/groups/kohoku-foodbank/") for location in sitemap)
    blocks = [json.loads(path.read_text(encoding="utf-8")) for path in (site / "search" / "t").glob("*.json")]
    assert any(block["url"] == "groups/kohoku-foodbank/" and "解散しました" in block["text"] for block in blocks)
    links = [entry.link for entry in feedparser.parse((site / "feed.xml").read_bytes()).entries]
    assert not any("kohoku-foodbank" in link for link in links)
    assert any(link.endswith("/groups/sakae-sports/") for link in links)  # registered 2021-01-18
    issue = soup_of(site, "newsletter/2021-02-01")
    section = issue.find("section", attrs={"aria-labelledby": "section-groups"})
    assert section.h2.get_text() == "新しい登録団体" and "栄区みんなのスポーツクラブ" in section.get_text()


def test_a_groups_page_shows_its_facts_and_its_own_contact_as_links(site: Path) -> None:
    soup = soup_of(site, "groups/tabunka-support")
    facts = soup.select_one("dl.hub-group-facts")
    shown = {dt.get_text(): dt.find_next_sibling("dd") for dt in facts.find_all("dt")}
    assert shown["法人格"].get_text() == "NPO法人"
    assert shown["設立"].get_text() == "2011年10月1日" and shown["センターへの登録"].get_text() == "2020年6月29日"
    assert [a["href"] for a in shown["区"].find_all("a")] == ["../wards/naka/", "../wards/minami/"]
    assert "../themes/multicultural/" in [a["href"] for a in shown["テーマ"].find_all("a")]
    assert shown["ウェブサイト"].a["href"] == "https://example.org/tabunka-support/"
    contact = shown["問い合わせ"]
    assert contact.select_one(".hub-contact__phone")["href"] == "tel:0450000016"
    assert contact.select_one(".hub-contact__email")["href"] == "mailto:tabunka-support@example.org"
    assert soup.find("a", string="Facebook ページ")["href"] == "https://example.org/tabunka-support/facebook"
    assert not soup.select(".hub-group__notice")


def test_a_dormant_group_is_marked_and_still_reachable(site: Path) -> None:
    soup = soup_of(site, "groups/isogo-umi")
    notice = soup.select_one(".hub-group__notice")
    assert notice.select_one(".admonition-title").get_text() == "休止中"
    assert "再開の時期" in notice.get_text()
    assert soup.select_one(".hub-contact__email")["href"] == "mailto:isogo-umi@example.org"


# --- kintone import ------------------------------------------------------------------------

SAMPLE = PROJECT / "data" / "samples" / "kintone-groups.csv"


@pytest.fixture
def register(hub_project):
    shutil.copy(PROJECT / "data" / "kintone-groups.yml", hub_project.root / "data" / "kintone-groups.yml")
    return hub_project


def sample_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(SAMPLE.read_bytes().decode("utf-8-sig"), newline="")))


def write_csv(project, rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return project.write("export.csv", buffer.getvalue().encode("utf-8-sig"))


def run_import(project, path: Path) -> int:
    return main(["--root", str(project.root), "import", "groups", str(path)])


PROBLEM = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<key>.+?): (?P<message>.+?) → (?P<hint>.+)$")


def reported(err: str) -> list[dict[str, str]]:
    return [match.groupdict() for line in err.splitlines() if (match := PROBLEM.match(line))]


def test_the_register_imports_as_drafts_that_pass_check_and_publish_once_written(register, capsys) -> None:
    assert run_import(register, SAMPLE) == 0
    out = capsys.readouterr().out
    assert "新規 3 件" in out and "content/groups/group-201.md: 下書きにしました。kintone にない summary を書いて" in out
    assert main(["--root", str(register.root), "check"]) == 0
    assert register.load().drafts == 3
    path = register.root / "content" / "groups" / "group-201.md"
    meta = read_source(path, "x").meta
    assert meta["contact"] == {"org": "西区おはなし会ひだまり", "phone": "045-000-0031",
                               "email": "ohanashi-hidamari@example.org", "public": "organisation"}
    assert meta["themes"] == ["children", "culture"] and meta["draft"] is True
    text = path.read_text(encoding="utf-8").replace("summary: ここに要約を書きます", "summary: 西区で絵本の読み聞かせをしている会です。")
    path.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    [published] = register.load()["groups"]
    assert published.slug == "group-201" and published.meta.contact.tel_href == "tel:0450000031"
    capsys.readouterr()
    assert run_import(register, SAMPLE) == 0
    assert "変更なし 3 件" in capsys.readouterr().out
    assert [entry.slug for entry in register.load()["groups"]] == ["group-201"]  # the editor's summary stays


def test_a_register_export_with_other_columns_is_refused_whole(register, capsys) -> None:
    rows = sample_rows()
    rows[0] += ["代表者名", "代表者電話", "住所", "備考"]
    for row in rows[1:]:
        row += ["山田花子", MOBILE, "横浜市西区岡野1丁目", "鍵は事務所"]
    assert run_import(register, write_csv(register, rows)) == 1
    found = reported(capsys.readouterr().err)
    assert [(p["path"], p["line"], p["key"]) for p in found] == [
        ("export.csv", "1", "代表者名"), ("export.csv", "1", "代表者電話"), ("export.csv", "1", "住所"), ("export.csv", "1", "備考")]
    assert all("個人の情報" in p["message"] for p in found[:3]) and "対応表にない" in found[3]["message"]
    assert "連絡先(公開可)" in found[0]["hint"]
    assert not (register.root / "content" / "groups").exists()


def test_a_mobile_number_in_the_public_contact_column_is_refused_on_its_row(register, capsys) -> None:
    rows = sample_rows()
    rows[1][rows[0].index("連絡先(公開可)")] = MOBILE
    assert run_import(register, write_csv(register, rows)) == 1
    err = capsys.readouterr().err
    [problem] = reported(err)
    assert (problem["line"], problem["key"]) == ("2", "contact") and "携帯電話" in problem["message"]
    assert MOBILE not in err
    assert sorted(path.name for path in (register.root / "content" / "groups").iterdir()) == ["group-202.md", "group-203.md"]
