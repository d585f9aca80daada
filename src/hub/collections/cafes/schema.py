"""認知症カフェ (Machikado Care): the directory of dementia cafes across Yokohama's 18 wards.

A cafe is a regular gathering, so its file holds a recurring `schedule` (see
`hub.collections.cafes.recurrence`) rather than dates; the site lists the next meetings and offers a
calendar subscription with an RRULE. Cafes are hosted by organisations (care plazas,
social-welfare bodies, volunteer groups): the contact shown is the organisation's public
one (`hub.core.contact`), and a cafe that needs a reservation must give one, or readers
could not reserve.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PositiveInt, ValidationInfo, field_validator

from hub.collections.cafes.recurrence import Schedule, schedule_shorthand
from hub.core.collection import Entry, EntryMeta
from hub.core.contact import CONTACT_KEY, Contact
from hub.core.fields import HubModel, IsoDate, TermId, Text, WebUrl, hub_error

NAME = "cafes"
URL_BASE = "machikado-care/cafes"
SECTION = "machikado-care"

RESERVATION_LABELS = {"none": "予約不要", "recommended": "予約がおすすめ", "required": "要予約"}


def _reservation(value: Any) -> Any:
    """`required`, 「要予約」 or true mean a reservation is needed; false means none."""
    if value is True:
        return "required"
    if value is False or value is None:
        return "none"
    text = str(value).strip()
    by_label = {label: key for key, label in RESERVATION_LABELS.items()} | {"不要": "none", "必要": "required"}
    found = text if text in RESERVATION_LABELS else by_label.get(text)
    if found is None:
        known = ", ".join(f"{key}（{label}）" for key, label in RESERVATION_LABELS.items())
        raise hub_error("reservation", f"「{text}」は予約の要否として読めません", f"使える値: {known}")
    return found


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class CafeVenue(HubModel):
    """A public place (a care plaza, a community house): never a private home."""

    name: Text
    address: Text = Field(title="住所", description="「○丁目」までにします（番地は書きません）")
    access: Text | None = None
    url: WebUrl | None = None


class Host(HubModel):
    name: Text
    url: WebUrl | None = None


class CafeMeta(EntryMeta):
    title: Text
    ward: TermId("wards")  # type: ignore[valid-type]
    summary: Text
    schedule: Annotated[Schedule, BeforeValidator(schedule_shorthand)] = Field(
        title="開催日時", description="例: weekday: 水 / weeks: [2] / time: 14:00-16:00（毎月第2水曜）")
    venue: CafeVenue = Field(title="会場", description="地域ケアプラザ・地区センターなどの公共の場所")
    host: Host = Field(title="主催団体")
    contact: Contact | None = Field(default=None, title="問い合わせ先",
                                    description="団体の公開している連絡先だけ。要予約なら必須")
    fee: Text | None = Field(default=None, title="参加費", description="例: 100円（お茶代）。書かなければ「無料」と表示します")
    capacity: PositiveInt | None = None
    reservation: Annotated[Literal["none", "recommended", "required"], BeforeValidator(_reservation)] = Field(
        default="none", title="予約", description="none=予約不要, recommended=予約がおすすめ, required=要予約")
    reservation_note: Text | None = Field(default=None, title="予約の補足")
    accessibility: Annotated[list[Text], BeforeValidator(_as_list)] = Field(
        default=[], title="配慮・設備", description="車いすで入れる、筆談ボードがあるなど。1 行に 1 つ")
    listed: IsoDate = Field(title="掲載日", description="ディレクトリに載せた日。新着としてフィードとニュースレターに載せる日")
    updated: IsoDate | None = None

    @field_validator("updated")
    @classmethod
    def _updated_not_before_listed(cls, updated: date | None, info: ValidationInfo) -> date | None:
        listed = info.data.get("listed")
        if updated and listed and updated < listed:
            raise hub_error("updated_order", f"更新日 {updated} が掲載日 {listed} より前です",
                            "updated には listed 以降の日付を書いてください")
        return updated

    @field_validator("reservation")
    @classmethod
    def _reservation_says_how(cls, reservation: str, info: ValidationInfo) -> str:
        """要予約 with no way to reserve leaves readers stuck; a broken contact has its own error."""
        if reservation == "required" and CONTACT_KEY in info.data and info.data[CONTACT_KEY] is None:
            raise hub_error("reservation_without_contact",
                            "要予約の場合は、予約の方法（contact: の電話番号・メール・URL）を書いてください"
                            "（reservation required without contact）",
                            "contact: の下に org:（団体名）と phone:、email:、url: のどれかを書きます。"
                            "団体が公開している電話番号・メールアドレスなら public: organisation も書きます")
        return reservation

    @property
    def reservation_label(self) -> str:
        return RESERVATION_LABELS[self.reservation]


def by_title(entry: Entry) -> tuple[Any, ...]:
    """Within a ward, cafes are listed by name; the directory groups them by ward in the vocabulary's order."""
    return (entry.meta.title,)
