"""The build's search index, made by a forked child fed by a sending thread, is the same as
the one made in line where there is no fork; a cancelled or unused index leaves nothing running."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from hub.search.index import SearchOptions
from hub.search.writer import PreviewIndex, StreamedIndex

CONTAINER = "md-content__inner"


def _page(number: int) -> tuple[str, str, str]:
    text = f"<p>{number} 番目のページ。認知症カフェと地域の居場所づくり。</p>" * (40 + number % 7)
    return (f"cases/page-{number}/", f"事例 {number}",
            f'<header>ヘッダー</header><div class="{CONTAINER}"><h1>事例 {number}</h1>{text}</div>')


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _streamed(site_dir: Path, pages: list[tuple[str, str, str]]) -> float:
    index = StreamedIndex(SearchOptions(), CONTAINER)
    index.start(site_dir)
    for page in pages:
        index.add(*page)
    return index.finish()


def test_streamed_index_is_the_index_made_in_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [_page(number) for number in range(300)]  # more than the pipe holds at once
    _streamed(tmp_path / "forked", pages)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    _streamed(tmp_path / "in-line", pages)
    forked, in_line = _files(tmp_path / "forked"), _files(tmp_path / "in-line")
    assert len(forked) > 300 and "search/manifest.json" in forked
    assert forked == in_line


def test_cancelled_index_stops_its_child_and_its_thread(tmp_path: Path) -> None:
    index = StreamedIndex(SearchOptions(), CONTAINER)
    index.start(tmp_path)
    for number in range(50):
        index.add(*_page(number))
    process, thread = index.job.process, index.sending
    index.cancel()
    assert process is not None and not process.is_alive()
    assert thread is not None and not thread.is_alive()
    assert not (tmp_path / "search" / "manifest.json").exists()


def test_index_never_started_ends_its_child(tmp_path: Path) -> None:
    """A build whose content has errors stops before rendering: the child was forked already."""
    index = StreamedIndex(SearchOptions(), CONTAINER)
    process = index.job.process
    index.cancel()
    assert process is not None and not process.is_alive()


def test_a_preview_rebuild_replaces_a_busy_index_writer_and_the_last_index_is_whole(tmp_path: Path) -> None:
    """The editor's next save does not wait for search to catch up with the previous one."""
    pages = [_page(number) for number in range(300)]
    preview = PreviewIndex(SearchOptions(), CONTAINER)
    for page in pages:
        preview.add(*page)
    preview.write(tmp_path / "preview", {url for url, _, _ in pages})
    first = preview.job
    edited = (pages[0][0], pages[0][1], pages[0][2].replace("認知症", "編集した認知症", 1))
    preview.add(*edited)
    preview.write(tmp_path / "preview", {url for url, _, _ in pages})
    assert first is not None and first.process is not None and not first.process.is_alive()
    preview.wait()
    _streamed(tmp_path / "build", sorted([edited, *pages[1:]]))  # a preview's index is in URL order
    assert _files(tmp_path / "preview") == _files(tmp_path / "build")
