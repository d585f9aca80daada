"""Hand-written pages under docs/: read like entries before MkDocs reads them.

A page may carry `draft: true` as an entry may: it is then left out of the built site
(its page, the sitemap and the search index) and out of the navigation; `mkdocs serve`
still shows it, as MkDocs shows its own drafts, so that its editor can preview it. Its
front matter passes the same checks as an entry's, so that nothing MkDocs would choke on
(an alias bomb, a control character) or silently publish as text (a YAML mistake in a page
holding `private:` notes) gets past `hub check`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.core.problems import Problem, display_path
from hub.reading.frontmatter import read_source
from hub.reading.symlinks import refused_link

DRAFT_KEY = "draft"


@dataclass(frozen=True)
class DocsPages:
    """What the loader learnt of docs/: the drafts (paths inside docs/, as MkDocs names them) and any problems."""

    drafts: frozenset[str] = frozenset()
    problems: list[Problem] = field(default_factory=list)


def read_docs_pages(docs_dir: Path, root: Path) -> DocsPages:
    drafts: set[str] = set()
    problems: list[Problem] = []
    for path in _pages(docs_dir, root):
        source = read_source(path, display_path(path, root), required=False)
        problems += source.problems
        draft = source.meta.get(DRAFT_KEY, False)
        if not isinstance(draft, bool):
            problems.append(Problem(source.shown_path, source.line_of((DRAFT_KEY,)), DRAFT_KEY,
                                    "true か false で書いてください", "例: draft: true"))
        elif draft:
            drafts.add(path.relative_to(docs_dir).as_posix())
    return DocsPages(frozenset(drafts), problems)


def _pages(docs_dir: Path, root: Path) -> Iterator[Path]:
    """Markdown files MkDocs would read: not under a name starting with a dot, not through a refused link."""
    for parent, folders, files in os.walk(docs_dir, followlinks=True):
        folders[:] = sorted(name for name in folders if _readable(Path(parent, name), root))
        for name in sorted(files):
            path = Path(parent, name)
            if name.lower().endswith(".md") and _readable(path, root):
                yield path


def _readable(path: Path, root: Path) -> bool:
    return not path.name.startswith(".") and not (path.is_symlink() and refused_link(path, root))


def without_pages(nav: Any, pages: frozenset[str]) -> Any:
    """A navigation (as written in mkdocs.yml) without the items that link to `pages`; a
    section left empty goes too. Items are paths, `{title: path}` or `{title: [items]}`."""
    if isinstance(nav, list):
        kept = [without_pages(item, pages) for item in nav]
        return [item for item in kept if item not in (None, [], {})]
    if isinstance(nav, dict):
        kept = {title: without_pages(value, pages) for title, value in nav.items()}
        return {title: value for title, value in kept.items() if value not in (None, [], {})}
    if isinstance(nav, str) and nav.removeprefix("./") in pages:
        return None
    return nav
