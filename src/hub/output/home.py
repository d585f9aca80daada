"""The home page's data: the next events, the newest cases, the latest newsletter, the cafe
finder and how to reach the centre.

The home page is written by hand (docs/index.md: its title and a short introduction) and
names the template hub/home.html, which shows this data after the text. It is all as of
the build's "now"; between builds events.js takes events that have ended off the page.
The page carries a few more events than it shows, so that the next ones take their place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hub.collections.cafes import CAFES
from hub.collections.cases import CASES
from hub.collections.events import EVENTS
from hub.collections.events.occurrences import split
from hub.collections.events.views import EventView, build_view
from hub.core.collection import Entry
from hub.core.contact import centre_contact
from hub.core.content import Site
from hub.core.outputs import PageData
from hub.core.vocab import Term
from hub.digest.display import Formats
from hub.digest.newsletter import prepare
from hub.digest.render import ARCHIVE_PATH, issue_path

HOME = "index.md"
EVENTS_SHOWN = 3
EVENTS_CARRIED = 6  # shown, and next in line for when the first ones end
CASES_SHOWN = 4
TILE_COLOURS = 8  # .hub-tile--0 … --7 in home.css: a theme's colour is its place in the vocabulary


@dataclass(frozen=True)
class CaseCard:
    """A case on the home page: its image, or a tile in its first theme's colour with that theme's label."""

    entry: Entry
    theme: Term | None
    tile: int

    @property
    def image(self) -> Any:
        return self.entry.meta.image


@dataclass(frozen=True)
class LatestIssue:
    url: str
    title: str
    headline: str | None


def home_data(site: Site) -> Iterator[PageData]:
    """The site-wide generator."""
    yield PageData(HOME, {
        "now": site.now,
        "events": next_events(site), "events_shown": EVENTS_SHOWN, "events_url": f"{EVENTS.path}/",
        "cases": newest_cases(site), "cases_url": f"{CASES.path}/",
        "cafes_url": f"{CAFES.path}/", "cafe_count": len(site.content[CAFES.name]),
        "newsletter": latest_issue(site), "newsletter_url": ARCHIVE_PATH,
        "contact": centre_contact(site.settings),
    })


def next_events(site: Site) -> list[EventView]:
    """Events not yet over, the soonest first, as the events page lists them."""
    upcoming = split(site.content[EVENTS.name], site.now).upcoming[:EVENTS_CARRIED]
    return [build_view(entry, site.settings, site.content.vocabularies) for entry in upcoming]


def newest_cases(site: Site) -> list[CaseCard]:
    themes = site.content.vocabularies["themes"]
    cards = []
    for entry in site.content[CASES.name][:CASES_SHOWN]:
        theme = themes.get(entry.meta.themes[0]) if entry.meta.themes else None
        place = themes.terms.index(theme) if theme else 0
        cards.append(CaseCard(entry, theme, place % TILE_COLOURS))
    return cards


def latest_issue(site: Site) -> LatestIssue | None:
    """The newest issue of the newsletter; None without one (no `extra.hub.newsletter`, or no news yet)."""
    newsletter = prepare(site)
    days = newsletter.archive_days() if newsletter else []
    if newsletter is None or not days:
        return None
    issue = newsletter.issue(days[-1])
    return LatestIssue(issue_path(issue), Formats.issue(issue.day), issue.headline)
