"""Talents: Japanese 五十音 collation, the schema's messages, the directory data and `hub new talent`.

The built site (directory, category pages, guidebook, PDF, print CSS) is in test_talents_site.py.
"""

from __future__ import annotations

import logging

import pytest

from hub.cli import main
from hub.collections import COLLECTIONS
from hub.collections.talents.directory import build_directory
from hub.collections.talents.guidebook import guidebook_outputs
from hub.output.pdf import print_environment as _environment
from hub.core.collation import ROWS, collation_key, is_kana, row_of, sort_key
from hub.core.content import Site
from hub.core.outputs import FileSpec, PageSpec
from hub.core.problems import Problem
from hub.core.settings import Settings

TALENT = "content/talents/example.md"
# The baseline talent below, one key per line from line 2 (line 1 is the opening ---).
BASELINE = {
    "title": "ハーモニカ同好会",
    "kana": "はーもにかどうこうかい",
    "categories": "[music]",
    "summary": "童謡や唱歌をハーモニカで演奏します。",
    "programs": "\n  - title: 演奏会\n    minutes: 45",
    "audience": "[seniors]",
    "areas": "[nishi]",
    "fee": "free",
    "days": "[sat]",
    "registered": "2020-04-01",
}
LINE = {"title": 2, "kana": 3, "categories": 4, "summary": 5, "programs": 6, "audience": 9, "areas": 10,
        "fee": 11, "days": 12, "registered": 13}
ADDED = 14


def talent_front(**changes: str | None) -> str:
    values = {**BASELINE, **changes}
    lines = [f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}"
             for key, value in values.items() if value is not None]
    return "\n".join(lines) + "\n"


def write_talent(hub_project, name: str = "example", body: str = "活動の紹介です。\n", **changes: str | None):
    return hub_project.write(f"content/talents/{name}.md", f"---\n{talent_front(**changes)}---\n{body}")


def only_problem(hub_project, **changes: str | None) -> Problem:
    write_talent(hub_project, **changes)
    problems = hub_project.problems()
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


# --- collation ---------------------------------------------------------------------------------

def ordered(*readings: str) -> list[str]:
    return sorted(readings, key=sort_key)


@pytest.mark.parametrize("expected", [
    pytest.param(["かつお", "がっき", "かっぱ"], id="voiced-and-small-kana-fold-into-plain-kana"),
    pytest.param(["カード", "かいご", "かわ"], id="long-vowel-is-the-vowel-before-it"),
    pytest.param(["ハーモニカ", "はな", "ばなな", "ぱんだ"], id="long-vowel-and-dakuten-in-the-ha-row"),
    pytest.param(["こま", "コマ", "ごま"], id="plain-before-voiced-and-hiragana-before-katakana"),
    pytest.param(["はは", "はば", "はぱ"], id="plain-voiced-semi-voiced"),
    pytest.param(["かあど", "カード"], id="written-vowel-before-long-vowel-mark"),
    pytest.param(["しやく", "しゃく"], id="large-before-small"),
    pytest.param(["ヴァイオリン", "ウクレレ"], id="vu-folds-into-u"),
    pytest.param(["わなげ", "をかし", "んぼ"], id="end-of-the-table"),
])
def test_dictionary_order(expected: list[str]) -> None:
    assert ordered(*reversed(expected)) == expected
    assert ordered(*expected) == expected


def test_code_point_order_would_be_wrong_for_these_cases() -> None:
    """The cases above are the ones plain string sorting gets wrong."""
    assert sorted(["かつお", "がっき", "かっぱ"]) != ["かつお", "がっき", "かっぱ"]
    assert sorted(["カード", "かいご"]) != ["カード", "かいご"]


def test_iteration_mark_repeats_the_kana_before_it() -> None:
    assert collation_key("いすゞ") == collation_key("いすず")
    assert collation_key("こゝろ").primary == "こころ"


def test_half_width_katakana_and_spaces_fold() -> None:
    assert collation_key("ｶﾞｯｷ").primary == collation_key("がっき").primary == "かつき"
    assert collation_key("にし く・めいじん").primary == "にしくめいしん"


@pytest.mark.parametrize("reading, row", [
    ("あおぞら", "あ"), ("ヴァイオリン", "あ"), ("がっき", "か"), ("ごま", "か"), ("じゅうじ", "さ"),
    ("ぢ", "た"), ("ぬ", "な"), ("バルーン", "は"), ("ぽ", "は"), ("ミナト", "ま"), ("ゆ", "や"),
    ("ョガ", "や"), ("ろ", "ら"), ("を", "わ"), ("ん", "わ"),
])
def test_row_of_a_reading(reading: str, row: str) -> None:
    assert row_of(reading).label == row


def test_rows_are_the_ten_of_the_table() -> None:
    assert "".join(row.label for row in ROWS) == "あかさたなはまやらわ"
    assert [row.heading for row in ROWS][:2] == ["あ行", "か行"]


