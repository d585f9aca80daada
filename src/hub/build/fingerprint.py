"""A digest of everything a generated page is made from, so that a preview rebuilds only what changed.

Under `mkdocs serve --dirty` MkDocs renders only the pages whose source changed. Every
page of the hub is generated, so "changed" means: its Markdown or the data its template
receives differ from the previous build. The digest walks that data (entries, views,
term links, vocabularies) once per build, remembering each object it has seen, so that
the thousands of pages that share the same entries cost no more than the entries do.
A lookup object over many entries (a taxonomy index) may define `fingerprint_parts()` to
name what its answers depend on, so that editing one entry's text leaves the pages that
only look terms up in it unchanged.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

_SCALARS = (str, int, float, bool, type(None), date, datetime, time, timedelta, Decimal, enum.Enum)


class Fingerprints:
    """Digests of values within one build; an object is walked once however many pages hold it."""

    def __init__(self) -> None:
        self._seen: dict[int, bytes] = {}
        self._alive: list[Any] = []  # keeps walked objects alive so that their ids stay theirs

    def of(self, *values: Any) -> str:
        return hashlib.blake2b(b"".join(self._digest(value) for value in values), digest_size=16).hexdigest()

    def _digest(self, value: Any) -> bytes:
        if isinstance(value, _SCALARS):
            return _hash(type(value).__name__, repr(value).encode())
        known = self._seen.get(id(value))
        if known is None:
            known = self._walk(value)
            self._seen[id(value)] = known
            self._alive.append(value)
        return known

    def _walk(self, value: Any) -> bytes:
        name = type(value).__qualname__
        parts = getattr(value, "fingerprint_parts", None)
        if parts is not None and not isinstance(value, type):
            return _hash(name, self._digest(parts()))  # a lookup object says what its answers depend on
        if isinstance(value, Mapping):
            return _hash(name, *(self._digest(key) + self._digest(item) for key, item in value.items()))
        if isinstance(value, (set, frozenset)):
            return _hash(name, *sorted(self._digest(item) for item in value))
        if isinstance(value, (list, tuple)):
            return _hash(name, *(self._digest(item) for item in value))
        if isinstance(value, BaseModel):
            return _hash(name, *(self._digest(getattr(value, field)) for field in type(value).model_fields))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return _hash(name, *(self._digest(getattr(value, field.name)) for field in dataclasses.fields(value)))
        if callable(value):  # a function, class or method: code, not data
            return _hash("code", f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', name)}".encode())
        return _hash(name, repr(value).encode())


def _hash(kind: str, *parts: bytes) -> bytes:
    digest = hashlib.blake2b(kind.encode(), digest_size=16)
    for part in parts:
        digest.update(part)
    return digest.digest()
