"""Recurring schedules of the kind community cafes keep: 「毎月第2水曜 14:00〜16:00」.

Editors write a small mapping instead of a recurrence rule:

    schedule:
      weekday: 水          # or wed, 水曜, 水曜日
      weeks: [2]           # which weeks of the month (1-5, or last); leave out for every week
      time: 14:00-16:00
      skip: [2021-03-10]   # dates with no meeting (optional)
      note: 8月はお休み     # anything a rule cannot say (optional, shown as written)

The same schedule becomes a python-dateutil rule (to list dates) and an iCalendar RRULE
(for subscriptions); `ical_rule` and `rule` are written side by side so that the tests can
check that a calendar app expanding the RRULE gets exactly the dates the site shows.
All times are Asia/Tokyo wall-clock times.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from dateutil.rrule import MONTHLY, WEEKLY, rrule, rruleset
from dateutil.rrule import weekday as RuleWeekday
from dateutil.rrule import weekdays as RULE_WEEKDAYS
from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator

from hub.core.clock import TOKYO
from hub.core.fields import WEEKDAYS, HubModel, IsoDate, Text, hub_error, weekday_id

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LAST = "last"
LAST_WORDS = {"last", "最終", "最終週", "最後", "-1"}
WEEK_NUMBERS = range(1, 6)
EXAMPLE = "schedule: {weekday: 水, weeks: [2], time: 14:00-16:00}"
_WRITTEN = re.compile(r"(?:毎週|毎月)?\s*(?P<weeks>(?:第?[1-5１-５][・,、と]?|最終)*)\s*"
                      r"(?P<day>[月火水木金土日])曜?日?\s*(?P<time>.*)")
_TIME_SPAN = re.compile(r"(\d{1,2}):(\d{2})\s*[-~〜～ー－]\s*(\d{1,2}):(\d{2})")
# How far ahead a page lists dates for the visitor's clock to pick from when the page is old.
HORIZON = timedelta(days=366)


# --- parsing what editors write ------------------------------------------------------------------

def _week(value: Any) -> Any:
    """1-5 (第1〜第5), or `last` (最終) for the last such weekday of the month."""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower().removeprefix("第").removesuffix("週")
    if text in LAST_WORDS or str(value).strip() in LAST_WORDS:
        return LAST
    if text.isdigit() and int(text) in WEEK_NUMBERS and not isinstance(value, bool):
        return int(text)
    raise hub_error("week", f"「{value}」は第何週かとして読めません",
                    "1〜5（第1〜第5）か last（最終週）を書いてください。例: weeks: [1, 3]（第1・第3）")


def _as_list(value: Any) -> Any:
    """`weeks: 2` and `skip: 2021-03-10` are accepted where a list is expected."""
    return value if isinstance(value, list) else [value]


def _week_order(weeks: list[int | str]) -> list[int | str]:
    return sorted(set(weeks), key=lambda week: 6 if week == LAST else int(week))


def _time_span(value: Any) -> Any:
    """「14:00-16:00」 (or 〜) as 14:00-16:00; a lone 14:00 that YAML read as minutes is refused with the example."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _TIME_SPAN.fullmatch(text.replace("〜", "~"))
    if isinstance(value, int) or not match:
        raise hub_error("time_span", f"時間は「開始-終了」の形で書いてください: 「{text}」", "例: time: 14:00-16:00")
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    if max(start_hour, end_hour) > 23 or max(start_minute, end_minute) > 59:
        raise hub_error("time_impossible", f"存在しない時刻です: 「{text}」", "時は 0〜23、分は 0〜59 で書いてください")
    start, end = time(start_hour, start_minute), time(end_hour, end_minute)
    if end <= start:
        raise hub_error("time_order", f"終了 {end:%H:%M} が開始 {start:%H:%M} より前か同じです",
                        "例: time: 14:00-16:00（開始-終了の順）")
    return f"{start:%H:%M}-{end:%H:%M}"


def _clock(text: str) -> time:
    return time.fromisoformat(text)


Weekday = Annotated[str, BeforeValidator(weekday_id)]
Week = Annotated[int | str, BeforeValidator(_week)]
TimeSpan = Annotated[str, BeforeValidator(_time_span)]


