"""Finding a group by its id, for the entries that name one (`group: <id>` in a case, an event,
a recruitment), and the lists of those entries that a group's page shows.

A reference names the file slug, which never changes once published; the page shows the
group's current name, so renaming a group renames it everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from hub.core.collection import Entry

SUGGESTIONS = 3


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
