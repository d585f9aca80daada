"""Shared fixtures: the sample site built once, and a minimal hub project in a temporary folder.

`site` is the sample project built by the real `mkdocs build --strict` once per test run, its
log beside it (build.log); tests read it and never change it (a test that needs other content builds its own copy).

`hub_project.write_case("name", **changes)` writes content/cases/name.md from the
baseline front matter below, with one thing changed. The baseline is valid, and its
keys sit on fixed lines of the written file (line 1 is the opening ---):

    2 title   3 date   4 summary   5 themes   6 sectors   7 wards   8 sdgs   9 status

Keys added by `changes` are appended from line 10 on; the closing --- comes after them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium, serve
from sitebuild import SHARED_SAMPLE, shared_sample

from hub.core.content import Content
from hub.core.problems import ContentError, Problem
from hub.core.settings import Settings
from hub.reading.loader import Project, load_content

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_job_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """On GitHub Actions the runner names the job's summary file: the tests' own `hub check`
    runs must not append their made-up problems to it."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist the controlling process builds the sample once, before the workers
    start, and names it to them; should it not build, each worker's `site` reports why."""
    workers = config.getoption("numprocesses", default=None)
    if workers and not hasattr(config, "workerinput") and SHARED_SAMPLE not in os.environ:
        try:
            os.environ[SHARED_SAMPLE] = str(shared_sample())
        except RuntimeError:
            pass


@pytest.fixture(scope="session")
def site() -> Path:
    return shared_sample() / "site"


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The shared sample site over HTTP on 127.0.0.1, for the browser tests."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as instance:
        yield instance

MKDOCS_YML = """\
site_name: t
extra:
  hub:
    content_dir: content
    vocabularies: data/vocabularies.yml
"""

BASELINE = {
    "title": "西区の商店街と大学の協働",
    "date": "2020-09-15",
    "summary": "商店街と大学が空き店舗を地域の居場所にした事例です。",
    "themes": "[community]",
    "sectors": "[npo, university]",
    "wards": "[nishi]",
    "sdgs": "[11]",
    "status": "active",
}

BODY = "## 背景\n\n本文です。\n"

# The valid baseline event, one key a line: 2 title 3 start 4 end 5 summary 6 category 7 venue;
# keys added by `changes` from line 8 on.
EVENT_BASELINE = {
    "title": "オープンダイアログ vol.1",
    "start": "2020-11-14 14:00",
    "end": "2020-11-14 16:30",
    "summary": "地域の課題を多様な主体の対話の場に開いて議論する会です。",
    "category": "forum",
    "venue": "{name: 横浜市市民協働推進センター スペースA・B}",
}


def front_matter(**changes: str | None) -> str:
    """The baseline front matter (without fences) with keys replaced, removed (None) or added.

    A value starting with a newline is written as a block: `wards="\\n  - nishi"`.
    """
    return _written({**BASELINE, **changes})


def event_front_matter(**changes: str | None) -> str:
    """The baseline event's front matter with keys replaced, removed (None) or added, as front_matter does."""
    return _written({**EVENT_BASELINE, **changes})


def _written(values: dict[str, str | None]) -> str:
    lines = []
    for key, value in values.items():
        if value is None:
            continue
        lines.append(f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}")
    return "\n".join(lines) + "\n"


class HubProject:
    def __init__(self, root: Path):
        self.root = root

    def write(self, relative: str, data: str | bytes) -> Path:
        """Write any file of the project, exactly these bytes (str is written as UTF-8)."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    @staticmethod
    def case_text(front: str | bytes, body: str | bytes = BODY) -> bytes:
        front = front.encode("utf-8") if isinstance(front, str) else front
        body = body.encode("utf-8") if isinstance(body, str) else body
        return b"---\n" + front + b"---\n" + body

    def write_case(self, name: str, front: str | bytes | None = None, body: str | bytes = BODY,
                   **changes: str | None) -> Path:
        """content/cases/<name>.md; `name` may hold sub-folders ("2020/foo")."""
        if front is None:
            front = front_matter(**changes)
        return self.write(f"content/cases/{name}.md", self.case_text(front, body))

    def write_event(self, name: str, front: str | bytes | None = None, body: str | bytes = BODY,
                    **changes: str | None) -> Path:
        """content/events/<name>.md from the baseline event with `changes`."""
        if front is None:
            front = event_front_matter(**changes)
        return self.write(f"content/events/{name}.md", self.case_text(front, body))

    def project(self) -> Project:
        return Project.from_settings(Settings.find(self.root))

    def load(self) -> Content:
        return load_content(self.project())

    def problems(self) -> list[Problem]:
        """The problems load_content raises; fails the test if it raises none."""
        with pytest.raises(ContentError) as raised:
            self.load()
        return raised.value.problems


@pytest.fixture
def hub_project(tmp_path: Path) -> HubProject:
    """mkdocs.yml, the real vocabularies, an empty content/cases/ and docs/assets/images/ok.svg."""
    project = HubProject(tmp_path)
    project.write("mkdocs.yml", MKDOCS_YML)
    (tmp_path / "data").mkdir()
    shutil.copy(REPO / "data" / "vocabularies.yml", tmp_path / "data" / "vocabularies.yml")
    (tmp_path / "content" / "cases").mkdir(parents=True)
    project.write("docs/assets/images/ok.svg",
                  '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n')
    return project


@pytest.fixture
def case_front():
    """`case_front(**changes)`: the valid baseline front matter with one thing changed."""
    return front_matter
