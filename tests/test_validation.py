"""Every content problem is reported as `path:line: key: message → hint`, all at once.

Each test writes the valid baseline case (see conftest.py) with one thing changed and
checks the message (a stable Japanese fragment), the line and the English key.
"""

from __future__ import annotations

import re

import pytest

from hub.cli import main
from hub.core.problems import ContentError, Problem

# Lines of the baseline keys in a written case file (line 1 is the opening ---).
LINE = {"title": 2, "date": 3, "summary": 4, "themes": 5, "sectors": 6, "wards": 7, "sdgs": 8, "status": 9}
ADDED = 10  # the first key added to the baseline
CASE = "content/cases/example.md"
PROBLEM_LINE = re.compile(r"^[^:]+:\d+: [\w.\-]+: .+")


def single_problem(hub_project) -> Problem:
    """Load the project and return its one and only problem."""
    problems = hub_project.problems()
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


def only_problem(hub_project, **changes) -> Problem:
    """Write content/cases/example.md from the baseline with `changes`; return its one problem."""
    hub_project.write_case("example", **changes)
    return single_problem(hub_project)


def assert_problem(problem: Problem, *, line: int, key: str, message: str, hint: str = "",
                   path: str = CASE) -> None:
    assert (problem.path, problem.line, problem.key) == (path, line, key), problem.format()
    assert message in problem.message, problem.format()
    assert hint in problem.hint, problem.format()


# --- the baseline -------------------------------------------------------------------------

def test_baseline_case_is_valid(hub_project):
    hub_project.write_case("example")
    [entry] = hub_project.load()["cases"]
    assert entry.slug == "example"
    assert entry.meta.wards == ["nishi"]
    assert entry.body.startswith("## 背景")


# --- reading the file ----------------------------------------------------------------------

@pytest.mark.parametrize("changes, line", [
    pytest.param({"title": '"unclosed'}, LINE["title"], id="unclosed-quote"),
    pytest.param({"date": "2020-09-15\n  summary: 字下げの誤り"}, LINE["date"] + 1, id="bad-indentation"),
    pytest.param({"wards": "\n  - nishi\n - naka"}, LINE["wards"] + 2, id="list-item-out-of-line"),
    pytest.param({"title": "協働: 西区の事例"}, LINE["title"], id="colon-inside-a-value"),
    pytest.param({"draft": "[true"}, ADDED, id="unclosed-bracket-on-the-last-line"),
])
def test_yaml_syntax_error_points_at_the_line(hub_project, changes, line):
    problem = only_problem(hub_project, **changes)
    assert_problem(problem, line=line, key="front-matter", message="YAML の書き方に誤りがあります")


def test_file_without_front_matter(hub_project):
    hub_project.write("content/cases/example.md", "# タイトル\n\n本文だけのファイル\n")
    problem = single_problem(hub_project)
    assert_problem(problem, line=1, key="front-matter", message="front matter（--- で始まる YAML）がありません")


def test_unclosed_front_matter(hub_project, case_front):
    hub_project.write("content/cases/example.md", "---\n" + case_front() + "\n本文\n")
    problem = single_problem(hub_project)
    assert_problem(problem, line=1, key="front-matter", message="閉じられていません", hint="---")


def test_non_utf8_file_names_the_line_of_the_first_bad_byte(hub_project, case_front):
    # title is ASCII, so the first Shift_JIS byte is in the Japanese summary on line 4.
    raw = hub_project.case_text(case_front(title="Shift_JIS file").encode("shift_jis"), "本文".encode("shift_jis"))
    hub_project.write("content/cases/example.md", raw)
    problem = single_problem(hub_project)
    assert_problem(problem, line=LINE["summary"], key="file", message="UTF-8 ではありません", hint="UTF-8")


def test_duplicate_key(hub_project):
    problem = only_problem(hub_project, **{"title": "一つ目", "date": "2020-09-15\ntitle: 二つ目"})
    assert_problem(problem, line=LINE["date"] + 1, key="title", message="2 回書かれています")


