"""What the data pages and the rest of the site have in common: themes and wards.

A data page lists the cases, groups and events on its themes or in its wards, and a case's,
group's or event's page lists the data pages on its themes or wards under 「関連するデータ」.
An event has no themes; the ward of its venue counts. Entries sharing more terms come first.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from hub.collections.data.schema import NAME
from hub.core.collection import Entry, kept_with_entry
from hub.core.content import Content, Site
from hub.core.outputs import Output, PageSpec

RELATED = {"cases": "関連する協働事例", "groups": "関連する登録団体", "events": "関連するイベント・講座"}
LIMIT = 4


@dataclass(frozen=True)
class RelatedList:
    heading: str
    entries: list[Entry]


@kept_with_entry  # each data page ranks every case, group and event
def terms_of(entry: Entry) -> frozenset[tuple[str, str]]:
    """(key, id) of the entry's themes and wards; an event's ward is its venue's."""
    meta = entry.meta
    found = {("themes", theme) for theme in getattr(meta, "themes", None) or ()}
    found |= {("wards", ward) for ward in getattr(meta, "wards", None) or ()}
    venue_ward = getattr(getattr(meta, "venue", None), "ward", None)
    if venue_ward:
        found.add(("wards", venue_ward))
    return frozenset(found)


def ranked(terms: frozenset[tuple[str, str]], candidates: list[Entry], limit: int = LIMIT) -> list[Entry]:
    """The candidates sharing most of `terms`, in their collection's order on ties."""
    scored = [(len(terms & terms_of(other)), position, other) for position, other in enumerate(candidates)]
    return [other for shared, _, other in sorted((s for s in scored if s[0]), key=lambda s: (-s[0], s[1]))[:limit]]


def related_to_data(entry: Entry, content: Content) -> list[RelatedList]:
    """The other collections' entries a data page links to, collection by collection."""
    terms = terms_of(entry)
    lists = [RelatedList(heading, ranked(terms, content[name])) for name, heading in RELATED.items()]
    return [found for found in lists if found.entries]


def with_related_data(outputs: list[Output], site: Site) -> list[Output]:
    """The entry pages of cases, groups and events, each given the data pages it shares terms
    with (`related_data`); a page with none is left as it was."""
    data_entries = site.content[NAME]
    if not data_entries:
        return outputs
    return [_with_data(output, data_entries) for output in outputs]


def _with_data(output: Output, data_entries: list[Entry]) -> Output:
    entry = output.data.get("entry") if isinstance(output, PageSpec) else None
    if entry is None or entry.collection not in RELATED:
        return output
    found = ranked(terms_of(entry), data_entries, limit=3)
    return dataclasses.replace(output, data={**output.data, "related_data": found}) if found else output
