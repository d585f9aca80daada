"""Writing the search index on the other CPU core while MkDocs renders pages on one.

A build streams each rendered page to a child process, which keeps the text a reader sees,
counts its bigrams and writes the page's text blocks at once; when the last page has
arrived only the postings and the manifest are left, and the build waits only for that
tail. A preview renders few pages again; it keeps every page's text and the
block counts of earlier rebuilds, and writes the index in a child it does not wait for, so
the edited page shows at once and search catches up a moment later. Where `fork` does not
exist, both write the index in line.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Iterable
from multiprocessing.connection import Connection
from pathlib import Path

from hub.build.background import Background, start_forked, write_file
from hub.search import index as search
from hub.search.kept_text import KeptText

Page = tuple[str, str, str]  # url, title, rendered HTML (a build sends only its content area)


class StreamedIndex:
    """For builds: every page goes to the indexing child as soon as it is rendered.

    The child is forked when the index is made, before the content loads: it then shares few
    of the build's memory pages, and its own allocations do not land in (and copy) them.
    A thread sends the site folder, then the pages, so that rendering never waits on a full
    pipe: pages full of cards (the term pages) render quickly and take the child long, and
    the child catches up while the next entry pages render. The build forks nothing after
    the thread starts."""

    def __init__(self, options: search.SearchOptions, container_class: str, root: Path | None = None) -> None:
        """`root`: the project folder, whose .cache/ keeps the pages' texts between builds (see kept_text)."""
        self.options, self.container_class = options, container_class
        self.kept = KeptText(root, container_class)
        self.site_dir = Path()
        self.pages: list[Page] = []  # kept here only where there is no fork
        self.outbox: queue.SimpleQueue[Page | None] = queue.SimpleQueue()
        self.sender: Connection | None = None
        self.sending: threading.Thread | None = None
        self.job = Background(None, "the search index")
        if "fork" in multiprocessing.get_all_start_methods():
            receiver, self.sender = multiprocessing.get_context("fork").Pipe(duplex=False)
            _widen(self.sender)
            self.job = Background(start_forked(_index_stream, receiver, self.sender, options, self.kept,
                                               name="hub: search index"), "the search index")
            receiver.close()

    def start(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        if self.sender is not None:
            self.sender.send(site_dir)
            self.sending = threading.Thread(target=_send_all, args=(self.outbox, self.sender), daemon=True,
                                            name="hub: pages to the search index")
            self.sending.start()

    def add(self, url: str, title: str, html: str) -> None:
        """Only the content area travels: a quarter of a page's bytes, and all the child reads."""
        page = (url, title, search.content_region(html, self.container_class) or "")
        if self.sending is None:
            self.pages.append(page)
        else:
            self.outbox.put(page)

    def finish(self) -> float:
        """Seconds the build waited for the index."""
        if self.sending is None:
            self.kept.load()
            _index_pages(self.pages, self.site_dir, self.options, self.kept)
            return 0.0
        started = time.perf_counter()
        self._stop_sending()
        return time.perf_counter() - started + self.job.finish()

    def cancel(self) -> None:
        self.job.cancel()  # first: a send blocked on a full pipe then fails at once
        self._stop_sending()

    def _stop_sending(self) -> None:
        if self.sending is not None:
            self.outbox.put(None)
            self.sending.join()
            self.sending = None
        if self.sender is not None:
            self.sender.close()
            self.sender = None


def _send_all(outbox: queue.SimpleQueue[Page | None], sender: Connection) -> None:
    """In the build's sending thread: pages in batches of all that are waiting (the thread
    holds the interpreter lock only between the renderer's turns, so one send per page
    would fall behind), then None, which tells the child to write the rest."""
    try:
        while True:
            batch = [outbox.get()]
            while batch[-1] is not None:
                try:
                    batch.append(outbox.get_nowait())
                except queue.Empty:
                    break
            pages = [page for page in batch if page is not None]
            if pages:
                sender.send(pages)
            if batch[-1] is None:
                sender.send(None)
                return
    except OSError:  # the child is gone (the build was cancelled, or it failed and says so)
        pass


class PreviewIndex:
    """For `mkdocs serve --dirty`: one object for the whole session, fed only the pages rendered again."""

    def __init__(self, options: search.SearchOptions, container_class: str) -> None:
        self.options, self.container_class = options, container_class
        self.documents: dict[str, search.Document] = {}
        self.memo: search.BlockCounts = {}
        self.job: Background | None = None

    def add(self, url: str, title: str, html: str) -> None:
        self.documents[url] = search.Document(url, title, search.visible_text(html, self.container_class))

    def write(self, site_dir: Path, live_urls: set[str]) -> None:
        """Index the live pages (a deleted page's text goes). A writer still busy with the previous
        rebuild's index is stopped: this one writes every file of the index again, and the editor's
        save that started this rebuild does not wait for search to catch up with the one before."""
        self.documents = {url: document for url, document in self.documents.items() if url in live_urls}
        pages = sorted(self.documents.values(), key=lambda document: document.url)
        counted: search.BlockCounts = {}
        counts = [search.block_counts(page, self.options.fold_kana, self.memo, counted) for page in pages]
        self.memo = counted
        if self.job is not None:
            self.job.cancel()
            self.job = None
        self.job = Background(start_forked(_write_counted, pages, counts, site_dir, self.options,
                                           name="hub: search index"), "the search index")

    def wait(self) -> None:
        if self.job is not None:
            self.job.finish()
            self.job = None


def _write_counted(pages: list[search.Document], counts: list[list[search.Counts]], site_dir: Path,
                   options: search.SearchOptions) -> None:
    """In the preview's child: the editor's next save renders first, search catches up after."""
    if hasattr(os, "nice"):
        os.nice(10)
    index = search.IndexBuilder(options.fold_kana)
    for page, page_counts in zip(pages, counts):
        _write(index.add(page, page_counts), site_dir)
    _write(index.files(), site_dir)


def _write(files: dict[str, bytes], site_dir: Path) -> None:
    for path, data in files.items():  # in order: the manifest comes last
        write_file(site_dir / path, data)


def _index_stream(receiver: Connection, sender: Connection, options: search.SearchOptions, kept: KeptText) -> None:
    sender.close()  # the child's copy; the parent's stays open until the last page
    kept.load()
    try:
        site_dir = receiver.recv()
    except EOFError:  # the build stopped before rendering (its content had errors)
        return
    _index_pages((page for batch in iter(receiver.recv, None) for page in batch), site_dir, options, kept)


def _index_pages(pages: Iterable[Page], site_dir: Path, options: search.SearchOptions, kept: KeptText) -> None:
    """Each page is indexed, and its text blocks written, as it arrives (in the order MkDocs
    renders them), so that only the postings and the manifest are left after the last one.
    `pages` hold content areas (see StreamedIndex.add)."""
    index = search.IndexBuilder(options.fold_kana)
    for url, title, region in pages:
        _write(index.add(search.Document(url, title, kept.visible_text(region))), site_dir)
    kept.save()
    _write(index.files(), site_dir)


def _widen(pipe: Connection) -> None:
    """A pipe of 1 MiB where Linux allows it, so that rendering rarely waits for the indexer."""
    try:
        import fcntl  # POSIX, like fork

        fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass

