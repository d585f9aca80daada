"""What generators read: the validated content and the site they make it into.

These types sit below every collection and generator, so that a page module can name
`Content` and `Site` without importing the loader that produces them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.core.collection import Entry
from hub.core.settings import Settings
from hub.core.vocab import Vocabularies


@dataclass(frozen=True)
class Content:
    """Everything published: entries per collection (sorted, drafts left out) and the vocabularies;
    `draft_pages` are the hand-written pages (paths inside docs/) a front end leaves out."""

    vocabularies: Vocabularies
    entries: dict[str, list[Entry]]
    drafts: int = 0
    draft_pages: frozenset[str] = frozenset()

    def __getitem__(self, collection: str) -> list[Entry]:
        return self.entries.get(collection, [])


@dataclass(frozen=True)
class Site:
    """Everything a generator may use: the validated content, "now" and the settings."""

    content: Content
    now: datetime
    settings: Settings