def test_duplicate_key_in_a_nested_mapping(hub_project):
    problem = only_problem(hub_project, period="\n  start: 2020-04-01\n  start: 2020-05-01")
    assert_problem(problem, line=ADDED + 2, key="period.start", message="2 回書かれています")


# --- keys ----------------------------------------------------------------------------------

def test_missing_required_key(hub_project):
    problem = only_problem(hub_project, summary=None)
    assert_problem(problem, line=1, key="summary", message="必須の項目がありません", hint="summary: 値")


def test_unknown_key_hints_the_closest_known_key(hub_project):
    problem = only_problem(hub_project, wardz="[nishi]")
    assert_problem(problem, line=ADDED, key="wardz", message="この項目は使えません", hint="もしかして wards")


def test_misspelt_required_key_gives_both_problems(hub_project, case_front):
    hub_project.write_case("example", case_front().replace("wards:", "wardz:"))
    wards, wardz = hub_project.problems()
    assert_problem(wards, line=1, key="wards", message="必須の項目がありません")
    assert_problem(wardz, line=LINE["wards"], key="wardz", message="この項目は使えません", hint="もしかして wards")


def test_unknown_key_far_from_any_known_key_lists_the_known_keys(hub_project):
    problem = only_problem(hub_project, colour="blue")
    assert_problem(problem, line=ADDED, key="colour", message="この項目は使えません", hint="使える項目: ")
    assert "summary" in problem.hint


def test_unknown_key_inside_partners_items(hub_project):
    problem = only_problem(hub_project, partners=(
        "\n  - name: 西区商店会\n    url: https://example.org/\n"
        "  - name: 横浜市立大学\n    urll: https://example.ac.jp/"))
    assert_problem(problem, line=ADDED + 4, key="partners.urll", message="この項目は使えません",
                   hint="もしかして url")


@pytest.mark.parametrize("changes, key, message", [
    pytest.param({"title": "2020"}, "title", "文字列で書いてください", id="title-int"),
    pytest.param({"themes": "{a: b}"}, "themes", "リストで書いてください", id="themes-mapping"),
    pytest.param({"draft": "maybe"}, "draft", "true か false で書いてください", id="draft-maybe"),
    pytest.param({"summary": '""'}, "summary", "空にはできません", id="summary-empty"),
    pytest.param({"wards": "[]"}, "wards", "少なくとも 1 つ", id="wards-empty"),
])
def test_wrong_type(hub_project, changes, key, message):
    problem = only_problem(hub_project, **changes)
    assert_problem(problem, line=LINE.get(key, ADDED), key=key, message=message)


def test_private_must_be_a_mapping(hub_project):
    problem = only_problem(hub_project, private="担当者メモ")
    assert_problem(problem, line=ADDED, key="private", message="private は「項目: 値」の入れ子で")


# --- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, message", [
    pytest.param("2020-02-30", "存在しない日付です", id="impossible"),
    pytest.param("2021-02-29", "存在しない日付です", id="not-a-leap-year"),
    pytest.param("2020/9/1", "YYYY-MM-DD の形で", id="slashes"),
    pytest.param("2020-9-1", "YYYY-MM-DD の形で", id="no-zero-padding"),
])
def test_bad_date(hub_project, value, message):
    problem = only_problem(hub_project, date=value)
    assert_problem(problem, line=LINE["date"], key="date", message=message)
    assert value in problem.message


def test_leap_day_is_a_date(hub_project):
    hub_project.write_case("example", date="2020-02-29")
    [entry] = hub_project.load()["cases"]
    assert entry.meta.date.isoformat() == "2020-02-29"


def test_updated_before_date(hub_project):
    problem = only_problem(hub_project, updated="2020-09-01")
    assert_problem(problem, line=ADDED, key="updated", message="更新日 2020-09-01 が公開日 2020-09-15 より前です")


def test_period_end_before_start(hub_project):
    problem = only_problem(hub_project, period="\n  start: 2020-04-01\n  end: 2020-03-31")
    assert_problem(problem, line=ADDED + 2, key="period.end", message="終了日 2020-03-31 が開始日 2020-04-01 より前です")


