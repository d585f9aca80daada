"""Markup rendered once and reused (the primary navigation of pages outside the nav) is
exactly what each page would have rendered for itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from sitebuild import SAMPLE_EPOCH, copy_project

from hub.build.mkdocs_adapter import FragmentCache


def test_every_page_is_the_same_with_and_without_reused_fragments(site: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SAMPLE_EPOCH)
    monkeypatch.chdir(project)
    monkeypatch.setattr(FragmentCache, "__call__", lambda self, *key, caller: caller())
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    pages = sorted(path.relative_to(site) for path in site.rglob("*.html"))
    assert len(pages) > 100
    different = [page for page in pages if (project / "site" / page).read_bytes() != (site / page).read_bytes()]
    assert different == []


def test_a_fragment_is_rendered_once_per_key_and_always_without_one() -> None:
    cache, calls = FragmentCache(), []

    def caller() -> str:
        calls.append(1)
        return f"<nav>{len(calls)}</nav>"

    assert cache("nav", "cases", caller=caller) == cache("nav", "cases", caller=caller) == "<nav>1</nav>"
    assert cache("nav", "events", caller=caller) == "<nav>2</nav>"
    assert cache("nav", None, caller=caller) == "<nav>3</nav>" and cache("nav", None, caller=caller) == "<nav>4</nav>"
