"""An organisation's public contact, written in the entry that shows it: one model for every collection.

A cafe that takes reservations, or an event that takes applications, needs a phone number,
an e-mail address or a page where readers reach the organisation. Phone numbers and e-mail
addresses are what the privacy guard refuses (`hub.guard.privacy`), so an entry says in the
contact itself that they are an organisation's public ones:

    contact:
      org: 潮田地域ケアプラザ
      phone: 045-000-0002
      hours: 平日 9:00〜17:00
      public: organisation

The guard then lets that number and that address pass in that entry (and nowhere else), so
staff publish a care plaza's number without a maintainer's edit of mkdocs.yml. A mobile
number is never let through: it is most likely a person's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator

from hub.core.fields import HubModel, Text, WebUrl, hub_error
from hub.core.settings import Settings
from hub.guard.personal_data import find_personal_data, redact

CONTACT_KEY = "contact"
PUBLIC_KEY = "public"
DECLARED_KEYS = ("phone", "email")  # what `public: organisation` lets the guard publish
ORGANISATION = "organisation"
PUBLIC_LABELS = {ORGANISATION: "団体の公開連絡先"}
# Other ways editors may write the one value; the form writes `organisation`.
_PUBLIC_SPELLINGS = {"organisation": ORGANISATION, "organization": ORGANISATION, "団体": ORGANISATION,
                     PUBLIC_LABELS[ORGANISATION]: ORGANISATION}
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[^\s@]+\.[^\s@]+")


def public_value(value: Any) -> Any:
    """`organisation` for any spelling of it, None when not written; anything else is a mistake."""
    if value is None:
        return None
    found = _PUBLIC_SPELLINGS.get(str(value).strip().lower())
    if found is None:
        raise hub_error("contact_public", f"「{value}」は public に書けません",
                        f"団体が公開している連絡先なら public: {ORGANISATION}（{PUBLIC_LABELS[ORGANISATION]}）。"
                        "個人の連絡先は載せられません")
    return found


def _phone(value: str) -> str:
    """A number the tel: link can dial: at least one full phone number (045-000-0000), more text allowed."""
    if not any(finding.kind == "phone" for finding in find_personal_data(value)):
        raise hub_error("contact_phone", f"電話番号として読めません: 「{value}」",
                        "市外局番から書いてください（例: 045-000-0000）")
    return value


def _email(value: str) -> str:
    """A plain address, so that the mailto: link works (not 「info(at)example.org」)."""
    if not _EMAIL.fullmatch(value):
        raise hub_error("contact_email", f"メールアドレスの形になっていません: 「{value}」",
                        "半角で、@ をそのまま書いてください（例: info@example.org）")
    return value


Phone = Annotated[Text, AfterValidator(_phone)]
Email = Annotated[Text, AfterValidator(_email)]


class ContactLinks:
    """`tel:` and `mailto:` links for a contact's `phone` and `email` (an entry's or the centre's)."""

    @property
    def tel_href(self) -> str:
        return tel_href(self.phone or "")

    @property
    def mailto_href(self) -> str:
        return f"mailto:{self.email}" if self.email else ""


class Contact(ContactLinks, HubModel):
    """Where readers reach the organisation behind an entry: to ask, to reserve, to apply."""

    org: Text = Field(title="団体名", description="問い合わせを受ける団体・施設・窓口の名前（個人の名前は書きません）")
    phone: Phone | None = Field(
        default=None, title="電話番号", description="団体の固定電話。携帯電話の番号は載せられません")
    email: Email | None = Field(
        default=None, title="メールアドレス", description="団体の窓口のアドレス")
    url: WebUrl | None = Field(default=None, title="問い合わせ・申込のページ")
    hours: Text | None = Field(default=None, title="受付時間", description="例: 平日 9:00〜17:00")
    public: Annotated[Literal["organisation"] | None, BeforeValidator(public_value)] = Field(
        default=None, title="公開の区分",
        description="電話番号・メールアドレスを載せるときに必要です。団体が公開している連絡先のときだけ選びます",
        json_schema_extra={"options": PUBLIC_LABELS})

    @model_validator(mode="after")
    def _some_way_to_reach(self) -> "Contact":
        if not (self.phone or self.email or self.url):
            raise hub_error("contact_unreachable", "連絡の方法がありません（contact without phone, email or url）",
                            "phone:（電話番号）、email:（メールアドレス）、url:（問い合わせのページ）のどれかを書いてください")
        return self



