"""One ward's share of the content: what a ward's paper edition (or any ward-wide list) may carry.

Collections say where an entry belongs in different keys: cases and groups list `wards`,
talents their `areas`, a cafe its `ward`, an event its venue's (or each session's venue's)
`ward`, a recruitment `where.ward`. This module is the one place that reads them. An entry
that names no ward (an online course, a city-wide recruitment) is open to readers of every
ward, so it stays in every ward's share.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hub.core.collection import Entry
from hub.core.content import Content


def entry_wards(entry: Entry) -> set[str]:
    """Every ward id the entry names, in whichever key its collection keeps them."""
    meta = entry.meta
    found = set(_ids(getattr(meta, "wards", None))) | set(_ids(getattr(meta, "areas", None)))
    found |= set(_ids(getattr(meta, "ward", None)))
    places = [getattr(meta, "venue", None), getattr(meta, "where", None),
              *(session.venue for session in getattr(meta, "sessions", None) or ())]
    found |= {place.ward for place in places if getattr(place, "ward", None)}
    return found


def in_ward(entry: Entry, ward: str) -> bool:
    wards = entry_wards(entry)
    return not wards or ward in wards


def ward_content(content: Content, ward: str | None, keep: frozenset[str] = frozenset()) -> Content:
    """The content restricted to `ward`; all of it for None (a city-wide publication). Entries whose
    path (`events/<slug>`) is in `keep` stay wherever they are: an editor who pins one wants it shown."""
    if ward is None:
        return content
    entries = {name: [entry for entry in found if in_ward(entry, ward) or entry.url.rstrip("/") in keep]
               for name, found in content.entries.items()}
    return Content(content.vocabularies, entries, content.drafts, content.draft_pages)


def _ids(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        yield from (item for item in value if isinstance(item, str))
