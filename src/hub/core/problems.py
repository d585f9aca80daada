"""Validation problems that an editor can act on.

Every problem names the file, the line, the front-matter key (English) and says
in Japanese what is wrong and what to write instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hub.guard.personal_data import redact


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    key: str
    message: str
    hint: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        """Messages quote what was written, and that may be a phone number or an address (a bad
        `status:` value, a misspelt key, a mailto: URL). Build logs of a public repository are
        public, so every value passes through the one masking function here. Hints are written
        by the hub itself (examples such as info@example.org) and are left as they are."""
        object.__setattr__(self, "message", redact(self.message))
        object.__setattr__(self, "key", redact(self.key))

    def format(self) -> str:
        """One line per problem, even when a quoted value spans lines; line 0: not in a file (a variable)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.key}: {self.message}"
        text = f"{text} → {self.hint}" if self.hint else text
        return " ".join(text.split("\n"))


class ContentError(Exception):
    """Raised when content has problems; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [p.format() for p in self.problems]
        lines.append(f"{len(self.problems)} 件の問題があります（{len(self.problems)} problem(s)）。")
        return "\n".join(lines)


def display_path(path: Path, root: Path) -> str:
    """Paths are shown relative to the project, as editors see them in GitHub. A path under the root
    as written is cut as text: pathlib's `relative_to` was a tenth of a warm `hub check`."""
    text, prefix = str(path), str(root).rstrip(os.sep) + os.sep
    if text.startswith(prefix) and path.is_absolute() == root.is_absolute():
        return text[len(prefix):].replace(os.sep, "/")
    if path.is_absolute() == root.is_absolute() and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
