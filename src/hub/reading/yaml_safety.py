"""What the hub refuses in editors' YAML before building any value from it.

Front matter and data files are plain mappings, lists and text. YAML can say much more,
and some of it turns a typo or a hostile file into a crash or a stall: an alias expands
to a copy of its anchor's value (nine levels of ten aliases are a billion values, the
"billion laughs"), an alias inside its own anchor is a value that contains itself, a tag
asks for another type (`!!binary`, `!!python/object`), and deep nesting exhausts the
recursion of any walk over the values. These checks run on the parser's events and on the
composed node tree, where aliases are still references, so that refusing costs as little
as reading.

Control characters are refused before the YAML reader sees them: its own error names
neither the file nor the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

# Deeper than any front matter or data file the hub reads (a vocabulary's term is four levels).
MAX_DEPTH = 10
# Tags written out that change nothing: `!!str 123` is the text "123".
_HARMLESS_TAGS = {"tag:yaml.org,2002:str"}
_TEXT_TAG = "tag:yaml.org,2002:str"
# C0 and C1 control characters but tab and newline; DEL; a byte order mark or a noncharacter
# inside the text; U+2028/U+2029, which YAML reads as line breaks (line numbers would shift);
# lone surrogates, which a YAML escape such as "\ud800" can produce and no file can store.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_COLLECTION_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)

Refusal = tuple[int, str, str]  # 0-based line, message, hint


def forbidden_characters(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line, column, character), both 1-based, of every forbidden character; one per line is enough."""
    found = []
    for number, line in enumerate(lines, start=1):
        match = _FORBIDDEN.search(line)
        if match:
            found.append((number, match.start() + 1, match.group()))
    return found


# Every anchor, alias and tag is written with one of these; a text without them holds none.
_NAMING_SIGNS = frozenset("&*!")
# Each collection opens with one of these (a key's colon, a list's dash, a bracket, a brace, an
# explicit key), so a text with fewer than this many is no deeper than that, and the composer,
# which recurses in C, can take it whole before the tree is measured (see `needs_events`).
_OPENERS = "[{-?:"
_SHALLOW_ENOUGH_TO_COMPOSE = 1000


def needs_events(text: str) -> bool:
    """Whether `text` must be read as events (`refused_yaml`) before it is composed. Most front
    matter has no anchor, alias or tag sign and too few openers to be deep: it is composed at
    once and only its tree is measured (`survey`), which costs a fifth of reading the events."""
    return not _NAMING_SIGNS.isdisjoint(text) or sum(map(text.count, _OPENERS)) >= _SHALLOW_ENOUGH_TO_COMPOSE


KeyPath = tuple[str | int, ...]
_KEY_HINT = "項目名は英字で書いてください（例: title）。数字などを項目名にするときは \"...\" で囲んでください"


@dataclass
class Survey:
    """What one walk over a composed tree finds, for the checks that used to walk it three times."""

    too_deep: Refusal | None = None  # the first collection, in the order written, nested deeper than MAX_DEPTH
    refused: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, dotted key, message, hint)
    lines: dict[KeyPath, int] = field(default_factory=dict)  # 0-based line of every key and list item
    duplicates: list[tuple[int, int, KeyPath]] = field(default_factory=list)  # (where, line, key) written twice


def survey(node: yaml.Node) -> Survey:
    """The depth refusal, first in the order written (what `refused_yaml` says of a text without
    anchors, aliases or tags); keys that are not text and values holding forbidden characters written
    as escapes ("\\0"), sorted; where each key and item was written, and keys written twice in one
    mapping, in the order written. Keys' own subtrees, and values under a key that
    is refused, count for depth only. The walk uses a stack: no recursion however deep the tree."""
    found = Survey()
    stack: list[tuple[yaml.Node, int, KeyPath, tuple[str, ...], bool]] = [(node, 1, (), (), True)]
    while stack:
        current, depth, loc, keys, looked_at = stack.pop()
        if isinstance(current, (yaml.MappingNode, yaml.SequenceNode)) and depth > MAX_DEPTH and found.too_deep is None:
            found.too_deep = _too_deep(current.start_mark.line)
        if isinstance(current, yaml.MappingNode):
            stack += reversed(_mapping_children(current, depth, loc, keys, looked_at, found))
        elif isinstance(current, yaml.SequenceNode):
            if looked_at:
                found.lines.update(((*loc, index), item.start_mark.line) for index, item in enumerate(current.value))
            stack += reversed([(item, depth + 1, (*loc, index), keys, looked_at)
                               for index, item in enumerate(current.value)])
        elif looked_at and isinstance(current, yaml.ScalarNode) and _FORBIDDEN.search(current.value):
            found.refused.append(_forbidden_value(current, keys))
    found.refused.sort()
    found.duplicates.sort()
    return found


