"""A digest of everything a generated page is made from, so that a preview rebuilds only what changed.

Under `mkdocs serve --dirty` MkDocs renders only the pages whose source changed. Every
page of the hub is generated, so "changed" means: its Markdown or the data its template
receives differ from the previous build. The digest walks that data (entries, views,
term links, vocabularies) once per build, remembering each object it has seen, so that
the thousands of pages that share the same entries cost no more than the entries do.
A lookup object over many entries (a taxonomy index) may define `fingerprint_parts()` to
name what its answers depend on, so that editing one entry's text leaves the pages that
only look terms up in it unchanged.

Across the rebuilds of one preview, the loader gives back the very same entry object for a
file whose bytes did not change (see hub.reading.result_cache), and an entry cannot change
once made (a frozen dataclass holding a frozen model). `carried_over()` hands the digests of
such immutable values to the next build, which then walks only the entries of changed files.

A page's Markdown is digested as it is, and only an entry's own page has the entry's body as
its Markdown: no template prints `entry.body` (a test reads them all). Page digests therefore
leave bodies out (`ENTRY_BODY`), so that editing a body, an editor's most common save, renders
that entry's page again and not every listing that shows its card. Files (a feed prints
bodies) are digested whole.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

from hub.core.collection import Entry

_SCALARS = (str, int, float, bool, type(None), date, datetime, time, timedelta, Decimal, enum.Enum)
ENTRY_BODY = frozenset({(Entry, "body")})  # what page digests leave out: see the module's docstring


class Fingerprints:
    """Digests of values within one build; an object is walked once however many pages hold it."""

    def __init__(self, root: PurePath | None = None, kept: dict[int, tuple[Any, bytes]] | None = None,
                 left_out: frozenset[tuple[type, str]] = frozenset()) -> None:
        """Paths under `root` count as relative to it: a file kept by digest (`KeptFiles`) is then
        found again by a copy of the project in another folder, whose content is the same.
        `kept` holds an earlier build's digests of immutable values: see `carried_over`.
        `left_out` names dataclass fields, (class, field name), that do not count."""
        self._root = root
        self._left_out = left_out
        self._plans: dict[type, tuple[_Walk, tuple[str, ...]]] = {}
        self._scalars: dict[tuple[type, str | int], bytes] = {}  # labels, URLs and counts recur on many pages
        self._seen: dict[int, bytes] = {}
        self._alive: list[Any] = []  # keeps walked objects alive so that their ids stay theirs
        self._kept = kept or {}  # id → (the value itself, alive, so that the id is still its own; digest)

    def of(self, *values: Any) -> str:
        return hashlib.blake2b(b"".join(self._digest(value) for value in values), digest_size=16).hexdigest()

    def carried_over(self) -> Fingerprints:
        """Digests for the next build, knowing this build's immutable values. Only those this build
        met are handed on, so a value no longer in the content is let go after one build."""
        kept = {key: (value, self._seen[key]) for value in self._alive
                if _immutable(value) for key in (id(value),)}
        return Fingerprints(self._root, kept, self._left_out)

    def _digest(self, value: Any) -> bytes:
        if type(value) is str or type(value) is int:
            known = self._scalars.get((type(value), value))
            if known is None:
                known = self._scalars[type(value), value] = _hash(type(value).__name__, repr(value).encode())
            return known
        if isinstance(value, _SCALARS):
            return _hash(type(value).__name__, repr(value).encode())
        if isinstance(value, PurePath):
            return _hash("path", self._project_path(value).encode())
        known = self._seen.get(id(value))
        if known is None:
            kept = self._kept.get(id(value))
            known = kept[1] if kept is not None and kept[0] is value else self._walk(value)
            self._seen[id(value)] = known
            self._alive.append(value)
        return known

    def _project_path(self, path: PurePath) -> str:
        if self._root is not None and path.is_relative_to(self._root):
            return "<project>/" + path.relative_to(self._root).as_posix()
        return path.as_posix()

    def _walk(self, value: Any) -> bytes:
        kind = type(value)
        plan = self._plans.get(kind)
        if plan is None:
            plan = self._plans[kind] = _plan(kind, self._left_out)
        how, fields = plan
        name = kind.__qualname__
        if how is _Walk.FIELDS:
            return _hash(name, *(self._digest(getattr(value, field)) for field in fields))
        if how is _Walk.SEQUENCE:
            return _hash(name, *(self._digest(item) for item in value))
        if how is _Walk.MAPPING:
            return _hash(name, *(self._digest(key) + self._digest(item) for key, item in value.items()))
        if how is _Walk.LOOKUP:  # a lookup object says what its answers depend on
            return _hash(name, self._digest(value.fingerprint_parts()))
        if how is _Walk.SET:
            return _hash(name, *sorted(self._digest(item) for item in value))
        if how is _Walk.CODE:  # a function, class or method: code, not data
            return _hash("code", f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', name)}".encode())
        return _hash(name, repr(value).encode())


class _Walk(enum.Enum):
    """How values of one class are walked, decided once per class and build (see _plan)."""

    LOOKUP = "fingerprint_parts()"
    MAPPING = "keys and values"
    SET = "items, in digest order"
    SEQUENCE = "items"
    FIELDS = "a model's or dataclass's fields"
    CODE = "module and name"
    TEXT = "repr()"


def _plan(kind: type, left_out: frozenset[tuple[type, str]]) -> tuple[_Walk, tuple[str, ...]]:
    """Thousands of values of a few hundred classes: what to walk is a question of the class."""
    if issubclass(kind, type):
        return _Walk.CODE, ()
    if getattr(kind, "fingerprint_parts", None) is not None:
        return _Walk.LOOKUP, ()
    if issubclass(kind, Mapping):
        return _Walk.MAPPING, ()
    if issubclass(kind, (set, frozenset)):
        return _Walk.SET, ()
    if issubclass(kind, (list, tuple)):
        return _Walk.SEQUENCE, ()
    if issubclass(kind, BaseModel):
        return _Walk.FIELDS, tuple(kind.model_fields)
    if dataclasses.is_dataclass(kind):
        return _Walk.FIELDS, tuple(field.name for field in dataclasses.fields(kind) if (kind, field.name) not in left_out)
    if any("__call__" in vars(base) for base in kind.__mro__):  # what callable() asks of a value
        return _Walk.CODE, ()
    return _Walk.TEXT, ()


def _immutable(value: Any) -> bool:
    """An entry, or a frozen model (an entry's front matter and what it holds): values that cannot
    change once made, whose digest therefore holds for as long as the object lives."""
    if isinstance(value, BaseModel):
        return bool(type(value).model_config.get("frozen"))
    return isinstance(value, Entry)


def _hash(kind: str, *parts: bytes) -> bytes:
    digest = hashlib.blake2b(kind.encode(), digest_size=16)
    for part in parts:
        digest.update(part)
    return digest.digest()
