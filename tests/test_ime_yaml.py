"""Slips a Japanese keyboard (IME) makes in front matter are reported on their own line, in Japanese,
with the exact fix, all in one run; the parser's English message only when no slip explains it.

Line numbers are those of the written file (conftest.py: line 1 is the opening ---, the baseline's
keys sit on lines 2-9: title date summary themes sectors wards sdgs status).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.cli import main
from hub.core.problems import Problem

REPO = Path(__file__).resolve().parents[1]
CASE = "content/cases/example.md"

BASELINE = [
    "title: 西区の商店街と大学の協働",
    "date: 2020-09-15",
    "summary: 商店街と大学が空き店舗を地域の居場所にした事例です。",
    "themes: [community]",
    "sectors: [npo, university]",
    "wards: [nishi]",
    "sdgs: [11]",
    "status: active",
]


def written(*replacements: tuple[str, str], after: tuple[str, ...] = ()) -> str:
    """The baseline front matter with whole lines replaced (old line → new text) and lines added at its end."""
    lines = list(BASELINE)
    for old, new in replacements:
        lines[lines.index(old)] = new
    return "\n".join([*lines, *after]) + "\n"


def problems_of(hub_project, front: str) -> list[Problem]:
    hub_project.write_case("example", front=front)
    return hub_project.problems()


def only(hub_project, front: str) -> Problem:
    problems = problems_of(hub_project, front)
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


def assert_slip(problem: Problem, line: int, key: str, *fragments: str) -> None:
    assert (problem.path, problem.line, problem.key) == (CASE, line, key), problem.format()
    for fragment in fragments:
        assert fragment in problem.message, problem.format()
    assert "could not" not in problem.message and "YAML の書き方に誤り" not in problem.message, problem.format()


# --- one slip each ---------------------------------------------------------------------------

def test_full_width_colon_after_a_key(hub_project):
    # The case: a full-width colon on line 6, once reported on line 9 in English.
    front = written(("sectors: [npo, university]", "title：テスト事例"),
                    ("title: 西区の商店街と大学の協働", "# タイトルは下"))
    problem = only(hub_project, front)
    assert_slip(problem, 6, "title", "6 行目の『：』を半角の『:』にしてください", "title: テスト事例")


def test_missing_space_after_the_colon(hub_project):
    # The case: `status:completed` followed by comment lines, once blamed on a comment.
    front = written(("status: active", "status:completed"), after=("# メモ", "# もう一つのメモ"))
    problem = only(hub_project, front)
    assert_slip(problem, 9, "status", ": のあとに半角スペースを入れてください", "status: completed")


def test_full_width_space_as_indentation(hub_project):
    front = written(after=("period:", "\u3000start: 2020-06-01", "  end: 2020-12-01"))
    problem = only(hub_project, front)
    assert_slip(problem, 11, "period.start", "全角スペース『　』", "半角スペースにしてください")


def test_full_width_space_after_the_colon(hub_project):
    front = written(("status: active", "status:\u3000active"), after=("# メモ",))
    problem = only(hub_project, front)
    assert_slip(problem, 9, "status", "『:』のあとの全角スペース『　』を半角スペースにしてください", "status: active")


@pytest.mark.parametrize("dash", ["－", "ー", "‐"])
def test_full_width_list_marker(hub_project, dash):
    front = written(("wards: [nishi]", "wards:"), after=())
    front = front.replace("wards:\n", f"wards:\n  - naka\n  {dash} nishi\n")
    problem = only(hub_project, front)
    assert_slip(problem, 9, "wards", f"リストの印『{dash}』を半角の『-』にしてください", "- nishi")


def test_smart_quotes_around_a_whole_value(hub_project):
    front = written(("title: 西区の商店街と大学の協働", "title: “協働: 西区の事例”"))
    problem = only(hub_project, front)
    assert_slip(problem, 2, "title", "『“』『”』を半角の『\"』にしてください", 'title: "協働: 西区の事例"')


# --- all at once, and nothing else -----------------------------------------------------------

def test_three_different_slips_are_reported_in_one_run(hub_project):
    front = written(("title: 西区の商店街と大学の協働", "title：西区の商店街と大学の協働"),
                    ("wards: [nishi]", "wards:\n－ nishi"),
                    ("status: active", "status:active"))
    problems = problems_of(hub_project, front)
    assert [(p.line, p.key) for p in problems] == [(2, "title"), (8, "wards"), (10, "status")], \
        "\n".join(p.format() for p in problems)
    assert "『：』を半角の『:』" in problems[0].message
    assert "リストの印『－』" in problems[1].message
    assert ": のあとに半角スペース" in problems[2].message


def test_values_may_hold_full_width_text_urls_and_times(hub_project):
    # Only the syntax is looked at: inside values all of these are fine, so a real error elsewhere
    # is reported by the parser on its own line, not blamed on them.
    front = written(("title: 西区の商店街と大学の協働", "title: 会議：13:00〜 “協働”と「対話」"),
                    ("summary: 商店街と大学が空き店舗を地域の居場所にした事例です。",
                     "summary: 詳しくは https://example.org/a:b を　ご覧ください。"),
                    ("status: active", 'status: "active'))
    problem = only(hub_project, front)
    assert (problem.line, problem.key) == (9, "front-matter"), problem.format()
    assert "YAML の書き方に誤りがあります" in problem.message


def test_block_scalar_lines_are_text(hub_project):
    # A paragraph indented with a full-width space inside `|` is text, not a slip.
    front = written(("summary: 商店街と大学が空き店舗を地域の居場所にした事例です。",
                     "summary: |\n  \u3000商店街と大学が空き店舗を\n  ー 地域の居場所にした事例です。"),
                    ("status: active", "status: [active"))
    problem = only(hub_project, front)
    assert (problem.line, problem.key) == (11, "front-matter"), problem.format()


def test_parser_message_is_not_blamed_on_a_comment_line(hub_project):
    # No IME slip here (the key is Japanese): the parser's message, on the key's line.
    front = written(after=("状態 完了", "# メモ", "# メモ"))
    problem = only(hub_project, front)
    assert (problem.line, problem.key) == (10, "front-matter"), problem.format()
    assert "YAML の書き方に誤りがあります" in problem.message


def test_a_key_that_parsed_with_a_full_width_colon_says_so(hub_project):
    front = written(("title: 西区の商店街と大学の協働", "title：テスト事例: 西区"))
    problems = problems_of(hub_project, front)
    [problem] = [p for p in problems if p.line == 2]
    assert "全角の『：』" in problem.message and "半角の『:』" in problem.hint, problem.format()


def test_the_shipped_sample_still_passes_the_check(capsys):
    assert main(["--root", str(REPO), "check"]) == 0, capsys.readouterr().err
