"""A failed build leaves the last good site/ exactly as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock
from sitebuild import MKDOCS, PROJECT, SAMPLE_EPOCH, build, content_digest, copy_project, tree_digest

from hub.build.atomic import AtomicSiteDir
from hub.build.discard import discard


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built once for the module."""
    project = copy_project(tmp_path_factory.mktemp("pristine") / "project")
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture()
def built(pristine: Path, tmp_path: Path) -> Path:
    """A project of its own with a good site/ (and the lock file) beside it, as a finished build leaves it."""
    return Path(shutil.copytree(pristine, tmp_path / "project", symlinks=True))


def _leftover_folders(project: Path) -> list[str]:
    """Staging, retired or discarded folders beside site/ (the lock file .site.lock stays, as lock
    files do), once the background deletion of a replaced site/ has had time to end."""
    _wait_until(lambda: not list(project.glob(".site.discarded-*")), seconds=60)
    return [path.name for path in project.glob(".site.*") if path.is_dir()]


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
    assert not _leftover_folders(built), "the staging folder is cleaned up"


def test_strict_warning_fails_the_build_and_keeps_site(built: Path) -> None:
    before = tree_digest(built / "site")
    about = built / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[壊れたリンク](missing-page.md)\n", encoding="utf-8")
    result = build(built)
    assert result.returncode != 0
    assert "missing-page.md" in result.stderr
    assert tree_digest(built / "site") == before
    assert not _leftover_folders(built)


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
    assert not _leftover_folders(built), "the replaced site/ is deleted after the build"


def test_the_replaced_site_is_deleted_after_the_build_without_holding_it_up(built: Path) -> None:
    """The build ends once its site/ is in place; a detached process deletes the old one, and
    holds neither the lock (the next build need not wait) nor the build's output pipes (a
    caller reading them to the end, as subprocess.run does, is not kept waiting)."""
    old = built / "site"
    marker = old / "old-build.txt"
    marker.write_text("old", encoding="utf-8")
    old_inode = old.stat().st_ino
    result = build(built)
    assert result.returncode == 0, result.stderr
    assert not (built / "site" / "old-build.txt").exists() and (built / "site").stat().st_ino != old_inode
    lock = FileLock(built / ".site.lock")
    lock.acquire(timeout=0)  # raises Timeout if the deleter had inherited the build's lock
    lock.release()
    assert not _leftover_folders(built)


def test_discard_renames_at_once_and_deletes_in_the_background(tmp_path: Path) -> None:
    folder, garbage = tmp_path / "old", tmp_path / ".old.discarded-1"
    for number in range(50):
        (folder / str(number)).mkdir(parents=True)
        (folder / str(number) / "index.html").write_text("x", encoding="utf-8")
    discard(folder, garbage)
    assert not folder.exists()
    _wait_until(lambda: not garbage.exists(), seconds=60)
    assert not garbage.exists()


PAUSE_HOOK = '''\
"""Test-only hook: after some pages are written, say where, then wait to be interrupted
(in the build's own process: the workers that render pages run this hook too)."""
import multiprocessing
import os
import time
from pathlib import Path

_written = []


def on_post_page(output, page, config):
    _written.append(page.file.src_uri)
    if len(_written) == 30 and multiprocessing.parent_process() is None:
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


def test_interrupted_builds_keep_site_and_the_next_build_clears_what_they_left(built: Path, tmp_path: Path) -> None:
    """Ctrl-C, then a kill, each half way through writing pages; one good build after both."""
    _pause_mid_build(built)
    left = [_interrupt_mid_build(built, tmp_path / name, interruption)
            for name, interruption in (("ctrl-c", signal.SIGINT), ("killed", signal.SIGKILL))]
    _restore_hooks(built)
    result = build(built)
    assert result.returncode == 0, result.stderr
    assert not [staging for staging in left if staging.exists()], "the next build clears what the interrupted ones left"


def _interrupt_mid_build(built: Path, paused: Path, interruption: signal.Signals) -> Path:
    """The staging folder an interrupted build left; `site/` must be as it was."""
    before = tree_digest(built / "site")
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
    assert process.returncode != 0, interruption.name
    assert tree_digest(built / "site") == before, f"{interruption.name}: site/ is byte-for-byte the last good build"
    return staging


def _interruptible() -> None:
    """Ctrl-C as in a terminal: a test run started in the background of a script inherits
    SIGINT ignored, and Python then never turns it into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _restore_hooks(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/pause_build.py\n", ""), encoding="utf-8")


GATE_HOOK = '''\
"""Test-only hook: after some pages are written, say so, then wait for the go-ahead."""
import os
import time
from pathlib import Path

_written = []


