"""Each content file's checked result, kept between runs in `.cache/hub/check/`.

`hub check` on every pull request, and every build, read, validate and scan thousands of files
that have not changed since the last run. What one file's result (its entry and its problems)
depends on is its own bytes and its place, and a few things shared by all files: the
vocabularies, the settings the loader reads, the files under docs/ that fields point at, the
collections loaded, and the hub's code and libraries. The loader digests all of those into a
`context`; the cache keeps one file per context, holding each content file's result under its
key and the digest of its bytes. A change to any shared input is a new context, so no result
made under the old one is read again; a changed file misses by its digest. Checks across files
(duplicate slugs, group references, links between entries) are not kept: they run over the
results every time.

Deleting the folder is always safe. A file that cannot be read, or that holds anything but
the hub's own result types, is ignored and written again. Writes go to a temporary file that
is renamed into place, so concurrent runs each read a whole file, the last one written.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import hub
from hub.core.collector import collector_paused

CACHE_DIR = hub.CACHE_ROOT / "check"
_FORMAT = b"hub-check-cache 1"
# What a kept result may be made of besides the hub's own classes: nothing that runs code.
_SAFE_GLOBALS = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
                 ("datetime", "timezone"), ("zoneinfo", "ZoneInfo"),
                 ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"),
                 ("collections", "OrderedDict"), ("builtins", "set"), ("builtins", "frozenset"),
                 ("builtins", "tuple"), ("builtins", "list"), ("builtins", "dict"), ("builtins", "object")}

Store = dict[Hashable, tuple[bytes, Any]]  # key → (version: the digest of the file's bytes, result)


def digest(*parts: bytes | str) -> str:
    """One hex digest of several parts, each length-prefixed so that no two lists of parts collide."""
    hashed = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "little") + data)
    return hashed.hexdigest()


@functools.cache
def code_version() -> str:
    """The hub's code (every file of the package, templates included), the Python that runs it and
    every installed distribution's name and version (the names of their metadata folders):
    a result is never trusted by another version of anything that made it."""
    package = Path(hub.__file__).parent
    parts: list[bytes | str] = [sys.version, *_installed(sys.path)]
    for folder, folders, files in os.walk(package):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            path = Path(folder, name)
            parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


def _installed(folders: Iterable[str]) -> list[str]:
    return sorted(name for folder in folders if os.path.isdir(folder) for name in os.listdir(folder)
                  if name.endswith((".dist-info", ".egg-info")))


def tree_listing(folder: Path) -> str:
    """Every path under `folder` (files, folders, links and where links point), not their contents:
    what a check of whether a file exists there depends on."""
    lines = []
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name, kind in [*((name, "/") for name in folders), *((name, "") for name in sorted(files))]:
            path = os.path.join(parent, name)
            target = os.readlink(path) if os.path.islink(path) else ""
            lines.append(f"{os.path.relpath(path, folder)}{kind}\0{target}")
    return "\n".join(lines)


def file_digest(path: str | Path) -> bytes | None:
    """None when the file cannot be read: its result (a problem saying so) is never kept. Read unbuffered:
    each of thousands of files is read whole, once."""
    try:
        with open(path, "rb", buffering=0) as file:
            return hashlib.blake2b(file.read(), digest_size=20).digest()
    except OSError:
        return None


class ResultCache:
    """Results of a function of one file, by (context, key, version: the file's bytes), in this process
    (`mkdocs serve` loads everything again on every save) and in a folder between processes."""

    def __init__(self) -> None:
        self._kept: dict[Path, tuple[str, Store]] = {}  # per folder: the last context and its results

    def map(self, folder: Path, context: str, keys: Sequence[Hashable], version: Callable[[int], bytes | None],
            compute: Callable[[list[int]], list[Any]]) -> list[Any]:
        """The results for `keys`, in order. `version(index)` is what the result of that key depends on
        within the context (the digest of a file's bytes; None: keep no result); `compute(indexes)`, called
        once, gives the results of the keys whose version has none kept."""
        store = self._store(folder, context)
        versions = [version(index) for index in range(len(keys))]
        missing = [index for index, key in enumerate(keys)
                   if versions[index] is None or store.get(key, (None,))[0] != versions[index]]
        fresh = dict(zip(missing, compute(missing)))
        kept: Store = {}
        for index, key in enumerate(keys):
            if index not in fresh:
                kept[key] = store[key]
            elif versions[index] is not None and version(index) == versions[index]:  # not changed meanwhile
                kept[key] = (versions[index], fresh[index])
        self._kept[folder] = (context, kept)
        if missing or kept.keys() != store.keys():
            save_kept(folder, context, kept)
        return [fresh[index] if index in fresh else store[key][1] for index, key in enumerate(keys)]

    def _store(self, folder: Path, context: str) -> Store:
        held = self._kept.get(folder)
        return held[1] if held is not None and held[0] == context else load_kept(folder, context)


def _path(folder: Path, context: str) -> Path:
    return folder / f"{context}.pickle"


def _header(context: str) -> bytes:
    """Written before the results and compared before reading them: a file renamed by hand is not trusted."""
    return _FORMAT + b"\0" + context.encode("ascii") + b"\0"


def load_kept(folder: Path, context: str) -> dict[Any, Any]:
    """The kept results of this context; none when there are none or they cannot be read. Read from the
    file as it unpickles: the whole file in memory, and a copy of it past the header, were 40 MB more
    at N = 3,000, at the build's busiest moment."""
    header = _header(context)
    try:
        with open(_path(folder, context), "rb") as file, collector_paused():  # see hub.core.collector
            if file.read(len(header)) != header:
                return {}
            store = _Unpickler(file).load()
    except Exception:  # noqa: BLE001 - missing, truncated or foreign: as good as none
        return {}
    return store if isinstance(store, dict) else {}


def save_kept(folder: Path, context: str, store: Mapping[Any, Any]) -> None:
    """Replaces the file whole; other contexts' files go (they are never read again). A folder that
    cannot be written, or a result that cannot be pickled, only means that the next run starts cold."""
    header = _header(context)
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-")
        with os.fdopen(handle, "wb") as output:
            output.write(header)
            _Pickler(output, protocol=pickle.HIGHEST_PROTOCOL).dump(store)
        os.replace(temporary, _path(folder, context))
        temporary = None
        for older in folder.glob("*.pickle"):
            if older.stem != context:
                older.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - see above
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


class _Pickler(pickle.Pickler):
    """A time zone is kept by its name (pickle would call a method of its class to make it again)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, ZoneInfo):
            return ZoneInfo, (obj.key,)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    """Only the hub's own classes and plain values: a file in the project folder never runs code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        if module.startswith("hub."):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a kept result's type")
