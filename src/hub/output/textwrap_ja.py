"""Wrapping plain text for e-mail: at most N columns, Japanese-aware, URLs never broken.

Python's textwrap counts characters and breaks only at spaces, which suits neither
Japanese (no spaces, and a wide character takes two columns in a mail reader's fixed
font) nor URLs (a broken URL is a dead link). Here:

- a character whose East Asian Width is W or F (kanji, kana, full-width forms, emoji)
  counts as 2 columns, and so does an ambiguous one (A: ○, ※, …), which Japanese
  fonts draw wide; a combining mark counts 0;
- Japanese may break between any two characters, except that closing punctuation
  (、。」) never starts a line and opening brackets (「（) never end one; the
  character before is carried over instead (追い出し), so lines stay within the width;
- runs of ASCII (English words, numbers) break only at spaces, and a number stays
  with the counter after it (2月, 30人);
- a URL always stands on a line of its own and is never broken, even if it is longer
  than the width.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WIDTH = 76

NO_LINE_START = frozenset("、。，．,.・：；:;？！?!ー－―〜～…‥）)」』】〕〉》］]｝}”’ゝゞ々"
                          "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ%％")
NO_LINE_END = frozenset("（(「『【〔〈《［[｛{“‘")

# A number keeps its counter: 「2月」「30人」 never break after the digits.
COUNTERS = "年月日時分秒回人名円件歳号階区番期"
_TOKEN = re.compile(r"(?P<url>(?:https?://|mailto:)[^\s<>「」（）]+)|(?P<space>[ \t]+)"
                    rf"|(?P<word>[!-~]*[0-9][{COUNTERS}]|[!-~]+)|(?P<char>.)")


def columns(text: str) -> int:
    """How many columns `text` takes in a fixed-width font of a Japanese mail reader."""
    return sum(_char_columns(character) for character in text)


@lru_cache(maxsize=4096)
def _char_columns(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F", "A") else 1


def wrap(text: str, width: int = WIDTH, indent: str = "", subsequent_indent: str | None = None) -> list[str]:
    """Every line of `text` wrapped to `width` columns; blank lines are kept."""
    later = indent if subsequent_indent is None else subsequent_indent
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_line(paragraph.rstrip(), width, indent, later) if paragraph.strip() else [""]
    return lines


def fill(text: str, width: int = WIDTH, indent: str = "", subsequent_indent: str | None = None) -> str:
    return "\n".join(wrap(text, width, indent, subsequent_indent))


class _Line:
    """The line being filled: its pieces (tokens), so that the last few can move to the next line."""

    def __init__(self, prefix: str, pieces: tuple[str, ...] = ()):
        self.prefix = prefix
        self.pieces: list[str] = []
        self.used = columns(prefix)
        for piece in pieces:
            self.add(piece)

    def add(self, piece: str) -> None:
        self.pieces.append(piece)
        self.used += columns(piece)

    def pop(self) -> str:
        piece = self.pieces.pop()
        self.used -= columns(piece)
        return piece

    @property
    def last(self) -> str:
        return self.pieces[-1]

    @property
    def empty(self) -> bool:
        return not any(piece.strip() for piece in self.pieces)

    def text(self) -> str:
        return (self.prefix + "".join(self.pieces)).rstrip()


def _wrap_line(text: str, width: int, first: str, later: str) -> list[str]:
    lines: list[str] = []
    line = _Line(first)
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "url":
            if not line.empty:
                lines.append(line.text())
            lines.append(line.prefix + token if line.empty else later + token)
            line = _Line(later)
        elif kind == "space":
            if not line.empty:
                line.add(" ")
        else:
            for piece in _pieces(token, kind, width - columns(later)):
                line = _place(piece, line, lines, width, later)
    if not line.empty:
        lines.append(line.text())
    return lines


def _pieces(token: str, kind: str | None, room: int) -> list[str]:
    """An ASCII word wider than a whole line is cut (only such a word: never a URL)."""
    if kind != "word" or columns(token) <= room:
        return [token]
    return [token[start:start + room] for start in range(0, len(token), room)]


def _place(piece: str, line: _Line, lines: list[str], width: int, later: str) -> _Line:
    if line.used + columns(piece) <= width or line.empty:
        line.add(piece)
        return line
    carried = _carry(line, piece)
    lines.append(line.text())
    return _Line(later, (*carried, piece))


def _carry(line: _Line, piece: str) -> list[str]:
    """Pieces that move to the next line with `piece`: the one before a closing mark, an opening bracket."""
    carried: list[str] = []
    while len(line.pieces) > 1 and line.last == " ":
        line.pop()
    if piece[0] in NO_LINE_START:
        while len(line.pieces) > 1 and len(carried) < 3:
            carried.insert(0, line.pop())
            if carried[0][0] not in NO_LINE_START:
                break
    while len(line.pieces) > 1 and line.last[-1] in NO_LINE_END:
        carried.insert(0, line.pop())
    while carried and carried[0] == " ":
        carried.pop(0)
    return carried
