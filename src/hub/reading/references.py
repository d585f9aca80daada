"""Checking and resolving `group: <id>` once every collection is loaded.

An id that names no published group is a problem on its line, with 「もしかして」 and every
other file that refers to the same id: a group whose file was renamed (its id changed)
leaves each of them pointing nowhere, and the list says what to change, or that the
rename should be undone. A group that is only a draft counts as missing: its page does
not exist. Resolved parties carry the group's current name, website and page, so that a
renamed group is renamed on every page that shows it.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from hub.core.collection import Entry
from hub.core.content import Content
from hub.core.problems import ContentError, Problem
from hub.core.references import GROUPS, EntryRef, Party
from hub.core.validation import dotted_key
from hub.reading.frontmatter import KeyPath, read_source

SHOWN_FILES = 5  # other files named in a message; more are counted


@dataclasses.dataclass(frozen=True)
class Reference:
    """One `group: <id>` in one entry, at a key path of its front matter."""

    entry: Entry
    loc: KeyPath
    group: str


def link_groups(content: Content, root: Path) -> Content:
    """Content whose parties name their groups as the groups' entries do; ContentError when an
    id names no published group."""
    groups = {entry.slug: entry for entry in content[GROUPS]}
    references = list(group_references(content))
    problems = unknown_group_problems(references, groups, root)
    if problems:
        raise ContentError(problems)
    referring = {id(reference.entry) for reference in references}
    entries = {name: [_resolved_entry(entry, groups) if id(entry) in referring else entry for entry in listed]
               for name, listed in content.entries.items()}
    return dataclasses.replace(content, entries=entries)


def group_references(content: Content) -> Iterator[Reference]:
    for listed in content.entries.values():
        for entry in listed:
            for loc, group in _group_ids(entry.meta, ()):
                yield Reference(entry, loc, group)


def referrers(content: Content, group: str) -> dict[str, list[Entry]]:
    """The entries that name `group`, by collection, in each collection's own order."""
    found: dict[str, list[Entry]] = defaultdict(list)
    for name, listed in content.entries.items():
        for entry in listed:
            if any(named == group for _, named in _group_ids(entry.meta, ())):
                found[name].append(entry)
    return dict(found)


def unknown_group_problems(references: list[Reference], groups: dict[str, Entry], root: Path) -> list[Problem]:
    by_group: dict[str, list[Reference]] = defaultdict(list)
    for reference in references:
        by_group[reference.group].append(reference)
    problems = []
    for group, places in by_group.items():
        if group in groups:
            continue
        for place in places:
            others = sorted({other.entry.source for other in places} - {place.entry.source})
            problems.append(_problem(place, others, groups, root))
    return problems


def _problem(place: Reference, others: list[str], groups: dict[str, Entry], root: Path) -> Problem:
    line = read_source(root / place.entry.source, place.entry.source).line_of(place.loc)
    message = f"「{place.group}」という登録団体はありません（content/{GROUPS}/{place.group}.md が公開されていません）"
    if others:
        shown = "、".join(others[:SHOWN_FILES]) + (f" ほか {len(others) - SHOWN_FILES} 件" if len(others) > SHOWN_FILES else "")
        message += f"。同じ団体を {shown} も参照しています"
    close = difflib.get_close_matches(place.group, sorted(groups), n=1, cutoff=0.6)
    if close:
        hint = f"もしかして {close[0]}（{groups[close[0]].title}）？"
    else:
        hint = f"content/{GROUPS}/ にある団体のファイル名を書くか、登録団体でなければ name: に名前を書いてください"
    if others:
        hint += "。団体のファイル名を変えたのなら、元に戻すか、参照しているファイルをすべて直してください"
    return Problem(place.entry.source, line, dotted_key(place.loc), message, hint)


def _group_ids(value: Any, loc: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """(key path, id) of every group named in a front matter value: a party's `group:` or a
    field that holds a group's id itself (a recruitment's `group:`)."""
    if isinstance(value, BaseModel):
        for name in _group_id_fields(type(value)):
            found = getattr(value, name)
            if found is not None:
                yield (*loc, name), found
        for name in type(value).model_fields:
            child = getattr(value, name)
            if isinstance(child, (BaseModel, list, tuple)):
                yield from _group_ids(child, (*loc, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _group_ids(item, (*loc, index))


@functools.cache
def _group_id_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` whose value is a group's id (marked with EntryRef(GROUPS))."""
    return tuple(name for name, info in model.model_fields.items()
                 if _names_groups(info.annotation) or any(_is_group_ref(item) for item in info.metadata))


def _is_group_ref(item: Any) -> bool:
    return isinstance(item, EntryRef) and item.collection == GROUPS


def _names_groups(annotation: Any) -> bool:
    args = get_args(annotation)
    return any(_is_group_ref(arg) for arg in args) \
        or any(_names_groups(arg) for arg in args if get_args(arg))


def _resolved_entry(entry: Entry, groups: dict[str, Entry]) -> Entry:
    return dataclasses.replace(entry, meta=_resolved(entry.meta, groups))


def _resolved(value: Any, groups: dict[str, Entry]) -> Any:
    if isinstance(value, Party) and value.group is not None:
        group = groups[value.group]
        return value.resolved(group.title, getattr(group.meta, "website", None), group.url)
    if isinstance(value, BaseModel):
        changes = {name: _resolved(getattr(value, name), groups) for name in type(value).model_fields
                   if isinstance(getattr(value, name), (BaseModel, list, tuple))}
        changes = {name: new for name, new in changes.items() if new is not getattr(value, name)}
        return value.model_copy(update=changes) if changes else value
    if isinstance(value, (list, tuple)):
        items = [_resolved(item, groups) for item in value]
        return type(value)(items) if any(new is not old for new, old in zip(items, value)) else value
    return value
