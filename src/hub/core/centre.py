"""The centre's public facts, `extra.hub.centre` in mkdocs.yml: what the footer of every page shows.

A reader who lands on any page (from a search engine, a newsletter, a shared link) should
find there how to reach the centre: where it is and how to get there, when it is open,
its phone number and address. One section in mkdocs.yml keeps these facts in one place,
checked like content (a phone number that is not one, a map address that is not a URL).
The phone number and the e-mail address are the centre's own: like every string of
mkdocs.yml they pass the privacy guard only when `extra.hub.privacy.allow` lists them.
"""

from __future__ import annotations

from pydantic import Field

from hub.core.contact import ContactLinks, Email, Phone
from hub.core.fields import Text, WebUrl
from hub.core.options import Options, OptionSection, Texts

ACCESS_LINES = 2  # the nearest stations: more belongs on the centre's own page


class CentreOptions(ContactLinks, Options):
    """`extra.hub.centre`. Without the section the footer shows only the site's own links."""

    name: Text
    address: Text  # the postal address, as on a letter
    building: Text | None = None  # where in the building: 「横浜市役所 1階」
    hours: Text  # opening hours
    closed: Text | None = None  # closed days
    phone: Phone
    email: Email | None = None
    access: Texts = Field(default=(), max_length=ACCESS_LINES)  # 「○○線 ○○駅から徒歩 3 分」, one or two lines
    map_url: WebUrl | None = None  # a map service's page of the place: a link, never an embedded map


CENTRE_OPTIONS = OptionSection("centre", CentreOptions, optional=True)
