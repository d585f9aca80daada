"""`hub new <collection>` for every collection: a hand-written template, or one generated from the schema."""

from __future__ import annotations

from datetime import date

import pytest
from test_cms import FAKE, FakeMeta

from hub.cli import main
from hub.collections import COLLECTIONS
from hub.editing.scaffold import generic_text, has_template
from hub.reading.frontmatter import read_source
from hub.reading.loader import load_content

EPOCH = "1612137600"  # 2021-02-01 09:00 JST


@pytest.mark.parametrize("name", list(COLLECTIONS))
def test_new_entry_for_every_collection_passes_check(hub_project, monkeypatch, capsys, name) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert main(["--root", str(hub_project.root), "new", name, "タイトル"]) == 0
    capsys.readouterr()
    status = main(["--root", str(hub_project.root), "check"])
    assert status == 0, (f"hub new {name} writes an entry that fails hub check: add templates/new/{name}.md "
                         f"or Field(examples=[...]) for the keys below\n" + capsys.readouterr().err)
    assert hub_project.load().drafts == 1


def test_generic_template_for_a_fake_collection_is_a_valid_commented_draft(hub_project) -> None:
    assert not has_template("workshops")
    vocabularies = hub_project.load().vocabularies
    text = generic_text(FAKE, "木工ワークショップ", date(2021, 2, 1), vocabularies, hub_project.root / "docs")
    path = hub_project.write("content/workshops/2021-02-01.md", text)
    content = load_content(hub_project.project(), {"workshops": FAKE})
    assert content.drafts == 1
    meta = read_source(path, "x").meta
    assert meta["title"] == "木工ワークショップ" and meta["wards"] == ["tsurumi"] and meta["draft"] is True
    assert meta["date"] == "2021-02-01"
    optional = {name for name, field in FakeMeta.model_fields.items() if not field.is_required()} - {"draft"}
    assert optional and not optional & set(meta)  # optional keys are there, commented out
    for key in optional:
        assert f"# {key}:" in text
    assert "# 使える値: tsurumi=鶴見区" in text


def test_hand_written_templates_are_preferred(hub_project, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    main(["--root", str(hub_project.root), "new", "case", "タイトル"])
    text = next((hub_project.root / "content" / "cases").glob("*.md")).read_text(encoding="utf-8")
    assert "項目の定義から自動で作りました" not in text and "# 事例のタイトル（必須）" in text
