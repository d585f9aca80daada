"""Field types shared by every collection's schema.

Each type parses what editors write in YAML and, when it cannot, raises an error that
already says in Japanese what is wrong and what to write instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, get_args
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

from hub.core.clock import FIRST_YEAR, LAST_YEAR, TOKYO
from hub.core.collation import is_kana
from hub.core.validation import HUB_ERROR_PREFIX
from hub.core.vocab import Vocabularies, Vocabulary

CONTEXT_KEY = "hub"


@dataclass(frozen=True)
class SchemaContext:
    """What validation needs beyond the entry itself."""

    vocabularies: Vocabularies
    docs_dir: Path


def vocabularies_used(annotation: Any) -> set[str]:
    """Every vocabulary a schema (a model or a field's type) refers to, however deeply nested."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found: set[str] = set()
        for field in annotation.model_fields.values():
            found |= {item.name for item in field.metadata if isinstance(item, VocabularyRef)}
            found |= vocabularies_used(field.annotation)
        return found
    found = set()
    for argument in get_args(annotation):
        found |= {argument.name} if isinstance(argument, VocabularyRef) else vocabularies_used(argument)
    return found


def hub_error(kind: str, message: str, hint: str = "") -> PydanticCustomError:
    # Braces would be read as format fields by pydantic; messages quote values with 「」 instead.
    safe = message.replace("{", "(").replace("}", ")")
    return PydanticCustomError(HUB_ERROR_PREFIX + kind, safe, {"hint": hint})


def schema_context(info: ValidationInfo) -> SchemaContext:
    context = info.context or {}
    return context[CONTEXT_KEY]


class HubModel(BaseModel):
    """Only known keys are loaded; anything else is an error naming the closest known key."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?")


def parse_date(value: Any) -> date:
    """A date written YYYY-MM-DD (or read so by YAML), in the years the hub accepts."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return _in_range(value)
    text = str(value).strip()
    if not _DATE.fullmatch(text):
        raise hub_error("date_format", f"日付は YYYY-MM-DD の形で書いてください: 「{text}」", "例: 2020-09-15")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise hub_error("date_impossible", f"存在しない日付です: 「{text}」",
                        "月と日を確かめてください（2 月は 28 日、うるう年は 29 日まで）") from None
    return _in_range(day)


def _in_range(day: date) -> date:
    """Every date and date-time field passes here: the one place for the years allowed."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise hub_error("date_range", f"{FIRST_YEAR} 年から {LAST_YEAR} 年までの日付を書いてください: 「{day.isoformat()}」"
                        "（date out of range）", "年の桁を確かめてください（例: 2021-03-15）")
    return day


def _parse_datetime(value: Any) -> datetime:
    """Date and time; Asia/Tokyo unless an offset is written."""
    if isinstance(value, datetime):
        _in_range(value.date())
        return value if value.tzinfo else value.replace(tzinfo=TOKYO)
    text = str(value).strip()
    match = _DATETIME.fullmatch(text)
    if not match:
        raise hub_error("datetime_format", f"日時は YYYY-MM-DD HH:MM の形で書いてください: 「{text}」",
                        "例: 2020-09-15 14:00（日本時間）")
    day, clock, offset = match.groups()
    parse_date(day)
    try:
        hour, rest = clock.split(":", 1)
        parsed = datetime.fromisoformat(f"{day}T{int(hour):02d}:{rest}{offset or ''}")
    except ValueError:
        raise hub_error("datetime_impossible", f"存在しない時刻です: 「{text}」", "時は 0〜23、分は 0〜59 で書いてください") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=TOKYO)


IsoDate = Annotated[date, BeforeValidator(parse_date)]
LocalDateTime = Annotated[datetime, BeforeValidator(_parse_datetime)]


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in (parts.hostname or ""):
        raise hub_error("url", f"URL の形になっていません: 「{value}」", "https:// から始まる完全な URL を書いてください")
    if any(character.isspace() for character in value):
        raise hub_error("url", f"URL に空白が入っています: 「{value}」", "空白を取り除いてください")
    return value


WebUrl = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_url)]


def _check_local_file(value: str, info: ValidationInfo) -> str:
    """A path under docs/ that exists, so that a typo does not publish a broken image."""
    relative = PurePosixPath(value.lstrip("/"))
    if ".." in relative.parts or "://" in value:
        raise hub_error("local_file", f"docs/ の中のファイルを指定してください: 「{value}」",
                        "例: assets/images/cases/example.jpg")
    docs_dir = schema_context(info).docs_dir
    if not (docs_dir / relative).is_file():
        raise hub_error("local_file_missing", f"ファイルが見つかりません: 「docs/{relative}」",
                        "ファイル名（大文字・小文字も）と置き場所を確かめてください")
    return relative.as_posix()


LocalFile = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_check_local_file)]


def _term_validator(vocabulary: str):
    def check(value: str, info: ValidationInfo) -> str:
        terms = schema_context(info).vocabularies[vocabulary]
        if terms.get(value) is not None:
            return value
        hint = _term_hint(terms, value)
        raise hub_error("unknown_term", f"「{value}」は {vocabulary}（{terms.label}）の語彙にありません", hint)

    return check


def _term_hint(terms: Vocabulary, written: str) -> str:
    suggestions = terms.suggest(written)
    if suggestions:
        return "もしかして " + " / ".join(term.display() for term in suggestions) + "？"
    if len(terms.terms) <= 20:
        return "使える値: " + ", ".join(term.display() for term in terms.terms)
    return f"{terms.name} の語彙（{terms.label}）にある id を書いてください"


def _as_text(value: Any) -> Any:
    """SDG numbers and other ids may be written without quotes."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _as_list(value: Any) -> Any:
    """A single value is accepted where a list is expected: `wards: nishi`."""
    return [value] if isinstance(value, (str, int)) and not isinstance(value, bool) else value


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class VocabularyRef:
    """Marks a field as holding ids of a vocabulary, so that schemas can say which vocabularies they need."""

    name: str


def TermId(vocabulary: str) -> Any:  # noqa: N802 - used like a type
    """One id from the named vocabulary."""
    return Annotated[str, VocabularyRef(vocabulary), BeforeValidator(_as_text),
                     AfterValidator(_term_validator(vocabulary))]


def TermIds(vocabulary: str, min_length: int = 1) -> Any:  # noqa: N802 - used like a type
    """A list of ids from the named vocabulary (duplicates dropped)."""
    return Annotated[list[TermId(vocabulary)], BeforeValidator(_as_list),  # type: ignore[valid-type]
                     Field(min_length=min_length), AfterValidator(_unique)]


# --- readings --------------------------------------------------------------------------------

def _kana(value: Any) -> Any:
    """Half-width katakana become full-width; anything but kana is a mistake (the reading of 「西区」?)."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not is_kana(text):
        raise hub_error("kana", f"kana（読み）はひらがなかカタカナで書いてください: 「{text}」",
                        "漢字や英字は読みに直してください（例: 「西区」は「にしく」）")
    return text


Kana = Annotated[str, BeforeValidator(_kana)]
"""A reading in kana, which directories sort and group by (hub.core.collation)."""


# --- weekdays ----------------------------------------------------------------------------------

WEEKDAYS = {"mon": "月", "tue": "火", "wed": "水", "thu": "木", "fri": "金", "sat": "土", "sun": "日"}


def weekday_id(value: Any) -> str:
    """`wed`, `Wednesday`, 「水」, 「水曜」 and 「水曜日」 are all `wed`; anything else is a mistake."""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    by_label = {label: day for day, label in WEEKDAYS.items()}
    day = text[:3] if text[:3] in WEEKDAYS else by_label.get(text.removesuffix("曜日").removesuffix("曜"))
    if day is None or value is None:
        known = ", ".join(f"{day}（{label}）" for day, label in WEEKDAYS.items())
        raise hub_error("weekday", f"「{text}」は曜日として読めません", f"使える値: {known}")
    return day

