"""Files made on another CPU core while the front end renders the pages.

Calendars, feeds, mail files and the PDFs (the talent guidebook, the paper editions) are made
from data the engine already holds, and MkDocs renders pages on one core. A forked process inherits that data
as it is (no pickling), writes the files straight into the folder being built, and is
waited for before that folder is published. Where `fork` does not exist, they are made in line.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from hub.core.collector import collector_paused
from hub.core.outputs import Render

Item = TypeVar("Item")
Result = TypeVar("Result")


class Background:
    """A child process that a build waits for before it publishes the folder it writes into."""

    def __init__(self, process: multiprocessing.process.BaseProcess | None, what: str) -> None:
        self.process = process
        self.what = what

    def finish(self) -> float:
        """Seconds spent waiting; raises when the child failed (its traceback went to stderr)."""
        waited = time.perf_counter()
        if self.process is not None:
            self.process.join()
            if self.process.exitcode != 0:
                raise RuntimeError(f"{self.what} could not be made (exit code {self.process.exitcode}); "
                                   "see the error above")
        return time.perf_counter() - waited

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


class BackgroundFiles(Background):
    """Files (site-relative path, render) being made by child processes, each in order.

    The `costly` ones (PDFs, which take seconds each) are shared by two children, every other one
    beside the cheap files: once the pages are rendered, both cores lay out PDFs instead of one."""

    def __init__(self, jobs: Sequence[tuple[str, Render]], site_dir: Path,
                 costly: Sequence[tuple[str, Render]] = ()) -> None:
        first = [*jobs, *costly[1::2]]
        super().__init__(start_forked(write_files, first, site_dir, name="hub: files"), "files")
        second = costly[0::2]
        self.second = Background(start_forked(write_files, second, site_dir, name="hub: costly files"),
                                 "files") if second else None
        self.names = [name for name, _ in [*jobs, *costly]]

    def finish(self) -> float:
        waited = time.perf_counter()
        try:
            super().finish()
        finally:  # a failed first child still leaves no second one running
            if self.second is not None:
                self.second.finish()
        return time.perf_counter() - waited

    def cancel(self) -> None:
        super().cancel()
        if self.second is not None:
            self.second.cancel()


def map_on_two_cores(function: Callable[[Item], Result], items: Sequence[Item], minimum: int = 200) -> list[Result]:
    """`[function(item) for item in items]`, every other item computed by a forked child at the
    same time (alternate items, so that both halves hold as many costly items). Results come
    back pickled, so this pays only for enough items. Should the child fail, its items are
    computed here again, where the error then shows."""
    if len(items) < minimum or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    process = start_forked(_map_into, function, items[1::2], sender, name="hub: second half")
    sender.close()
    results = [function(item) for item in items[0::2]]
    try:
        with collector_paused():  # thousands of results, none of them garbage
            others = receiver.recv()
    except EOFError:
        others = [function(item) for item in items[1::2]]
    finally:
        receiver.close()
        if process is not None:
            process.join()
    merged: list[Result] = [None] * len(items)  # type: ignore[list-item]
    merged[0::2], merged[1::2] = results, others
    return merged


def _map_into(function: Callable[[Item], Result], items: Sequence[Item], sender: Connection) -> None:
    sender.send([function(item) for item in items])
    sender.close()


def start_forked(target: Callable[..., None], *args: Any, name: str) -> multiprocessing.process.BaseProcess | None:
    """A child process running `target(*args)`, or None after running it in line where `fork` does not exist."""
    if "fork" not in multiprocessing.get_all_start_methods():
        target(*args)
        return None
    process = multiprocessing.get_context("fork").Process(target=target, args=args, name=name, daemon=True)
    frozen = gc.get_freeze_count() > 0  # a preview keeps its objects frozen between rebuilds (IdleCollection)
    gc.freeze()  # the child's garbage collector then leaves the inherited objects (and their pages) alone
    try:
        process.start()
    finally:
        if not frozen:
            gc.unfreeze()
    return process


def write_files(jobs: Iterable[tuple[str, Render]], site_dir: Path) -> None:
    """In the child. Its files are needed only when the build ends, the search index's text
    as pages render: it yields the CPU to the indexer (and to the renderer) when they want it."""
    if hasattr(os, "nice"):
        os.nice(10)
    for name, render in jobs:
        try:
            data = render()
        except Exception as error:
            raise RuntimeError(f"{name} could not be made") from error
        if data is not None:
            write_file(site_dir / name, data)


def write_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
