"""Volunteer recruitment (ボランティア募集): one file is one call for helpers.

A recruitment says who recruits (`group:`, a registered group's id, or `organizer:` in
words), what helpers will do, when (dates, or `ongoing: true` with a day to review the
call by), where, for whom, how many, until when, and how to apply: a form, the centre's
desk, or the organisation's public contact. As in events, a check that needs two keys
sits on the later key, so that the message points at the line the editor has to change.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from hub.collections.events.schema import END_OF_DAY, Deadline, check_order
from hub.core.clock import TOKYO
from hub.core.collection import Entry, EntryMeta
from hub.core.contact import Contact
from hub.core.fields import HubModel, IsoDate, LocalDateTime, TermId, TermIds, Text, WebUrl, hub_error
from hub.core.references import GroupId

NAME = "volunteer"
# Statuses change where a recruitment is listed, so they are fixed here, not in the vocabulary file.
STATUS_LABELS = {"open": "募集中", "filled": "定員に達しました", "closed": "募集を終了しました"}
OPEN = "open"
def _capacity(value: Any) -> Any:
    """A number of people (5, 「５」) or words (「若干名」「10名程度」)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise hub_error("capacity", f"募集人数として読めません: 「{value}」", "人数（例: 5）か、「若干名」のような言葉で書いてください")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text.isdecimal():
        return value
    if int(text) < 1:
        raise hub_error("capacity", f"募集人数は 1 人以上にしてください: 「{value}」",
                        "人数が決まっていなければ「若干名」のように書けます")
    return int(text)


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _url_alone(value: Any) -> Any:
    """`apply: https://…` is enough when applications go through a form alone."""
    return {"url": value} if isinstance(value, str) else value


Capacity = Annotated[int | Text, BeforeValidator(_capacity)]


class Span(HubModel):
    """One stretch of activity, start and end in Asia/Tokyo unless an offset is written."""

    start: LocalDateTime
    end: LocalDateTime

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        check_order(info.data.get("start"), end)
        return end


class When(HubModel):
    """Dates, or ongoing with the day the organisation reviews whether it still needs helpers."""

    dates: list[Span] = Field(default=[], title="活動日", description="活動する日時。1 つ以上")
    ongoing: bool = Field(default=False, validate_default=True, title="随時募集",
                          description="日にちを決めずに続けて募集するとき true（review も書きます）")
    review: IsoDate | None = Field(default=None, validate_default=True, title="見直す日",
                                   description="随時募集を続けるか見直す日。この日を過ぎると終了した募集として扱います")
    note: Text | None = Field(default=None, title="日時の補足", description="例: 毎週土曜 10:00〜12:00、雨天中止")

    @field_validator("ongoing")
    @classmethod
    def _dates_or_ongoing(cls, ongoing: bool, info: ValidationInfo) -> bool:
        if "dates" not in info.data:  # the dates' own error is enough
            return ongoing
        if ongoing and info.data["dates"]:
            raise hub_error("when_both", "dates と ongoing: true の両方が書かれています",
                            "日にちが決まっている募集なら dates: だけ、随時の募集なら ongoing: true と review: だけを書いてください")
        if not ongoing and not info.data["dates"]:
            raise hub_error("when_missing", "活動の日時がありません（dates も ongoing もありません）",
                            "dates: の下に「- start: 2021-02-13 10:00」と「end: 2021-02-13 12:00」を書くか、"
                            "随時の募集なら ongoing: true と review:（見直す日）を書いてください")
        return ongoing

    @field_validator("review")
    @classmethod
    def _review_of_ongoing(cls, review: Any, info: ValidationInfo) -> Any:
        ongoing = info.data.get("ongoing")
        if ongoing and review is None:
            raise hub_error("review_missing", "随時の募集（ongoing: true）に見直す日（review）がありません",
                            "review: に募集を見直す日を YYYY-MM-DD で書いてください（例: 2021-03-31）。"
                            "その日を過ぎると、終了した募集として一覧から外れます")
        if ongoing is False and review is not None:
            raise hub_error("review_without_ongoing", "review は随時の募集（ongoing: true）にだけ書きます",
                            "日にちが決まっている募集なら review: の行を削除し、締切は deadline: に書いてください")
        return review

    @property
    def first_start(self) -> datetime | None:
        return min((span.start for span in self.dates), default=None)

    @property
    def last_end(self) -> datetime | None:
        return max((span.end for span in self.dates), default=None)

    @property
    def review_ends(self) -> datetime | None:
        """The end of the review day (23:59 in Tokyo), as a deadline written as a date."""
        return datetime.combine(self.review, END_OF_DAY, TOKYO) if self.review else None


class Where(HubModel):
    """A ward, a place's name, online, or a mix: a private home's address is never written."""

    ward: TermId("wards") | None = None  # type: ignore[valid-type]
    venue: Text | None = Field(default=None, title="活動場所", description="施設や場所の名前。番地までの住所は書きません")
    online: bool = Field(default=False, validate_default=True, title="オンライン", description="オンラインで活動するとき true")
    note: Text | None = Field(default=None, title="場所の補足", description="例: 集合場所は応募した方にお知らせします")

    @field_validator("online")
    @classmethod
    def _some_place(cls, online: bool, info: ValidationInfo) -> bool:
        # A ward or venue that failed is missing from info.data: its own error is enough.
        written = [info.data[key] for key in ("ward", "venue") if key in info.data]
        if not online and len(written) == 2 and not any(written):
            raise hub_error("no_place", "活動の場所がありません（ward・venue・online のどれもありません）",
                            "区なら ward: nishi、場所なら venue: に施設の名前、オンラインなら online: true を書いてください")
        return online


