"""The preview's problems page: under `mkdocs serve`, content with errors is shown, not hidden.

Staff edit in the browser's editing UI and look at the preview, not at a terminal. Left to
MkDocs, a rebuild that fails keeps serving the last good page (the edit seems to change
nothing), and a first build that fails stops the server. So under `mkdocs serve` the adapter
does not stop the build on content errors: it hands them to `ServeProblems`, and while any
are left every HTML page of the preview answers with one page that lists them (file and
line, key, message and hint), the way Hugo's and Vite's development servers show their
build errors. The page reloads itself every few seconds; the first build without errors
clears the list and the reload brings back the real page.

Messages are those of `Problem`, already masked of personal data; everything on the page is
text, escaped by the autoescaped template. The page carries the site's Content-Security-Policy
(no script at all, so it reloads with `<meta http-equiv="refresh">`), and its stylesheet is
served by the middleware itself, so `mkdocs build` writes nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from itertools import groupby
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from hub.core.problems import Problem
from hub.guard.csp import protect_page
from hub.output.templating import standalone_environment

TEMPLATE = "serve/problems.html"
STYLESHEET = "serve_problems.css"  # beside this module: a file in templates/ would be published by MkDocs
STYLESHEET_URL = "/_hub_preview/problems.css"  # a path no file of the site uses, whatever the mount path
REFRESH_SECONDS = 2


class ServeProblems:
    """The problems of the preview's last build, shared by the build (which sets them) and the
    server's request threads (which read them). Each change replaces the rendered page as one
    value, so a request sees either the old page or the new one, never half of each."""

    def __init__(self) -> None:
        self.page: bytes | None = None

    def remember(self, problems: Iterable[Problem]) -> None:
        self.page = problems_page(list(problems)).encode("utf-8")

    def clear(self) -> None:
        self.page = None

    def middleware(self, app: WSGIApplication, mount_path: str) -> WSGIApplication:
        """`app` (the preview server's own) with the problems page in front of its HTML pages
        (paths under `mount_path` that end in / or .html). Stylesheets, scripts, images, the
        search index and the live-reload polling pass through."""

        def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            # As MkDocs' server reads the path: WSGI hands it over as latin-1 text of the raw bytes.
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
            if path == STYLESHEET_URL:
                return _respond(start_response, "text/css; charset=utf-8", problems_stylesheet())
            page = self.page  # read once: a rebuild may replace it meanwhile
            if page is not None and path.startswith(mount_path) and path.endswith(("/", ".html")):
                # 200, not an error status: the server logs every other status as a warning, and the
                # page asks for itself again every few seconds.
                return _respond(start_response, "text/html; charset=utf-8", page)
            return app(environ, start_response)

        return serve


def problems_page(problems: list[Problem]) -> str:
    """The whole HTML document, problems grouped by file in the order `hub check` prints them."""
    groups = [(path, list(items)) for path, items in groupby(sorted(problems), key=lambda problem: problem.path)]
    html = standalone_environment().get_template(TEMPLATE).render(
        count=len(problems), groups=groups, stylesheet=STYLESHEET_URL, refresh=REFRESH_SECONDS)
    return protect_page(html)


def problems_stylesheet() -> bytes:
    return files("hub.build").joinpath(STYLESHEET).read_bytes()


def _respond(start_response: StartResponse, content_type: str, body: bytes) -> list[bytes]:
    start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body))),
                              ("Cache-Control", "no-store")])
    return [body]
