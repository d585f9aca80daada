"""The PDF of one issue: as many items as the publication's pages hold, laid out by WeasyPrint.

Staff cannot tell how much fits on a sheet, and an item cut in two is lost on a circulation
board. So the layout decides: the whole issue is laid out, and while it runs past the
publication's pages, fewer items (the last unpinned ones give way first, see
`hub.paper.edition.Edition.kept`) are tried, halving the range each time. The last items are then named
by count, 「ほか N 件はウェブ版で」, beside the QR code of the web edition that has them all.
A booklet is folded from sheets of four pages: blank memo pages fill the last sheet.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from hub import PACKAGE_DIR
from hub.collections.events.schema import STATUS_LABELS
from hub.core.settings import Settings
from hub.digest.display import Formats
from hub.output.markdown_html import absolute_html
from hub.output.pdf import print_environment
from hub.paper.edition import Edition
from hub.paper.qr import qr_data_uri

PRINT_CSS = PACKAGE_DIR / "assets" / "print" / "edition.css"
PDF_TEMPLATE = "hub/print-issue-pdf.html"


def layout_sources() -> list[bytes]:
    """The stylesheet and every template an issue's PDF may be laid out with: its digest's inputs."""
    templates = PACKAGE_DIR / "templates" / "hub"
    return [PRINT_CSS.read_bytes(), *(path.read_bytes() for path in sorted(templates.rglob("*.html")))]


def pdf_data(edition: Edition, settings: Settings) -> dict[str, Any]:
    """What the PDF template shows besides the items chosen: the editorial as HTML, the QR maker."""
    source = f"print/{edition.id}.md"
    return {**template_helpers(), "edition": edition, "site_name": settings.site_name,
            "editorial": absolute_html(edition.file.body, settings, source) if edition.file.body else ""}


def template_helpers() -> dict[str, Any]:
    """What the issue's templates call, on the web page and in the PDF alike."""
    return {"qr": qr_data_uri, "fmt": Formats, "status_labels": STATUS_LABELS}


@dataclass(frozen=True)
class Layout:
    """An issue laid out: the PDF's bytes, its pages and how many of the issue's items it shows."""

    pdf: bytes
    pages: int
    shown: int


def edition_pdf(edition: Edition, settings: Settings) -> bytes:
    return lay_out_edition(edition, settings).pdf


def lay_out_edition(edition: Edition, settings: Settings) -> Layout:
    from weasyprint import HTML

    stylesheet, fonts = _stylesheet()
    data = pdf_data(edition, settings)

    def lay_out(shown: int, memo_pages: int = 0) -> Any:
        html = print_environment().get_template(PDF_TEMPLATE).render(hub={**data, "shown": shown, "memo_pages": memo_pages})
        return HTML(string=html).render(stylesheets=[stylesheet], font_config=fonts)

    shown, document = fitted(lay_out, len(edition.items), edition.publication.most_pages)
    step = edition.publication.page_step
    blank = math.ceil(len(document.pages) / step) * step - len(document.pages)
    if blank:
        document = lay_out(shown, blank)
    return Layout(document.write_pdf(uncompressed_pdf=False), len(document.pages), shown)


@functools.lru_cache(maxsize=1)
def _stylesheet() -> tuple[Any, Any]:
    """The stylesheet parsed once, and the fonts it finds looked up once, for every layout of every issue."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(PRINT_CSS), font_config=fonts), fonts


def fitted(lay_out: Any, total: int, most: int) -> tuple[int, Any]:
    """The most items (of `total`) whose layout has at most `most` pages, and that layout.

    The whole issue first (it usually fits). Otherwise its outline (WeasyPrint makes one of the
    headings; each item's title is a heading) tells how many items start within the pages, one
    fewer leaves room for 「ほか N 件」; from there one item at a time gives way until it fits.
    That is two layouts in the common case, and never a layout per item."""
    document = lay_out(total)
    if len(document.pages) <= most:
        return total, document
    shown = max(sum(page < most for page in _item_pages(document)) - 1, 0)
    document = lay_out(shown)
    while len(document.pages) > most and shown > 0:
        shown -= 1
        document = lay_out(shown)
    return shown, document


def _item_pages(document: Any) -> list[int]:
    """The page (from 0) of each item's title, in order: the outline's third level (issue, section, item);
    an outline entry is (label, (page, x, y), children, state)."""
    return [item[1][0] for issue in document.make_bookmark_tree() for section in issue[2] for item in section[2]]