class Apply(HubModel):
    url: WebUrl | None = Field(default=None, title="応募フォーム", description="応募を受け付けるページの URL")
    desk: bool = Field(default=False, title="センターの窓口で受け付ける",
                       description="センターが応募を受け付けるとき true。窓口の連絡先は mkdocs.yml の設定から表示します")
    how: Text | None = Field(default=None, title="応募の方法", description="例: 事前に説明会（30分）にご参加ください")


class VolunteerMeta(EntryMeta):
    title: Text
    group: GroupId | None = Field(default=None, title="募集する登録団体",
                                  description="登録団体の id（content/groups/ のファイル名）。登録団体でなければ organizer")
    # Declared after `group` and always validated, so that "neither" and "both" are reported here.
    organizer: Text | None = Field(default=None, validate_default=True, title="募集する団体",
                                   description="登録団体でないときの団体名。group とどちらか一方")
    summary: Text
    activities: Annotated[list[Text], BeforeValidator(_as_list), Field(min_length=1)] = Field(
        title="活動内容", description="していただくこと。1 行に 1 つ")
    when: When = Field(title="活動日時", description="dates（日時）か、ongoing: true と review（随時募集）")
    where: Where = Field(title="活動場所", description="ward（区）・venue（場所）・online のどれか 1 つ以上")
    audiences: TermIds("volunteer_audiences")  # type: ignore[valid-type]
    capacity: Capacity | None = Field(default=None, title="募集人数", description="人数（例: 5）か「若干名」など")
    # Declared after `when`, which it is checked against, and always validated: required unless ongoing.
    deadline: Deadline | None = Field(default=None, validate_default=True, title="締切",
                                      description="日付だけなら、その日の 23:59 が締切です。随時募集なら任意")
    apply: Annotated[Apply | None, BeforeValidator(_url_alone)] = Field(default=None, title="応募")
    # Declared after `apply` and always validated, so that "no way to apply" is reported here.
    contact: Contact | None = Field(default=None, validate_default=True, title="問い合わせ・応募先",
                                    description="団体の公開している連絡先だけ")
    status: Literal["open", "filled", "closed"] = Field(
        default=OPEN, title="募集の状況",
        description="書かなければ open（募集中）。締切を過ぎた募集は、書き換えなくても終了した募集に移ります",
        json_schema_extra={"options": STATUS_LABELS})
    posted: IsoDate = Field(title="掲載日", description="募集を載せた日。新着としてフィードとニュースレターに載せる日")

    @field_validator("organizer")
    @classmethod
    def _one_organiser(cls, organizer: str | None, info: ValidationInfo) -> str | None:
        if "group" not in info.data:
            return organizer
        if info.data["group"] and organizer:
            raise hub_error("organizer_twice", "group と organizer の両方が書かれています",
                            "登録団体なら group: だけ、登録団体でなければ organizer: だけを残してください")
        if not info.data["group"] and not organizer:
            raise hub_error("organizer_missing", "募集する団体がありません（group も organizer もありません）",
                            "登録団体なら group: に団体の id（例: nishi-kodomo-shokudo）、"
                            "そうでなければ organizer: に団体名を書いてください")
        return organizer

    @field_validator("deadline")
    @classmethod
    def _deadline_fits_when(cls, deadline: datetime | None, info: ValidationInfo) -> datetime | None:
        when = info.data.get("when")
        if when is None:
            return deadline
        if deadline is None and not when.ongoing:
            raise hub_error("deadline_missing", "締切（deadline）がありません",
                            "deadline: に応募の締切を YYYY-MM-DD で書いてください（その日の 23:59 まで受け付けます）。"
                            "締切のない随時の募集なら、when: に ongoing: true と review: を書いてください")
        limit, what = (when.review_ends, "見直す日") if when.ongoing else (when.last_end, "活動の終わり")
        if deadline and limit and deadline > limit:
            raise hub_error("deadline_too_late", f"締切 {_shown(deadline)} が{what} {_shown(limit)} より後です",
                            f"締切は{what}より前の日付にしてください（日付だけなら、その日の 23:59 が締切です）")
        return deadline

    @field_validator("contact")
    @classmethod
    def _some_way_to_apply(cls, contact: Contact | None, info: ValidationInfo) -> Contact | None:
        if "apply" not in info.data:
            return contact
        apply = info.data["apply"]
        if contact is None and not (apply and (apply.url or apply.desk)):
            raise hub_error("no_way_to_apply", "応募の方法がありません（apply の url・desk も contact もありません）",
                            "apply: の下に url:（応募フォーム）か desk: true（センターの窓口で受け付ける）を書くか、"
                            "contact: に団体の公開している連絡先を書いてください")
        return contact


def _shown(moment: datetime) -> str:
    return moment.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")


def closes(entry: Entry) -> datetime:
    """When applications close: the deadline; for an ongoing call without one, the end of its review day."""
    meta = entry.meta
    return meta.deadline or meta.when.review_ends


def by_deadline(entry: Entry) -> tuple[bool, datetime]:
    """Calls with dates first, the soonest deadline first; then the ongoing ones, the soonest review first."""
    return entry.meta.when.ongoing, closes(entry)


def posted_on(entry: Entry) -> date:
    """The news date (feeds, the newsletter): the day the call was posted."""
    return entry.meta.posted
