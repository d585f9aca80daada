"""CONTRIBUTING.md for editors, generated from the schemas so that it cannot go stale.

`hub docs contributing > CONTRIBUTING.md` writes it; a test compares the committed file
with this output. The key tables come from the models, the templates are what `hub new`
writes, and every error message in it was produced by the validator itself, by
checking small broken files in a scratch folder. Whom editors ask for help comes from
`extra.hub.help` in mkdocs.yml (HELP_OPTIONS).
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from hub.collections import COLLECTIONS
from hub.core.collection import Collection
from hub.core.fields import WebUrl
from hub.core.options import Options, OptionSection
from hub.core.problems import ContentError, Problem
from hub.core.settings import Settings
from hub.core.vocab import Vocabularies
from hub.editing.field_guide import BOOL, CHOICE, DATE, DATETIME, FILE, INT, OBJECT, RELATION, URL, Shape, shapes, walk
from hub.editing.scaffold import INLINE_TERMS, Examples, new_entry_text
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
    """A small broken file, what is wrong with it, and the problem `hub check` prints for it.

    `key` and `kind` say which problem the example is about: the key the problem names and a
    piece of its message (the English code in brackets where there is one). The file may
    have other problems too; the one shown is the one the title promises.
    """

    title: str
    key: str
    kind: str
    file: str
    text: str | bytes
    problem: Problem | None = None

    def shows(self, problem: Problem) -> bool:
        return problem.key == self.key and self.kind in problem.message


class HelpOptions(Options):
    """`extra.hub.help`: whom editors ask when they are stuck (shown in CONTRIBUTING.md)."""

    name: str
    email: str = ""
    tel: str = ""
    url: WebUrl | None = None
    hours: str = ""


HELP_OPTIONS = OptionSection("help", HelpOptions, optional=True)


def contributing(settings: Settings) -> str:
    project = Project.from_settings(settings)
    vocabularies = Vocabularies.load(project.vocabularies_file, project.shown(project.vocabularies_file))
    docs = [collection_doc(collection, vocabularies, project.docs_dir) for collection in COLLECTIONS.values()]
    errors = checked_examples(project, vocabularies) if ERROR_COLLECTION in COLLECTIONS else []
    return template_environment().get_template("contributing.md").render(
        collections=docs, errors=errors, vocabularies_file=project.shown(project.vocabularies_file),
        help=HELP_OPTIONS.read(settings))


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
        text = choices(shape, vocabularies)
        text = f"{text} から 1 つ以上選びます（リスト）" if shape.many else f"{text} から 1 つ選びます"
    elif shape.kind == RELATION:
        text = f"content/{shape.relation}/ にあるファイルの名前（.md を除く）"
        text = f"{text}のリスト" if shape.many else text
    else:
        text = _SCALAR[shape.kind] if shape.kind in _SCALAR else "文字"
        text = f"{text}のリスト" if shape.many else text
    said = [part for part in shape.help.split("。") if part and not _already_said(part, text, shape, vocabularies)]
    return "。".join([text, *said])


def choices(shape: Shape, vocabularies: Vocabularies) -> str:
    """The ids the check accepts, each after its Japanese label: 「予定どおり開催（scheduled）」."""
    terms = shape.choices(vocabularies)
    if shape.vocabulary and len(terms) > INLINE_TERMS:
        return f"data/vocabularies.yml の {shape.vocabulary}（{vocabularies[shape.vocabulary].label}）の id"
    return "、".join(value if label == value else f"{label}（{value}）" for value, label in terms)


def _already_said(sentence: str, text: str, shape: Shape, vocabularies: Vocabularies) -> bool:
    """A key's own help that repeats its type (「YYYY-MM-DD」 after 「日付 YYYY-MM-DD」) or its choices."""
    if sentence.strip() in text:
        return True
    pairs = {f"{value}={label}" for value, label in shape.choices(vocabularies)} if shape.kind == CHOICE else set()
    return bool(pairs) and {part.strip() for part in sentence.split(",")} <= pairs


_SCALAR = {
    DATE: "日付 YYYY-MM-DD",
    DATETIME: "日時 YYYY-MM-DD HH:MM（日本時間）",
    BOOL: "true か false",
    INT: "整数",
    URL: "https:// から始まる完全な URL",
    FILE: "docs/ の下のファイルのパス",
}


def error_examples(valid: dict[str, Any]) -> list[ErrorExample]:
    """Common mistakes, each one change away from a valid case."""
    def changed(**changes: Any) -> str:
        front = {key: value for key, value in {**valid, **changes}.items() if value is not _DROP}
        return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n本文\n"

    name = "content/cases/example.md"
    return [
        ErrorExample("必須の項目を書き忘れた", "summary", "（required）", name, changed(summary=_DROP)),
        ErrorExample("項目名のつづりを間違えた", "sumary", "（unknown key）", name, changed(sumary=valid["summary"])),
        ErrorExample("存在しない日付を書いた", "date", "存在しない日付", name, changed(date="2021-02-30")),
        ErrorExample("日付の形が違う", "date", "YYYY-MM-DD の形", name, changed(date="2021/2/1")),
        ErrorExample("語彙の id ではなく日本語の名前を書いた", "wards", "の語彙にありません", name,
                     changed(wards=["西区"])),
        ErrorExample("値を書いていない", "status", "（empty）", name, changed(status=None)),
        ErrorExample("URL が https:// から始まっていない", "links.url", "URL の形", name,
                     changed(links=[{"title": "団体のサイト", "url": "www.example.org"}])),
        ErrorExample("画像ファイルが docs/ にない", "image.src", "ファイルが見つかりません", name,
                     changed(image={"src": "assets/images/cases/missing.jpg", "alt": "活動の様子"})),
        ErrorExample("更新日が公開日より前", "updated", "より前です", name, changed(updated="2021-01-01")),
        ErrorExample("引用符を閉じ忘れた（YAML の誤り）", "front-matter", "YAML の書き方", name,
                     changed().replace("title: ", 'title: "', 1)),
        ErrorExample("front matter の終わりの --- がない", "front-matter", "閉じられていません", name,
                     changed().replace("---\n\n", "\n", 1)),
        ErrorExample("同じ項目を 2 回書いた", "date", "（duplicate key）", name,
                     changed().replace("---\n\n", f"date: {valid['date']}\n---\n\n", 1)),
        ErrorExample("ファイル名に日本語を使った", "file", "（invalid file name）", "content/cases/西区の事例.md", changed()),
        ErrorExample("文字コードが Shift_JIS のまま保存された", "file", "（not UTF-8）", name,
                     changed().encode("cp932")),
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
    """The example with the problem its title promises; an error here if the validator no longer reports it.

    The problem shown is the one the example is about, never simply the first one reported:
    a file may have several, and a message that does not match its heading would teach the
    wrong fix. Should the validator stop reporting it, generating the guide fails here.
    """
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
            found = [problem for problem in error.problems if example.shows(problem)]
            if found:
                return dataclasses.replace(example, problem=found[0])
            reported = "; ".join(problem.format() for problem in error.problems)
            raise AssertionError(f"「{example.title}」: {example.key} の {example.kind} が報告されません: {reported}")
    raise AssertionError(f"「{example.title}」: 問題が報告されません")
