"""Recurring schedules: the dates the site lists, and the RRULE a calendar app expands to the same dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from hub.collections.cafes.recurrence import (
    Schedule,
    describe_days,
    first_meeting,
    ical_rule,
    meets_on,
    occurrences,
    skipped_meetings,
)
from hub.core.clock import TOKYO
from hub.output.calendar_ics import CalendarInfo, CalendarItem, calendar_bytes

SINCE = date(2019, 4, 1)


def schedule(**values) -> Schedule:
    return Schedule.model_validate({"time": "14:00-16:00", **values})


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


def days(found) -> list[str]:
    return [item.start.date().isoformat() for item in found]


def test_nth_weekday_of_the_month() -> None:
    second_wednesday = schedule(weekday="水", weeks=[2])
    found = occurrences(second_wednesday, SINCE, at("2021-01-01 00:00"), count=4)
    assert days(found) == ["2021-01-13", "2021-02-10", "2021-03-10", "2021-04-14"]
    assert found[0].start == at("2021-01-13 14:00") and found[0].end == at("2021-01-13 16:00")
    assert found[0].label == "2021年1月13日（水）14:00〜16:00"


def test_fifth_week_meets_only_in_months_that_have_one() -> None:
    fifth_wednesday = schedule(weekday="wed", weeks=[5])
    assert days(occurrences(fifth_wednesday, SINCE, at("2021-01-01 00:00"), count=4)) == \
        ["2021-03-31", "2021-06-30", "2021-09-29", "2021-12-29"]
    first_and_fifth = schedule(weekday="木", weeks=[1, 5])
    assert days(occurrences(first_and_fifth, SINCE, at("2021-03-20 00:00"), count=4)) == \
        ["2021-04-01", "2021-04-29", "2021-05-06", "2021-06-03"]


def test_last_weekday_across_the_year_boundary() -> None:
    last_friday = schedule(weekday="金曜日", weeks=["最終"])
    assert days(occurrences(last_friday, SINCE, at("2020-11-28 00:00"), count=3)) == \
        ["2020-12-25", "2021-01-29", "2021-02-26"]


def test_first_and_third_saturday_across_a_month_boundary() -> None:
    saturdays = schedule(weekday="土", weeks=[3, 1])
    assert saturdays.weeks == [1, 3]
    assert days(occurrences(saturdays, SINCE, at("2021-01-17 00:00"), count=4)) == \
        ["2021-02-06", "2021-02-20", "2021-03-06", "2021-03-20"]


def test_nth_weekday_from_december_into_january() -> None:
    second_wednesday = schedule(weekday="水", weeks=2)
    assert days(occurrences(second_wednesday, SINCE, at("2020-12-10 00:00"), count=2)) == ["2021-01-13", "2021-02-10"]


def test_weekly_with_skips() -> None:
    weekly = schedule(weekday="水", skip=["2021-02-24", "2021-02-03"])
    assert weekly.skip == [date(2021, 2, 3), date(2021, 2, 24)]
    assert days(occurrences(weekly, SINCE, at("2021-02-01 09:00"), count=4)) == \
        ["2021-02-10", "2021-02-17", "2021-03-03", "2021-03-10"]


def test_a_skip_moves_the_next_three_on() -> None:
    skipping = schedule(weekday="水", weeks=[2], skip="2021-02-10")
    assert days(occurrences(skipping, SINCE, at("2021-02-01 09:00"), count=3)) == \
        ["2021-03-10", "2021-04-14", "2021-05-12"]


def test_a_meeting_under_way_is_still_listed_until_it_ends() -> None:
    weekly = schedule(weekday="水")
    assert days(occurrences(weekly, SINCE, at("2021-02-10 15:59"), count=1)) == ["2021-02-10"]
    assert days(occurrences(weekly, SINCE, at("2021-02-10 16:00"), count=1)) == ["2021-02-17"]


def test_nothing_before_the_first_day() -> None:
    weekly = schedule(weekday="水")
    assert days(occurrences(weekly, date(2021, 3, 1), at("2021-02-01 09:00"), count=1)) == ["2021-03-03"]


def test_until_bounds_the_list() -> None:
    monthly = schedule(weekday="水", weeks=[2])
    found = occurrences(monthly, SINCE, at("2021-02-01 09:00"), until=at("2021-06-01 00:00"))
    assert days(found) == ["2021-02-10", "2021-03-10", "2021-04-14", "2021-05-12"]


@pytest.mark.parametrize("values", [
    {"weekday": "水", "weeks": [2]}, {"weekday": "土", "weeks": [1, 3]}, {"weekday": "金", "weeks": ["last"]},
    {"weekday": "月"}, {"weekday": "木", "weeks": [1, 5]}, {"weekday": "日", "weeks": [4, "last"]},
])
def test_meets_on_agrees_with_the_rule_day_by_day(values) -> None:
    """Two ways to the same answer: day arithmetic and dateutil's rule, over two years."""
    pattern = schedule(**values)
    start = date(2020, 1, 1)
    listed = set(days(occurrences(pattern, start, at("2020-01-01 00:00"), until=at("2021-12-31 23:59"))))
    every_day = [start + timedelta(days=n) for n in range(731)]
    assert {day.isoformat() for day in every_day if meets_on(pattern.weekday, pattern.weeks, day)} == listed


def test_labels() -> None:
    assert describe_days("sat", [1, 3]) == "毎月第1・第3土曜"
    assert describe_days("fri", ["last"]) == "毎月最終金曜"
    assert schedule(weekday="月").label == "毎週月曜 14:00〜16:00"


SCHEDULES = [
    {"weekday": "水", "weeks": [2], "skip": ["2021-02-10", "2021-08-11"]},
    {"weekday": "土", "weeks": [1, 3], "skip": ["2021-01-02"]},
    {"weekday": "金", "weeks": ["last"], "skip": ["2020-12-25"]},
    {"weekday": "水", "skip": ["2021-02-03", "2021-02-24"]},
    {"weekday": "木", "weeks": [5]},
]


@pytest.mark.parametrize("values", SCHEDULES)
def test_rrule_and_exdate_parsed_back_give_the_listed_dates(values) -> None:
    """What a calendar app does with the .ics: read DTSTART, RRULE and EXDATE and expand them."""
    pattern = schedule(**values)
    start = first_meeting(pattern, date(2020, 6, 1))
    item = CalendarItem(uid="cafe@example.org", summary="カフェ", start=start, end=start + pattern.duration,
                        rrule=ical_rule(pattern), exdates=tuple(skipped_meetings(pattern)))
    data = calendar_bytes(CalendarInfo(uid="cafes@example.org", name="カフェ"), [item], at("2020-06-01 00:00"))
    event = next(component for component in Calendar.from_ical(data).walk("VEVENT"))
    dtstart = event.decoded("dtstart")
    assert dtstart == start and str(dtstart.tzinfo) in ("Asia/Tokyo", "JST")
    expanded = rrulestr(event["rrule"].to_ical().decode(), dtstart=dtstart, forceset=True)
    exdates = event.get("exdate")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for moment in group.dts:
            expanded.exdate(moment.dt)
    window_end = at("2021-12-31 23:59")
    from_calendar = expanded.between(dtstart, window_end, inc=True)
    listed = occurrences(pattern, date(2020, 6, 1), at("2020-06-01 00:00"), until=window_end)
    assert from_calendar == [item.start for item in listed]
    assert len(listed) >= 7
    assert not {moment.date() for moment in from_calendar} & set(pattern.skip)
