"""CONTRIBUTING.md: generated from the schemas, so the committed file must equal the generated one."""

from __future__ import annotations

import re

import pytest
from sitebuild import PROJECT

from hub.collections import COLLECTIONS
from hub.core.settings import Settings
from hub.editing.contributing import contributing, error_examples
from hub.editing.field_guide import shapes, walk

COMMITTED = PROJECT / "CONTRIBUTING.md"


@pytest.fixture(scope="module")
def generated() -> str:
    return contributing(Settings.find(PROJECT))


def test_committed_contributing_equals_the_generated_one(generated: str) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == generated, (
        "CONTRIBUTING.md is stale: run `.venv/bin/hub docs contributing > CONTRIBUTING.md`")


def test_every_collection_and_every_key_is_explained(generated: str) -> None:
    for collection in COLLECTIONS.values():
        assert f"## {collection.label}（`content/{collection.name}/`）" in generated
        for shape in walk(shapes(collection.model, collection.name)):
            assert f"| `{shape.dotted}` |" in generated, (collection.name, shape.dotted)


def test_every_error_example_shows_the_message_the_validator_prints(generated: str) -> None:
    sections = re.findall(r"### (.+)\n\n```\n(.+)\n```\n\n直し方: (.+)\n", generated)
    titles = [example.title for example in error_examples({"summary": "x", "date": "2021-02-01"})]
    assert [title for title, _, _ in sections] == titles
    for _, line, fix in sections:
        assert re.match(r"^content/cases/[^:]+:\d+: [\w.\-]+: .+ → .+$", line), line
        assert line.endswith(f" → {fix}")


def test_cli_prints_it(capsys, generated: str) -> None:
    from hub.cli import main

    assert main(["--root", str(PROJECT), "docs", "contributing"]) == 0
    assert capsys.readouterr().out == generated


def test_each_error_example_shows_the_problem_its_heading_names(generated: str) -> None:
    """The message under a heading is the kind of problem the heading promises, not another one."""
    sections = dict((title, line) for title, line in re.findall(r"### (.+)\n\n```\n(.+)\n```\n", generated))
    for example in error_examples({"summary": "x", "date": "2021-02-01"}):
        line = sections[example.title]
        assert f": {example.key}: " in line and example.kind in line, (example.title, line)
    assert "（not UTF-8）" not in sections["必須の項目を書き忘れた"]


def test_type_and_help_are_not_said_twice(generated: str) -> None:
    assert "https:// から始まる URL。https://" not in generated
    assert "YYYY-MM-DD。YYYY-MM-DD" not in generated
    assert not re.search(r"\b([a-z-]+)=\1\b", generated)


def test_choices_list_the_ids_beside_the_labels(generated: str) -> None:
    from hub.collections.events.schema import STATUS_LABELS

    status = next(line for line in generated.splitlines() if line.startswith("| `status` |  | 開催状況 |"))
    for value, label in STATUS_LABELS.items():
        assert f"{label}（{value}）" in status
    assert "予約不要（none）" in generated


def test_help_desk_comes_from_the_settings(generated: str) -> None:
    from hub.editing.contributing import HELP_OPTIONS

    desk = HELP_OPTIONS.read(Settings.find(PROJECT))
    contact = generated.split("## 困ったときの連絡先", 1)[1]
    assert desk is not None and desk.name in contact and desk.email in contact
    assert generated.index("/admin/") < generated.index("hub check")
