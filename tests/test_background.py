"""Work on the second core: results in order and errors that show, whatever process computed them."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from sitebuild import copy_project

from hub.build.background import BackgroundFiles, map_on_two_cores
from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.reading import loader


def _square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_map_on_two_cores_keeps_the_order_and_uses_a_second_process() -> None:
    results = map_on_two_cores(_square_with_pid, list(range(501)), minimum=10)
    assert [value for value, _ in results] == [number * number for number in range(501)]
    assert {pid for _, pid in results[1::2]} != {os.getpid()}  # alternate items came from the child
    assert {pid for _, pid in results[0::2]} == {os.getpid()}


def test_few_items_stay_in_this_process() -> None:
    assert {pid for _, pid in map_on_two_cores(_square_with_pid, [1, 2, 3])} == {os.getpid()}


def _fails_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven")
    return number


def test_an_error_in_the_child_is_raised_here_with_its_own_traceback() -> None:
    with pytest.raises(ValueError, match="seven"):
        map_on_two_cores(_fails_on_seven, list(range(20)), minimum=2)  # 7 is one of the child's items


def test_background_files_are_written_and_a_failing_one_names_itself(tmp_path: Path) -> None:
    job = BackgroundFiles([("a/one.txt", lambda: b"1"), ("skipped.txt", lambda: None)], tmp_path)
    job.finish()
    assert (tmp_path / "a" / "one.txt").read_bytes() == b"1" and not (tmp_path / "skipped.txt").exists()

    def broken() -> bytes:
        raise OSError("disk")

    with pytest.raises(RuntimeError, match="could not be made"):
        BackgroundFiles([("b.txt", broken)], tmp_path).finish()


def test_costly_files_are_shared_by_two_children_and_a_failure_still_waits_for_both(tmp_path: Path) -> None:
    def pid() -> bytes:
        return str(os.getpid()).encode()

    job = BackgroundFiles([("cheap.txt", pid)], tmp_path, [("one.pdf", pid), ("two.pdf", pid), ("three.pdf", pid)])
    job.finish()
    made = {name: (tmp_path / name).read_bytes() for name in ("cheap.txt", "one.pdf", "two.pdf", "three.pdf")}
    assert made["one.pdf"] == made["three.pdf"] != made["two.pdf"] == made["cheap.txt"] != str(os.getpid()).encode()

    def broken() -> bytes:
        raise OSError("disk")

    failing = BackgroundFiles([("b.txt", broken)], tmp_path, [("slow.pdf", lambda: time.sleep(0.5) or b"%PDF")])
    with pytest.raises(RuntimeError, match="could not be made"):
        failing.finish()
    assert failing.second is not None and not failing.second.process.is_alive()


def test_content_loaded_on_two_cores_is_the_content_loaded_on_one(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of files (some broken) give the same entries and the same problems, in the same order."""
    project_dir = copy_project(tmp_path / "project")
    cases = project_dir / "content" / "cases"
    template = (cases / "asahi-danchi-ibasho.md").read_text(encoding="utf-8")
    for number in range(300):
        text = template.replace("title:", "title: 複製" if number % 50 else "titel:", 1)
        (cases / f"copy-{number:03d}.md").write_text(text, encoding="utf-8")
    project = loader.Project.from_settings(Settings.find(project_dir))

    def load() -> str:
        loader._CACHE = loader.ResultCache()
        shutil.rmtree(project_dir / ".cache", ignore_errors=True)
        with pytest.raises(ContentError) as error:
            loader.load_content(project)
        return error.value.report()

    parallel = load()
    monkeypatch.setattr(loader, "map_on_two_cores", lambda function, items: [function(item) for item in items])
    assert parallel == load()
    assert parallel.count("copy-") >= 6  # the broken copies are reported, each with its file
