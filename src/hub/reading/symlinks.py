"""Symbolic links under content/ and docs/: followed only while they stay inside the project.

MkDocs copies whatever docs/ holds, following links, and the loader reads whatever a
content file's name points at: a link to /etc/passwd would be published. A link is
refused (a problem naming it) when its target is outside the project folder, does not
exist, or is a folder holding the link itself (a loop, which a walk would follow until the
system's limit). Links inside the project are allowed, so that an image folder can be shared.
"""

from __future__ import annotations

import os
from pathlib import Path

from hub.core.problems import Problem, display_path
from hub.reading.frontmatter import FILE_KEY


def refused_link(path: Path, root: Path) -> str | None:
    """Why the link at `path` may not be followed (Japanese, with the English reason), or None."""
    target = os.path.realpath(path)
    inside = os.path.realpath(root)
    if not os.path.exists(target):
        return "リンク先のファイルがありません（broken symbolic link）"
    if target != inside and not target.startswith(inside + os.sep):
        return f"プロジェクトの外にあるファイル（{target}）へのリンクは使えません（symbolic link outside the project）"
    folder = os.path.realpath(path.parent)
    if os.path.isdir(target) and (folder == target or folder.startswith(target + os.sep)):
        return "リンクが自分を含むフォルダを指しています（symbolic link loop）"
    return None


def link_problems(folder: Path, root: Path) -> list[Problem]:
    """A problem for every refused link under `folder`; links that are allowed are walked into.
    With `os.scandir`, whose entries know from the listing whether they are links (no stat each)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:  # no such folder
        return []
    problems = []
    for entry in entries:  # a Path only where one is needed: most entries are plain files
        reason = refused_link(Path(entry.path), root) if entry.is_symlink() else None
        if reason is not None:
            problems.append(Problem(display_path(Path(entry.path), root), 1, FILE_KEY, reason,
                                    "リンクを削除して、ファイルそのものをプロジェクトの中に置いてください"))
        elif entry.is_dir():
            problems += link_problems(Path(entry.path), root)
    return problems
