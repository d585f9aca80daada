"""Python's full garbage collections, moved out of a preview's rebuilds into the pauses between them.

A `mkdocs serve` process holds a whole site (entries, page specs, MkDocs' pages and
navigation), millions of objects. Each rebuild makes enough new ones that Python's
collector runs a full collection during it, walking every object the process holds:
about half a second at N = 1,000, on every save. After a build the objects still alive
are frozen (`gc.freeze`: automatic collections skip them), so collections during the
next rebuild walk only what it made; a full collection of everything runs once the
preview has been idle for a moment, and finds the cycles the last rebuild left
(MkDocs' pages and navigation refer to each other). A save during that collection waits
for it to end, which is never longer than the collection a rebuild would have run itself.
"""

from __future__ import annotations

import gc
import threading

IDLE_SECONDS = 1.0  # after a rebuild: the browser has reloaded the page by then


class IdleCollection:
    """`after_build` when a preview's build ends, `before_build` when the next one starts."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()  # held while a collection runs: a rebuild waits for its end
        self._timer: threading.Timer | None = None

    def after_build(self) -> None:
        with self._lock:
            self._cancel()
            gc.freeze()
            self._timer = threading.Timer(self.idle_seconds, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def before_build(self) -> None:
        with self._lock:
            self._cancel()

    def stop(self) -> None:
        """At the end of `mkdocs serve`: everything collectable again, as in any process."""
        with self._lock:
            self._cancel()
            gc.unfreeze()

    def _collect(self) -> None:
        with self._lock:
            if self._timer is None or self._timer is not threading.current_thread():
                return  # cancelled while it waited for the lock
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._timer = None

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
