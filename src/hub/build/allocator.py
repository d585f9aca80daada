"""The C allocator's settings for a build, where the C library lets a program choose them.

A build's process has threads besides the one that renders: one sends the pages to the search
index, one per worker takes its results. glibc gives every thread that allocates its own arena
(up to eight per core), so each page's text, made in one thread and freed in another, leaves
its free space spread over several arenas that none of them reuses. A single arena, and strings
of 64 KiB or more mapped on their own (and returned whole when freed), took the build's peak
memory at N = 3,000 from 280-296 MB to 265-272 MB (three runs each, taking turns), with the same
build time. Other C libraries ignore the settings or lack the function; the build is the same
either way.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's malloc.h
OWN_MAPPING_BYTES = 64 * 1024


def tune_for_build() -> bool:
    """Before the build starts any thread or process (they inherit the settings). Whether the
    C library took both settings."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, 1)) and bool(mallopt(M_MMAP_THRESHOLD, OWN_MAPPING_BYTES))
