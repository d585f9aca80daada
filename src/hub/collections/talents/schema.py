"""西区街の名人・達人: the register of local volunteers whom associations, schools and care homes invite.

The directory lists everyone in 五十音 order of their reading (`kana`), with a jump index
and a page per category so that browsing needs no JavaScript. Every request goes through
the centre: a talent's page shows the centre's request desk (`extra.hub.talents.contact`
in mkdocs.yml), never a contact of the volunteer. The print guidebook is `hub.collections.talents.guidebook`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator

from hub.core.collection import EntryMeta, Taxonomy
from hub.core.fields import WEEKDAYS, HubModel, IsoDate, Kana, LocalFile, TermIds, Text, WebUrl, hub_error, weekday_id
from hub.core.options import Options, OptionSection
from hub.core.references import Party
from hub.core.settings import Settings

NAME = "talents"
CATEGORY_SEGMENT = "category"  # /talents/category/<id>/ (the front-matter key is `categories`)
CATEGORIES = Taxonomy("categories", "talent_categories")
OPTIONS_KEY = "talents"

FEE_KINDS = {"free": "無料", "expenses": "実費", "honorarium": "謝礼"}
MINUTES_RANGE = (5, 480)


# --- front matter -------------------------------------------------------------------------------

def _minutes(value: Any) -> Any:
    """45, "45", "45分" and "約45分" all mean 45 minutes."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = re.fullmatch(r"約?\s*(\d+)\s*分?", text)
    low, high = MINUTES_RANGE
    if not match or isinstance(value, bool):
        raise hub_error("minutes", f"所要時間は分の数で書いてください: 「{text}」", "例: 45（45 分）。1 時間半なら 90")
    minutes = int(match.group(1))
    if not low <= minutes <= high:
        raise hub_error("minutes_range", f"所要時間 {minutes} 分は長すぎるか短すぎます", f"{low}〜{high} 分で書いてください")
    return minutes


def _week_order(days: list[str]) -> list[str]:
    return sorted(set(days), key=list(WEEKDAYS).index)


def _fee_kind(value: Any) -> Any:
    text = str(value).strip()
    kind = text if text in FEE_KINDS else {label: kind for kind, label in FEE_KINDS.items()}.get(text)
    if kind is None:
        known = ", ".join(f"{kind}（{label}）" for kind, label in FEE_KINDS.items())
        raise hub_error("fee_type", f"「{text}」は費用の種類に使えません", f"使える値: {known}")
    return kind


def _fee_shorthand(value: Any) -> Any:
    """`fee: free` is enough when there is nothing more to say."""
    return {"type": value} if isinstance(value, str) else value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Minutes = Annotated[int, BeforeValidator(_minutes)]
Weekday = Annotated[str, BeforeValidator(weekday_id)]
FeeKind = Annotated[str, BeforeValidator(_fee_kind)]


class Program(HubModel):
    """One thing the volunteer offers: a concert, a workshop, a talk."""

    title: Text
    minutes: Minutes
    description: Text | None = None


class Fee(HubModel):
    type: FeeKind
    note: Text | None = None

    @property
    def label(self) -> str:
        return FEE_KINDS[self.type]


class Photo(HubModel):
    src: LocalFile
    alt: Text


class TalentMeta(EntryMeta):
    title: Text
    kana: Kana
    categories: TermIds("talent_categories")  # type: ignore[valid-type]
    summary: Text
    programs: Annotated[list[Program], Field(min_length=1)]
    audience: TermIds("talent_audiences")  # type: ignore[valid-type]
    areas: TermIds("wards")  # type: ignore[valid-type]
    areas_note: Text | None = None
    affiliations: list[Party] = []  # groups the talent belongs to: registered ones by id
    fee: Annotated[Fee, BeforeValidator(_fee_shorthand)]
    days: Annotated[list[Weekday], BeforeValidator(_as_list), AfterValidator(_week_order)] = []
    days_note: Text | None = None
    photo: Photo | None = None
    registered: IsoDate
    updated: IsoDate | None = None

    @field_validator("updated")
    @classmethod
    def _updated_not_before_registered(cls, updated: date | None, info: ValidationInfo) -> date | None:
        registered = info.data.get("registered")
        if updated and registered and updated < registered:
            raise hub_error("updated_order", f"更新日 {updated} が登録日 {registered} より前です",
                            "updated には registered 以降の日付を書いてください")
        return updated


# --- the request desk (ご依頼方法) ------------------------------------------------------------------

DEFAULT_STEPS = (
    "依頼したい名人・達人と、希望の日時・場所・人数・内容を決めます。",
    "センターに電話・メールまたは窓口で申し込みます。",
    "センターが名人・達人と日程や内容を調整し、結果をお知らせします。",
)


class RequestDesk(HubModel):
    """Where requests go: the centre, never the volunteer. Read from `extra.hub.talents.contact`."""

    name: Text
    tel: Text | None = None
    fax: Text | None = None
    email: Text | None = None
    address: Text | None = None
    hours: Text | None = None
    url: WebUrl | None = None
    steps: list[Text] = list(DEFAULT_STEPS)
    note: Text | None = None

    def published_values(self) -> Iterator[tuple[str, str]]:
        prefix = f"extra.hub.{OPTIONS_KEY}.contact"
        for name in ("tel", "fax", "email", "address", "hours", "note"):
            value = getattr(self, name)
            if value:
                yield f"{prefix}.{name}", value




class TalentOptions(Options):
    """`extra.hub.talents`: the request desk shown on every talent's page, and whether to make the PDF."""

    contact: RequestDesk | None = None
    pdf: bool = True  # false: no guidebook PDF (quicker previews)


TALENTS_OPTIONS = OptionSection(OPTIONS_KEY, TalentOptions)


def request_desk(settings: Settings) -> RequestDesk:
    """The configured desk (its contacts are scanned with every mkdocs.yml string), or the site itself."""
    return TALENTS_OPTIONS.read(settings).contact or RequestDesk(name=settings.site_name or "センター")
