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

    @property
    def pinned_now(self) -> datetime | None:
        """The moment a sample site stands still at; None for a live site.

        A configuration that pins "now" (`extra.hub.now`) shows sample content as if it were
        current: its pages say so, and the scripts that keep pages current go by this moment
        instead of the reader's clock. It is the build's "now", which SOURCE_DATE_EPOCH decides
        when set. Without a pinned `now`, SOURCE_DATE_EPOCH only makes a build reproducible:
        the site is live and its scripts follow the reader's clock.
        """
        return self.now if self.settings.now else None
