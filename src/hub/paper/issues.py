"""One issue of a paper publication: `content/print/<issue-id>.md`, written by the centre's staff.

    ---
    publication: mini            # an id of extra.hub.print.publications
    date: 2020-07-01             # 発行日: what is on is counted from this day
    title: 夏号                   # optional, after the publication's name
    until: 2020-09-30            # optional: the last day of the events it lists (3 months by default)
    pin: [events/chiiki-zukuri-nishi-2020]   # optional: shown first, even from outside the period
    exclude: []                  # optional: left out
    ---
    The editorial: a few sentences of the centre's own (Markdown).

The front matter is the newsletter intro's (`hub.digest.intro.IntroMeta`: title, pin, exclude,
draft), so that pinning and excluding read, and are checked, the same way in both. The file
goes through the same privacy guard as every page; its problems are reported with file and line.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError, ValidationInfo, field_validator

from hub.core.fields import IsoDate, Text, hub_error
from hub.core.problems import Problem
from hub.core.validation import problems_from_error
from hub.digest.intro import CONTEXT_KEY, IntroMeta
from hub.guard.html_policy import body_problems
from hub.guard.privacy import docs_problems
from hub.reading.frontmatter import FILE_KEY, read_source
from hub.reading.loader import Project

FOLDER = "print"
PUBLICATIONS_KEY = "publications"
COVERED_MONTHS = 3
_ISSUE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class PrintIssueMeta(IntroMeta):
    publication: Text
    date: IsoDate
    until: IsoDate | None = None

    @field_validator("publication")
    @classmethod
    def _known_publication(cls, value: str, info: ValidationInfo) -> str:
        known: list[str] = (info.context or {}).get(PUBLICATIONS_KEY, [])
        if value not in known:
            raise hub_error("publication", f"「{value}」という刊行物は mkdocs.yml の extra.hub.print にありません",
                            f"使える値: {', '.join(known) or '（extra.hub.print.publications に刊行物を書いてください）'}")
        return value

    @field_validator("until")
    @classmethod
    def _until_after_date(cls, until: date | None, info: ValidationInfo) -> date | None:
        issued = info.data.get("date")
        if until is not None and issued is not None and until < issued:
            raise hub_error("until_before_date", f"until {until} が発行日 {issued} より前です",
                            "until は載せるイベントの最後の日です（省略すると発行日から 3 か月）")
        return until

    @property
    def last_day(self) -> date:
        """The last day whose events the issue lists: `until`, or three months from the issue's date."""
        return self.until or add_months(self.date, COVERED_MONTHS) - timedelta(days=1)


@dataclass(frozen=True)
class IssueFile:
    id: str
    meta: PrintIssueMeta
    body: str
    source: str


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def issue_folder(project: Project) -> Path:
    return project.content_dir / FOLDER


def load_issue_files(project: Project, publications: list[str], published: set[str]) -> tuple[list[IssueFile], list[Problem]]:
    """Every issue that is not a draft, oldest first, and every problem in every file (privacy included)."""
    folder = issue_folder(project)
    paths = sorted(folder.glob("*.md")) if folder.is_dir() else []
    problems = docs_problems(folder, project.root, project.privacy) if paths else []
    issues: list[IssueFile] = []
    for path in paths:
        issue, found = _load(path, project, {PUBLICATIONS_KEY: publications, CONTEXT_KEY: published})
        problems += found
        if issue is not None and not issue.meta.draft:
            issues.append(issue)
    return sorted(issues, key=lambda issue: (issue.meta.date, issue.id)), problems


def _load(path: Path, project: Project, context: dict[str, object]) -> tuple[IssueFile | None, list[Problem]]:
    source = read_source(path, project.shown(path))
    if not _ISSUE_ID.fullmatch(path.stem):
        source.problems.append(Problem(source.shown_path, 1, FILE_KEY,
                                       f"ファイル名は半角英小文字・数字とハイフンにしてください: 「{path.name}」",
                                       "例: mini-2020-07.md（刊行物-発行年-月）"))
    if source.problems:
        return None, source.problems
    # The body is checked even when the front matter is wrong: one `hub check` reports both.
    draft = source.meta.get("draft") is True
    problems = [] if draft else body_problems(source.body, source.shown_path, source.body_line, project.html)
    try:
        meta = PrintIssueMeta.model_validate(source.meta, context=context)
    except ValidationError as error:
        return None, problems_from_error(error, source, model=PrintIssueMeta) + problems
    return IssueFile(path.stem, meta, source.body if source.body.strip() else "", source.shown_path), problems