def _mapping_children(mapping: yaml.MappingNode, depth: int, loc: KeyPath, keys: tuple[str, ...], looked_at: bool,
                      found: Survey) -> list[tuple[yaml.Node, int, KeyPath, tuple[str, ...], bool]]:
    children = []
    seen: set[str] = set()
    for key_node, value_node in mapping.value:
        children.append((key_node, depth + 1, loc, keys, False))
        text = isinstance(key_node, yaml.ScalarNode) and key_node.tag == _TEXT_TAG
        if looked_at:
            key = str(key_node.value)
            if not text:
                found.refused.append((key_node.start_mark.line, ".".join(keys), _key_message(key_node), _KEY_HINT))
            if key in seen:
                found.duplicates.append((key_node.start_mark.index, key_node.start_mark.line, (*loc, key)))
            seen.add(key)
            found.lines[(*loc, key)] = key_node.start_mark.line
        children.append((value_node, depth + 1, (*loc, str(key_node.value)),
                         (*keys, key_node.value) if text else keys, looked_at and text))
    return children


def _forbidden_value(node: yaml.ScalarNode, keys: tuple[str, ...]) -> tuple[int, str, str, str]:
    code = ord(_FORBIDDEN.search(node.value).group())
    return (node.start_mark.line, ".".join(keys), f"使えない文字（U+{code:04X}）が値に入っています（control character）",
            "「\\」で始まる書き方（エスケープ）で書かれた制御文字を削除してください")


def _too_deep(line: int) -> Refusal:
    return (line, f"入れ子が深すぎます（nesting deeper than {MAX_DEPTH} levels）",
            "字下げの誤りか、かっこ [ { の閉じ忘れがないか確かめてください")


def refused_yaml(text: str, loader: type[Any]) -> Refusal | None:
    """The first anchor, alias, tag or too-deep nesting in `text`, read as events (nothing is expanded)."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        refusal = _refused_event(event)
        if refusal is not None:
            return refusal
        if isinstance(event, _COLLECTION_STARTS):
            depth += 1
            if depth > MAX_DEPTH:
                return _too_deep(event.start_mark.line)
        elif isinstance(event, _COLLECTION_ENDS):
            depth -= 1
    return None


def _refused_event(event: yaml.Event) -> Refusal | None:
    line = event.start_mark.line
    if isinstance(event, yaml.AliasEvent):
        return (line, f"YAML の別名（*{event.anchor}）は使えません（YAML alias）",
                "同じ値をもう一度書いてください（& と * による参照は使えません）")
    if getattr(event, "anchor", None):
        return (line, f"YAML のアンカー（&{event.anchor}）は使えません（YAML anchor）",
                "& で始まる名前を削除してください（同じ値を使うときは、もう一度書いてください）")
    tag = getattr(event, "tag", None)
    if tag and tag not in _HARMLESS_TAGS:
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        return (line, f"YAML のタグ（{shown}）は使えません（YAML tag）",
                "「!」で始まる部分を削除してください。文字として書くときは \"...\" で囲んでください")
    return None


def _key_message(key_node: yaml.Node) -> str:
    if isinstance(key_node, yaml.ScalarNode):
        return f"項目名「{key_node.value}」は文字として読めません（key is not text）"
    return "項目名にリストや入れ子は使えません（key is not text）"