class Schedule(HubModel):
    """When a cafe meets: a weekday, which weeks of the month (none: every week) and the hours."""

    weekday: Weekday = Field(title="曜日", description="mon〜sun、または「水」「水曜」")
    weeks: Annotated[list[Week], BeforeValidator(_as_list), AfterValidator(_week_order)] = Field(
        default=[], title="第何週", description="[2] なら第2、[1, 3] なら第1・第3、[last] なら最終週。毎週なら書きません")
    time: TimeSpan = Field(title="時間", description="開始-終了。例: 14:00-16:00")
    skip: Annotated[list[IsoDate], BeforeValidator(_as_list), AfterValidator(sorted)] = Field(
        default=[], title="お休みの日", description="開催日に当たるお休みの日付のリスト")
    note: Text | None = Field(default=None, title="日程の補足", description="決まりで書けないこと。例: 祝日はお休みです")

    @field_validator("skip")
    @classmethod
    def _skips_fall_on_meeting_days(cls, skip: list[date], info: ValidationInfo) -> list[date]:
        """A skip date that is not a meeting day is a typo, and would silently skip nothing."""
        weekday, weeks = info.data.get("weekday"), info.data.get("weeks")
        if weekday is None or weeks is None:
            return skip
        for day in skip:
            if not meets_on(weekday, weeks, day):
                raise hub_error("skip_not_meeting_day", f"お休みの日 {day} は開催日ではありません",
                                f"{describe_days(weekday, weeks)}の日付を書いてください（曜日・週を確かめてください）")
        return skip

    @property
    def start(self) -> time:
        return _clock(self.time.split("-")[0])

    @property
    def end(self) -> time:
        return _clock(self.time.split("-")[1])

    @property
    def duration(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    @property
    def label(self) -> str:
        """「毎月第2水曜 14:00〜16:00」, for pages and calendars."""
        return f"{describe_days(self.weekday, self.weeks)} {self.start:%H:%M}〜{self.end:%H:%M}"


def meets_on(weekday: str, weeks: list[int | str], day: date) -> bool:
    """Whether `day` is a meeting day of this weekday-and-weeks pattern (skips aside)."""
    if day.weekday() != list(WEEKDAYS).index(weekday):
        return False
    if not weeks:
        return True
    nth = (day.day - 1) // 7 + 1
    last = (day + timedelta(days=7)).month != day.month
    return nth in weeks or (LAST in weeks and last)


def describe_days(weekday: str, weeks: list[int | str]) -> str:
    """「毎週土曜」, 「毎月第1・第3土曜」, 「毎月最終金曜」."""
    day = f"{WEEKDAYS[weekday]}曜"
    if not weeks:
        return f"毎週{day}"
    return "毎月" + "・".join("最終" if week == LAST else f"第{week}" for week in weeks) + day


def schedule_shorthand(value: Any) -> Any:
    """A mapping is what the schema wants; 「第2水曜 14:00-16:00」 written on one line gets its YAML as the hint."""
    if isinstance(value, dict) or value is None:
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    raise hub_error("schedule_form", f"開催日時は曜日・週・時間に分けて書いてください: 「{text}」",
                    f"例: {_suggestion(text) or EXAMPLE}（第何週は weeks、毎週なら weeks を書かない）")


def _suggestion(text: str) -> str | None:
    match = _WRITTEN.fullmatch(text)
    if not match:
        return None
    weeks = re.findall(r"[1-5]|最終", match["weeks"])
    parts = [f"weekday: {match['day']}"]
    if weeks:
        parts.append("weeks: [" + ", ".join(LAST if week == "最終" else week for week in weeks) + "]")
    parts.append(f"time: {match['time'].strip() or '14:00-16:00'}")
    return "schedule: {" + ", ".join(parts) + "}"


# --- expanding ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """「2021年2月10日（水）14:00〜16:00」: what the page and its script show."""
        day = WEEKDAYS[list(WEEKDAYS)[self.start.weekday()]]
        return f"{self.start.year}年{self.start.month}月{self.start.day}日（{day}）{self.start:%H:%M}〜{self.end:%H:%M}"


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=TOKYO)


def _rule_days(schedule: Schedule) -> list[RuleWeekday]:
    day = RULE_WEEKDAYS[list(WEEKDAYS).index(schedule.weekday)]
    return [day(-1 if week == LAST else int(week)) for week in schedule.weeks] or [day]


def _pattern(schedule: Schedule, first_day: date) -> rrule:
    return rrule(MONTHLY if schedule.weeks else WEEKLY, byweekday=_rule_days(schedule),
                 dtstart=datetime.combine(first_day, schedule.start))


def rule(schedule: Schedule, first_day: date) -> rruleset:
    """Every meeting from `first_day` on, skips taken out, as naive Tokyo wall-clock datetimes."""
    moments = rruleset()
    moments.rrule(_pattern(schedule, first_day))
    for day in schedule.skip:
        moments.exdate(datetime.combine(day, schedule.start))
    return moments


def occurrences(schedule: Schedule, first_day: date, after: datetime, count: int | None = None,
                until: datetime | None = None) -> list[Occurrence]:
    """Meetings that have not ended by `after`: at most `count`, none starting after `until`."""
    found: list[Occurrence] = []
    # A meeting still running at `after` is listed, so look from one meeting length earlier.
    since = (after.astimezone(TOKYO) - schedule.duration).replace(tzinfo=None)
    for moment in rule(schedule, first_day).xafter(since, inc=False):
        start = moment.replace(tzinfo=TOKYO)
        if until is not None and start > until or count is not None and len(found) >= count:
            break
        found.append(Occurrence(start, start + schedule.duration))
    return found


def first_meeting(schedule: Schedule, first_day: date) -> datetime:
    """DTSTART of the calendar: the first meeting on or after `first_day`, skipped or not."""
    return _pattern(schedule, first_day)[0].replace(tzinfo=TOKYO)


def ical_rule(schedule: Schedule) -> dict[str, Any]:
    """The RRULE as icalendar's vRecur mapping: FREQ=MONTHLY;BYDAY=1SA,3SA or FREQ=WEEKLY;BYDAY=SA."""
    day = ICAL_DAYS[list(WEEKDAYS).index(schedule.weekday)]
    if not schedule.weeks:
        return {"FREQ": "WEEKLY", "BYDAY": [day]}
    return {"FREQ": "MONTHLY", "BYDAY": [f"{-1 if week == LAST else week}{day}" for week in schedule.weeks]}


def skipped_meetings(schedule: Schedule) -> list[datetime]:
    """EXDATE values: the start of each skipped meeting."""
    return [_at(day, schedule.start) for day in schedule.skip]
