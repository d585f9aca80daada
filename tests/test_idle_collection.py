"""A preview's full garbage collections run between rebuilds, not during them."""

from __future__ import annotations

import gc
import time
import weakref

from hub.build.background import start_forked
from hub.build.idle_collection import IdleCollection


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_after_a_build_objects_are_frozen_and_cycles_collected_once_idle() -> None:
    collection = IdleCollection(idle_seconds=60)  # not idle long enough yet, however slow this machine
    gc.disable()  # so that only the collections under test run
    try:
        cycle = weakref.ref(_Cycle())  # garbage only a collection finds
        collection.after_build()
        assert gc.get_freeze_count() > 0  # automatic collections skip what the build left
        gc.collect()
        assert cycle() is not None  # frozen: not even a full collection walks it
        collection.idle_seconds = 0.05
        collection.after_build()  # the same build's end, with a short idle time: now it runs
        deadline = time.monotonic() + 10
        while collection._timer is not None:
            assert time.monotonic() < deadline, "the idle collection never ran"
            time.sleep(0.02)
        assert cycle() is None and gc.get_freeze_count() > 0  # collected, and the survivors frozen again
    finally:
        gc.enable()
        collection.stop()
    assert gc.get_freeze_count() == 0


def test_a_rebuild_that_starts_first_cancels_the_idle_collection() -> None:
    collection = IdleCollection(idle_seconds=60)
    try:
        collection.after_build()
        timer = collection._timer
        collection.before_build()
        assert timer is not None and timer.finished.is_set()
        assert collection._timer is None
    finally:
        collection.stop()
    assert gc.get_freeze_count() == 0


def test_forking_a_child_leaves_a_preview_s_frozen_objects_frozen() -> None:
    """A rebuild that forks (files made in the background) would otherwise thaw the whole heap,
    and its next automatic full collection would walk it all again."""
    gc.freeze()
    try:
        process = start_forked(_nothing, name="test: nothing")
        assert gc.get_freeze_count() > 0
        if process is not None:
            process.join(timeout=30)
    finally:
        gc.unfreeze()


def _nothing() -> None:
    pass
