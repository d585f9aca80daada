"""Reading one Markdown file: YAML front matter with line numbers, and the body.

Front matter is parsed into a node tree first so that every key and list item keeps
the line it was written on; validation errors can then point at the exact line.
Timestamps stay strings: the schema parses dates itself, so that an impossible date
such as 2020-02-30 becomes a clear message instead of a YAML crash.

Editors' files are untrusted input: whatever they hold must end as a problem naming the
file and the line, never as a traceback or a stall. So, before any YAML is built into
values, the file's size, its characters (control characters, which the YAML reader
rejects without naming the file) and the YAML events (anchors and aliases, which can
expand exponentially or refer to themselves; tags; deep nesting) are checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hub.core.problems import Problem
from hub.reading.ime_slips import find_slips
from hub.reading.yaml_safety import Refusal, Survey, forbidden_characters, needs_events, refused_yaml, survey

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FENCE = "---"
FILE_KEY = "file"
FRONT_MATTER_KEY = "front-matter"
BODY_KEY = "body"
# Entries are a few kilobytes and long hand-written pages some tens; a file this big is a mistake
# (a pasted export, an image saved as .md) and would make every check slow.
MAX_FILE_BYTES = 1_000_000

KeyPath = tuple[str | int, ...]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader that keeps dates as text."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)
_TEXT_TAG = "tag:yaml.org,2002:str"


class _NotPlain(Exception):
    """A node `_plain_value` leaves to PyYAML's constructor."""


def _plain_value(loader: _Loader, node: yaml.Node) -> Any:
    """What `loader.construct_document(node)` gives for a tree of mappings with text keys, lists and
    scalars, composed without anchors or tags and at most MAX_DEPTH deep (see `needs_events`): that
    constructor's bookkeeping for aliases and self-references, which such a tree cannot hold, was a
    third of reading a file. A merge key (`<<`) or a tag it has no constructor for raises _NotPlain."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _TEXT_TAG:
            return node.value
        construct = loader.yaml_constructors.get(node.tag)
        if construct is None:
            raise _NotPlain
        return construct(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return [_plain_value(loader, item) for item in node.value]
    if any(key.tag != _TEXT_TAG for key, _ in node.value):  # a merge key, or a key left for the checks' message
        raise _NotPlain
    return {key.value: _plain_value(loader, value) for key, value in node.value}


def _constructed(loader: _Loader, node: yaml.Node, composed_at_once: bool) -> Any:
    if composed_at_once:
        try:
            return _plain_value(loader, node)
        except _NotPlain:
            pass
    return loader.construct_document(node)


@dataclass
class Source:
    """One content file after parsing, before schema validation."""

    path: Path
    shown_path: str
    meta: dict[str, Any]
    lines: dict[KeyPath, int]
    body: str
    body_line: int
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key_path: KeyPath) -> int:
        """The line of the deepest part of `key_path` that exists in the file."""
        for end in range(len(key_path), 0, -1):
            if key_path[:end] in self.lines:
                return self.lines[key_path[:end]]
        return 1


def read_source(path: Path, shown_path: str, required: bool = True) -> Source:
    """Parse a file; problems are collected on the returned Source, never raised.

    `required=False` is for hand-written pages, which may have no front matter at all.
    """
    source = Source(path, shown_path, {}, {}, "", 1)
    text = _read_text(path, source)
    if text is None:
        return source
    lines = text.split("\n")
    if not required and lines[0].strip() != FENCE:
        _refuse_characters(lines, source, -1)
        source.body = text
        return source
    if not lines or lines[0].strip() != FENCE:
        source.problems.append(_problem(source, 1, FRONT_MATTER_KEY,
                                        "ファイルの先頭に front matter（--- で始まる YAML）がありません",
                                        "1 行目に --- を書き、項目のあとにもう一度 --- を書いてください"))
        return source
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in (FENCE, "...")), None)
    if closing is None:
        source.problems.append(_problem(source, 1, FRONT_MATTER_KEY,
                                        "front matter が閉じられていません",
                                        "項目の最後の行のあとに --- だけの行を書いてください"))
        return source
    if _refuse_characters(lines, source, closing):
        return source
    _parse_yaml("\n".join(lines[1:closing]), source, first_line=2)
    body = lines[closing + 1:]
    blank = next((number for number, line in enumerate(body) if line), len(body))
    source.body = "\n".join(body[blank:]).strip("\n") + "\n"
    source.body_line = closing + 2 + blank  # the line of the body's first line, for messages about the body
    return source


def load_yaml_file(path: Path, shown_path: str) -> Source:
    """Parse a whole YAML data file (such as the vocabularies) with line numbers."""
    source = Source(path, shown_path, {}, {}, "", 1)
    text = _read_text(path, source)
    if text is not None and not _refuse_characters(text.split("\n"), source, None):
        _parse_yaml(text, source, first_line=1)
    return source


def _read_text(path: Path, source: Source) -> str | None:
    """The file's text, or None with a problem when it cannot be read, is too big or is not UTF-8."""
    try:
        size = path.stat().st_size
        raw = path.read_bytes() if size <= MAX_FILE_BYTES else b""
    except OSError as error:
        source.problems.append(_problem(source, 1, FILE_KEY,
                                        f"ファイルを読めません（cannot read: {error.strerror or error}）",
                                        "ファイルの場所と読み取りの権限を確かめてください"))
        return None
    if size > MAX_FILE_BYTES:
        source.problems.append(_problem(source, 1, FILE_KEY,
                                        f"ファイルが大きすぎます: {size:,} バイト（file too large, limit {MAX_FILE_BYTES:,}）",
                                        "画像や PDF は docs/ に置いてリンクし、長い文章はページを分けてください"))
        return None
    return _decode(raw, source)


