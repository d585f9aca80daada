"""A failed build leaves the last good site/ exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild import build, copy_project, tree_digest


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project


def _first_case(project: Path) -> Path:
    return sorted((project / "content" / "cases").glob("*.md"))[0]


def test_content_error_fails_the_build_and_keeps_site(built: Path) -> None:
    before = tree_digest(built / "site")
    case = _first_case(built)
    case.write_text(case.read_text(encoding="utf-8").replace("\nwards:", "\nwards: [nishiku]\nx_wards:", 1),
                    encoding="utf-8")
    result = build(built)
    assert result.returncode != 0
    assert f"content/cases/{case.name}:" in result.stderr
    assert "nishiku" in result.stderr and "もしかして nishi（西区）" in result.stderr
    assert tree_digest(built / "site") == before
    assert not list(built.glob(".site.*")), "the staging folder is cleaned up"


def test_strict_warning_fails_the_build_and_keeps_site(built: Path) -> None:
    before = tree_digest(built / "site")
    about = built / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[壊れたリンク](missing-page.md)\n", encoding="utf-8")
    result = build(built)
    assert result.returncode != 0
    assert "missing-page.md" in result.stderr
    assert tree_digest(built / "site") == before
    assert not list(built.glob(".site.*"))


def test_good_build_replaces_site_and_removes_stale_files(built: Path) -> None:
    stale = built / "site" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    leftover = built / ".site.building-99999"
    leftover.mkdir()
    result = build(built)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert not leftover.exists(), "leftovers of an interrupted build are cleared"
    assert (built / "site" / "index.html").is_file()
