"""The editing UI in headless Chromium against Decap's local backend: a case made in the form is valid,
and nothing the editing needs is refused by /admin/'s Content-Security-Policy.

The project is copied to a temporary folder; decap-server (npm) writes into that copy,
the way `make cms` runs it beside `mkdocs serve`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from browser import VIOLATION_LISTENER, chromium, serve, violations
from hub.cli import main as hub
from hub.collections import COLLECTIONS
from sitebuild import PROJECT, build, copy_project

NODE_MODULES = PROJECT / "node_modules"
DECAP_SERVER = NODE_MODULES / ".bin" / "decap-server"
TEST_CONFIG = "mkdocs.cms-test.yml"
TITLE = "編集画面から登録した西区の事例"


def _require_decap() -> None:
    if (NODE_MODULES / "decap-cms" / "dist" / "decap-cms.js").is_file() and DECAP_SERVER.exists():
        return
    if os.environ.get("HUB_REQUIRE_BROWSER"):
        pytest.fail("node_modules is missing: run npm ci (make test does)")
    pytest.skip("node_modules is missing: run npm ci (make test does)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            pytest.fail(f"decap-server exited: {process.stdout.read() if process.stdout else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("decap-server did not start listening")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A built copy of the project whose CMS talks to a decap-server started in it."""
    _require_decap()
    root = copy_project(tmp_path_factory.mktemp("cms"))
    (root / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    port = _free_port()
    (root / TEST_CONFIG).write_text(
        f"INHERIT: mkdocs.yml\nextra:\n  hub:\n    cms:\n      local_backend: http://127.0.0.1:{port}/api/v1\n",
        encoding="utf-8")
    result = build(root, "-f", TEST_CONFIG)
    assert result.returncode == 0, result.stderr
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs", "LOG_LEVEL": "warn"}
    server = subprocess.Popen([str(DECAP_SERVER)], cwd=root, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for_port(port, server)
        yield root
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def admin(project: Path) -> Iterator[tuple[object, str]]:
    with serve(project / "site") as url, chromium() as browser:
        context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo",
                                      viewport={"width": 1280, "height": 1000})
        context.add_init_script(VIOLATION_LISTENER)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + "admin/")
        page.get_by_role("button", name="ログイン").click()
        page.get_by_role("link", name=COLLECTIONS["cases"].label, exact=True).first.wait_for()
        assert errors == [] and violations(page) == []
        yield page, url
        context.close()


def _labels(project: Path, collection: str) -> dict[str, str]:
    """Field name → label, as the generated config tells Decap."""
    config = yaml.safe_load((project / "site" / "admin" / "config.yml").read_text(encoding="utf-8"))
    fields = next(c["fields"] for c in config["collections"] if c["name"] == collection)
    return {field["name"]: field["label"] for field in fields}


def _choose(page, label: str, option: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    box.press("Enter")


def test_collection_list_names_every_collection_in_japanese(admin) -> None:
    page, _ = admin
    for collection in COLLECTIONS.values():
        assert page.get_by_role("link", name=collection.label, exact=True).count() >= 1, collection.label


def test_new_case_form_has_the_schema_widgets(admin, project: Path) -> None:
    page, url = admin
    labels = _labels(project, "cases")
    page.goto(url + "admin/#/collections/cases/new")
    assert page.get_by_label(labels["date"], exact=True).get_attribute("type") == "date"
    assert page.get_by_label(labels["summary"], exact=True).evaluate("e => e.tagName") == "TEXTAREA"
    _choose(page, labels["wards"], "西区")
    assert page.get_by_text("西区", exact=True).count() >= 1  # the chosen ward, shown by its Japanese label


def test_case_created_in_the_form_passes_check_and_builds(admin, project: Path) -> None:
    page, url = admin
    labels = _labels(project, "cases")
    before = set((project / "content" / "cases").glob("*.md"))
    page.goto(url + "admin/#/collections/cases/new")
    page.get_by_label(labels["title"], exact=True).fill(TITLE)
    page.get_by_label(labels["summary"], exact=True).fill("商店街と大学が、編集画面から登録した事例です。")
    page.get_by_label(labels["date"], exact=True).fill("2021-01-20")
    for key, option in [("themes", "地域づくり"), ("themes", "居場所"), ("sectors", "NPO法人"),
                        ("wards", "西区"), ("sdgs", "11. 住み続けられるまちづくりを"), ("status", "進行中")]:
        _choose(page, labels[key], option)
    page.get_by_role("button", name="公開").click()
    page.get_by_text("公開する", exact=True).click()
    page.get_by_text("保存しました").first.wait_for()
    assert violations(page) == []  # the form, its preview and the save stay within /admin/'s policy

    created = sorted(set((project / "content" / "cases").glob("*.md")) - before)
    assert [path.name for path in created] == ["2021-01-20-case.md"]
    text = created[0].read_text(encoding="utf-8")
    assert f"title: {TITLE}" in text and "- nishi" in text and "status: active" in text

    assert hub(["--root", str(project), "check"]) == 0
    result = build(project, "-f", TEST_CONFIG)
    assert result.returncode == 0, result.stderr
    page_html = project / "site" / "cases" / "2021-01-20-case" / "index.html"
    heading = BeautifulSoup(page_html.read_text(encoding="utf-8"), "lxml").h1
    assert heading is not None and heading.get_text(strip=True) == TITLE
