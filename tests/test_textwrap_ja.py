"""The plain-text wrapper of the newsletter: columns, Japanese line breaking, URLs."""

from __future__ import annotations

import re
import unicodedata

import pytest

from hub.output.textwrap_ja import NO_LINE_END, NO_LINE_START, columns, fill, wrap

JAPANESE = ("にしく市民活動支援センターは、2020年度の重点テーマを「多世代」としています。区内の団体や施設と開いた"
            "企画会で、「子育て中の親とシニアが出会う場所が少ない」「商店街に空き店舗が増えている」という二つの声が"
            "同時に出たことが、この取り組みの出発点でした。")
URL = "https://example.github.io/hub/cases/nishi-shotengai-tasedai/"


def wide_columns(line: str) -> int:
    """The newsletter's rule, written independently: East Asian Wide and Fullwidth count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def test_columns_count_wide_characters_twice() -> None:
    assert columns("abc") == 3
    assert columns("日本語") == 6
    assert columns("ＡＢ") == 4  # full-width Latin
    assert columns("🎉") == 2
    assert columns("ｱｲｳ") == 3  # half-width katakana


@pytest.mark.parametrize("width", [20, 40, 76])
def test_japanese_lines_fit_and_nothing_is_lost(width: int) -> None:
    lines = wrap(JAPANESE, width)
    assert len(lines) > 1
    assert all(wide_columns(line) <= width for line in lines)
    assert "".join(lines) == JAPANESE


@pytest.mark.parametrize("width", [20, 30, 40, 50, 76])
def test_closing_punctuation_never_starts_a_line_and_brackets_never_end_one(width: int) -> None:
    lines = wrap(JAPANESE * 2, width)
    assert not any(line[0] in NO_LINE_START for line in lines[1:])
    assert not any(line[-1] in NO_LINE_END for line in lines[:-1])


def test_english_words_break_only_at_spaces() -> None:
    text = "The centre publishes collaboration case studies twice a month for citizens and NPOs."
    lines = wrap(text, 30)
    assert all(columns(line) <= 30 for line in lines)
    assert " ".join(lines) == text


def test_a_url_stands_alone_and_whole_even_when_longer_than_the_width() -> None:
    text = f"詳しくは {URL} をご覧ください。"
    lines = wrap(text, 40, indent="　")
    assert URL in lines or "　" + URL in lines
    assert not any(URL[:20] in line and URL not in line for line in lines)
    url_lines = [line for line in lines if "http" in line]
    assert len(url_lines) == 1 and url_lines[0].strip() == URL


def test_indents_apply_to_first_and_later_lines() -> None:
    lines = wrap(JAPANESE, 30, indent="◇", subsequent_indent="　")
    assert lines[0].startswith("◇")
    assert all(line.startswith("　") for line in lines[1:])
    assert all(wide_columns(line) <= 30 for line in lines)


def test_blank_lines_and_paragraphs_are_kept() -> None:
    assert fill("一段落目。\n\n二段落目。", 76) == "一段落目。\n\n二段落目。"


def test_a_very_long_word_is_cut_rather_than_overflowing() -> None:
    lines = wrap("x" * 100, 30)
    assert all(len(line) <= 30 for line in lines)
    assert "".join(lines) == "x" * 100


def test_no_line_has_trailing_spaces() -> None:
    lines = wrap("word " * 40, 33)
    assert all(not re.search(r"\s$", line) for line in lines)


def test_a_number_stays_with_its_counter() -> None:
    text = "あ" * 37 + "2月のイベント"
    lines = wrap(text, 76)
    assert lines == ["あ" * 37, "2月のイベント"]
