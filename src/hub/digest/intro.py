"""An issue's optional editorial part: `content/newsletters/<YYYY-MM-DD>.md`.

The body is the editor's introduction; the front matter may give the issue a headline
(used in the subject), pin entries (shown first, even from outside the period) and
exclude entries. Entries are named by their path, as in their URL: `cases/<slug>`.
Problems are reported like content problems, with the file, line and key.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationError, ValidationInfo

from hub.core.fields import HubModel, Text, hub_error
from hub.core.problems import ContentError, Problem
from hub.core.validation import problems_from_error
from hub.digest.periods import is_issue_date
from hub.guard.html_policy import body_problems
from hub.reading.frontmatter import FILE_KEY, read_source
from hub.reading.loader import Project

FOLDER = "newsletters"
CONTEXT_KEY = "published"


def _published_path(value: str, info: ValidationInfo) -> str:
    """`cases/foo`, `/cases/foo/` and a full URL's path all name the entry `cases/foo`."""
    path = re.sub(r"^(?:https?://[^/]+)?/*", "", value.strip()).strip("/")
    published: set[str] = (info.context or {}).get(CONTEXT_KEY, set())
    if path in published:
        return path
    close = difflib.get_close_matches(path, sorted(published), n=1, cutoff=0.6)
    hint = f"もしかして {close[0]}？" if close else "例: cases/nishi-shotengai-tasedai（コレクション名/ファイル名）"
    raise hub_error("unknown_entry", f"「{value}」という公開中の記事はありません", hint)


EntryPath = Annotated[str, AfterValidator(_published_path)]


class IntroMeta(HubModel):
    title: Text | None = None  # the issue's headline, after the date in the subject
    pin: list[EntryPath] = []
    exclude: list[EntryPath] = []
    draft: bool = False


@dataclass(frozen=True)
class Intro:
    day: date
    meta: IntroMeta
    body: str
    source: str


def intro_files(project: Project) -> list[Path]:
    folder = project.content_dir / FOLDER
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def load_intros(project: Project, published: set[str]) -> dict[date, Intro]:
    """Every intro by issue date, drafts left out; ContentError lists every problem in every file."""
    intros: dict[date, Intro] = {}
    problems: list[Problem] = []
    for path in intro_files(project):
        intro, found = _load(path, project, published)
        problems += found
        if intro is not None and not intro.meta.draft:
            intros[intro.day] = intro
    if problems:
        raise ContentError(problems)
    return intros


def _load(path: Path, project: Project, published: set[str]) -> tuple[Intro | None, list[Problem]]:
    source = read_source(path, project.shown(path))
    day = _issue_day(path.stem)
    if day is None:
        source.problems.append(Problem(source.shown_path, 1, FILE_KEY,
                                       f"ファイル名は号の日付（毎月 1 日か 16 日）にしてください: 「{path.name}」",
                                       "例: 2021-02-01.md"))
    if source.problems:
        return None, source.problems
    try:
        meta = IntroMeta.model_validate(source.meta, context={CONTEXT_KEY: published})
    except ValidationError as error:
        return None, problems_from_error(error, source, model=IntroMeta)
    assert day is not None
    problems = [] if meta.draft else body_problems(source.body, source.shown_path, source.body_line, project.html)
    return Intro(day, meta, source.body if source.body.strip() else "", source.shown_path), problems


def _issue_day(stem: str) -> date | None:
    try:
        day = date.fromisoformat(stem)
    except ValueError:
        return None
    return day if is_issue_date(day) else None


def published_paths(entries: Any) -> set[str]:
    """`collection/slug` of every published entry: what pin and exclude may name."""
    return {entry.url.rstrip("/") for entry in entries}
