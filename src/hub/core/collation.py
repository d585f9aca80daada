"""Japanese 五十音 collation for readings written in kana.

Sorting readings by code point puts 「が」 after every word starting with 「か」, every
「カ」 after every 「か」 and 「カード」 after 「かわ」 (the long vowel mark ー has a high
code point). A printed directory follows dictionary order instead (JIS X 4061 style):

1. primary: hiragana and katakana fold together, voiced marks and small kana fold
   into the plain kana, and ー stands for the vowel of the kana before it
   (「カード」 sorts as 「かあど」);
2. then plain before voiced before semi-voiced (は < ば < ぱ);
3. then large before small, and a written vowel before ー (「かあど」 < 「カード」);
4. then hiragana before katakana.

Only kana carry weight; spaces and 「・」 are ignored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import jaconv

T = TypeVar("T")

_VOICED = "\u3099"
_SEMI_VOICED = "\u309a"
_LONG_VOWEL = "ー"
_ITERATION = {"ゝ": "", "ゞ": _VOICED}
_SMALL = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_VOWEL_COLUMNS = {
    "あ": "あかさたなはまやらわ",
    "い": "いきしちにひみりゐ",
    "う": "うくすつぬふむゆるゔ",
    "え": "えけせてねへめれゑ",
    "お": "おこそとのほもよろを",
}
_VOWEL_OF = {kana: vowel for vowel, column in _VOWEL_COLUMNS.items() for kana in column}
_IGNORED = frozenset(" 　・･")


@dataclass(frozen=True)
class KanaRow:
    """One row of the 五十音 table (あ行, か行, …) as a heading of the directory."""

    id: str  # ASCII, for anchors: #kana-ka
    label: str  # あ, か, …

    @property
    def heading(self) -> str:
        return f"{self.label}行"


ROWS = tuple(KanaRow(row_id, label) for row_id, label in (
    ("a", "あ"), ("ka", "か"), ("sa", "さ"), ("ta", "た"), ("na", "な"),
    ("ha", "は"), ("ma", "ま"), ("ya", "や"), ("ra", "ら"), ("wa", "わ"),
))


@dataclass(frozen=True)
class SortKey:
    """Compared level by level: the primary string first, the tie-breaks only on equal primaries."""

    primary: str
    voicing: tuple[int, ...]
    size: tuple[int, ...]
    script: tuple[int, ...]

    def as_tuple(self) -> tuple[str, tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        return (self.primary, self.voicing, self.size, self.script)


def is_kana(text: str) -> bool:
    """Whether a reading is written only in kana (plus ー, spaces and 「・」)."""
    folded = unicodedata.normalize("NFKC", text)
    return any(not _ignored(c) for c in folded) and all(_is_kana_char(c) or _ignored(c) for c in folded)


def sort_key(reading: str) -> tuple[str, tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """The key that sorts readings in dictionary (五十音) order; use with sorted(key=...)."""
    return collation_key(reading).as_tuple()


def collation_key(reading: str) -> SortKey:
    primary: list[str] = []
    voicing: list[int] = []
    size: list[int] = []
    script: list[int] = []
    for char in unicodedata.normalize("NFKC", reading):
        if _ignored(char):
            continue
        katakana = _is_katakana(char)
        base, mark, small = _fold(jaconv.kata2hira(char), primary, voicing)
        if not base:
            continue
        primary.append(base)
        voicing.append(mark)
        size.append(small)
        script.append(int(katakana))
    return SortKey("".join(primary), tuple(voicing), tuple(size), tuple(script))


@dataclass(frozen=True)
class RowGroup(Generic[T]):
    """The items a directory lists under one row's heading (talents, groups)."""

    row: KanaRow
    items: list[T]


def group_by_row(items: Iterable[T], reading: Callable[[T], str]) -> list[RowGroup[T]]:
    """Every row of the table in order, each with its items in the order given (sort them first).

    Rows without items are kept: the jump index shows them, unlinked, so that the table reads whole.
    """
    found: dict[KanaRow, list[T]] = {row: [] for row in ROWS}
    for item in items:
        found[row_of(reading(item))].append(item)
    return [RowGroup(row, listed) for row, listed in found.items()]


def row_of(reading: str) -> KanaRow:
    """The 五十音 row a reading is listed under: 「ガッキ」 under か行, 「ヴァイオリン」 under あ行."""
    primary = collation_key(reading).primary
    head = primary[:1] or "あ"
    return next((row for row in reversed(ROWS) if row.label <= head), ROWS[0])


def _fold(char: str, previous: list[str], voicing: list[int]) -> tuple[str, int, int]:
    """One kana as (plain large kana, 0 plain / 1 voiced / 2 semi-voiced, 0 large / 1 small or ー)."""
    if char == _LONG_VOWEL:
        return (_VOWEL_OF.get(previous[-1], "") if previous else ""), 0, 1
    if char in _ITERATION:
        return (previous[-1] if previous else ""), (1 if _ITERATION[char] else 0), 0
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[:1], decomposed[1:]
    large = base.translate(_SMALL)
    mark = 2 if _SEMI_VOICED in marks else 1 if _VOICED in marks else 0
    return large, mark, int(large != base)


def _ignored(char: str) -> bool:
    return char in _IGNORED or char.isspace()


def _is_katakana(char: str) -> bool:
    return "\u30a1" <= char <= "\u30fa" or char in "ヽヾ"


def _is_kana_char(char: str) -> bool:
    return "\u3041" <= char <= "\u3096" or char in "ゝゞ" or _is_katakana(char) or char == _LONG_VOWEL
