"""How an issue writes dates, times, deadlines and places, the same in the web page and the e-mail."""

from __future__ import annotations

from datetime import date, datetime

from hub.collections.events.occurrences import Occurrence
from hub.collections.events.schema import END_OF_DAY
from hub.core.clock import TOKYO
from hub.output.formatting import japanese_date, month_day


class Formats:
    """Passed to templates as `fmt`: plain functions, so any template engine can call them."""

    @staticmethod
    def issue(day: date) -> str:
        """2021年2月1日号"""
        return f"{japanese_date(day)}号"

    @staticmethod
    def day(value: date | datetime) -> str:
        """2月13日（土）"""
        return month_day(value)

    @staticmethod
    def period(start: date, last: date) -> str:
        return f"{Formats.day(start)}〜{Formats.day(last)}"

    @staticmethod
    def when(occurrence: Occurrence) -> str:
        """2月13日（土）14:00〜16:00; an occurrence over several days gives both days."""
        start, end = occurrence.start.astimezone(TOKYO), occurrence.end.astimezone(TOKYO)
        if start.date() == end.date():
            return f"{Formats.day(start)}{start:%H:%M}〜{end:%H:%M}"
        return f"{Formats.day(start)}{start:%H:%M}〜{Formats.day(end)}{end:%H:%M}"

    @staticmethod
    def deadline(moment: datetime) -> str:
        """3月17日（水）まで; a time is given unless it is the end of the day."""
        local = moment.astimezone(TOKYO)
        clock = "" if local.time().replace(second=0) == END_OF_DAY else f"{local:%H:%M}"
        return f"{Formats.day(local)}{clock}まで"

    @staticmethod
    def place(occurrence: Occurrence) -> str:
        venue, online = occurrence.place.venue, occurrence.place.online
        parts = [venue.name] if venue else []
        if online:
            parts.append(f"オンライン（{online.platform}）")
        return "・".join(parts)
