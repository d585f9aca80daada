"""Generated pages rendered by forked workers: the same bytes for any number of jobs, results
taken in order, and a failure anywhere fails the build with its page named."""

from __future__ import annotations

import logging
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from sitebuild import build, content_digest, copy_project, tree_digest

from hub.build import kept_converter
from hub.build.allocator import tune_for_build
from hub.build.deferred_markdown import DeferredMarkdown
from hub.build.workers import JOBS_ENV, JobsError, SharedWork, WorkerFailed, jobs_setting, usable_cores
from hub.core.problems import ContentError
from hub.core.settings import Settings


def test_any_number_of_jobs_renders_the_same_bytes(site: Path, tmp_path: Path) -> None:
    assert "generated pages rendered by 2 processes" in (site.parent / "build.log").read_text(encoding="utf-8")
    project = copy_project(tmp_path / "project")
    result = build(project, jobs=1)
    assert result.returncode == 0, result.stderr
    assert "rendered by" not in result.stderr
    assert content_digest(project / "site") == content_digest(site)


def test_a_page_that_fails_fails_the_build_names_it_and_keeps_site(site: Path, tmp_path: Path) -> None:
    """Every case page fails, so each process meets one: the first reported names its page."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(site, project / "site")
    before = tree_digest(project / "site")
    (project / "overrides" / "hub").mkdir()
    (project / "overrides" / "hub" / "cases-entry.html").write_text(
        '{% extends "main.html" %}{% block content %}{{ no_such_function() }}{% endblock %}', encoding="utf-8")
    result = build(project, jobs=2)
    assert result.returncode != 0
    assert "no_such_function" in result.stderr
    assert "cases/" in result.stderr and ".md" in result.stderr
    assert tree_digest(project / "site") == before
    assert not [path for path in project.glob(".site.*") if path.is_dir()], "the staging folder is cleaned up"


def _link_checks(result: subprocess.CompletedProcess[str]) -> list[str]:
    """MkDocs' messages on links and anchors, as a set: processes log theirs in no fixed order."""
    return sorted({line.split("-", 1)[1].strip() for line in result.stderr.splitlines() if "Doc file" in line})


def test_links_in_pages_converted_by_workers_are_checked_as_by_one_process(tmp_path: Path) -> None:
    """Workers convert their pages' Markdown: a broken link in one still fails `--strict` and is
    logged, and MkDocs' anchor check, after the last page, knows the anchors and links of every page."""
    project = copy_project(tmp_path / "project")
    cases = [case for case in sorted((project / "content" / "cases").glob("*.md"))
             if "draft: true" not in case.read_text(encoding="utf-8")]  # a draft is not published
    for case in cases:
        with case.open("a", encoding="utf-8") as body:
            body.write("\n\n## 試験 {#hub-test}\n\n[なし](no-such-page.md) [この記事](#hub-test-missing)\n")
    with (project / "docs" / "about.md").open("a", encoding="utf-8") as about:
        for case in cases:
            about.write(f"\n[ある](cases/{case.name}#hub-test) [ない](cases/{case.name}#hub-test-missing)\n")
    one, two = build(project, jobs=1), build(project, jobs=2)
    assert "generated pages rendered by 2 processes" in two.stderr and "warning(s) while rendering pages" in two.stderr
    assert one.returncode != 0 and two.returncode != 0, "the broken links fail a strict build"
    assert _link_checks(two) == _link_checks(one)
    checks = "\n".join(_link_checks(one))
    for case in cases:
        assert f"Doc file 'cases/{case.name}' contains a link 'no-such-page.md'" in checks
        assert f"Doc file 'cases/{case.name}' contains a link '#hub-test-missing'" in checks
        assert f"'cases/{case.name}#hub-test-missing', but the doc 'cases/{case.name}'" in checks
        assert f"'cases/{case.name}#hub-test'," not in checks


def _square(item: int) -> int:
    if item == 30:
        raise ValueError("thirty")
    if item == 42:
        os._exit(3)  # a worker killed mid-page
    if item % 10 == 7:
        logging.getLogger("hub-test").warning("seven")
    return item * item


