"""Pausing Python's cycle collector while a step makes many objects and frees none of them.

The collector runs after every few hundred new containers and, now and then, walks every object
alive. Reading thousands of kept results (`hub.reading.result_cache`), or receiving them from
another process, makes about a million containers that all live on: the collector, walking them
again and again meanwhile, took three quarters of that time.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection meanwhile; the collector's state as it was, after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
