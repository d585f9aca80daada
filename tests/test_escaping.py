"""Editors' text with markup characters is shown as text, never interpreted as HTML."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from sitebuild import build, copy_project

HOSTILE_TITLE = 'A&B <script>alert("x")</script> “引用” \'single\''


def test_markup_characters_in_front_matter_are_escaped_everywhere(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    case = sorted((project / "content" / "cases").glob("*.md"))[0]
    text = case.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    case.write_text(text.replace(title_line, "title: '" + HOSTILE_TITLE.replace("'", "''") + "'", 1), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for page in (site / "cases" / case.stem / "index.html", site / "cases" / "index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        assert not any("alert" in (script.string or "") for script in soup.find_all("script")), page
        assert HOSTILE_TITLE in soup.get_text(), page
    entry = BeautifulSoup((site / "cases" / case.stem / "index.html").read_text(encoding="utf-8"), "lxml")
    assert entry.h1.get_text() == HOSTILE_TITLE
