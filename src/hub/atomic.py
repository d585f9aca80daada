"""Build into a staging folder and swap it into place only when the build succeeded.

A failed or interrupted build must leave the last good site/ exactly as it was, so
that a broken commit never takes the public site down or half-publishes it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STAGING_MARK = ".building-"
RETIRED_MARK = ".retired-"


class AtomicSiteDir:
    def __init__(self, final: Path):
        self.final = final.resolve()
        self.staging = self.final.parent / f".{self.final.name}{STAGING_MARK}{os.getpid()}"

    def begin(self) -> Path:
        """Clear leftovers of interrupted builds and return an empty staging folder beside site/."""
        for leftover in self.final.parent.glob(f".{self.final.name}{STAGING_MARK}*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for leftover in self.final.parent.glob(f".{self.final.name}{RETIRED_MARK}*"):
            shutil.rmtree(leftover, ignore_errors=True)
        self.staging.mkdir(parents=True)
        return self.staging

    def commit(self) -> None:
        """Two renames on one file system: site/ is missing only between them, never half-written."""
        retired = self.final.parent / f".{self.final.name}{RETIRED_MARK}{os.getpid()}"
        if self.final.exists():
            os.replace(self.final, retired)
        os.replace(self.staging, self.final)
        shutil.rmtree(retired, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
