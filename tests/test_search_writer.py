"""The build's search index, made by a forked child fed by a sending thread, is the same as
the one made in line where there is no fork; a cancelled or unused index leaves nothing running;
the pages' texts kept for the next build give it the same index, and are never trusted stale."""

from __future__ import annotations

import hashlib
import multiprocessing
import pickle
from pathlib import Path

import pytest

from hub.reading import result_cache
from hub.search import index as search
from hub.search import kept_text
from hub.search.index import SearchOptions
from hub.search.writer import PreviewIndex, StreamedIndex

CONTAINER = "md-content__inner"


def _page(number: int) -> tuple[str, str, str]:
    text = f"<p>{number} 番目のページ。認知症カフェと地域の居場所づくり。</p>" * (40 + number % 7)
    return (f"cases/page-{number}/", f"事例 {number}",
            f'<header>ヘッダー</header><div class="{CONTAINER}"><h1>事例 {number}</h1>{text}</div>')


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _streamed(site_dir: Path, pages: list[tuple[str, str, str]], root: Path | None = None) -> float:
    index = StreamedIndex(SearchOptions(), CONTAINER, root)
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


def _in_line(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The index made in this process, and the content areas whose text is read (not taken as kept)."""
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    read: list[str] = []
    visible_text = search.visible_text
    monkeypatch.setattr(search, "visible_text", lambda region, container: read.append(region) or visible_text(region, container))
    return read


def _kept_files(root: Path) -> list[Path]:
    return sorted((root / kept_text.CACHE_DIR).glob("*.pickle"))


def test_the_next_build_reads_no_page_again_and_writes_the_same_index(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [_page(number) for number in range(300)]
    _streamed(tmp_path / "first", pages, root=tmp_path)
    [kept] = _kept_files(tmp_path)
    written = kept.stat().st_mtime_ns
    # The child is forked after this: a page it read again would fail it, and the build with it.
    monkeypatch.setattr(search, "visible_text", lambda *args: pytest.fail("a kept page was read again"))
    _streamed(tmp_path / "next", pages, root=tmp_path)
    monkeypatch.undo()
    _streamed(tmp_path / "nothing kept", pages)
    assert _files(tmp_path / "next") == _files(tmp_path / "first") == _files(tmp_path / "nothing kept")
    assert kept.stat().st_mtime_ns == written  # the same texts: not written again


def test_only_a_changed_page_is_read_again_and_only_the_last_builds_pages_are_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [_page(number) for number in range(60)]
    _streamed(tmp_path / "first", pages, root=tmp_path)
    read = _in_line(monkeypatch)
    edited = (pages[5][0], pages[5][1], pages[5][2].replace("居場所", "居場所と見守り", 1))
    changed = [*pages[:5], edited, *pages[6:40]]
    _streamed(tmp_path / "next", changed, root=tmp_path)
    assert read == [search.content_region(edited[2], CONTAINER)]
    read.clear()
    _streamed(tmp_path / "nothing kept", changed)
    assert len(read) == 40
    assert _files(tmp_path / "next") == _files(tmp_path / "nothing kept")
    [kept] = _kept_files(tmp_path)
    places, texts = result_cache.load_kept(kept.parent, kept.stem)["texts"]
    assert len(places) == 40 and len(texts) == sum(end - start for start, end in places.values())


@pytest.mark.parametrize("change", ["code", "container"])
def test_kept_texts_are_never_trusted_by_another_version_or_content_class(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    pages = [_page(number) for number in range(30)]
    _streamed(tmp_path / "first", pages, root=tmp_path)
    read = _in_line(monkeypatch)
    if change == "code":
        monkeypatch.setattr(kept_text, "code_version", lambda: "another version of the hub or a library")
        _streamed(tmp_path / "next", pages, root=tmp_path)
    else:
        index = StreamedIndex(SearchOptions(), "md-typeset", tmp_path)
        index.start(tmp_path / "next")
        for page in pages:
            index.add(*page)
        index.finish()
    assert len(read) == 30
    assert len(_kept_files(tmp_path)) == 1  # the other version's file goes


def _digest(page: tuple[str, str, str]) -> bytes:
    region = search.content_region(page[2], CONTAINER) or ""
    return hashlib.blake2b(region.encode("utf-8"), digest_size=20).digest()


@pytest.mark.parametrize("stored", ["empty", "truncated", "numbers", "outside the block", "not UTF-8"])
def test_a_kept_file_that_is_not_texts_under_digests_counts_as_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stored: str) -> None:
    pages = [_page(number) for number in range(10)]
    _streamed(tmp_path / "first", pages, root=tmp_path)
    [kept] = _kept_files(tmp_path)
    header = result_cache._header(kept.stem)
    every = {_digest(page): (0, 2) for page in pages}
    kept.write_bytes(header + {
        "empty": b"", "truncated": header + pickle.dumps({"texts": (every, b"ab")})[:-9],
        "numbers": pickle.dumps({"texts": ({key: 1 for key in every}, b"ab")}),
        "outside the block": pickle.dumps({"texts": ({key: (0, 3) for key in every}, b"ab")}),
        "not UTF-8": pickle.dumps({"texts": (every, b"\xff\xfe")}),
    }[stored])
    read = _in_line(monkeypatch)
    _streamed(tmp_path / "next", pages, root=tmp_path)
    assert len(read) == 10
    assert _files(tmp_path / "next") == _files(tmp_path / "first")


def test_hostile_areas_are_kept_and_given_back_as_they_were_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lone surrogates, NUL, markup-looking text and a very long area: each is its own digest."""
    bodies = ["\ud800 と \udfff", "\x00<script>alert(1)</script>", "&lt;img src=x onerror=alert(1)&gt;",
              "長い本文。" * 20_000, "", "\u3000\u200b\ufeff"]
    pages = [(f"hostile/{number}/", f"題 {number}", f'<div class="{CONTAINER}"><p>{body}</p></div>')
             for number, body in enumerate(bodies)]
    kept = kept_text.KeptText(tmp_path, CONTAINER)
    first = [kept.visible_text(search.content_region(html, CONTAINER) or "") for _, _, html in pages]
    kept.save()
    again = kept_text.KeptText(tmp_path, CONTAINER)
    again.load()
    read = _in_line(monkeypatch)
    assert [again.visible_text(search.content_region(html, CONTAINER) or "") for _, _, html in pages] == first
    assert read == []
    monkeypatch.undo()
    assert first == [search.visible_text(html, CONTAINER) for _, _, html in pages]
    assert "<img src=x onerror=alert(1)>" in first[2] and len(first[3]) == 100_000
