"""A real `mkdocs serve --dirty` on a copy of the project, read over HTTP as the editor's browser reads it."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from sitebuild import MKDOCS, SAMPLE_EPOCH


@dataclass
class Response:
    status: int
    content_type: str
    text: str

    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "lxml")


@dataclass
class Preview:
    project: Path
    origin: str  # http://127.0.0.1:PORT
    mount: str  # the site's path under it, from site_url: /hub/
    log: Path

    @property
    def base(self) -> str:
        return self.origin + self.mount

    def get(self, path: str) -> Response:
        """`path` under the site's mount path, or from the server's root when it starts with /."""
        url = self.origin + (path if path.startswith("/") else self.mount + path)
        with urllib.request.urlopen(url, timeout=120) as response:
            return Response(response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8"))

    def page(self, path: str) -> str:
        return self.get(path).text

    def wait_for(self, path: str, ready: Callable[[Response], bool], timeout: float = 240) -> Response:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                response = self.get(path)
                if ready(response):
                    return response
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{path} not ready within {timeout} s; serve log:\n{self.log.read_text()[-3000:]}")


@contextmanager
def serving(project: Path, first_page: str) -> Iterator[Preview]:
    """`mkdocs serve --dirty` in `project` until the block ends; ready once `first_page` answers
    and the file watcher (which starts after the first build) is running."""
    port = _free_port()
    log = project / "serve.log"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SAMPLE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as output:
        server = subprocess.Popen([str(MKDOCS), "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT)
    site_url = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    running = Preview(project, f"http://127.0.0.1:{port}", "/" + site_url.split("/", 3)[3], log)
    try:
        running.wait_for(first_page, lambda response: True)
        time.sleep(1.5)
        yield running
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
