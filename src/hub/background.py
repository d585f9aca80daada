"""Costly files made on another CPU core while the front end renders the pages.

Laying out the talent guidebook PDF takes longer than rendering hundreds of pages, and
MkDocs renders on one core. A forked process inherits the generated data as it is (no
pickling), writes its file straight into the folder being built, and is waited for
before that folder is published. Where `fork` does not exist, the file is made in line.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path

Render = Callable[[], "bytes | None"]


class BackgroundFile:
    """One file being made by a child process; `finish` waits for it, `cancel` stops it."""

    def __init__(self, name: str, render: Render, target: Path) -> None:
        self.name = name
        self.started = time.perf_counter()
        self.process: multiprocessing.process.BaseProcess | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            self.process = multiprocessing.get_context("fork").Process(
                target=write_file, args=(render, target), name=f"hub: {name}", daemon=True)
            self.process.start()
        else:
            write_file(render, target)

    def finish(self) -> float:
        """Seconds spent waiting; raises when the child failed (its traceback went to stderr)."""
        waited = time.perf_counter()
        if self.process is not None:
            self.process.join()
            if self.process.exitcode != 0:
                raise RuntimeError(f"{self.name} could not be made (exit code {self.process.exitcode})")
        return time.perf_counter() - waited

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def write_file(render: Render, target: Path) -> None:
    data = render()
    if data is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
