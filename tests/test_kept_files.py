"""The guidebook PDF is kept between builds and reused only while what it is made from is unchanged;
compiled templates are kept too, and an edited template is compiled again."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitebuild import build, copy_project, shared_sample

from hub.build.kept_files import CACHE_DIR, KeptFiles
from hub.build.mkdocs_adapter import TEMPLATE_CACHE_DIR

REUSED = "talents/guidebook.pdf reused from"


def _pdf_digest(site: Path) -> str:
    return hashlib.sha256((site / "talents" / "guidebook.pdf").read_bytes()).hexdigest()


def _kept_guidebooks(project: Path) -> list[Path]:
    return list((project / CACHE_DIR).glob("*talents__guidebook.pdf"))


def test_a_second_build_reuses_the_pdf_and_an_edited_talent_makes_it_again(tmp_path: Path) -> None:
    """The shared sample's build made the PDF on a fresh copy (it kept nothing before); a copy
    that starts from what it kept is the second build."""
    sample = shared_sample()
    made = _pdf_digest(sample / "site")
    assert len(_kept_guidebooks(sample)) == 1
    project = copy_project(tmp_path / "project")

    second = build(project)
    assert second.returncode == 0 and REUSED in second.stderr
    assert _pdf_digest(project / "site") == made

    kept_templates = list((project / TEMPLATE_CACHE_DIR).rglob("*.cache"))
    assert len(kept_templates) > 50, "compiled templates are kept between builds"

    talent = sorted((project / "content" / "talents").glob("*.md"))[0]
    talent.write_text(talent.read_text(encoding="utf-8").replace("title: ", "title: 改名 ", 1), encoding="utf-8")
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block extrahead %}", "{% block extrahead %}<!-- hub-test-edited -->", 1), encoding="utf-8")
    third = build(project)
    assert third.returncode == 0 and REUSED not in third.stderr
    assert _pdf_digest(project / "site") != made
    assert len(_kept_guidebooks(project)) == 1  # the older version is forgotten
    assert "<!-- hub-test-edited -->" in (project / "site" / "index.html").read_text(encoding="utf-8"), \
        "an edited template is compiled again, not taken from the kept ones"


def test_a_kept_file_is_stored_whole_and_found_by_its_digest(tmp_path: Path) -> None:
    kept = KeptFiles(tmp_path)
    assert not kept.copy("talents/guidebook.pdf", "abc", tmp_path / "site" / "g.pdf")
    assert kept.keeping("talents/guidebook.pdf", "abc", lambda: b"%PDF")() == b"%PDF"
    assert kept.copy("talents/guidebook.pdf", "abc", tmp_path / "site" / "g.pdf")
    assert (tmp_path / "site" / "g.pdf").read_bytes() == b"%PDF"
    assert not kept.copy("talents/guidebook.pdf", "def", tmp_path / "site" / "h.pdf")
    assert [path.name for path in (tmp_path / CACHE_DIR).iterdir()] == ["abc-talents__guidebook.pdf"]