def on_post_page(output, page, config):
    _written.append(page.file.src_uri)
    if len(_written) == 30 and os.environ.get("HUB_TEST_PAUSED"):
        Path(os.environ["HUB_TEST_PAUSED"]).write_text(config.site_dir, encoding="utf-8")
        go = Path(os.environ["HUB_TEST_GO"])
        deadline = time.monotonic() + 120
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return output
'''

WAITING = "waiting for another build in this folder"


def _gate_mid_build(project: Path) -> None:
    (project / "hooks" / "gate_build.py").write_text(GATE_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - hooks/engine.py\n", "  - hooks/engine.py\n  - hooks/gate_build.py\n"),
                      encoding="utf-8")


def _start_build(project: Path, stderr: Path, **env: str) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": SAMPLE_EPOCH, "NO_MKDOCS_2_WARNING": "1", **env}
    with stderr.open("wb") as sink:
        return subprocess.Popen([str(MKDOCS), "build", "--strict"], cwd=project, env=environment,
                                stdout=subprocess.DEVNULL, stderr=sink)


def _wait_until(done: Callable[[], bool], seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_two_builds_in_one_folder_take_turns_and_leave_a_whole_site(built: Path, tmp_path: Path) -> None:
    """The second build starts while the first is half-way through writing: it waits, says so, then builds."""
    whole = content_digest(built / "site")
    _gate_mid_build(built)
    paused, go = tmp_path / "paused", tmp_path / "go"
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = _start_build(built, first_log, HUB_TEST_PAUSED=str(paused), HUB_TEST_GO=str(go))
    second: subprocess.Popen[bytes] | None = None
    try:
        _wait_until(lambda: paused.exists() or first.poll() is not None)
        assert paused.exists(), f"the first build ended before the pause: {first_log.read_text(encoding='utf-8')}"
        second = _start_build(built, second_log)
        _wait_until(lambda: WAITING in second_log.read_text(encoding="utf-8") or second.poll() is not None)
        go.touch()
        assert first.wait(timeout=300) == 0, first_log.read_text(encoding="utf-8")
        assert second.wait(timeout=300) == 0, second_log.read_text(encoding="utf-8")
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
    after = content_digest(built / "site")
    assert (len(after), after) == (len(whole), whole), "site/ is one whole build, not a mix of two"
    messages = second_log.read_text(encoding="utf-8")
    assert WAITING in messages and "別のビルドが実行中" in messages, messages
    assert not _leftover_folders(built), "no staging or retired folder is left"


LOCK_HOLDER = '''\
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
time.sleep(120)
'''


def test_a_build_that_waits_too_long_gives_up_with_a_message_and_keeps_site(built: Path) -> None:
    before = tree_digest(built / "site")
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(built / ".site.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        env = {**os.environ, "SOURCE_DATE_EPOCH": SAMPLE_EPOCH, "NO_MKDOCS_2_WARNING": "1", "HUB_BUILD_WAIT": "1"}
        result = subprocess.run([str(MKDOCS), "build", "--strict"], cwd=built, env=env, capture_output=True,
                                text=True, timeout=300)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode != 0
    assert "別のビルドが 1 秒たっても終わらない" in result.stderr and "another build in this folder is still running" \
        in result.stderr, result.stderr
    assert tree_digest(built / "site") == before
    assert not _leftover_folders(built)


def test_the_lock_file_is_ignored_by_git_and_never_published(built: Path) -> None:
    lock = built / ".site.lock"
    assert lock.is_file(), "the lock file stays beside site/ (removing it could let two builds hold two locks)"
    assert not list((built / "site").rglob("*.lock"))
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "--quiet", ".site.lock"], cwd=PROJECT)
    assert ignored.returncode == 0, ".gitignore must cover the lock file beside site/"


def test_a_crash_between_the_two_renames_is_repaired_by_the_next_build(built: Path) -> None:
    """commit() renamed site/ away and died before the new one took its place."""
    before = content_digest(built / "site")
    retired = built / ".site.retired-4242"
    (built / "site").rename(retired)
    (built / ".site.building-4242").mkdir()  # the staging folder the crashed build never moved
    case = _first_case(built)
    case.write_text(case.read_text(encoding="utf-8").replace("\ntitle:", "\ntitle_typo:", 1), encoding="utf-8")
    result = build(built)
    assert result.returncode != 0, "a content error: the build fails, and still puts the last good site back"
    assert "restored the last good site/" in result.stderr
    assert content_digest(built / "site") == before
    assert not _leftover_folders(built)


def test_begin_puts_back_the_newest_retired_site_before_staging(tmp_path: Path) -> None:
    older, newer = tmp_path / ".site.retired-1", tmp_path / ".site.retired-2"
    for folder, text in ((older, "older"), (newer, "newer")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    os.utime(older, ns=(1, 1))
    messages: list[str] = []
    discarded = tmp_path / ".site.discarded-3"  # newest of all, but never put back: it is being deleted
    discarded.mkdir()
    (discarded / "index.html").write_text("discarded", encoding="utf-8")
    output = AtomicSiteDir(tmp_path / "site", notify=messages.append)
    staging = output.begin()
    try:
        assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "newer"
        _wait_until(lambda: not discarded.exists(), seconds=60)
        assert not discarded.exists(), "a discarded folder left by a deleter that was stopped is deleted"
        assert not older.exists() and not newer.exists() and staging.is_dir()
        assert messages and "site/" in messages[0]
    finally:
        output.abort()
        output.release()
