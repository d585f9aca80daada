"""The print guidebook of every talent: a page of the site, and guidebook.pdf when WeasyPrint can make one.

The centre hands the guidebook to neighbourhood associations and schools on paper. The
page prints on A4 from any browser (assets/print/guidebook.css); the PDF is the same
markup and stylesheet laid out by WeasyPrint, which also fills in page numbers in the
table of contents. WeasyPrint and a Japanese font are an optional extra: without them the
build goes on with an INFO line and the page simply offers no PDF.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hub import PACKAGE_DIR
from hub.collections.talents.directory import Directory, TalentView
from hub.collections.talents.schema import TALENTS_OPTIONS
from hub.core.content import Site
from hub.core.outputs import FileSpec, Output, PageSpec
from hub.core.taxonomy import TermLink
from hub.output.pdf import pdf_possible, pdf_unavailable, print_environment

PAGE_URI = "talents/guidebook.md"
PDF_URI = "talents/guidebook.pdf"
TITLE = "西区街の名人・達人 ガイドブック"
PRINT_CSS = PACKAGE_DIR / "assets" / "print" / "guidebook.css"
PRINT_TEMPLATE = "hub/talents-guidebook-print.html"


@dataclass(frozen=True)
class TocSection:
    """One category of the table of contents with its talents (a talent appears under each of its categories)."""

    link: TermLink
    talents: list[TalentView]


def guidebook_outputs(site: Site, shared: dict[str, Any]) -> Iterator[Output]:
    directory: Directory = shared["directory"]
    data = {**shared, "title": TITLE, "edition": site.now.date(), "sections": table_of_contents(directory)}
    pdf = _pdf_wanted(site) and _pdf_possible()
    yield PageSpec(PAGE_URI, TITLE, "hub/talents-guidebook.html", {**data, "pdf": PDF_URI if pdf else None},
                   description=f"『西区街の名人・達人』登録者 {len(directory.talents)} 件の印刷用ガイドブック（A4）")
    if pdf:
        # Laying out the PDF takes seconds: only a build that writes the site makes it, and
        # the next build reuses it while the talents, photos, layout and settings are the same.
        yield FileSpec(PDF_URI, render=functools.partial(guidebook_pdf, data, site), build_only=True, keep=True,
                       inputs=(data, site.settings, _layout_sources(), _photo_stamps(directory, site)))


def _layout_sources() -> list[bytes]:
    """The stylesheet and every template the PDF may be laid out with."""
    templates = PACKAGE_DIR / "templates" / "hub"
    return [PRINT_CSS.read_bytes(), *(path.read_bytes() for path in sorted(templates.rglob("*.html")))]


def _photo_stamps(directory: Directory, site: Site) -> list[tuple[str, int, int]]:
    """A photo replaced under the same name changes the PDF too."""
    docs_dir = site.settings.root / site.settings.docs_dir
    photos = sorted({talent.meta.photo.src for talent in directory.talents if talent.meta.photo})
    return [(photo, (docs_dir / photo).stat().st_mtime_ns, (docs_dir / photo).stat().st_size) for photo in photos]


def table_of_contents(directory: Directory) -> list[TocSection]:
    return [TocSection(link, directory.in_category(link.term.id)) for link in directory.categories.links if link.count]


def _pdf_possible() -> bool:
    """Whether this machine can make the PDF; if not, an INFO line says what is missing."""
    return pdf_possible("guidebook.pdf", pdf_unavailable())


def guidebook_pdf(data: dict[str, Any], site: Site) -> bytes:
    from weasyprint import CSS, HTML

    html = print_environment().get_template(PRINT_TEMPLATE).render(hub=data)
    docs_dir = (site.settings.root / site.settings.docs_dir).resolve()
    document = HTML(string=html, base_url=docs_dir.as_uri() + "/")
    return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))], uncompressed_pdf=False)


def _pdf_wanted(site: Site) -> bool:
    """`extra.hub.talents.pdf: false` turns the PDF off (for quicker previews); it is on by default."""
    return TALENTS_OPTIONS.read(site.settings).pdf
