"""Japanese display formats for templates, from Babel's CLDR data rather than hand-written patterns."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from hub.core.clock import TOKYO
from hub.output.phrases import phrases

LOCALE = "ja_JP"


@lru_cache(maxsize=8192)  # a site shows the same few thousand dates on many pages; Babel is slow per call
def japanese_date(value: date | datetime, style: str = "long") -> str:
    """2020年9月15日 (long), 2020年9月 (month), 2020/09/15 (short)."""
    if style == "month":
        return format_date(value, "y年M月", locale=LOCALE)
    return format_date(value, style, locale=LOCALE)


@lru_cache(maxsize=8192)
def month_day(value: date | datetime) -> str:
    """2月13日（土）: a day of the season at hand, where the year goes without saying (lists, mail)."""
    local = value.astimezone(TOKYO) if isinstance(value, datetime) else value
    return format_date(local, "M月d日（E）", locale=LOCALE)


def japanese_datetime(value: datetime, style: str = "long") -> str:
    return format_datetime(value, style, tzinfo=TOKYO, locale=LOCALE)


def japanese_number(value: int | Decimal) -> str:
    """1,234 and 5.1 as Japanese text writes them (CLDR's ja grouping), with the decimal places
    the source gave: 1.0 stays 1.0, never rounded or shortened."""
    places = max(0, -int(value.as_tuple().exponent)) if isinstance(value, Decimal) else 0
    return format_decimal(value, format="#,##0" + ("." + "0" * places if places else ""), locale=LOCALE)


FILTERS = {"jdate": japanese_date, "jdatetime": japanese_datetime, "phrases": phrases}
