"""Events and courses (イベント・講座): forums, lectures, workshops, trainings.

One file is one event, or one course with its `sessions`. Times are Asia/Tokyo unless
an offset is written. The checks that need two keys at once (end before start, a
session outside the course, a deadline after the start, no place at all) sit on the
later key, so that the message points at the line the editor has to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PositiveInt, ValidationError, ValidationInfo, field_validator
from pydantic_core import InitErrorDetails

from hub.core.clock import TOKYO
from hub.core.collection import Entry, EntryMeta
from hub.core.contact import CONTACT_KEY, Contact
from hub.core.fields import HubModel, IsoDate, LocalDateTime, TermId, Text, WebUrl, hub_error
from hub.core.options import Options, OptionSection
from hub.core.references import NamedParty, Party

# Statuses change what the site and the calendars say, so they are fixed here, not in the vocabulary file.
STATUS_LABELS = {
    "scheduled": "予定どおり開催",
    "cancelled": "中止",
    "postponed": "延期",
    "full": "満席",
    "moved-online": "オンライン開催に変更",
}

# What a deadline written as a date alone stands for; pages show such a deadline as the date.
END_OF_DAY = time(23, 59)
_FEE = re.compile(r"[¥￥]?\s*([0-9０-９][0-9０-９,，]*)\s*円?")


def _status(value: Any) -> Any:
    """One of STATUS_LABELS; the Japanese label written instead of the id is recognised in the hint."""
    if isinstance(value, str) and value in STATUS_LABELS:
        return value
    written = str(value).strip()
    match = next((key for key, label in STATUS_LABELS.items() if written and written in (key, label)), None)
    known = ", ".join(f"{key}（{label}）" for key, label in STATUS_LABELS.items())
    hint = f"もしかして {match}（{STATUS_LABELS[match]}）？" if match else f"使える値: {known}"
    raise hub_error("event_status", f"「{written}」は status に使えません", hint)


def _fee(value: Any) -> Any:
    """Yen as a whole number; 「無料」, 「1,000円」 and 「¥500」 are understood too."""
    if isinstance(value, int) and not isinstance(value, bool):
        amount = value
    else:
        text = str(value).strip()
        match = _FEE.fullmatch(text)
        if text == "無料":
            amount = 0
        elif match:
            amount = int(match.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789", ",，")))
        else:
            raise hub_error("fee", f"参加費は円の金額（数字）で書いてください: 「{text}」",
                            "無料なら 0、例: 1000。条件つきの料金は fee_note に書いてください")
    if amount < 0:
        raise hub_error("fee", f"参加費がマイナスです: 「{amount}」", "無料なら 0 と書いてください")
    return amount


def _end_of_day(value: Any) -> Any:
    """A deadline written as a date alone means the end of that day."""
    text = str(value).strip()
    return f"{text} {END_OF_DAY:%H:%M}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else value


def _flag_or_mapping(value: Any) -> Any:
    """`childcare: true` is enough when there is nothing more to say; false means none."""
    if value is True:
        return {}
    return None if value is False else value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


EventStatus = Annotated[str, BeforeValidator(_status)]
Fee = Annotated[int, BeforeValidator(_fee)]
Deadline = Annotated[LocalDateTime, BeforeValidator(_end_of_day)]


class Venue(HubModel):
    name: Text
    address: Text | None = None
    access: Text | None = None
    ward: TermId("wards") | None = None  # type: ignore[valid-type]
    url: WebUrl | None = None


class Online(HubModel):
    platform: Text
    # A public page (a live stream, the event's page on the platform). Join links go to applicants only.
    url: WebUrl | None = None
    note: Text | None = None


class EventOptions(Options):
    """`extra.hub.events`: the organiser of events that name none (the site's name when not set)."""

    organizer: NamedParty | None = None


EVENTS_OPTIONS = OptionSection("events", EventOptions)


class Link(HubModel):
    title: Text
    url: WebUrl


class Registration(HubModel):
    url: WebUrl | None = None
    how: Text | None = None
    deadline: Deadline | None = None
    capacity: PositiveInt | None = None
    fee: Fee | None = None
    fee_note: Text | None = None


class Childcare(HubModel):
    ages: Text | None = None
    capacity: PositiveInt | None = None
    deadline: Deadline | None = None
    fee: Fee | None = None
    note: Text | None = None


class Session(HubModel):
    """One meeting of a course. A session that names a place (venue and/or online) uses only that place."""

    title: Text | None = None
    start: LocalDateTime
    end: LocalDateTime
    venue: Venue | None = None
    online: Online | None = None
    status: EventStatus | None = None
    note: Text | None = None

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        check_order(info.data.get("start"), end)
        return end


def check_order(start: datetime | None, end: datetime) -> None:
    """An end at or before its start is a slip (the two swapped, a wrong day): any start/end pair."""
    if start is not None and end <= start:
        raise hub_error("end_before_start", f"終了 {_shown(end)} が開始 {_shown(start)} より前か同じです",
                        "start と end を入れ替えていないか、日付を確かめてください")


def _shown(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _nested_errors(title: str, errors: list[InitErrorDetails]) -> None:
    """Raise errors that point inside the field (a session's start, the deadline), so each gets its own line."""
    if errors:
        raise ValidationError.from_exception_data(title, errors)


def _deadline_error(loc: tuple[str | int, ...], deadline: datetime, start: datetime, what: str) -> InitErrorDetails:
    error = hub_error("deadline_after_start", f"{what}の締切 {_shown(deadline)} が開始 {_shown(start)} より後です",
                      "締切は開始より前の日時にしてください（日付だけなら、その日の 23:59 が締切です）")
    return InitErrorDetails(type=error, loc=loc, input=deadline.isoformat())


class EventMeta(EntryMeta):
    title: Text
    start: LocalDateTime
    end: LocalDateTime
    summary: Text
    series: TermId("event_series") | None = None  # type: ignore[valid-type]
    category: TermId("event_categories")  # type: ignore[valid-type]
    online: Online | None = None
    # Declared after `online` and always validated, so that "no place at all" is reported here.
    venue: Venue | None = Field(default=None, validate_default=True)
    # Declared before `registration`, whose check needs to know whether there is a contact.
    contact: Contact | None = Field(default=None, title="問い合わせ先", description="団体の公開している連絡先だけ")
    registration: Registration | None = None
    childcare: Annotated[Childcare | None, BeforeValidator(_flag_or_mapping)] = None
    accessibility: Annotated[list[Text], BeforeValidator(_as_list)] = []
    organizer: Party | None = None
    co_organizers: list[Party] = []
    status: EventStatus = "scheduled"
    status_note: Text | None = None
    sessions: list[Session] = []
    links: list[Link] = []
    # When the event was made public (feeds, the newsletter); see `announced_on` when it is not written.
    announced: IsoDate | None = None

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        check_order(info.data.get("start"), end)
        return end

    @field_validator("venue")
    @classmethod
    def _some_place(cls, venue: Venue | None, info: ValidationInfo) -> Venue | None:
        # A failed `online` is missing from info.data: its own error is enough.
        if venue is None and "online" in info.data and info.data["online"] is None:
            raise hub_error("no_place", "開催場所がありません（venue も online もありません）",
                            "会場なら venue: の下に name:、オンラインなら online: の下に platform: を書いてください")
        return venue

    @field_validator("registration")
    @classmethod
    def _registration_before_start(cls, registration: Registration | None,
                                   info: ValidationInfo) -> Registration | None:
        start = info.data.get("start")
        if registration and registration.deadline and start and registration.deadline > start:
            _nested_errors("registration", [_deadline_error(("deadline",), registration.deadline, start, "申込")])
        return registration

    @field_validator("registration")
    @classmethod
    def _registration_says_how(cls, registration: Registration | None,
                               info: ValidationInfo) -> Registration | None:
        """A deadline means applications are taken: readers need the form, the words or a contact to apply."""
        if (registration and registration.deadline and not (registration.url or registration.how)
                and CONTACT_KEY in info.data and info.data[CONTACT_KEY] is None):
            raise hub_error("registration_without_way",
                            "申込を受け付ける場合は、申込の方法（registration: の url・how、"
                            "または contact: の電話番号・メール・URL）を書いてください（registration without a way to apply）",
                            "registration: の下に url:（申込フォーム）か how:（例: 電話またはメールで、センターへ）を書くか、"
                            "contact: に団体の連絡先を書いてください")
        return registration

    @field_validator("childcare")
    @classmethod
    def _childcare_before_start(cls, childcare: Childcare | None, info: ValidationInfo) -> Childcare | None:
        start = info.data.get("start")
        if childcare and childcare.deadline and start and childcare.deadline > start:
            _nested_errors("childcare", [_deadline_error(("deadline",), childcare.deadline, start, "託児の申込")])
        return childcare

    @field_validator("status")
    @classmethod
    def _online_when_moved_online(cls, status: str, info: ValidationInfo) -> str:
        if status == "moved-online" and "online" in info.data and info.data["online"] is None:
            raise hub_error("moved_online_without_online", "オンライン開催に変更したのに online がありません",
                            "online: の下に platform:（例: Zoom）を書いてください")
        return status

    @field_validator("sessions")
    @classmethod
    def _sessions_inside_span(cls, sessions: list[Session], info: ValidationInfo) -> list[Session]:
        start, end = info.data.get("start"), info.data.get("end")
        if start is None or end is None:
            return sessions
        _nested_errors("sessions", list(_sessions_outside(sessions, start, end)))
        return sessions


def _sessions_outside(sessions: list[Session], start: datetime, end: datetime) -> Iterable[InitErrorDetails]:
    span = f"{_shown(start)}〜{_shown(end)}"
    hint = "回の日時か、講座全体の start / end（最初の回の開始と最後の回の終了）を直してください"
    for index, session in enumerate(sessions):
        if session.start < start:
            error = hub_error("session_outside", f"第{index + 1}回の開始 {_shown(session.start)} が講座の期間 {span} の外です", hint)
            yield InitErrorDetails(type=error, loc=(index, "start"), input=session.start.isoformat())
        if session.end > end:
            error = hub_error("session_outside", f"第{index + 1}回の終了 {_shown(session.end)} が講座の期間 {span} の外です", hint)
            yield InitErrorDetails(type=error, loc=(index, "end"), input=session.end.isoformat())


def by_start(entry: Entry) -> datetime:
    return entry.meta.start


# An event without `announced` counts as news this long before it starts: the newsletter's
# "what is on" window, so that it is new in the issue where it first appears.
ANNOUNCED_BEFORE_START = timedelta(weeks=6)


def announced_on(entry: Entry) -> date:
    """`announced` when written, else six weeks before the start (Asia/Tokyo), capped at the registration
    deadline's day: derived from front matter only, so every build agrees."""
    meta = entry.meta
    if meta.announced:
        return meta.announced
    guessed = (meta.start.astimezone(TOKYO) - ANNOUNCED_BEFORE_START).date()
    deadline = meta.registration.deadline if meta.registration else None
    return min(guessed, deadline.astimezone(TOKYO).date()) if deadline else guessed