@pytest.mark.parametrize("text, kana", [
    ("はーもにか", True), ("ハーモニカ どうこうかい", True), ("なぞなぞ・くいず", True), ("ｶﾞｯｷ", True),
    ("西区", False), ("abc", False), ("はーもにか2", False), ("", False), ("・", False),
])
def test_is_kana(text: str, kana: bool) -> None:
    assert is_kana(text) is kana


# --- the schema ------------------------------------------------------------------------------

def test_baseline_talent_is_valid(hub_project) -> None:
    write_talent(hub_project)
    [talent] = hub_project.load()["talents"]
    assert talent.url == "talents/example/"
    assert talent.meta.programs[0].minutes == 45
    assert talent.meta.fee.label == "無料"


def test_friendly_forms_are_understood(hub_project) -> None:
    write_talent(hub_project, kana="ﾊｰﾓﾆｶ", days="[土曜日, mon, 土, 日]", fee="謝礼",
                 programs="\n  - title: 演奏会\n    minutes: 約45分")
    [talent] = hub_project.load()["talents"]
    assert talent.meta.kana == "ハーモニカ"
    assert talent.meta.days == ["mon", "sat", "sun"]  # 「日」 alone is Sunday
    assert talent.meta.fee.type == "honorarium"
    assert talent.meta.programs[0].minutes == 45


@pytest.mark.parametrize("changes, line, key, message", [
    pytest.param({"kana": "西区の名人"}, LINE["kana"], "kana", "ひらがなかカタカナで", id="kanji-in-kana"),
    pytest.param({"kana": None}, 1, "kana", "必須の項目がありません", id="no-kana"),
    pytest.param({"categories": "[magic]"}, LINE["categories"], "categories", "talent_categories", id="unknown-category"),
    pytest.param({"programs": "\n  - title: 演奏会\n    minutes: 1時間"}, LINE["programs"] + 2, "programs.minutes",
                 "所要時間は分の数で", id="minutes-in-words"),
    pytest.param({"programs": "\n  - title: 演奏会\n    minutes: 600"}, LINE["programs"] + 2, "programs.minutes",
                 "600 分は長すぎるか短すぎます", id="minutes-out-of-range"),
    pytest.param({"programs": "[]"}, LINE["programs"], "programs", "少なくとも 1 つ", id="no-programs"),
    pytest.param({"fee": "タダ"}, LINE["fee"], "fee.type", "費用の種類に使えません", id="unknown-fee"),
    pytest.param({"days": "[sat, someday]"}, LINE["days"], "days", "曜日として読めません", id="unknown-day"),
    pytest.param({"audience": "[kids]"}, LINE["audience"], "audience", "talent_audiences", id="unknown-audience"),
    pytest.param({"updated": "2020-03-01"}, ADDED, "updated", "登録日 2020-04-01 より前", id="updated-before-registered"),
    pytest.param({"photo": "\n  src: assets/images/ok.svg"}, ADDED, "photo.alt", "必須の項目がありません", id="photo-without-alt"),
])
def test_problems_name_line_and_key(hub_project, changes, line, key, message) -> None:
    problem = only_problem(hub_project, **changes)
    assert (problem.path, problem.line, problem.key) == (TALENT, line, key), problem.format()
    assert message in problem.message, problem.format()


@pytest.mark.parametrize("name", ["category", "guidebook", "index", "categories"])
def test_slugs_that_are_pages_of_the_directory_are_refused(hub_project, name) -> None:
    write_talent(hub_project, name)
    [problem] = hub_project.problems()
    assert (problem.path, problem.key) == (f"content/talents/{name}.md", "file")


# --- the directory's data ------------------------------------------------------------------

def test_directory_groups_every_row_and_counts_categories(hub_project) -> None:
    write_talent(hub_project, "gakki", title="がっき隊", kana="がっきたい", categories="[music, games]")
    write_talent(hub_project, "koma", title="独楽の会", kana="こまのかい", categories="[games]")
    write_talent(hub_project, "wanage", title="輪投げ", kana="わなげ", categories="[games]")
    content = hub_project.load()
    directory = build_directory(content["talents"], content.vocabularies)
    assert [talent.entry.title for talent in directory.talents] == ["がっき隊", "独楽の会", "輪投げ"]
    assert {group.row.label: [t.entry.slug for t in group.items] for group in directory.rows} == {
        "あ": [], "か": ["gakki", "koma"], "さ": [], "た": [], "な": [], "は": [], "ま": [], "や": [], "ら": [],
        "わ": ["wanage"]}
    counts = {link.term.id: link.count for link in directory.categories.links}
    assert counts["games"] == 3 and counts["music"] == 1 and counts["cooking"] == 0
    assert directory.categories.url == "talents/category/"
    assert [t.entry.slug for t in directory.in_category("games")] == ["gakki", "koma", "wanage"]


