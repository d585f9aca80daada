"""Building a copy of the project with the real `mkdocs` command, as users and CI do."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "content", "data", "docs", "hooks", "overrides")
MKDOCS = Path(sys.executable).with_name("mkdocs")
# 2021-02-01 09:00 JST: inside the sample content's season.
SAMPLE_EPOCH = "1612137600"


# What a build keeps for the next one (PDFs, charts), by the digest of their inputs.
KEPT = Path(".cache") / "hub"
# Set by the test run's controlling process to the sample it built, for every worker.
SHARED_SAMPLE = "HUB_TEST_SAMPLE"
_shared_sample: Path | None = None


def copy_project(target: Path, warm: bool = True) -> Path:
    """The project's sources in `target`. `warm` adds what the shared sample build kept, as on a
    machine that has built before: a copy's build then lays out only the PDFs and charts whose
    inputs it changed (a kept file is found by the digest of its inputs, so it cannot be stale).
    Tests of a first build on a fresh clone pass `warm=False`."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    if warm and (shared_sample() / KEPT).is_dir():
        shutil.copytree(shared_sample() / KEPT, target / KEPT)
    return target


def shared_sample() -> Path:
    """The sample project built once for the whole test run (by the controlling process under
    pytest-xdist, else once per process), with its `site/` and what it kept. Nothing may change it."""
    global _shared_sample
    if _shared_sample is None:
        named = os.environ.get(SHARED_SAMPLE)
        _shared_sample = Path(named) if named else build_sample()
    return _shared_sample


def build_sample() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="hub-sample-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    project = copy_project(folder / "sample", warm=False)
    result = build(project, jobs=2)  # generated pages shared with a worker: test_jobs compares with jobs=1
    (project / "build.log").write_text(result.stderr, encoding="utf-8")
    if result.returncode != 0:
        raise RuntimeError(f"the sample does not build:\n{result.stderr}")
    return project


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
