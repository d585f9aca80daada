"""CONTRIBUTING.md for editors, generated from the schemas so that it cannot go stale.

`hub docs contributing > CONTRIBUTING.md` writes it; a test compares the committed file
with this output. The key tables come from the models, the templates are what `hub new`
writes, and every error message in it was produced by the validator itself, by
checking small broken files in a scratch folder.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from hub.collections import COLLECTIONS
from hub.core.collection import Collection
from hub.core.problems import ContentError, Problem
from hub.core.settings import Settings
from hub.core.vocab import Vocabularies
from hub.editing.field_guide import BOOL, CHOICE, DATE, DATETIME, FILE, INT, OBJECT, URL, Shape, shapes, walk
from hub.editing.scaffold import Examples, choices_text, new_entry_text
from hub.output.templating import template_environment
from hub.reading.loader import Project, load_content

EXAMPLE_DAY = date(2021, 2, 1)
EXAMPLE_TITLE = "タイトル"
ERROR_COLLECTION = "cases"  # the error examples use cases: the collection every site has


@dataclass(frozen=True)
class KeyRow:
    key: str
    label: str
    required: bool
    how: str


@dataclass(frozen=True)
class CollectionDoc:
    collection: Collection
    rows: list[KeyRow]
    template: str


@dataclass(frozen=True)
class ErrorExample:
    """A small broken file, what is wrong with it, and the problem `hub check` prints for it."""

    title: str
    file: str
    text: str | bytes
    problem: Problem | None = None


def contributing(settings: Settings) -> str:
    project = Project.from_settings(settings)
    vocabularies = Vocabularies.load(project.vocabularies_file, project.shown(project.vocabularies_file))
    docs = [collection_doc(collection, vocabularies, project.docs_dir) for collection in COLLECTIONS.values()]
    errors = checked_examples(project, vocabularies) if ERROR_COLLECTION in COLLECTIONS else []
    return template_environment().get_template("contributing.md").render(collections=docs, errors=errors,
                                                               vocabularies_file=project.shown(project.vocabularies_file))


def collection_doc(collection: Collection, vocabularies: Vocabularies, docs_dir: Path) -> CollectionDoc:
    rows = [KeyRow(shape.dotted, shape.label, shape.required, how(shape, vocabularies))
            for shape in walk(shapes(collection.model, collection.name, vocabularies))]
    template = new_entry_text(collection, EXAMPLE_TITLE, EXAMPLE_DAY, vocabularies, docs_dir)
    return CollectionDoc(collection, rows, template)


def how(shape: Shape, vocabularies: Vocabularies) -> str:
    """How to write a key's value, in a few words."""
    if shape.kind == OBJECT:
        text = "次の行から字下げして、下の項目を書きます"
        text = "「- 」で始まる項目のリスト。各項目に下の項目を書きます" if shape.many else text
    elif shape.kind == CHOICE:
        text = choices_text(shape, vocabularies)
        text = f"{text}（1 つ以上のリスト）" if shape.many else f"{text}（1 つ）"
    else:
        text = _SCALAR[shape.kind] if shape.kind in _SCALAR else "文字"
        text = f"{text}のリスト" if shape.many else text
    return f"{text}。{shape.help}" if shape.help else text


_SCALAR = {
    DATE: "日付 YYYY-MM-DD",
    DATETIME: "日時 YYYY-MM-DD HH:MM（日本時間）",
    BOOL: "true か false",
    INT: "整数",
    URL: "https:// から始まる URL",
    FILE: "docs/ の下のファイルのパス",
}


def error_examples(valid: dict[str, Any]) -> list[ErrorExample]:
    """Common mistakes, each one change away from a valid case."""
    def changed(**changes: Any) -> str:
        front = {key: value for key, value in {**valid, **changes}.items() if value is not _DROP}
        return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n本文\n"

    name = "content/cases/example.md"
    return [
        ErrorExample("必須の項目を書き忘れた", name, changed(summary=_DROP)),
        ErrorExample("項目名のつづりを間違えた", name, changed(sumary=valid["summary"])),
        ErrorExample("存在しない日付を書いた", name, changed(date="2021-02-30")),
        ErrorExample("日付の形が違う", name, changed(date="2021/2/1")),
        ErrorExample("語彙の id ではなく日本語の名前を書いた", name, changed(wards=["西区"])),
        ErrorExample("値を書いていない", name, changed(status=None)),
        ErrorExample("URL が https:// から始まっていない", name,
                     changed(links=[{"title": "団体のサイト", "url": "www.example.org"}])),
        ErrorExample("画像ファイルが docs/ にない", name,
                     changed(image={"src": "assets/images/cases/missing.jpg", "alt": "活動の様子"})),
        ErrorExample("更新日が公開日より前", name, changed(updated="2021-01-01")),
        ErrorExample("引用符を閉じ忘れた（YAML の誤り）", name, changed().replace("title: ", 'title: "', 1)),
        ErrorExample("front matter の終わりの --- がない", name, changed().replace("---\n\n", "\n", 1)),
        ErrorExample("同じ項目を 2 回書いた", name, changed().replace("---\n\n", f"date: {valid['date']}\n---\n\n", 1)),
        ErrorExample("ファイル名に日本語を使った", "content/cases/西区の事例.md", changed()),
        ErrorExample("文字コードが Shift_JIS のまま保存された", name, changed().encode("cp932")),
    ]


_DROP = object()


def checked_examples(project: Project, vocabularies: Vocabularies) -> list[ErrorExample]:
    """Each example checked by the real validator in a scratch copy of the project's settings."""
    cases = COLLECTIONS[ERROR_COLLECTION]
    examples = Examples(EXAMPLE_TITLE, EXAMPLE_DAY, vocabularies)
    valid = {shape.key: examples.value(shape, fill_optional=False)
             for shape in shapes(cases.model, cases.name, vocabularies)}
    valid = {key: value for key, value in valid.items() if value is not None and key != "draft"}
    return [_checked(example, project, cases) for example in error_examples(valid)]


def _checked(example: ErrorExample, project: Project, cases: Collection) -> ErrorExample:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "data").mkdir()
        (root / "data" / "vocabularies.yml").write_bytes(project.vocabularies_file.read_bytes())
        (root / "docs").mkdir()
        path = root / example.file
        path.parent.mkdir(parents=True)
        path.write_bytes(example.text.encode("utf-8") if isinstance(example.text, str) else example.text)
        scratch_project = Project(root, root / "content", root / "docs", root / "data" / "vocabularies.yml")
        try:
            load_content(scratch_project, {cases.name: cases})
        except ContentError as error:
            return ErrorExample(example.title, example.file, example.text, error.problems[0])
    return example