def test_jump_index_links_rows_with_talents_only(hub_project) -> None:
    from bs4 import BeautifulSoup

    write_talent(hub_project, "gakki", kana="がっきたい")
    content = hub_project.load()
    directory = build_directory(content["talents"], content.vocabularies)
    html = _environment().get_template("hub/partials/kana-index.html").render(hub={"directory": directory})
    items = BeautifulSoup(html, "lxml").select("nav.hub-kana-index li")
    assert [next(item.stripped_strings) for item in items] == list("あかさたなはまやらわ")
    assert all(item.get_text().endswith("行（該当なし）") for item in items if not item.a)
    assert [item.a["href"] for item in items if item.a] == ["#kana-ka"]
    assert len([item for item in items if item.select_one(".hub-kana-index__empty")]) == 9


# --- the guidebook PDF is optional -------------------------------------------------------------

@pytest.fixture
def talent_site(hub_project) -> Site:
    write_talent(hub_project)
    content = hub_project.load()
    from datetime import datetime

    from hub.core.clock import TOKYO

    return Site(content, datetime(2021, 2, 1, 9, tzinfo=TOKYO), Settings.find(hub_project.root))


def _guidebook(site: Site) -> list[PageSpec | FileSpec]:
    from hub.collections.talents.pages import talent_pages

    return [output for output in talent_pages(COLLECTIONS["talents"], site) if "guidebook" in output.src_uri]


def test_without_weasyprint_the_page_is_made_and_the_pdf_skipped_with_an_info_line(talent_site, monkeypatch, caplog):
    monkeypatch.setattr("hub.collections.talents.guidebook.pdf_unavailable", lambda: "WeasyPrint がインストールされていません")
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.hub.pdf"):
        outputs = _guidebook(talent_site)
    assert [output.src_uri for output in outputs] == ["talents/guidebook.md"]
    assert outputs[0].data["pdf"] is None
    [record] = [r for r in caplog.records if "guidebook.pdf" in r.getMessage()]
    assert record.levelno == logging.INFO and "WeasyPrint" in record.getMessage()


def test_pdf_false_in_the_settings_turns_the_pdf_off(talent_site, monkeypatch):
    def refuse() -> None:
        raise AssertionError("the PDF must not even be attempted")

    monkeypatch.setattr("hub.collections.talents.guidebook.guidebook_pdf", lambda data, site: refuse())
    options = {**talent_site.settings.options, "talents": {"pdf": False}}
    settings = Settings(root=talent_site.settings.root, options=options)
    site = Site(talent_site.content, talent_site.now, settings)
    assert [output.src_uri for output in guidebook_outputs(site, _shared(site))] == ["talents/guidebook.md"]


def _shared(site: Site) -> dict:
    from hub.collections.talents.schema import request_desk

    directory = build_directory(site.content["talents"], site.content.vocabularies)
    return {"collection": COLLECTIONS["talents"], "directory": directory, "request": request_desk(site.settings),
            "taxonomies": [directory.categories]}


def test_request_desk_that_is_not_allowlisted_stops_the_build(talent_site, hub_project):
    from hub.core.problems import ContentError

    hub_project.write("mkdocs.yml", "site_name: t\nextra:\n  hub:\n    talents:\n      contact:\n"
                                    "        name: センター\n        tel: 045-111-2222\n")
    with pytest.raises(ContentError) as raised:
        hub_project.load()
    [problem] = raised.value.problems
    assert (problem.path, problem.line, problem.key) == ("mkdocs.yml", 7, "extra.hub.talents.contact.tel")
    assert "045-111-2222" not in problem.format(), "the number is masked in messages"


# --- hub new talent --------------------------------------------------------------------------

def test_new_talent_is_a_valid_draft(hub_project, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1612137600")
    assert main(["--root", str(hub_project.root), "new", "talent", "ウクレレの会"]) == 0
    [path] = (hub_project.root / "content" / "talents").glob("*.md")
    assert path.name == "2021-02-01.md"
    assert 'title: "ウクレレの会"' in path.read_text(encoding="utf-8")
    content = hub_project.load()
    assert content["talents"] == [] and content.drafts == 1
    assert main(["--root", str(hub_project.root), "check"]) == 0


def test_request_desk_with_a_mistake_names_the_setting(hub_project):
    from hub.collections.talents.schema import request_desk
    from hub.core.problems import ContentError

    hub_project.write("mkdocs.yml", "site_name: t\nextra:\n  hub:\n    talents:\n      contact:\n"
                                    "        tel: 045-000-0000\n")
    with pytest.raises(ContentError) as raised:
        request_desk(Settings.find(hub_project.root))
    [problem] = raised.value.problems
    assert (problem.path, problem.line, problem.key) == ("mkdocs.yml", 5, "extra.hub.talents.contact.name")
    assert "必須の項目がありません" in problem.message and "name:" in problem.hint


def test_without_a_configured_desk_the_site_itself_is_named(hub_project):
    from hub.collections.talents.schema import request_desk

    desk = request_desk(Settings.find(hub_project.root))
    assert desk.name == "t" and desk.tel is None and len(desk.steps) == 3


def test_no_fc_list_means_no_japanese_font(monkeypatch):
    from hub.output import pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert pdf.japanese_font_installed() is False
