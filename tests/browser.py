"""Headless Chromium (Debian's package) driven by Playwright, against a site served on 127.0.0.1."""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from typing import NoReturn

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# npm's tools (axe-core, the Nu HTML checker): the project's node_modules, or HUB_NODE_MODULES's
# (a second working copy of the project may use the first one's instead of installing its own).
NODE_MODULES = Path(os.environ.get("HUB_NODE_MODULES") or Path(__file__).resolve().parent.parent / "node_modules")
# axe-core goes into a page as an inline script, which the pages' own policy refuses: contexts that
# run it are opened with AXE_CONTEXT (Playwright's bypass_csp). test_csp checks the policy itself.
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_CONTEXT = {"bypass_csp": True}


def inject_axe(page: object) -> None:
    """axe measures colours as painted: a fade still running reads as low contrast, so wait for it."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.getAnimations().every(animation => animation.playState !== 'running')")
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]


# The sample banner's pinned time, as the sample's pages carry it (hub/partials/sample-banner.html).
PINNED_TIME = re.compile(r'\sdata-hub-now="[^"]*"')


def as_live_site(context: object) -> None:
    """The sample's pages as a live site's: without the pinned time that the scripts would go
    by (the sample's mkdocs.yml pins "now"), so that they follow the browser's clock, which
    a test may set to any moment."""
    context.route(_is_page, _without_pinned_time)  # type: ignore[attr-defined]


def _is_page(url: str) -> bool:
    """The site's pages (directory URLs and 404.html); other requests are left alone, unslowed."""
    return url.endswith(("/", ".html"))


def _without_pinned_time(route: object) -> None:
    response = route.fetch()  # type: ignore[attr-defined]
    route.fulfill(response=response, body=PINNED_TIME.sub("", response.text()))  # type: ignore[attr-defined]


# An init script: records every Content-Security-Policy violation of a page from before its first script.
VIOLATION_LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
  [event.effectiveDirective, event.blockedURI].join(" ")));
"""


def violations(page: object) -> list[str]:
    """What the page's policy refused so far (its context has VIOLATION_LISTENER): directive and URI."""
    return page.evaluate("window.__violations")  # type: ignore[attr-defined]


def missing(what: str, how: str) -> NoReturn:
    """A tool a test needs is not installed: skip, or fail where it must be there (HUB_REQUIRE_BROWSER, CI)."""
    if os.environ.get("HUB_REQUIRE_BROWSER"):
        pytest.fail(f"{what} is required here (HUB_REQUIRE_BROWSER is set) but not installed")
    pytest.skip(f"{what} is not installed ({how})")


def chromium_path() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or missing("Chromium", "apt-get install -y chromium; .ci/run installs it")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_mounted(site: Path, site_url: str, root: Path) -> Iterator[str]:
    """The built site served under site_url's path, as GitHub Pages serves it (404.html links from there);
    `root` is an empty folder to hold that path. Yields the site's URL, the path included."""
    prefix = urlsplit(site_url or "/").path.strip("/")
    if prefix:
        mount = root / prefix
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(site, target_is_directory=True)
    with serve(root if prefix else site) as url:
        yield url + (prefix + "/" if prefix else "")


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
