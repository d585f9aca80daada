"""登録団体: the citizen groups registered with the centre, as their front matter says.

Registration is what lets a group use the centre's meeting spaces, and the register is the
one place that knows who does what where. Each group's page carries the facts the register
holds (legal form, founded, registered, where and on what it works) and only the group's own
public contact (`hub.core.contact.Contact`, declared `public: organisation`); never a
representative's name or number.

A group's `status` says whether it is listed: active and dormant groups are, a dissolved one
keeps its page at its URL, marked, and leaves every list and the feeds.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from hub.collections.cases import Link
from hub.core.clock import FIRST_YEAR, LAST_YEAR
from hub.core.collection import Entry, EntryMeta, Taxonomy
from hub.core.contact import Contact
from hub.core.fields import IsoDate, Kana, TermId, TermIds, Text, WebUrl, hub_error, parse_date

NAME = "groups"
THEMES = Taxonomy("themes", "themes")
WARDS = Taxonomy("wards", "wards")

ACTIVE, DORMANT, DISSOLVED = "active", "dormant", "dissolved"
STATUS_LABELS = {ACTIVE: "活動中", DORMANT: "休止中", DISSOLVED: "解散"}
# What editors also write for a status: its label, and the way a notice says it.
_STATUS_SPELLINGS = {**{label: status for status, label in STATUS_LABELS.items()},
                     "休止": DORMANT, "解散しました": DISSOLVED, "活動": ACTIVE}
_YEAR = re.compile(r"(\d{4})\s*年?")
_DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _status(value: Any) -> Any:
    """An id of STATUS_LABELS, or its Japanese label; anything else names the ids."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    found = text if text in STATUS_LABELS else _STATUS_SPELLINGS.get(text)
    if found is None:
        known = ", ".join(f"{status}（{label}）" for status, label in STATUS_LABELS.items())
        raise hub_error("group_status", f"「{text}」は status（活動状況）に使えません", f"使える値: {known}")
    return found


def _founded(value: Any) -> int | date:
    """2015, 「2015年」 or a whole date: a register often knows only the year a group began."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    year = _YEAR.fullmatch(text)
    if year is not None:
        if not FIRST_YEAR <= int(year[1]) <= LAST_YEAR:
            raise hub_error("founded_range", f"設立年 {year[1]} は {FIRST_YEAR}〜{LAST_YEAR} 年で書いてください",
                            "年の桁を確かめてください（例: 2015）")
        return int(year[1])
    if isinstance(value, date) or _DATE_LIKE.fullmatch(text):
        return parse_date(value)
    raise hub_error("founded", f"設立は年か日付で書いてください: 「{text}」", "例: 2015（年だけ）または 2015-04-01")


GroupStatus = Annotated[Literal["active", "dormant", "dissolved"], BeforeValidator(_status)]
Founded = Annotated[int | date, BeforeValidator(_founded)]


class GroupMeta(EntryMeta):
    title: Text = Field(title="団体名", description="登録された団体の名前。NPO法人などの法人格は legal_form に書きます")
    kana: Kana = Field(title="団体名の読み", examples=["よみがな"],
                       description="ひらがなかカタカナ。一覧はこの読みの五十音順に並びます")
    summary: Text
    themes: TermIds("themes") = Field(title="活動分野", description="1 つ以上選びます")  # type: ignore[valid-type]
    wards: TermIds("wards") = Field(title="活動地域（区）", description="1 つ以上選びます")  # type: ignore[valid-type]
    activities: list[Text] = Field(default=[], title="主な活動",
                                   description="1 行に 1 つ、短く（例: 毎月第2・第4土曜の子ども食堂）")
    legal_form: TermId("legal_forms") | None = Field(default=None, title="法人格")  # type: ignore[valid-type]
    founded: Founded | None = Field(default=None, title="設立", examples=[2015],
                                    description="年だけ（2015）か日付（2015-04-01）")
    registered: IsoDate | None = Field(default=None, title="センターへの登録日",
                                       description="新着としてフィードとニュースレターに載せる日。YYYY-MM-DD")
    website: WebUrl | None = Field(default=None, title="ウェブサイト")
    links: list[Link] = Field(default=[], title="SNS・関連リンク", description="Facebook、Instagram、ブログなどのページ")
    contact: Contact | None = Field(default=None, title="問い合わせ先",
                                    description="団体の公開している連絡先だけ。代表者など個人の電話番号・メールは載せられません")
    status: GroupStatus = Field(default=ACTIVE, title="活動状況", json_schema_extra={"options": STATUS_LABELS},
                                description="休止中の団体は一覧に「休止中」と出ます。解散した団体は一覧から外れ、ページだけが残ります")
    status_note: Text | None = Field(default=None, title="活動状況のお知らせ", description="休止・解散の理由や再開の予定など")
    dissolved: IsoDate | None = Field(default=None, title="解散日", description="status が dissolved（解散）のときだけ書きます")

    @field_validator("registered")
    @classmethod
    def _registered_not_before_founded(cls, registered: date | None, info: ValidationInfo) -> date | None:
        founded = info.data.get("founded")
        if registered and founded and _before(registered, founded):
            raise hub_error("registered_order", f"登録日 {registered} が設立（{founded}）より前です",
                            "registered と founded を確かめてください")
        return registered

    @field_validator("dissolved")
    @classmethod
    def _dissolved_only_when_dissolved(cls, dissolved: date | None, info: ValidationInfo) -> date | None:
        status, registered = info.data.get("status"), info.data.get("registered")
        if dissolved and status not in (None, DISSOLVED):
            raise hub_error("dissolved_status", f"解散日が書かれていますが、status が {status}（{STATUS_LABELS[status]}）です",
                            f"解散したなら status: {DISSOLVED}、そうでなければ dissolved の行を削除してください")
        if dissolved and registered and dissolved < registered:
            raise hub_error("dissolved_order", f"解散日 {dissolved} が登録日 {registered} より前です",
                            "dissolved と registered を確かめてください")
        return dissolved


def _before(day: date, founded: int | date) -> bool:
    """Whether `day` is before the founding; a founding year covers that whole year."""
    return day.year < founded if isinstance(founded, int) else day < founded


def registered_news(entry: Entry) -> date | None:
    """A group is news when the centre registers it, and no longer once it has dissolved."""
    meta: GroupMeta = entry.meta
    return None if meta.status == DISSOLVED else meta.registered