def _refuse_characters(lines: list[str], source: Source, closing: int | None) -> bool:
    """Control characters and other invisible ones: a problem with line and column, before YAML sees them.

    `closing` is the index of the front matter's closing line (None: the whole file is YAML);
    a character below it is reported under `body`, above it under the key it is written in.
    """
    found = forbidden_characters(lines)
    for line, column, character in found:
        in_body = closing is not None and line - 1 > closing
        key = BODY_KEY if in_body else _top_level_key(lines[:line])
        source.problems.append(_problem(source, line, key,
                                        f"使えない文字（U+{ord(character):04X}）が {line} 行目の {column} 文字目にあります"
                                        "（control character）",
                                        "目に見えない制御文字です。その前後の文字を消して打ち直してください"))
    return bool(found)


def _top_level_key(lines: list[str]) -> str:
    """The front-matter key a line belongs to: the nearest unindented `key:` at or above it."""
    for line in reversed(lines):
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            return match.group(1)
    return FRONT_MATTER_KEY


_TOP_LEVEL_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:")


def _decode(raw: bytes, source: Source) -> str | None:
    """UTF-8 with or without a BOM, any line endings (files from Windows editors are fine)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        source.problems.append(_problem(source, line, FILE_KEY,
                                        "文字コードが UTF-8 ではありません（not UTF-8）",
                                        "エディタで文字コードを UTF-8 にして保存し直してください"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_yaml(text: str, source: Source, first_line: int) -> None:
    loader = _Loader(text)
    try:
        events_first = needs_events(text)
        if events_first and _refused(refused_yaml(text, _Loader), text, source, first_line):
            return
        node = loader.get_single_node()
        found = survey(node) if node is not None else Survey()
        if not events_first and _refused(found.too_deep, text, source, first_line):
            return
        if _refuse_keys(found, source, first_line):
            return
        data = _constructed(loader, node, not events_first) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        # Read as events, a refusal written before the mistake is what stops the reading.
        if events_first or not _refused(_refusal_before_error(text), text, source, first_line):
            _report_yaml_error(error, text, source, first_line)
        return
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        source.problems.append(_problem(source, first_line, FRONT_MATTER_KEY,
                                        "front matter は「項目: 値」の形で書いてください",
                                        "例: title: 事例のタイトル"))
        return
    source.meta = data
    _take_lines(found, source, first_line)


def _refusal_before_error(text: str) -> Refusal | None:
    try:
        return refused_yaml(text, _Loader)
    except yaml.MarkedYAMLError:
        return None


def _refused(refusal: Refusal | None, text: str, source: Source, first_line: int) -> bool:
    if refusal is None:
        return False
    line, message, hint = refusal
    key = _top_level_key(text.split("\n")[:line + 1])
    source.problems.append(_problem(source, line + first_line, key, message, hint))
    return True


def _refuse_keys(found: Survey, source: Source, first_line: int) -> bool:
    """Keys that are not text (`1: x`, `? [a]: b`) and values holding control characters written as escapes."""
    for line, key, message, hint in found.refused:
        source.problems.append(_problem(source, line + first_line, key or FRONT_MATTER_KEY, message, hint))
    return bool(found.refused)


def _report_yaml_error(error: yaml.MarkedYAMLError, text: str, source: Source, first_line: int) -> None:
    """IME slips (`：`, `　`, `ー`, `key:value`, “…”) explain most failures, each on its own line: report
    them all; the parser's own message, on the line it blames, only when there is none."""
    slips = find_slips(text.split("\n"), first_line)
    for slip in slips:
        source.problems.append(_problem(source, slip.line, slip.key or FRONT_MATTER_KEY, slip.message, slip.hint))
    if slips:
        return
    line = _error_line(error, text) + first_line
    source.problems.append(_problem(source, line, FRONT_MATTER_KEY,
                                    f"YAML の書き方に誤りがあります: {error.problem or error}",
                                    "コロン（:）のあとの半角スペース、字下げ、引用符の閉じ忘れを確かめてください"))


# The scanner gives up on a `key` without `: ` when it reaches the next line; the key is where it started.
_SIMPLE_KEY_CONTEXT = "while scanning a simple key"


def _error_line(error: yaml.MarkedYAMLError, text: str) -> int:
    """The line the parser blames. It reports the end of the front matter for anything left open, and the
    next line for a key without `: `: point at where that started. A comment or a blank line is never
    the mistake: the parser stopped there after the line above."""
    mark = error.problem_mark or error.context_mark
    if error.context_mark and (mark is None or mark.index >= len(text.rstrip())
                               or error.context == _SIMPLE_KEY_CONTEXT):
        mark = error.context_mark
    line = mark.line if mark else 0
    lines = text.split("\n")
    while 0 < line < len(lines) and (not lines[line].strip() or lines[line].lstrip().startswith("#")):
        line -= 1
    return line


def _take_lines(found: Survey, source: Source, first_line: int) -> None:
    source.lines.update((loc, line + first_line) for loc, line in found.lines.items())
    for _, line, loc in found.duplicates:
        source.problems.append(_problem(source, line + first_line, ".".join(map(str, loc)),
                                        "同じ項目が 2 回書かれています（duplicate key）",
                                        "どちらか一方を削除してください"))


def _problem(source: Source, line: int, key: str, message: str, hint: str = "") -> Problem:
    return Problem(source.shown_path, line, key, message, hint)
