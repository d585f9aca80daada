"""The newsletter's cadence: an issue on the 1st and on the 16th of every month.

An issue dated D covers what became news from the previous issue's date up to the day
before D, and what is on in the weeks after D. Everything is a function of dates, so
the whole archive can be rebuilt at any time and comes out the same.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hub.core.clock import TOKYO

ISSUE_DAYS = (1, 16)
# When an issue goes out: its Date header, and the moment "upcoming" is counted from.
SEND_TIME = time(9, 0)


@dataclass(frozen=True)
class Period:
    """From `start` (inclusive) to `end` (exclusive): the days whose news an issue carries."""

    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def is_issue_date(day: date) -> bool:
    return day.day in ISSUE_DAYS


def previous_issue(day: date) -> date:
    """The issue before the one dated `day` (which need not be an issue date itself)."""
    if day.day > ISSUE_DAYS[1]:
        return day.replace(day=ISSUE_DAYS[1])
    if day.day > ISSUE_DAYS[0]:
        return day.replace(day=ISSUE_DAYS[0])
    last_month = day - timedelta(days=1)
    return last_month.replace(day=ISSUE_DAYS[1])


def next_issue(day: date) -> date:
    """The first issue date strictly after `day`."""
    if day.day < ISSUE_DAYS[1]:
        return day.replace(day=ISSUE_DAYS[1])
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_of_next


def issue_on_or_after(day: date) -> date:
    return day if is_issue_date(day) else next_issue(day)


def period_of(issue: date) -> Period:
    return Period(previous_issue(issue), issue)


def issue_dates(after: date, until: date) -> list[date]:
    """Every issue date D with after < D <= until, oldest first."""
    found = []
    day = next_issue(after)
    while day <= until:
        found.append(day)
        day = next_issue(day)
    return found


def send_moment(issue: date) -> datetime:
    return datetime.combine(issue, SEND_TIME, TOKYO)


def issue_date(text: str) -> date:
    """argparse type: an issue date, the 1st or 16th of a month."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で書いてください: 「{text}」") from None
    if not is_issue_date(day):
        raise argparse.ArgumentTypeError(f"号の日付は毎月 1 日か 16 日です: 「{text}」")
    return day