def test_impossible_date_inside_period(hub_project):
    problem = only_problem(hub_project, period="\n  start: 2020-04-31")
    assert_problem(problem, line=ADDED + 1, key="period.start", message="存在しない日付です")


# --- vocabulary terms ----------------------------------------------------------------------

def test_unknown_term_hints_the_closest_id_with_its_label(hub_project):
    problem = only_problem(hub_project, wards="[nishiku]")
    assert_problem(problem, line=LINE["wards"], key="wards", message="「nishiku」は wards（区）の語彙にありません",
                   hint="nishi（西区）")


@pytest.mark.parametrize("label", ["西区", "西"])
def test_japanese_label_instead_of_id_hints_the_id(hub_project, label):
    problem = only_problem(hub_project, wards=f"[{label}]")
    assert_problem(problem, line=LINE["wards"], key="wards", message="語彙にありません", hint="nishi")


def test_unknown_term_as_second_item_of_a_block_list(hub_project):
    problem = only_problem(hub_project, wards="\n  - nishi\n  - nishiku")
    assert_problem(problem, line=LINE["wards"] + 2, key="wards", message="「nishiku」", hint="nishi（西区）")


@pytest.mark.parametrize("changes, key", [
    pytest.param({"themes": "[comunity]"}, "themes", id="themes"),
    pytest.param({"sectors": "[npo, compan]"}, "sectors", id="sectors"),
    pytest.param({"sdgs": "[18]"}, "sdgs", id="sdgs"),
    pytest.param({"status": "done"}, "status", id="status"),
])
def test_unknown_term_in_every_vocabulary_key(hub_project, changes, key):
    problem = only_problem(hub_project, **changes)
    assert_problem(problem, line=LINE[key], key=key, message="の語彙にありません")


def test_unknown_sector_of_a_partner(hub_project):
    problem = only_problem(hub_project, partners="\n  - name: 西区商店会\n    sector: shop")
    assert_problem(problem, line=ADDED + 2, key="partners.sector", message="「shop」は sectors")


# --- URLs and images -----------------------------------------------------------------------

@pytest.mark.parametrize("url, message, hint", [
    pytest.param("example.org", "URL の形になっていません", "https://", id="no-scheme"),
    pytest.param("htp://example.org/", "URL の形になっていません", "https://", id="bad-scheme"),
    pytest.param("https://localhost/", "URL の形になっていません", "https://", id="no-dot"),
    pytest.param('"https://example.org/a b"', "URL に空白が入っています", "空白を取り除いて", id="space"),
])
def test_malformed_partner_url(hub_project, url, message, hint):
    problem = only_problem(hub_project, partners=f"\n  - name: 西区商店会\n    url: {url}")
    assert_problem(problem, line=ADDED + 2, key="partners.url", message=message, hint=hint)


def test_malformed_link_url_names_the_right_item(hub_project):
    problem = only_problem(hub_project, links=(
        "\n  - title: 団体のサイト\n    url: https://example.org/"
        "\n  - title: 報告書\n    url: example.org/report.pdf"))
    assert_problem(problem, line=ADDED + 4, key="links.url", message="URL の形になっていません")


def test_valid_image_is_loaded(hub_project):
    hub_project.write_case("example", image="\n  src: assets/images/ok.svg\n  alt: 商店街のようす")
    [entry] = hub_project.load()["cases"]
    assert entry.meta.image.src == "assets/images/ok.svg"


def test_image_without_alt(hub_project):
    problem = only_problem(hub_project, image="\n  src: assets/images/ok.svg")
    assert_problem(problem, line=ADDED, key="image.alt", message="必須の項目がありません", hint="alt: 値")


def test_image_that_does_not_exist(hub_project):
    problem = only_problem(hub_project, image="\n  src: assets/images/missing.jpg\n  alt: 写真")
    assert_problem(problem, line=ADDED + 1, key="image.src",
                   message="ファイルが見つかりません: 「docs/assets/images/missing.jpg」")


@pytest.mark.parametrize("src", ["../mkdocs.yml", "assets/../../data/vocabularies.yml",
                                 "https://example.org/a.jpg"])
