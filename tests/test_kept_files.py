"""The guidebook PDF is kept between builds and reused only while what it is made from is unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitebuild import build, copy_project

from hub.build.kept_files import CACHE_DIR, KeptFiles

REUSED = "talents/guidebook.pdf reused from"


def _pdf_digest(project: Path) -> str:
    return hashlib.sha256((project / "site" / "talents" / "guidebook.pdf").read_bytes()).hexdigest()


def test_a_second_build_reuses_the_pdf_and_an_edited_talent_makes_it_again(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    first = build(project)
    assert first.returncode == 0, first.stderr
    assert REUSED not in first.stderr
    made = _pdf_digest(project)
    assert len(list((project / CACHE_DIR).iterdir())) == 1

    second = build(project)
    assert second.returncode == 0 and REUSED in second.stderr
    assert _pdf_digest(project) == made

    talent = sorted((project / "content" / "talents").glob("*.md"))[0]
    talent.write_text(talent.read_text(encoding="utf-8").replace("title: ", "title: 改名 ", 1), encoding="utf-8")
    third = build(project)
    assert third.returncode == 0 and REUSED not in third.stderr
    assert _pdf_digest(project) != made
    assert len(list((project / CACHE_DIR).iterdir())) == 1  # the older version is forgotten


def test_a_kept_file_is_stored_whole_and_found_by_its_digest(tmp_path: Path) -> None:
    kept = KeptFiles(tmp_path)
    assert not kept.copy("talents/guidebook.pdf", "abc", tmp_path / "site" / "g.pdf")
    assert kept.keeping("talents/guidebook.pdf", "abc", lambda: b"%PDF")() == b"%PDF"
    assert kept.copy("talents/guidebook.pdf", "abc", tmp_path / "site" / "g.pdf")
    assert (tmp_path / "site" / "g.pdf").read_bytes() == b"%PDF"
    assert not kept.copy("talents/guidebook.pdf", "def", tmp_path / "site" / "h.pdf")
    assert [path.name for path in (tmp_path / CACHE_DIR).iterdir()] == ["abc-talents__guidebook.pdf"]
