"""Check every external link of the built site/ with LinkChecker (`make linkcheck`).

Opt-in and not part of CI: it needs the network, and other people's sites go down and
come back without anything being wrong here. Links inside the site are already checked
by `mkdocs build --strict`; this serves site/ on 127.0.0.1 so that LinkChecker reads the
pages the way a browser gets them, follows every page of the site, and checks each
external link once. Links to the site's own address (site_url) are skipped: they are
checked by the build, and a new site is not deployed yet when this runs.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from hub.core.settings import Settings

LINKCHECKER_OPTIONS = ["--check-extern", "--no-status", "--no-warnings", "--timeout", "30", "--threads", "10"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def linkchecker_command(site_url: str, start_url: str) -> list[str]:
    """The LinkChecker command line; the site's own public address is only syntax-checked."""
    linkchecker = shutil.which("linkchecker") or str(Path(sys.executable).with_name("linkchecker"))
    command = [linkchecker, *LINKCHECKER_OPTIONS]
    if site_url:
        command += ["--ignore-url", "^" + re.escape(site_url.rstrip("/"))]
    return [*command, start_url]


def main() -> int:
    settings = Settings.find(Path.cwd())
    site = settings.root / "site"
    if not (site / "index.html").is_file():
        print("site/ がありません。先に make build を実行してください（no site yet）", file=sys.stderr)
        return 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        start_url = f"http://127.0.0.1:{server.server_address[1]}/"
        return subprocess.run(linkchecker_command(settings.site_url, start_url)).returncode
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
