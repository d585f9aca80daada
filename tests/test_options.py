"""Settings under extra.hub: every section typed, checked with the content by `hub check` and the
build, each mistake on its mkdocs.yml line — and all of them at once, with the content's."""

from __future__ import annotations

import pytest

from conftest import MKDOCS_YML
from hub.cli import main
from hub.core.options import option_problems
from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.output.site import OPTION_SECTIONS, make_site

SECTIONS = MKDOCS_YML + """\
    feeds:
      limit: 0
    events:
      organizer:
        url: https://example.org/
    talents:
      pdf: sometimes
    machikado_care:
      training_series: caravan-mate-training
    cms:
      editorial_workflow: yes please
    search:
      fold_kana: [true]
    privacy:
      allow: {tel: 045-000-0000}
    html:
      embeds: 3
    newsletter:
      name: 便り
    feed:
      limit: 5
"""


def _line(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.fixture
def problems(hub_project) -> list[str]:
    hub_project.write("mkdocs.yml", SECTIONS)
    return [problem.format() for problem in option_problems(Settings.find(hub_project.root), OPTION_SECTIONS)]


@pytest.mark.parametrize("key, fragment", [
    ("extra.hub.feeds.limit", "limit: 0"),
    ("extra.hub.events.organizer.name", "organizer:"),  # missing: reported on its parent's line
    ("extra.hub.talents.pdf", "pdf: sometimes"),
    ("extra.hub.cms.editorial_workflow", "editorial_workflow"),
    ("extra.hub.search.fold_kana", "fold_kana"),
    ("extra.hub.privacy.allow", "allow:"),
    ("extra.hub.newsletter.from", "newsletter:"),
    ("extra.hub.feed", "feed:"),
])
def test_each_bad_setting_is_a_problem_on_its_line(problems: list[str], key: str, fragment: str) -> None:
    line = _line(SECTIONS, fragment)
    assert any(problem.startswith(f"mkdocs.yml:{line}: {key}") for problem in problems), problems


def test_a_misspelt_section_suggests_the_right_one(problems: list[str]) -> None:
    [unknown] = [problem for problem in problems if ": extra.hub.feed:" in problem]
    assert "feeds" in unknown and "unknown setting" in unknown


def test_a_single_value_where_a_list_is_expected_is_read_as_a_list(hub_project) -> None:
    hub_project.write("mkdocs.yml", MKDOCS_YML + "    machikado_care:\n      training_series: caravan-mate-training\n"
                                                "    html:\n      embeds: https://www.youtube-nocookie.com/embed/\n")
    assert option_problems(Settings.find(hub_project.root), OPTION_SECTIONS) == []


def test_the_sample_settings_are_valid() -> None:
    from sitebuild import PROJECT

    assert option_problems(Settings.find(PROJECT), OPTION_SECTIONS) == []


def test_settings_and_content_problems_come_together(hub_project) -> None:
    hub_project.write("mkdocs.yml", MKDOCS_YML + "    feeds:\n      limit: -1\n")
    hub_project.write_case("bad", status="finished")
    with pytest.raises(ContentError) as raised:
        make_site(Settings.find(hub_project.root))
    keys = {problem.key for problem in raised.value.problems}
    assert {"extra.hub.feeds.limit", "status"} <= keys


def test_hub_check_reports_a_bad_setting_with_its_line(hub_project, capsys) -> None:
    config = MKDOCS_YML + "    events:\n      organizer: {name: センター, url: not a url}\n"
    hub_project.write("mkdocs.yml", config)
    assert main(["--root", str(hub_project.root), "check"]) == 1
    assert f"mkdocs.yml:{_line(config, 'organizer')}: extra.hub.events.organizer.url: " in capsys.readouterr().err


def test_hub_new_dates_the_entry_by_the_now_setting(hub_project, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    hub_project.write("mkdocs.yml", MKDOCS_YML + "    now: 2021-02-01T09:00:00+09:00\n")
    assert main(["--root", str(hub_project.root), "new", "case", "新しい事例"]) == 0
    assert [path.name for path in (hub_project.root / "content" / "cases").glob("*.md")] == ["2021-02-01.md"]
