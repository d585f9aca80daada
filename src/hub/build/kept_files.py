"""Costly generated files kept between builds, reused while what they are made from is unchanged.

Laying out the talent guidebook PDF takes longer than rendering thousands of pages, and
its talents rarely change between two builds. A build keeps such a file in
`.cache/hub/files/` (the folder Material's own plugins cache into) under the digest of its
inputs, and copies it from there while the digest is the same. The publish workflow
restores the folder between runs; without it, every build simply makes the file again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hub import CACHE_ROOT
from hub.core.outputs import Render

CACHE_DIR = CACHE_ROOT / "files"


class KeptFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / CACHE_DIR

    def copy(self, name: str, digest: str, target: Path) -> bool:
        """Put the kept file for `digest` at `target`; False when there is none."""
        kept = self._path(name, digest)
        if not kept.is_file():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept, target)
        return True

    def keeping(self, name: str, digest: str, render: Render) -> Render:
        """`render`, which also keeps what it made (and forgets older versions of the same file)."""
        def render_and_keep() -> bytes | None:
            data = render()
            if data is not None:
                self._store(name, digest, data)
            return data

        return render_and_keep

    def _store(self, name: str, digest: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for older in self.folder.glob(f"*-{_flat(name)}"):
            older.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".partial-")
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        os.replace(temporary, self._path(name, digest))  # never a half-written file under the final name

    def _path(self, name: str, digest: str) -> Path:
        return self.folder / f"{digest}-{_flat(name)}"


def _flat(name: str) -> str:
    return name.replace("/", "__")
