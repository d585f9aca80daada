"""What the site publishes, as data: pages (where, which template, showing what) and files.

A front end (the MkDocs adapter today) turns each PageSpec into a page, writes each
FileSpec as it is, and gives each PageData to the hand-written page it names; the engine
never writes HTML itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Union

# Makes a file's bytes when called, possibly on another core; None when it cannot be made here.
Render = Callable[[], "bytes | None"]


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    description: str = ""
    # False keeps the page out of the site search (a newsletter issue repeats entries that have pages).
    searchable: bool = True

    @property
    def url(self) -> str:
        stem = self.src_uri.removesuffix(".md")
        return "" if stem == "index" else stem.removesuffix("index").rstrip("/") + "/"


@dataclass(frozen=True)
class FileSpec:
    """A file that is not a page (a calendar, a feed, an e-mail), written at `src_uri`.

    Cheap files give their `content`. Others give `render`, called only when a front end
    writes the file: a build calls it on another core while pages render, a preview only
    when `inputs` (the data its bytes depend on; without them, always) differ from the last
    preview's, and `hub check` never. A `build_only` file (the guidebook PDF) is left out
    of previews altogether; a `keep` file is kept between builds and reused while its inputs
    stay the same (see hub.build.kept_files). `render` may return None when the file cannot be made here.
    """

    src_uri: str
    content: bytes | None = None
    render: Render | None = None
    inputs: Any = None
    build_only: bool = False
    keep: bool = False

    def data(self) -> bytes | None:
        return self.content if self.render is None else self.render()


@dataclass(frozen=True)
class PageData:
    """What the engine adds to a page written by hand in docs/ (`src_uri`, inside docs/).

    The page's Markdown is its editors' text; the template its front matter names shows
    this data with it (the home page's introduction, then the next events and the newest
    cases). A front end gives `data` to that template as it gives a PageSpec's.
    """

    src_uri: str
    data: dict[str, Any] = field(default_factory=dict)


Output = Union[PageSpec, FileSpec, PageData]
