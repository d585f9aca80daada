"""The paper editions' part of the site.

  /print/                 every issue of every publication, newest first
  /print/<issue-id>/      the issue as a web page (readable on a phone, printable from a browser)
  /print/<issue-id>.pdf   the issue laid out for the printer by WeasyPrint (when it is installed)

The PDF is made like the talent guidebook's: by the build's background worker, and kept
between builds by the digest of its inputs (the issue, the settings, the templates).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from hub.core.clock import TOKYO
from hub.core.content import Site
from hub.core.outputs import FileSpec, Output, PageSpec
from hub.core.problems import ContentError, Problem
from hub.core.settings import CONFIG_FILE, config_line
from hub.digest.intro import published_paths
from hub.output.news import Notice
from hub.output.pdf import pdf_possible, pdf_unavailable
from hub.paper.config import PRINT_OPTIONS, PrintOptions
from hub.paper.edition import ARCHIVE_PATH, Edition, make_edition
from hub.paper.issues import IssueFile, load_issue_files
from hub.paper.layout import edition_pdf, layout_sources, template_helpers
from hub.reading.loader import Project

TITLE = "情報紙（印刷版）"


@dataclass(frozen=True)
class PaperEditions:
    options: PrintOptions
    editions: list[Edition]  # oldest first

    def find(self, issue_id: str) -> Edition | None:
        return next((edition for edition in self.editions if edition.id == issue_id), None)


def prepare(site: Site) -> PaperEditions | None:
    """None when mkdocs.yml has no `extra.hub.print`; ContentError for wrong settings or issue files."""
    options = PRINT_OPTIONS.read(site.settings)
    if options is None:
        return None
    project = Project.from_settings(site.settings)
    problems = _audience_problems(options, site)
    published = published_paths(entry for entries in site.content.entries.values() for entry in entries)
    files, found = load_issue_files(project, list(options.publications), published)
    if problems + found:
        raise ContentError(problems + found)
    return PaperEditions(options, _editions(site, options, files))


def _editions(site: Site, options: PrintOptions, files: list[IssueFile]) -> list[Edition]:
    editions: list[Edition] = []
    previous: dict[str, date] = {}
    for file in files:  # oldest first: each issue's news starts at its publication's previous issue
        name = file.meta.publication
        editions.append(make_edition(site, file, options.publications[name], previous.get(name)))
        previous[name] = file.meta.date
    return editions


def _audience_problems(options: PrintOptions, site: Site) -> list[Problem]:
    wards = site.content.vocabularies["wards"]
    return [Problem(CONFIG_FILE, config_line(site.settings.root, ("extra", "hub", "print", "publications", name, "audience")),
                    f"extra.hub.print.publications.{name}.audience",
                    f"「{publication.audience}」という区はありません", "区の id（例: nishi）か all を書いてください")
            for name, publication in options.publications.items()
            if publication.ward and wards.get(publication.ward) is None]


def paper_outputs(site: Site) -> Iterator[Output]:
    """The site-wide generator."""
    paper = prepare(site)
    if paper is None:
        return
    pdf = bool(paper.editions) and paper.options.pdf and pdf_possible("print/*.pdf", pdf_unavailable())
    for edition in paper.editions:
        yield issue_page(edition, pdf)
        if pdf:
            yield pdf_file(edition, site)
    yield archive_page(list(reversed(paper.editions)), pdf)


def issue_page(edition: Edition, pdf: bool) -> PageSpec:
    return PageSpec(f"{ARCHIVE_PATH}{edition.id}.md", edition.title, "hub/print-issue.html",
                    {**template_helpers(), "edition": edition, "pdf": edition.pdf_path if pdf else None,
                     "archive": ARCHIVE_PATH},
                    body=edition.file.body,
                    description=f"{edition.title}（{edition.publication.format_label}）: "
                                f"{len(edition.items)} 件のお知らせ。紙で配る情報紙のウェブ版です",
                    searchable=False)


def pdf_file(edition: Edition, site: Site) -> FileSpec:
    """Laid out only by a build that writes the site, and kept while its inputs are the same."""
    return FileSpec(edition.pdf_path, render=functools.partial(edition_pdf, edition, site.settings),
                    build_only=True, keep=True, inputs=(edition, site.settings, layout_sources()))


def paper_notices(site: Site) -> list[Notice]:
    """Each issue as an item of the site's feed, on its issue date (the feed leaves out what is after "now")."""
    paper = prepare(site)
    pdf = paper is not None and paper.options.pdf and pdf_unavailable() is None
    return [Notice(edition.title, edition.page_path, datetime.combine(edition.day, time(0), TOKYO),
                   f"{edition.publication.name}（{edition.publication.format_label}）の{edition.day.year}年"
                   f"{edition.day.month}月号です。お知らせ {len(edition.items)} 件。",
                   (("印刷用 PDF", edition.pdf_path),) if pdf else ())
            for edition in (paper.editions if paper else [])]


def archive_page(editions: list[Edition], pdf: bool) -> PageSpec:
    return PageSpec(f"{ARCHIVE_PATH}index.md", TITLE, "hub/print-index.html", {"editions": editions, "pdf": pdf},
                    description=f"センターの情報紙のバックナンバー（{len(editions)} 号）。ウェブ版と印刷用 PDF")