def test_image_outside_docs(hub_project, src):
    problem = only_problem(hub_project, image=f"\n  src: {src}\n  alt: 写真")
    assert_problem(problem, line=ADDED + 1, key="image.src", message="docs/ の中のファイルを指定してください")


# --- file names (slugs) --------------------------------------------------------------------

def test_duplicate_slug_in_two_sub_folders(hub_project):
    hub_project.write_case("2019/example")
    hub_project.write_case("2020/example")
    problem = single_problem(hub_project)
    assert_problem(problem, path="content/cases/2020/example.md", line=1, key="file",
                   message="同じファイル名（URL）の協働事例がすでにあります: content/cases/2019/example.md")


@pytest.mark.parametrize("name, suggestion", [
    ("Bad Name", "bad-name.md"),
    ("日本語", "2020-09-15-example.md"),
    ("Example", "example.md"),
    ("under_score", "under-score.md"),
])
def test_invalid_file_name(hub_project, name, suggestion):
    hub_project.write_case(name)
    problem = single_problem(hub_project)
    assert_problem(problem, path=f"content/cases/{name}.md", line=1, key="file",
                   message="半角英小文字・数字・ハイフンだけ", hint=suggestion)


@pytest.mark.parametrize("name", ["themes", "wards", "index", "tags"])
def test_reserved_slug(hub_project, name):
    hub_project.write_case(name)
    problem = single_problem(hub_project)
    assert_problem(problem, path=f"content/cases/{name}.md", line=1, key="file",
                   message=f"ファイル名「{name}」は一覧ページの URL に使われているため使えません")


# --- the vocabulary file -------------------------------------------------------------------

def edit_vocabularies(hub_project, old: str, new: str) -> int:
    """Replace one line of data/vocabularies.yml; return its line number."""
    path = hub_project.root / "data" / "vocabularies.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.strip() == old.strip())
    lines[number] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def test_vocabulary_id_with_a_bad_pattern(hub_project):
    hub_project.write_case("example")
    line = edit_vocabularies(hub_project, "- {id: naka, label: 中区}", "    - {id: Naka Ku, label: 中区}")
    problem = single_problem(hub_project)
    assert_problem(problem, path="data/vocabularies.yml", line=line, key="wards.terms.id",
                   message="書き方が正しくありません", hint="半角英小文字")


def test_duplicate_vocabulary_id(hub_project):
    hub_project.write_case("example")
    line = edit_vocabularies(hub_project, "- {id: naka, label: 中区}", "    - {id: nishi, label: 中区}")
    problem = single_problem(hub_project)
    assert_problem(problem, path="data/vocabularies.yml", line=line, key="wards.terms.id",
                   message="id「nishi」が重複しています")


def test_vocabulary_term_without_label(hub_project):
    hub_project.write_case("example")
    line = edit_vocabularies(hub_project, "- {id: naka, label: 中区}", "    - {id: naka}")
    problem = single_problem(hub_project)
    assert_problem(problem, path="data/vocabularies.yml", line=line, key="wards.terms.label",
                   message="必須の項目がありません")


def test_vocabulary_the_schema_needs_is_missing(hub_project):
    hub_project.write_case("example")
    edit_vocabularies(hub_project, "wards:", "ward:")  # renamed by mistake
    problem = single_problem(hub_project)
    assert_problem(problem, path="data/vocabularies.yml", line=1, key="wards", message="ありません")


# --- every problem at once -----------------------------------------------------------------

def write_three_problems(hub_project) -> None:
    hub_project.write_case("b-second", wardz="[nishi]", date="2020-02-30")
    hub_project.write_case("a-first", summary=None)


def test_every_problem_of_every_file_is_reported_sorted(hub_project):
    write_three_problems(hub_project)
    hub_project.write_case("fine")
    problems = hub_project.problems()
    assert [(p.path, p.line, p.key) for p in problems] == [
        ("content/cases/a-first.md", 1, "summary"),
        ("content/cases/b-second.md", LINE["date"], "date"),
        ("content/cases/b-second.md", ADDED, "wardz"),
    ]


