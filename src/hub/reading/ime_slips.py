"""Slips a Japanese keyboard (IME) makes in YAML, found line by line and named with the fix.

With the IME on, `:` becomes `：`, a space becomes `　` and `-` becomes `ー` or `－`; `"`
becomes `“ ”`. YAML reads none of these as syntax, so the parser fails lines later, in
English, often on a comment line. When the front matter does not parse, these lines are
looked for first: each slip is reported on its own line with the exact fix, all at once.

Only the places where a slip changes the syntax are looked at: the start of a line (its
indentation, a list marker, a `key:` whose key is a plain English identifier) and a value
wrapped whole in smart quotes that does not parse on its own. Values are free text: `：`,
`　`, `「」`, `13:00` and `https://…` inside them are fine, and so are the lines of a block
scalar (`|`, `>`) and the continuation lines of a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

FULL_WIDTH_COLON = "："
FULL_WIDTH_SPACE = "\u3000"
# Dashes an IME gives for "-": full-width hyphen-minus, katakana long vowel (full and half width),
# hyphen, non-breaking hyphen, en and em dash, horizontal bar, minus sign.
_DASHES = "－ー‐‑–—―−ｰ"
_SMART_QUOTES = "“”‘’"
# `mailto:info@…` in a list is a value, not a key missing its space.
_URI_SCHEMES = frozenset({"http", "https", "mailto", "tel", "fax", "ftp", "urn", "data", "file"})

_LEAD = re.compile(r"[ \t\u3000]*")
_DASH_ITEM = re.compile(f"([{_DASHES}])[ \u3000]+(?=\\S)")
_ITEM = re.compile("-([ \u3000]+)(?=\\S)|-$")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*([:：])(.*)$")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(#.*)?$")
_SHOWN = 24  # characters of a value quoted in a message


@dataclass(frozen=True)
class Slip:
    line: int  # in the file
    key: str  # dotted key of the line ("" at the top, before any key)
    message: str
    hint: str


def find_slips(lines: list[str], first_line: int) -> list[Slip]:
    """Every IME slip in `lines`, whose first is line `first_line` of the file."""
    return _Scanner(first_line).scan(lines)


def full_width_key_note(key: str) -> tuple[str, str] | None:
    """(what, fix) for a key that parsed but holds a full-width colon or starts with a full-width space."""
    if FULL_WIDTH_COLON in key:
        return ("項目名に全角の『：』が入っています（full-width colon）",
                "『：』を半角の『:』にし、あとに半角スペースを入れてください（例: title: 事例のタイトル）")
    if key.startswith(FULL_WIDTH_SPACE):
        return ("字下げに全角スペース『　』が使われています（full-width space）",
                "字下げは半角スペースだけで書いてください（例: 「  start: 2020-06-01」）")
    return None


class _Scanner:
    def __init__(self, first_line: int):
        self.first_line = first_line
        self.keys: list[tuple[int, str]] = []  # (indent, key) of the mapping lines above
        self.block_indent: int | None = None  # inside a block scalar: lines indented deeper than this
        self.value_indent: int | None = None  # after an inline value: deeper lines continue it
        self.slips: list[Slip] = []

    def scan(self, lines: list[str]) -> list[Slip]:
        for index, line in enumerate(lines):
            self._line(index + self.first_line, line)
        return self.slips

    def _line(self, number: int, line: str) -> None:
        lead = _LEAD.match(line).group()
        body = line[len(lead):]
        ascii_indent = len(lead) - len(lead.lstrip(" \t"))
        if not body or body.startswith("#"):
            return
        for inside in (self.block_indent, self.value_indent):
            if inside is not None and ascii_indent > inside:
                return
        self.block_indent = self.value_indent = None
        indent = len(lead) + lead.count(FULL_WIDTH_SPACE)  # a full-width space is two columns wide
        self._pop(indent + 1 if _DASH_ITEM.match(body) or _ITEM.match(body) else indent)
        body, indent = self._list_marker(number, body, indent)
        self._mapping(number, body, indent)
        if FULL_WIDTH_SPACE in lead:
            self._add(number, self._key(), f"{number} 行目の字下げに全角スペース『　』があります。"
                      "半角スペースにしてください（full-width space）",
                      "字下げは半角スペースだけで書きます（例: 「  start: 2020-06-01」）")

    def _list_marker(self, number: int, body: str, indent: int) -> tuple[str, int]:
        """The text after a list marker (reporting a full-width one) and the indent of that text."""
        dash = _DASH_ITEM.match(body)
        if dash:
            rest = body[dash.end():]
            self._add(number, self._key(), f"{number} 行目のリストの印『{dash.group(1)}』を半角の『-』にしてください"
                      f"（full-width list marker）。直した形: - {_shown(rest)}",
                      "リストの各行は半角の「- 」で始めます（例: 「  - nishi」）")
            return rest, indent + dash.end()
        item = _ITEM.match(body)
        if item is None:
            return body, indent
        if item.group(1) and FULL_WIDTH_SPACE in item.group(1):
            self._add(number, self._key(), f"{number} 行目の『-』のあとの全角スペース『　』を半角スペースにしてください"
                      f"（full-width space）。直した形: - {_shown(body[item.end():])}",
                      "リストの各行は半角の「- 」（ハイフンと半角スペース）で始めます")
        return body[item.end():], indent + item.end()

    def _mapping(self, number: int, body: str, indent: int) -> None:
        match = _KEY.match(body)
        if match is None or match.group(2) == ":" and match.group(3)[:1] not in ("", " ", "\t", FULL_WIDTH_SPACE):
            if not self._missing_space(number, match, indent):
                self._smart_quotes(number, body, "")
            return
        key, colon, rest = match.groups()
        self._pop(indent)
        self.keys.append((indent, key))
        value = rest.strip(" \t" + FULL_WIDTH_SPACE)
        if colon == FULL_WIDTH_COLON:
            self._add(number, self._key(), f"{number} 行目の『：』を半角の『:』にしてください（full-width colon）。"
                      f"直した形: {key}: {_shown(value)}".rstrip(),
                      "「項目: 値」のコロンは半角の『:』で、あとに半角スペースを入れます")
        elif rest.startswith(FULL_WIDTH_SPACE):
            self._add(number, self._key(), f"{number} 行目の『:』のあとの全角スペース『　』を半角スペースにしてください"
                      f"（full-width space）。直した形: {key}: {_shown(value)}",
                      "「項目: 値」のコロンのあとは半角スペースです")
        else:
            self._smart_quotes(number, value, key)
        self._follow(value, indent)

    def _missing_space(self, number: int, match: re.Match[str] | None, indent: int) -> bool:
        """`status:completed`: a key, `:` and the value with no space between (not `13:00`, not a URL)."""
        if match is None or match.group(2) != ":":
            return False
        key, rest = match.group(1), match.group(3)
        if key.lower() in _URI_SCHEMES or rest.startswith(("/", ":")):
            return False
        self._pop(indent)
        self.keys.append((indent, key))
        self._add(number, self._key(), f"{number} 行目の『{key}:』の : のあとに半角スペースを入れてください"
                  f"（missing space after colon）。直した形: {key}: {_shown(rest.strip())}",
                  "「項目: 値」のコロンのあとには半角スペースが要ります")
        self._follow(rest, indent)
        return True

    def _smart_quotes(self, number: int, value: str, key: str) -> None:
        """A value wrapped whole in “ ” (or ‘ ’) that YAML cannot read as it is: the quotes were meant as YAML's."""
        if len(value) < 2 or value[0] not in _SMART_QUOTES or value[-1] not in _SMART_QUOTES or _parses(value):
            return
        inner = value[1:-1]
        quote = "'" if '"' in inner and "'" not in inner else '"'
        fixed = f"{quote}{inner}{quote}"
        if not _parses(fixed):
            return
        shown = f"{key}: {fixed}" if key else f"- {fixed}"
        self._add(number, self._key(), f"{number} 行目の値を囲む『{value[0]}』『{value[-1]}』を半角の『{quote}』にしてください"
                  f"（smart quotes）。直した形: {_shown(shown)}",
                  "値を囲む引用符は半角の \"...\" です。値の中の “ ” や「」はそのままで構いません")

    def _follow(self, value: str, indent: int) -> None:
        """After `key: value`, deeper lines belong to the value (a block scalar or a continued one)."""
        if _BLOCK_SCALAR.match(value):
            self.block_indent = indent
        elif value and not value.startswith("#"):
            self.value_indent = indent

    def _pop(self, indent: int) -> None:
        while self.keys and self.keys[-1][0] >= indent:
            self.keys.pop()

    def _key(self) -> str:
        return ".".join(key for _, key in self.keys)

    def _add(self, number: int, key: str, message: str, hint: str) -> None:
        self.slips.append(Slip(number, key, message, hint))


def _parses(value: str) -> bool:
    try:
        yaml.safe_load(f"k: {value}")
    except yaml.YAMLError:
        return False
    return True


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
