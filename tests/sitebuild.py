"""Building a copy of the project with the real `mkdocs` command, as users and CI do."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "content", "data", "docs", "hooks", "overrides")
MKDOCS = Path(sys.executable).with_name("mkdocs")
# 2021-02-01 09:00 JST: inside the sample content's season.
SAMPLE_EPOCH = "1612137600"
PRINT_SECTION = "\n    print:\n"


def copy_project(target: Path, paper_pdfs: bool = False) -> Path:
    """The sample project in `target`. The paper editions' PDFs take seconds to lay out in every build
    and only the builds that read them (the session's sample site and the byte-for-byte test) make
    them: others get `extra.hub.print.pdf: false` (their web editions are still built)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    if not paper_pdfs:
        config = target / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert PRINT_SECTION in text, "mkdocs.yml's extra.hub.print moved: update tests/sitebuild.py"
        config.write_text(text.replace(PRINT_SECTION, PRINT_SECTION + "      pdf: false\n", 1), encoding="utf-8")
    return target


def build(project: Path, *extra: str, epoch: str = SAMPLE_EPOCH) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(MKDOCS), "build", "--strict", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def tree_digest(site: Path) -> dict[str, str]:
    """Every file's path and content hash, plus its mtime: 'untouched' means both."""
    return {path.relative_to(site).as_posix(): f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{path.stat().st_mtime_ns}"
            for path in sorted(site.rglob("*")) if path.is_file()}


def content_digest(site: Path) -> dict[str, str]:
    return {name: value.split(":")[0] for name, value in tree_digest(site).items()}
