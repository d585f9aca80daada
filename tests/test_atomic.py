"""A failed build leaves the last good site/ exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from sitebuild import MKDOCS, SAMPLE_EPOCH, build, copy_project, tree_digest


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


PAUSE_HOOK = '''\
"""Test-only hook: after some pages are written, say where, then wait to be interrupted."""
import os
import time
from pathlib import Path

_written = []


def on_post_page(output, page, config):
    _written.append(page.file.src_uri)
    if len(_written) == 30:
        Path(os.environ["HUB_TEST_PAUSED"]).write_text(config.site_dir, encoding="utf-8")
        time.sleep(600)
    return output
'''


def _pause_mid_build(project: Path) -> None:
    (project / "hooks" / "pause_build.py").write_text(PAUSE_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - hooks/engine.py\n" in text
    config.write_text(text.replace("  - hooks/engine.py\n", "  - hooks/engine.py\n  - hooks/pause_build.py\n"),
                      encoding="utf-8")


@pytest.mark.parametrize("interruption", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_interrupted_build_keeps_site(built: Path, tmp_path: Path, interruption: signal.Signals) -> None:
    before = tree_digest(built / "site")
    _pause_mid_build(built)
    paused = tmp_path / "paused"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SAMPLE_EPOCH, "NO_MKDOCS_2_WARNING": "1", "HUB_TEST_PAUSED": str(paused)}
    process = subprocess.Popen([str(MKDOCS), "build", "--strict"], cwd=built, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_interruptible)
    try:
        while not paused.exists() and process.poll() is None:  # wait for the hook, not for a time
            time.sleep(0.05)
        assert paused.exists(), f"the build ended before the pause: {process.communicate()[1]}"
        staging = Path(paused.read_text(encoding="utf-8"))
        assert staging.parent == built and staging.name.startswith(".site.building-")
        assert list(staging.rglob("index.html")), "the build was interrupted half-way through writing pages"
        process.send_signal(interruption)
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert tree_digest(built / "site") == before, "site/ is byte-for-byte the last good build"
    _restore_hooks(built)
    result = build(built)
    assert result.returncode == 0, result.stderr
    assert not staging.exists(), "the next build clears what the interrupted one left"


def _interruptible() -> None:
    """Ctrl-C as in a terminal: a test run started in the background of a script inherits
    SIGINT ignored, and Python then never turns it into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _restore_hooks(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/pause_build.py\n", ""), encoding="utf-8")
