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
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from hub.collections.groups.references import GroupRegister
from hub.core.collection import Entry
from hub.core.content import Content
from hub.core.problems import ContentError, Problem
from hub.core.references import GROUPS, Party, Reference, group_references
from hub.core.validation import dotted_key
from hub.reading.frontmatter import read_source

SHOWN_FILES = 5  # other files named in a message; more are counted


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
    close = GroupRegister.of(groups.values()).suggest(place.group)
    if close:
        hint = "もしかして " + " / ".join(f"{entry.slug}（{entry.title}）" for entry in close) + "？"
    else:
        hint = f"content/{GROUPS}/ にある団体のファイル名を書くか、登録団体でなければ name: に名前を書いてください"
    if others:
        hint += "。団体のファイル名を変えたのなら、元に戻すか、参照しているファイルをすべて直してください"
    return Problem(place.entry.source, line, dotted_key(place.loc), message, hint)


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
