"""Template text cannot publish: what `hub new` writes as example text stops `hub check` once the
entry is no longer a draft, naming the file, the line and the key (or `body`)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from test_cms import FAKE

from hub.cli import main
from hub.collections import COLLECTIONS
from hub.editing.scaffold import generic_text
from hub.guard.placeholders import MIN_CONTAINED, Placeholders, collection_placeholders
from hub.reading.loader import load_content

EPOCH = "1612137600"  # 2021-02-01 09:00 JST
SENTENCE = "（template placeholder）"
URL = "（example URL）"

# What each collection's template is refused for, once `draft: true` is gone: the key and how its
# line starts (a body line: the start of the sentence). Any other template text is publishable.
EXPECTED = {
    "cases": [("summary", "summary:"), ("body", "どのような課題"), ("body", "だれとだれが"), ("body", "何が変わったか")],
    "events": [("summary", "summary:"), ("registration.url", "  url: https://example.org/form"),
               ("body", "どのような催し"), ("body", "対象となる方")],
    "talents": [("kana", "kana:"), ("summary", "summary:"), ("programs.description", "    description:"),
                ("body", "活動のようす"), ("body", "会場の広さ")],
    "cafes": [("summary", "summary:"), ("venue.name", "  name: ○○地域"), ("venue.address", "  address:"),
              ("host.name", "  name: ○○カフェ"), ("body", "カフェのようす")],
    "volunteer": [("organizer", "organizer:"), ("summary", "summary:"), ("activities", "  - ここに活動内容"),
                  ("where.venue", "  venue:"), ("apply.url", "  url: https://example.org/volunteer-form"),
                  ("body", "どんな活動か"), ("body", "持ち物、交通費")],
    "groups": [("kana", "kana:"), ("summary", "summary:"), ("body", "ここに本文")],
    "data": [("summary", "summary:"), ("figures.csv", "  - csv:"), ("figures.finding", "    finding:"),
             ("figures.chart.value", "      value:"), ("body", "ここに本文")],
}

# Real text for each refused key (by its last part) and for body lines.
REAL = {
    "summary": "西区の商店街と大学が、空き店舗を子育て中の親子の居場所に変えた取り組みです。",
    "kana": "にしくうくれれのかい",
    "description": "童謡を一緒に歌います",
    "name": "岡野地域ケアプラザ 多目的室",
    "address": "横浜市西区岡野1丁目",
    "url": "https://www.city.yokohama.lg.jp/",
    "organizer": "ふじだなカフェの会",
    "activities": "お茶の用意と片付け",
    "venue": "藤棚地区センター 和室",
    "csv": "groups.csv",
    "finding": "中区の団体がいちばん多くなっています。",
    "value": "団体数",
}
# The table a data page's figure names once its placeholders are replaced.
OPEN_DATA = {"data/open/groups.yml": "title: 区ごとの団体数\nsource: {name: 登録団体の名簿}\nlicence: {name: CC BY 4.0}\n"
                                     "as_of: 2021-01-31\ncolumns:\n  - {name: 区, type: ward}\n  - {name: 団体数, type: integer}\n",
             "data/open/groups.csv": "区,団体数\n中区,12\n西区,8\n"}
REAL_BODY = "商店街の空き店舗を、週に 2 回、親子が集まれる場所にしました。"


def new_entry(hub_project, monkeypatch, collection: str, keep_draft: bool = False) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert main(["--root", str(hub_project.root), "new", collection, "タイトル"]) == 0
    [path] = (hub_project.root / "content" / collection).glob("*.md")
    if not keep_draft:
        text = path.read_text(encoding="utf-8")
        assert "\ndraft: true\n" in text
        path.write_text(text.replace("\ndraft: true\n", "\n"), encoding="utf-8")
    return path


def line_starting(path: Path, start: str) -> int:
    [number] = [number for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
                if line.startswith(start)]
    return number


def check(hub_project, capsys) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["--root", str(hub_project.root), "check"])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_a_new_entry_published_as_written_names_every_placeholder(hub_project, monkeypatch, collection) -> None:
    path = new_entry(hub_project, monkeypatch, collection)
    shown = f"content/{collection}/{path.name}"
    problems = hub_project.problems()
    expected = sorted((shown, line_starting(path, start), key) for key, start in EXPECTED[collection])
    assert sorted((p.path, p.line, p.key) for p in problems) == expected, "\n".join(p.format() for p in problems)
    for problem in problems:
        assert (URL if problem.key.endswith("url") else SENTENCE) in problem.message, problem.format()
        assert "ひな形" in problem.message and "draft: true" in problem.hint, problem.format()


def test_the_message_quotes_the_template_text_in_japanese_with_the_english_key(hub_project, monkeypatch) -> None:
    new_entry(hub_project, monkeypatch, "events")
    formatted = "\n".join(problem.format() for problem in hub_project.problems())
    assert ": summary: ひな形の例文「ここに要約を書きます。」が残っています（template placeholder） → " in formatted
    assert ": registration.url: ひな形の例の URL「https://example.org/form」のままです（example URL） → " in formatted
    assert ": body: ひな形の例文「どのような催しかを書きます。」が残っています" in formatted


def test_the_cli_check_fails_and_prints_file_line_and_key(hub_project, monkeypatch, capsys) -> None:
    path = new_entry(hub_project, monkeypatch, "cases")
    status, err = check(hub_project, capsys)
    assert status == 1
    assert f"content/cases/{path.name}:{line_starting(path, 'summary:')}: summary: ひな形の例文" in err


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_a_draft_keeps_its_template_text(hub_project, monkeypatch, capsys, collection) -> None:
    new_entry(hub_project, monkeypatch, collection, keep_draft=True)
    status, err = check(hub_project, capsys)
    assert status == 0, err
    assert hub_project.load().drafts == 1


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_an_entry_with_the_placeholders_replaced_passes(hub_project, monkeypatch, capsys, collection) -> None:
    path = new_entry(hub_project, monkeypatch, collection)
    lines = path.read_text(encoding="utf-8").split("\n")
    for problem in hub_project.problems():
        line = lines[problem.line - 1]
        if problem.key == "body":
            lines[problem.line - 1] = REAL_BODY
        else:
            key = problem.key.rsplit(".", 1)[-1]
            # `key: value`, or a list item `- value` of the key
            lines[problem.line - 1] = re.sub(rf"^(\s*(?:- )?{key}:|\s*-(?![^:]*:)).*$", rf"\1 {REAL[key]}", line)
    path.write_text("\n".join(lines), encoding="utf-8")
    for name, text in OPEN_DATA.items() if collection == "data" else ():
        hub_project.write(name, text)
    status, err = check(hub_project, capsys)
    assert status == 0, err
    assert len(hub_project.load()[collection]) == 1


# --- odd and hostile writing -----------------------------------------------------------------

def test_placeholder_quoted_inside_a_longer_sentence_is_still_caught(hub_project) -> None:
    hub_project.write_case("example", summary="商店街の事例です。ここに要約を書きます。だれが、だれと、何をして、"
                                              "どうなったかを一文で。と書いたままでした。",
                           body="## 背景\n\n商店街では、どのような課題が\n  あったかを書きます。と書かれていました。\n")
    problems = hub_project.problems()
    assert [(p.line, p.key) for p in problems] == [(4, "summary"), (13, "body")], [p.format() for p in problems]
    assert "「ここに要約を書きます。」" in problems[0].message
    assert "「どのような課題があったかを書きます。」" in problems[1].message


@pytest.mark.parametrize("written", [
    pytest.param("ここに 要約を 書きます 。", id="spaces"),
    pytest.param("ここに要約を　書きます。", id="full-width-space"),
    pytest.param("\"ここに要約を書きます。\"", id="quoted"),
    pytest.param(">\n  ここに要約を\n  書きます。", id="folded-over-lines"),
])
def test_placeholder_written_differently_is_still_caught(hub_project, written) -> None:
    hub_project.write_case("example", summary=written)
    [problem] = hub_project.problems()
    assert (problem.line, problem.key) == (4, "summary") and SENTENCE in problem.message


def test_example_urls_are_refused_wherever_they_are_written(hub_project) -> None:
    hub_project.write_case("example", links="\n  - title: 団体のサイト\n    url: https://example.org",
                           body="## 背景\n\n詳しくは[申込フォーム](https://example.org/form)へ。\n")
    problems = hub_project.problems()
    assert [(p.line, p.key) for p in problems] == [(12, "links.url"), (16, "body")], [p.format() for p in problems]
    assert all(URL in problem.message for problem in problems)


@pytest.mark.parametrize("changes, body", [
    pytest.param({"links": "\n  - title: 団体のサイト\n    url: https://example.org/ichimatsu-square/"}, "本文です。\n",
                 id="other-example-org-page"),
    pytest.param({}, "名簿によみがなを振りました。\n", id="short-placeholder-inside-other-text"),
    pytest.param({"summary": "演奏会と、横浜市市民協働推進センター スペースA・Bでの講座です。"}, "本文です。\n",
                 id="real-defaults-of-the-templates"),
    pytest.param({}, "## 背景\n\nどのような課題があったかを一緒に考えました。\n", id="similar-but-real"),
])
def test_real_text_near_the_placeholders_passes(hub_project, changes, body) -> None:
    hub_project.write_case("example", body=body, **changes)
    assert len(hub_project.load()["cases"]) == 1


def test_a_private_note_may_keep_template_text(hub_project) -> None:
    hub_project.write_case("example", private="\n  note: ここに要約を書きます。")
    assert len(hub_project.load()["cases"]) == 1


# --- the list comes from the templates -----------------------------------------------------------

def test_the_placeholders_are_read_from_what_hub_new_writes(hub_project) -> None:
    vocabularies = hub_project.load().vocabularies
    found = collection_placeholders(COLLECTIONS.values(), vocabularies, hub_project.root / "docs")
    assert "ここに要約を書きます。" in found.sentences.values()
    assert "https://example.org/form" in found.urls and "https://example.org" in found.urls
    assert "https://www.city.yokohama.lg.jp/" not in found.urls  # a real address in a template
    for real in ("タイトル", "nishi", "2021-02-01", "演奏会", "100円（お茶代）", "横浜市市民協働推進センター スペースA・B"):
        assert found.sentence_in(real) is None, real


def test_a_changed_template_changes_the_list() -> None:
    template = ("---\n# 説明（必須）\ntitle: \"t\"\nsummary: 新しい例文をここに書きます。\nplace: 本町の集会所\n"
                "#  url: https://example.com/new\ndraft: true\n---\n\n## 見出し\n\n感想を書いてください。\n")
    found = Placeholders.of([template])
    assert sorted(found.sentences.values()) == ["感想を書いてください。", "新しい例文をここに書きます。"]
    assert found.urls == frozenset({"https://example.com/new"})


def test_short_placeholders_count_only_as_a_whole_value() -> None:
    found = Placeholders.of(["---\nkana: よみがな\n---\n"])
    assert len("よみがな") < MIN_CONTAINED
    assert found.sentence_in(" よみがな ") == "よみがな"
    assert found.sentence_in("よみがなを振る") is None


def test_a_collection_without_a_template_gets_the_generic_texts_placeholders(hub_project) -> None:
    vocabularies = hub_project.load().vocabularies
    text = generic_text(FAKE, "木工ワークショップ", date(2021, 2, 1), vocabularies, hub_project.root / "docs")
    path = hub_project.write("content/workshops/2021-02-01.md", text.replace("\ndraft: true\n", "\n"))
    with pytest.raises(Exception) as raised:
        load_content(hub_project.project(), {"workshops": FAKE})
    problems = raised.value.problems
    body_line = path.read_text(encoding="utf-8").split("\n").index("ここに本文を書きます。見出しは ## から始めます。") + 1
    assert ("body", body_line) in {(p.key, p.line) for p in problems}, [p.format() for p in problems]
    assert all(SENTENCE in p.message or URL in p.message for p in problems), [p.format() for p in problems]
