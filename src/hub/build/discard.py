"""Deleting a replaced site/ after the build has ended, in a process of its own.

A next build swaps its new site/ into place with two renames; what is left is the previous
site/, thousands of files whose deletion took a tenth of a build at N = 3,000 (unlinking is
slow on the disks builds run on, and the build could do nothing else meanwhile). The folder
is first renamed to a name that marks it as garbage (a retired folder may be put back after a
crash; a discarded one never is), then deleted by a detached process, so the build ends as
soon as its site/ is in place. The process shares nothing with the build: no open file, not
the lock beside site/, no output pipe that a caller might be reading to its end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def discard(folder: Path, garbage: Path) -> None:
    """Rename `folder` to `garbage` (a sibling), then delete it in the background; in line where
    no background process can be started."""
    os.replace(folder, garbage)
    delete_later([garbage])


def delete_later(folders: list[Path]) -> None:
    if not folders:
        return
    try:
        subprocess.Popen([sys.executable, "-m", __name__, *map(str, folders)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True,
                         start_new_session=True)
    except OSError:
        delete(folders)


def delete(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def main(arguments: list[str]) -> None:
    if hasattr(os, "nice"):
        os.nice(10)  # after the build: whatever runs next comes first
    delete([Path(argument) for argument in arguments])


if __name__ == "__main__":
    main(sys.argv[1:])