def test_content_error_message_lists_every_problem(hub_project):
    write_three_problems(hub_project)
    with pytest.raises(ContentError) as raised:
        hub_project.load()
    lines = str(raised.value).splitlines()
    assert lines[:3] == [p.format() for p in raised.value.problems]
    assert "3 件の問題があります" in lines[3]


def test_hub_check_prints_every_problem_on_stderr_and_exits_1(hub_project, capsys):
    write_three_problems(hub_project)
    assert main(["--root", str(hub_project.root), "check"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 4 and "3 件の問題があります" in lines[-1]
    for line in lines[:3]:
        assert PROBLEM_LINE.match(line), line
    assert lines[0].startswith("content/cases/a-first.md:1: summary: 必須の項目がありません")
    assert lines[1].startswith("content/cases/b-second.md:3: date: 存在しない日付です")
    assert lines[2] == "content/cases/b-second.md:10: wardz: この項目は使えません（unknown key） → もしかして wards？"


def test_a_broken_draft_is_still_reported(hub_project):
    problem = only_problem(hub_project, draft="true", wards="[nishiku]")
    assert_problem(problem, line=LINE["wards"], key="wards", message="語彙にありません")


# --- things that are fine ------------------------------------------------------------------

def test_utf8_bom_is_fine(hub_project, case_front):
    hub_project.write("content/cases/example.md", b"\xef\xbb\xbf" + hub_project.case_text(case_front()))
    [entry] = hub_project.load()["cases"]
    assert entry.meta.title == "西区の商店街と大学の協働"


def test_crlf_line_endings_are_fine(hub_project, case_front):
    text = hub_project.case_text(case_front()).replace(b"\n", b"\r\n")
    hub_project.write("content/cases/example.md", text)
    [entry] = hub_project.load()["cases"]
    assert "\r" not in entry.body and "\r" not in entry.meta.summary


def test_crlf_keeps_line_numbers(hub_project, case_front):
    text = hub_project.case_text(case_front(wards="\n  - nishi\n  - nishiku")).replace(b"\n", b"\r\n")
    hub_project.write("content/cases/example.md", text)
    problem = single_problem(hub_project)
    assert_problem(problem, line=LINE["wards"] + 2, key="wards", message="「nishiku」")


def test_sdgs_as_numbers_are_fine(hub_project):
    hub_project.write_case("example", sdgs="[3, 11]")
    [entry] = hub_project.load()["cases"]
    assert entry.meta.sdgs == ["3", "11"]


def test_single_value_where_a_list_is_expected_is_fine(hub_project):
    hub_project.write_case("example", wards="nishi", sdgs="11")
    [entry] = hub_project.load()["cases"]
    assert (entry.meta.wards, entry.meta.sdgs) == (["nishi"], ["11"])


def test_draft_is_loaded_but_not_published(hub_project):
    hub_project.write_case("published")
    hub_project.write_case("unfinished", draft="true")
    content = hub_project.load()
    assert [entry.slug for entry in content["cases"]] == ["published"]
    assert content.drafts == 1


def test_private_notes_never_reach_the_entry(hub_project):
    secret = "担当者の携帯 090-0000-0000"
    hub_project.write_case("example", private=f"\n  note: {secret}\n  contact: 山田")
    [entry] = hub_project.load()["cases"]
    assert secret not in repr(entry.meta)
    assert secret not in entry.body
    assert "private" not in repr(entry.meta)


def test_sub_folders_of_cases_are_content(hub_project):
    hub_project.write_case("2020/09/example")
    [entry] = hub_project.load()["cases"]
    assert entry.slug == "example"
    assert entry.source == "content/cases/2020/09/example.md"


def test_files_starting_with_underscore_are_ignored(hub_project):
    hub_project.write_case("example")
    hub_project.write("content/cases/_template.md", "壊れたひな形\n")
    hub_project.write("content/cases/_archive/old.md", "---\ntitle: [\n---\n")
    [entry] = hub_project.load()["cases"]
    assert entry.slug == "example"
