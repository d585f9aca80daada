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


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


def build(project: Path, *extra: str, epoch: str = SAMPLE_EPOCH, jobs: int | None = None) -> subprocess.CompletedProcess[str]:
    """`jobs`: the processes rendering generated pages (HUB_JOBS); None leaves it to the build."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    if jobs is not None:
        env["HUB_JOBS"] = str(jobs)
    return subprocess.run([str(MKDOCS), "build", "--strict", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def tree_digest(site: Path) -> dict[str, str]:
    """Every file's path and content hash, plus its mtime: 'untouched' means both."""
    return {path.relative_to(site).as_posix(): f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{path.stat().st_mtime_ns}"
            for path in sorted(site.rglob("*")) if path.is_file()}


def content_digest(site: Path) -> dict[str, str]:
    return {name: value.split(":")[0] for name, value in tree_digest(site).items()}
