"""What a reader sees of each page's content area, kept between builds by the area's bytes.

Reading the visible text out of a page (parsing its content area, dropping navigation, forms,
hidden elements and permalinks) is half of what the search index costs a build. A build after
another one finds nearly every page's content area byte for byte as it was, so the text read
from each area is kept in `.cache/hub/search/`, under the digest of the area, in one file per
version of the hub's code (and of every installed library) and content class: the files of
hub.reading.result_cache. A changed area has a new digest and is read again; the file holds only
the areas of the last build; a file that cannot be read, or that holds anything but texts under
digests, counts as none. Deleting the folder only makes the next build read every page again.

The texts are kept as one block of UTF-8 and the places of each text in it: the indexing child
holds them while pages arrive and lets go of them before it makes the postings, its largest
moment. One block is one mapping of memory, which goes back to the system whole; thousands of
strings would leave the child's heap as large as they made it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from hub import CACHE_ROOT
from hub.reading.result_cache import code_version, digest, load_kept, save_kept
from hub.search import index as search

CACHE_DIR = CACHE_ROOT / "search"
Places = dict[bytes, tuple[int, int]]  # an area's digest → where its text starts and ends in the block


class KeptText:
    """`visible_text` of content areas, with the texts of the last build's areas at hand."""

    def __init__(self, root: Path | None, container_class: str) -> None:
        """`root`: the project folder; None keeps nothing between builds (nor reads anything kept)."""
        self.folder = None if root is None else root / CACHE_DIR
        self.container_class = container_class
        self.context = digest(code_version(), container_class)
        self.kept, self.kept_places = b"", Places()  # the last build's texts
        self.read, self.read_places = bytearray(), Places()  # this build's texts not kept
        self.used: dict[bytes, None] = {}  # this build's areas, in order

    def load(self) -> None:
        """Before the first page (the indexing child has nothing else to do then)."""
        if self.folder is None:
            return
        stored = load_kept(self.folder, self.context).get("texts")
        if isinstance(stored, tuple) and len(stored) == 2 and _well_placed(*stored):
            self.kept_places, self.kept = stored

    def visible_text(self, region: str) -> str:
        """`region`: a content area, as `search.content_region` cuts it out of a page."""
        key = hashlib.blake2b(region.encode("utf-8", "surrogatepass"), digest_size=20).digest()
        self.used[key] = None
        place = self.kept_places.get(key)
        if place is not None:
            try:
                return str(memoryview(self.kept)[place[0]:place[1]], "utf-8", "surrogatepass")
            except UnicodeDecodeError:  # not written by a build: read the area again, and keep that
                del self.kept_places[key]
        text = search.visible_text(region, self.container_class)
        if key not in self.read_places:
            start = len(self.read)
            self.read += text.encode("utf-8", "surrogatepass")
            self.read_places[key] = (start, len(self.read))
        return text

    def save(self) -> None:
        """Keeps this build's texts unless they are those already kept, then lets go of both."""
        if self.folder is not None and (self.read_places or self.used.keys() != self.kept_places.keys()):
            save_kept(self.folder, self.context, {"texts": self._joined()})
        self.kept, self.kept_places, self.read, self.read_places, self.used = b"", {}, bytearray(), {}, {}

    def _joined(self) -> tuple[Places, bytes]:
        kept, read = memoryview(self.kept), memoryview(self.read)
        parts, places, length = [], Places(), 0
        for key in self.used:
            is_kept = key in self.kept_places
            block, (start, end) = (kept, self.kept_places[key]) if is_kept else (read, self.read_places[key])
            parts.append(block[start:end])
            places[key] = (length, length + end - start)
            length += end - start
        return places, b"".join(parts)


def _well_placed(places: object, texts: object) -> bool:
    """Digests placing texts inside the block: anything else was not written by a build."""
    return isinstance(places, dict) and isinstance(texts, bytes) and all(
        isinstance(key, bytes) and isinstance(place, tuple) and len(place) == 2
        and all(isinstance(end, int) for end in place) and 0 <= place[0] <= place[1] <= len(texts)
        for key, place in places.items())
