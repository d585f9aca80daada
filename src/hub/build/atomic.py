"""Build into a staging folder and swap it into place only when the build succeeded.

A failed or interrupted build must leave the last good site/ exactly as it was, so
that a broken commit never takes the public site down or half-publishes it.

Only one build at a time may use a project folder: two builds clearing and swapping the
same folders would publish a mix of both. A lock file beside site/ (`.site.lock`, which
the operating system releases when its holder ends, however it ends) makes a second
build wait for the first, up to a bound, and then give up with a message. Leftovers of
interrupted builds are cleared only while holding the lock, when no other build can own
them. `mkdocs serve` writes to a temporary folder and `hub check` writes nothing but its
cache (whole files renamed into .cache/hub/check/), so neither takes the lock.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from filelock import FileLock, Timeout

from hub.build.discard import delete_later, discard

STAGING_MARK = ".building-"
RETIRED_MARK = ".retired-"
DISCARDED_MARK = ".discarded-"  # being deleted in the background (see discard.py); never put back
LOCK_SUFFIX = ".lock"
WAIT_ENV = "HUB_BUILD_WAIT"  # seconds a build waits for another one in the same folder
DEFAULT_WAIT = 600.0  # a full build of a large site takes a few minutes; a stuck one should not block for ever


class BuildLocked(RuntimeError):
    """Another build held the project folder for longer than this build would wait."""


def wait_from_env(environ: Mapping[str, str] = os.environ) -> float:
    """`HUB_BUILD_WAIT=0` gives up at once (a script that must not queue); unset, ten minutes."""
    value = environ.get(WAIT_ENV, "").strip()
    if not value:
        return DEFAULT_WAIT
    try:
        seconds = float(value)
    except ValueError:
        raise BuildLocked(f"{WAIT_ENV} は秒数で書いてください（{WAIT_ENV} must be a number of seconds）: {value!r}") from None
    if not seconds >= 0:
        raise BuildLocked(f"{WAIT_ENV} は 0 以上の秒数で書いてください（{WAIT_ENV} must not be negative）: {value!r}")
    return seconds


class AtomicSiteDir:
    """site/ is replaced whole or not at all, by one build at a time."""

    def __init__(self, final: Path, wait: float = DEFAULT_WAIT,
                 notify: Callable[[str], None] = lambda message: None):
        self.final = final.resolve()
        self.staging = self._sibling(f"{STAGING_MARK}{os.getpid()}")
        self.lock_file = self._sibling(LOCK_SUFFIX)
        self.wait = wait
        self.notify = notify
        self._lock = FileLock(self.lock_file, thread_local=False)

    def _sibling(self, suffix: str) -> Path:
        return self.final.parent / f".{self.final.name}{suffix}"

    def begin(self) -> Path:
        """Take the lock, put back a site/ lost to a crash, clear leftovers; return an empty staging folder."""
        self._acquire()
        try:
            self._recover()
            self.staging.mkdir(parents=True)
        except BaseException:
            self.release()
            raise
        return self.staging

    def _acquire(self) -> None:
        try:
            self._lock.acquire(blocking=False)
            return
        except Timeout:
            pass
        self.notify(f"同じフォルダで別のビルドが実行中です。終わるのを最大 {_duration(self.wait)}待ちます"
                    f"（waiting for another build in this folder to finish: {self.lock_file.name}）")
        try:
            self._lock.acquire(timeout=self.wait)
        except Timeout:
            raise BuildLocked(
                f"別のビルドが {_duration(self.wait)}たっても終わらないため、このビルドを中止しました。"
                f"{self.final.name}/ は変えていません（another build in this folder is still running: gave up "
                f"after {self.wait:g} s; {self.final.name}/ is unchanged. Wait longer with {WAIT_ENV}=seconds）") from None

    def _recover(self) -> None:
        """A crash between commit()'s two renames leaves no site/ but the retired copy: put it back."""
        retired = sorted(self._leftovers(RETIRED_MARK), key=lambda path: path.stat().st_mtime_ns)
        if not self.final.exists() and retired:
            os.replace(retired.pop(), self.final)
            self.notify(f"前回のビルドが入れ替えの途中で止まっていたため、その前の {self.final.name}/ を戻しました"
                        f"（restored the last good {self.final.name}/ left by an interrupted build）")
        for leftover in [*retired, *self._leftovers(STAGING_MARK)]:
            shutil.rmtree(leftover, ignore_errors=True)
        delete_later(self._leftovers(DISCARDED_MARK))  # a deleter stopped half-way (a reboot) is finished

    def _leftovers(self, mark: str) -> list[Path]:
        return [path for path in self.final.parent.glob(f".{self.final.name}{mark}*") if path.is_dir()]

    def commit(self) -> None:
        """Two renames on one file system: site/ is missing only between them, never half-written.

        The retired copy is discarded only once the new site/ is in place, and deleted after the
        build (discard.py); the lock stays held (see release()), so no other build can see the
        folders between the renames.
        """
        retired = self._sibling(f"{RETIRED_MARK}{os.getpid()}")
        if not self.final.exists():
            os.replace(self.staging, self.final)
            return
        os.replace(self.final, retired)
        os.replace(self.staging, self.final)
        discard(retired, self._sibling(f"{DISCARDED_MARK}{os.getpid()}"))

    def abort(self) -> None:
        """Remove this build's own staging folder (named by its process id, so never another's)."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} 分" if seconds >= 60 else f"{seconds:g} 秒"
