"""Which recruitments are open at a moment, and the badges that say so as time moves on.

A recruitment is open while its status is `open` and its deadline (or, when ongoing
without one, its review day) has not passed. The pages are built with the answer at the
build's "now"; the badges carry their time windows, so that events.js turns 募集中 into
締切間近 and 募集終了 on the reader's clock, and moves a closed call out of the open list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hub.collections.events.occurrences import CLOSING_SOON, Badge
from hub.collections.volunteer.schema import OPEN, by_deadline, closes
from hub.core.collection import Entry


@dataclass(frozen=True)
class Listing:
    """Recruitments split at a moment: open ones by deadline (dated first), the rest most recently closed first."""

    open: list[Entry]
    past: list[Entry]


def is_open(entry: Entry, now: datetime) -> bool:
    return entry.meta.status == OPEN and now < closes(entry)


def split(entries: Iterable[Entry], now: datetime) -> Listing:
    entries = sorted(entries, key=lambda entry: entry.slug)
    still = sorted((entry for entry in entries if is_open(entry, now)), key=by_deadline)
    past = sorted((entry for entry in entries if not is_open(entry, now)), key=closes, reverse=True)
    return Listing(still, past)


def badges(entry: Entry) -> list[Badge]:
    """Status badges with the time each holds, then 「オンライン」; callers pick those true "now"."""
    meta = entry.meta
    found = _status_badges(entry)
    if meta.where.online:
        found.append(Badge("online", "オンライン"))
    return found


def _status_badges(entry: Entry) -> list[Badge]:
    meta = entry.meta
    if meta.status == "filled":
        return [Badge("full", "定員に達しました")]
    if meta.status != OPEN:
        return [Badge("closed", "募集終了")]
    end = closes(entry)
    if meta.deadline is None:  # an ongoing call is reviewed, not closing: no 締切間近
        return [Badge("open", "募集中", until=end), Badge("closed", "募集終了", start=end)]
    soon = end - CLOSING_SOON
    return [Badge("open", "募集中", until=soon), Badge("closing", "締切間近", start=soon, until=end),
            Badge("closed", "募集終了", start=end)]