def _name(item: int) -> str:
    return f"item {item}"


def test_workers_results_come_in_order_with_their_warnings() -> None:
    items = list(range(30))
    shared = SharedWork(items, 3, _square, _name, logger="hub-test")
    mine = [item for position, item in enumerate(items) if not shared.elsewhere(position)]
    assert mine == list(range(2, 30, 3)), "the first item (a build's largest page) goes to a worker"
    assert list(shared.results_before(5)) == [0, 1, 9, 16]
    assert list(shared.finish()) == [item * item for item in range(5, 30) if item not in mine]
    assert shared.warnings == 2  # 7 and 27 (17 is this process's)


@pytest.mark.parametrize(("items", "named"), [(range(40), "item 30: ValueError: thirty"),
                                              (range(32, 50), "item 42: the worker process ended unexpectedly")])
def test_a_failed_worker_names_its_item(items: range, named: str) -> None:
    shared = SharedWork(list(items), 2, _square, _name)
    with pytest.raises(WorkerFailed) as raised:
        list(shared.finish())
    assert str(raised.value) == named


def _unreadable_page() -> None:
    raise ValueError("cases/x.md: the page could not be read")


def test_a_worker_that_fails_before_its_first_item_names_that_item_and_the_error() -> None:
    """A worker reads its pages before rendering the first (see HubPlugin._become_worker)."""
    shared = SharedWork(list(range(10)), 2, _square, _name, setup=_unreadable_page)
    with pytest.raises(WorkerFailed) as raised:
        list(shared.finish())
    assert str(raised.value) == "item 0: ValueError: cases/x.md: the page could not be read"


def test_jobs_come_from_the_environment_then_the_settings_then_the_cores(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nextra:\n  hub:\n    jobs: 0\n", encoding="utf-8")
    settings = Settings.from_mapping(tmp_path, {"jobs": 3})
    assert jobs_setting(settings, {JOBS_ENV: "5"}) == 5
    assert jobs_setting(settings, {}) == 3
    assert jobs_setting(Settings.from_mapping(tmp_path, {}), {}) == usable_cores()
    with pytest.raises(JobsError):
        jobs_setting(settings, {JOBS_ENV: "two"})
    with pytest.raises(ContentError) as raised:
        jobs_setting(Settings.from_mapping(tmp_path, {"jobs": 0}), {})
    assert raised.value.problems[0].key == "extra.hub.jobs" and raised.value.problems[0].line == 4


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
def test_a_page_left_to_a_worker_is_converted_here_as_an_empty_source_would_be(
        tmp_path: Path, level: int, caplog: pytest.LogCaptureFixture) -> None:
    """The build's process skips building a Markdown converter for a worker's page; what MkDocs
    then reads of the page is what converting an empty source gives."""
    caplog.set_level(level, logger="mkdocs.structure.pages")
    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    config = load_config(config_file=None, site_dir=str(site), docs_dir=str(docs),
                         markdown_extensions=["toc", "attr_list", "tables"])
    pages = []
    for deferred in (False, True):
        file = File("cases/a.md", str(docs), str(site), use_directory_urls=True)
        page = Page(None, file, config)
        markdown = DeferredMarkdown(frozenset({"cases/a.md"} if deferred else ()))
        page.markdown = markdown.keep(page, "" if not deferred else "# 見出し\n\n[リンク](#x)\n")
        page.render(config, Files([file]))
        pages.append(page)
    converted, skipped = pages
    for name in ("content", "_title_from_render", "present_anchor_ids", "links_to_anchors"):
        assert getattr(skipped, name) == getattr(converted, name), name
    assert list(skipped.toc) == list(converted.toc) == []
    assert vars(converted)["render"].func is kept_converter.render  # MkDocs' own, with the kept converter


def test_the_build_process_runs_with_one_malloc_arena_where_glibc_allows() -> None:
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        pytest.skip("the settings are glibc's")
    assert tune_for_build(), "glibc took M_ARENA_MAX and M_MMAP_THRESHOLD"
