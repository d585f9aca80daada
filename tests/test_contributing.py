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
