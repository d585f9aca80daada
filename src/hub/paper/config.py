"""The paper publications: `extra.hub.print` in mkdocs.yml, checked like content.

    print:
      publications:
        mini:                      # the id that issues name (publication: mini)
          name: にしとも広場mini
          format: sheet            # A4, both sides of one sheet: at most 2 pages
          audience: nishi          # a ward id, or all
        hiroba:
          name: にしとも広場
          format: booklet          # A4 booklet: a multiple of 4 pages
          pages: 8                 # at most this many
          audience: nishi

`pdf: false` beside `publications` makes the web editions only. A sheet goes round the neighbourhood associations' circulation boards (班回覧), a booklet is
handed out at the desk: the format decides how many pages the PDF may have, and the audience
which ward's events, cafes and groups it carries.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PositiveInt, field_validator

from hub.core.fields import Text, hub_error
from hub.core.options import Options, OptionSection

ALL_WARDS = "all"
SHEET_PAGES = 2
BOOKLET_STEP = 4
FORMAT_LABELS = {"sheet": "A4・両面1枚", "booklet": "A4・冊子"}


class Publication(Options):
    name: Text  # as printed on the masthead: にしとも広場mini
    format: Literal["sheet", "booklet"]
    pages: PositiveInt | None = None  # a booklet's most pages (a multiple of 4); a sheet has 2
    audience: Text = ALL_WARDS  # a ward id (data/vocabularies.yml wards), or all
    publisher: Text | None = None  # who issues it, when not the centre of extra.hub.centre

    @field_validator("pages")
    @classmethod
    def _booklet_pages(cls, pages: int | None) -> int | None:
        if pages is not None and pages % BOOKLET_STEP:
            raise hub_error("booklet_pages", f"冊子のページ数は 4 の倍数です: 「{pages}」", "例: pages: 8")
        return pages

    @property
    def most_pages(self) -> int:
        return SHEET_PAGES if self.format == "sheet" else (self.pages or 2 * BOOKLET_STEP)

    @property
    def page_step(self) -> int:
        """The PDF's page count is a multiple of this: a booklet is folded sheets of 4 pages."""
        return 1 if self.format == "sheet" else BOOKLET_STEP

    @property
    def ward(self) -> str | None:
        return None if self.audience == ALL_WARDS else self.audience

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]


class PrintOptions(Options):
    publications: dict[str, Publication] = Field(min_length=1)
    pdf: bool = True  # false: the web editions only (quicker builds); like extra.hub.talents.pdf


PRINT_OPTIONS = OptionSection("print", PrintOptions, optional=True)
