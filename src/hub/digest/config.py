"""The newsletter's settings: `extra.hub.newsletter` in mkdocs.yml, checked like content.

A wrong setting is reported as `mkdocs.yml:line: extra.hub.newsletter.key: message → hint`.
Without the block the site has no newsletter (the feeds do not need it).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, PositiveInt

from hub.core.fields import HubModel, IsoDate, Text, hub_error
from hub.core.options import OptionSection
from hub.core.settings import Settings

OPTION = "newsletter"
_ADDRESS = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z0-9-]+")


def _check_address(value: str) -> str:
    if not _ADDRESS.fullmatch(value):
        raise hub_error("email_address", f"メールアドレスの形になっていません: 「{value}」", "例: news@example.org")
    return value


def _check_unsubscribe(value: str) -> str:
    if not (value.startswith("mailto:") and _ADDRESS.fullmatch(value[7:].split("?")[0])) \
            and not re.fullmatch(r"https://\S+\.\S+", value):
        raise hub_error("list_unsubscribe", f"配信停止の宛先は mailto: か https:// で書いてください: 「{value}」",
                        "例: mailto:unsubscribe@example.org または https://example.org/unsubscribe")
    return value


EmailAddress = Annotated[str, AfterValidator(_check_address)]
Unsubscribe = Annotated[str, AfterValidator(_check_unsubscribe)]


class Sender(HubModel):
    name: Text
    address: EmailAddress


class NewsletterSettings(HubModel):
    """`from` is a Python keyword, so the field is `sender` under the YAML key `from`."""

    model_config = ConfigDict(populate_by_name=True)

    name: Text  # the newsletter's name, in brackets at the start of every subject
    sender: Sender = Field(alias="from")
    reply_to: EmailAddress | None = None
    list_unsubscribe: list[Unsubscribe] = Field(min_length=1)
    since: IsoDate | None = None  # the first issue is the first 1st or 16th after this day
    horizon_weeks: PositiveInt = 6
    banner: Text | None = None  # an image under docs/ shown at the top of the e-mail (PNG or JPEG)
    banner_alt: Text | None = None


NEWSLETTER_OPTIONS = OptionSection(OPTION, NewsletterSettings, optional=True)


def newsletter_settings(settings: Settings) -> NewsletterSettings | None:
    """None when mkdocs.yml has no newsletter block; ContentError when it is wrong."""
    return NEWSLETTER_OPTIONS.read(settings)


def first_day(configured: NewsletterSettings, earliest_news: date | None) -> date | None:
    """Issues start after the later of `since` and the first day anything became news."""
    days = [day for day in (configured.since, earliest_news) if day is not None]
    return max(days) if days else None