# Between the items of a contact written in one field (a kintone cell): lines, 「／」 and a spaced slash
# (a URL's own slashes are not spaced; 「、」 may be inside a note: 「045-000-0000（平日、10時から）」).
_ITEM_BREAKS = re.compile(r"\n|／|\s/\s")
_ITEM_LABELS = {"phone": "電話番号", "email": "メールアドレス", "url": "URL"}


def contact_from_text(org: str, written: str) -> dict[str, str]:
    """The public contact of an organisation written in one field, one item a line (or between 「／」):
    a phone number, an e-mail address, a web page. The field is one the organisation agreed to publish (a register's
    「連絡先(公開可)」), so the contact is declared `public: organisation`; a mobile number is still
    refused, and so is anything that is none of the three. Raises ValueError naming the item (masked)."""
    contact = {"org": org}
    for item in (part.strip() for part in _ITEM_BREAKS.split(written)):
        if not item:
            continue
        kind = _item_kind(item)
        if kind in contact:
            raise ValueError(f"{_ITEM_LABELS[kind]}が 2 つあります: 「{redact(item)}」（one {kind} only）")
        contact[kind] = item
    contact[PUBLIC_KEY] = ORGANISATION
    return contact


def _item_kind(item: str) -> str:
    """phone, email or url; ValueError for a mobile number or anything else."""
    if item.startswith(("http://", "https://")):
        return "url"
    findings = find_personal_data(item)
    if any(finding.mobile for finding in findings):
        raise ValueError(f"携帯電話の番号は載せられません: 「{redact(item)}」（mobile number）")
    if _EMAIL.fullmatch(item):
        return "email"
    if any(finding.kind == "phone" for finding in findings):
        return "phone"
    raise ValueError(f"電話番号・メールアドレス・URL のどれとしても読めません: 「{redact(item)}」")


def tel_href(phone: str | None) -> str:
    """`tel:0450000002` from the first number written, whatever separators or notes surround it."""
    numbers = [finding.key for finding in find_personal_data(phone or "") if finding.kind == "phone"]
    return f"tel:{numbers[0]}" if numbers else ""


@dataclass(frozen=True)
class CentreContact(ContactLinks):
    """How citizens reach the centre itself (the home page's 「相談する」)."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    hours: str = ""
    url: str = ""



# Where mkdocs.yml says how to reach the centre, first found first: `extra.hub.centre` (its
# address, hours and phone, as the site's footer shows them), else `extra.hub.help` (whom
# editors ask, the centre in the sample). A phone number is `tel` in one, `phone` in another.
CENTRE_SECTIONS = ("centre", "help")
_CENTRE_KEYS = {"name": ("name",), "address": ("address",), "phone": ("phone", "tel"), "email": ("email",),
                "hours": ("hours",), "url": ("url",)}


def centre_contact(settings: Settings) -> CentreContact | None:
    """The centre's public contact from mkdocs.yml, or None when it names none. Read as written
    and tolerant of either section's shape: the sections themselves are validated where
    they are declared."""
    for section in CENTRE_SECTIONS:
        written = settings.options.get(section)
        if isinstance(written, Mapping) and written.get("name"):
            return CentreContact(**{field: _first_text(written, keys) for field, keys in _CENTRE_KEYS.items()})
    return None


def _first_text(written: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    return next((str(written[key]).strip() for key in keys if written.get(key) not in (None, "")), "")


def offers_contact(model: type[BaseModel]) -> bool:
    """Whether a collection's entries carry a `contact:` of this model (cases and talents do not)."""
    field = model.model_fields.get(CONTACT_KEY)
    return field is not None and Contact in (field.annotation, *getattr(field.annotation, "__args__", ()))


def written_contact(meta: Mapping[str, Any], model: type[BaseModel]) -> Mapping[str, Any]:
    """An entry's `contact:` as written in its front matter; empty when its collection has none.

    The privacy guard reads the declaration here, not in the validated entry, so that a declared
    number is not reported as personal data while another key of the same file is being fixed.
    """
    raw = meta.get(CONTACT_KEY) if offers_contact(model) else None
    return raw if isinstance(raw, Mapping) else {}


def is_declared(contact: Mapping[str, Any]) -> bool:
    """The contact says `public: organisation` (in any accepted spelling)."""
    try:
        return public_value(contact.get(PUBLIC_KEY)) == ORGANISATION
    except ValueError:
        return False


def declared_values(contact: Mapping[str, Any]) -> tuple[str, ...]:
    """The phone number and e-mail address, as written, of a contact declared public; else nothing."""
    if not is_declared(contact):
        return ()
    return tuple(str(contact[key]) for key in DECLARED_KEYS if isinstance(contact.get(key), (str, int)))
