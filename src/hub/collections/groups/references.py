"""Finding a group by its id, for the entries that name one (`group: <id>` in a case, an event,
a recruitment), and the lists of those entries that a group's page shows.

A reference names the file slug, which never changes once published; the page shows the
group's current name, so renaming a group renames it everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from hub.collections.events.occurrences import split as split_events
from hub.collections.volunteer.timeline import split as split_recruitments
from hub.core.collection import Entry

SUGGESTIONS = 3
# The collections whose entries may name a group (their names, as in content/).
CASES, EVENTS, VOLUNTEER, TALENTS = "cases", "events", "volunteer", "talents"


@dataclass(frozen=True)
class GroupRegister:
    """Every published group by id, dissolved ones included: their pages stay, and so do links to them."""

    by_id: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def of(cls, groups: Iterable[Entry]) -> "GroupRegister":
        return cls({entry.slug: entry for entry in groups})

    def get(self, group_id: str) -> Entry | None:
        return self.by_id.get(group_id)

    def suggest(self, written: str) -> list[Entry]:
        """For 「もしかして」: the group whose name was written instead of its id, else the closest ids."""
        named = [entry for entry in self.by_id.values() if written.strip() == entry.title]
        if named:
            return named
        close = difflib.get_close_matches(written.strip().lower(), list(self.by_id), n=SUGGESTIONS, cutoff=0.6)
        return [self.by_id[group_id] for group_id in close]


@dataclass(frozen=True)
class ReferenceList:
    """One list on a group's page: its cases, its upcoming or past events, its open recruitments.

    `entries` come newest first; the page shows each as a link with its title.
    """

    heading: str
    entries: list[Entry]


def reference_lists(named: dict[str, list[Entry]], now: datetime) -> tuple[ReferenceList, ...]:
    """A group's lists from the entries that name it (hub.core.references.entries_naming): its
    cases newest first, its events to come soonest first and past ones latest first, its
    recruitments open at `now`, and the talents who belong to it."""
    events = split_events(named.get(EVENTS, []), now)
    return (
        ReferenceList("この団体の協働事例", named.get(CASES, [])),
        ReferenceList("この団体のこれからのイベント・講座", events.upcoming),
        ReferenceList("募集中のボランティア", split_recruitments(named.get(VOLUNTEER, []), now).open),
        ReferenceList("この団体の終わったイベント・講座", events.past),
        ReferenceList("所属している街の名人・達人", named.get(TALENTS, [])),
    )
