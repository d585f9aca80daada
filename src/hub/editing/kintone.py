"""Importing a kintone CSV export into Markdown entries.

The centre keeps its cases in kintone. Staff export the app as CSV (UTF-8 with a BOM,
or Shift_JIS), and `hub import cases export.csv` turns each record into one entry,
through a mapping file: kintone field → front-matter key, kintone choice → vocabulary id.

The record number and two hashes sit in the entry's `private:` mapping, which is never
published: the number finds the entry again on the next import, the record's hash says
whether kintone changed it, and the body's hash says whether someone edited the body
by hand since (then it is kept, unless --force). Keys the mapping does not fill (an
image, links, `draft`) are the editors' own and survive re-imports.

A register may hold what must never be published (a representative's name, a home
address): its mapping says `unmapped_columns: refuse`, and an export with any column the
mapping does not name is refused whole, column by column, before anything is written.
A required key that the register does not hold at all (a group's summary) is written
as `hub new` writes it, and the new entry is a draft until an editor fills it in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hub.collections import COLLECTIONS
from hub.core.clock import resolve_now
from hub.core.collection import Collection
from hub.core.contact import CONTACT_KEY, contact_from_text
from hub.core.fields import CONTEXT_KEY, SchemaContext
from hub.core.problems import ContentError, Problem
from hub.core.settings import Settings
from hub.core.validation import problems_from_error
from hub.core.vocab import Vocabularies, Vocabulary
from hub.editing.field_guide import CHOICE, DATE, Shape, shapes, walk
from hub.editing.scaffold import Examples
from hub.reading.frontmatter import FILE_KEY, Source, load_yaml_file, read_source
from hub.reading.loader import PRIVATE_KEY, SLUG, Project, collection_files

KINTONE_KEY = "kintone"
RECORD_KEY = f"{PRIVATE_KEY}.{KINTONE_KEY}.record"
DRAFT_KEY = "draft"
# Column names that say a person's data is in the column: refused by name, not only as unmapped.
PERSONAL_COLUMN = re.compile(r"代表|氏名|名前|住所|所在地|電話|携帯|FAX|ファクス|メール|mail|生年月日|年齢|性別|"
                             r"担当者|作成者|更新者|口座", re.IGNORECASE)


class MappingSpec(BaseModel):
    """The mapping file (data/kintone-<collection>.yml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    collection: str | None = None
    record_number: str = Field(min_length=1)
    slug: str | None = None
    body: str | None = None
    fields: dict[str, str] = Field(min_length=1)
    labels: dict[str, dict[str, str]] = {}
    # A column of contacts the organisation agreed to publish: becomes `contact:` declared public.
    public_contact: str | None = None
    # refuse: a column the mapping does not name stops the import (registers with personal data).
    unmapped_columns: Literal["ignore", "refuse"] = "ignore"

    def columns(self) -> list[str]:
        """Every CSV column the mapping reads, once each."""
        optional = (self.slug, self.body, self.public_contact)
        return list(dict.fromkeys([self.record_number, *self.fields.values(), *(c for c in optional if c)]))

    def owned_keys(self) -> set[str]:
        """Top-level keys that kintone fills: an import replaces them (and removes them when emptied)."""
        return {key.split(".")[0] for key in self.fields} | ({CONTACT_KEY} if self.public_contact else set())


@dataclass
class Report:
    """What an import did, and every row it could not take."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    body_kept: list[str] = field(default_factory=list)
    drafted: list[tuple[str, list[str]]] = field(default_factory=list)  # new drafts and the keys left to write
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]



def import_csv(project: Project, collection: Collection, csv_path: Path, map_path: Path,
               vocabularies: Vocabularies, force: bool = False, today: date | None = None) -> Report:
    report = Report()
    shown_csv, shown_map = project.shown(csv_path), project.shown(map_path)
    mapping, map_source = read_mapping(map_path, shown_map, report)
    table = read_rows(csv_path, shown_csv, report) if mapping else None
    if mapping is None or table is None:
        return report
    header, rows = table
    if mapping.collection not in (None, collection.name):
        report.problems.append(Problem(shown_map, map_source.line_of(("collection",)), "collection",
                                       f"この対応表は {mapping.collection} 用です（{collection.name} に取り込もうとしました）",
                                       f"hub import {mapping.collection} … とするか、--map で {collection.name} 用の対応表を指定してください"))
        return report
    report.problems += _missing_columns(mapping, header, shown_csv, shown_map)
    report.problems += _refused_columns(mapping, header, shown_csv, shown_map)
    if report.problems:
        return report
    importer = _Importer(project, collection, mapping, vocabularies, shown_csv, map_source, report, force,
                         today or date.today())
    report.problems += importer.unknown_keys()
    if report.problems:
        return report
    for row in rows:
        importer.take(row)
    return report


def read_mapping(path: Path, shown: str, report: Report) -> tuple[MappingSpec | None, Source]:
    """The mapping and its source, whose line numbers point problems at the right line of it."""
    source = Source(path, shown, {}, {}, "", 1)
    if not path.is_file():
        report.problems.append(Problem(shown, 1, FILE_KEY, "対応表（mapping）のファイルがありません",
                                       "--map で対応表の YAML を指定してください（例: data/kintone-cases.yml）"))
        return None, source
    source = load_yaml_file(path, shown)
    report.problems += source.problems
    if source.problems:
        return None, source
    try:
        return MappingSpec.model_validate(source.meta), source
    except ValidationError as error:
        report.problems += problems_from_error(error, source, model=MappingSpec)
        return None, source


def decode(raw: bytes) -> str | None:
    """kintone exports UTF-8 with a BOM or Shift_JIS (Windows' cp932); UTF-8 is tried first."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_rows(path: Path, shown: str, report: Report) -> tuple[list[str], list[Row]] | None:
    """Records with the CSV line each starts on; a field may span lines."""
    if not path.is_file():
        report.problems.append(Problem(shown, 1, FILE_KEY, "CSV ファイルがありません", "ファイル名と場所を確かめてください"))
        return None
    text = decode(path.read_bytes())
    if text is None:
        report.problems.append(Problem(shown, 1, FILE_KEY, "文字コードを読み取れません（UTF-8 でも Shift_JIS でもありません）",
                                       "kintone から「UTF-8（BOM 付き）」か「Shift_JIS」で書き出し直してください"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        report.problems.append(Problem(shown, 1, FILE_KEY, "CSV に見出しの行がありません（empty CSV）",
                                       "kintone の「ファイルに書き出す」で、1 行目に項目名を含めて書き出してください"))
        return None
    names = [name.strip() for name in header]
    rows, start = [], reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append(Row(start, dict(zip(names, cells))))
        start = reader.line_num + 1
    return names, rows


def _missing_columns(mapping: MappingSpec, header: list[str], shown_csv: str, shown_map: str) -> list[Problem]:
    return [Problem(shown_csv, 1, column, f"対応表にある列「{column}」が CSV にありません",
                    f"kintone で「{column}」も書き出すか、{shown_map} から外してください")
            for column in mapping.columns() if column not in header]


def _refused_columns(mapping: MappingSpec, header: list[str], shown_csv: str, shown_map: str) -> list[Problem]:
    """Under `unmapped_columns: refuse`, every column the mapping does not read, on the header line."""
    if mapping.unmapped_columns != "refuse":
        return []
    wanted = mapping.columns()
    hint = f"kintone で書き出す列を {'、'.join(wanted)} だけにしてください（{shown_map}）"
    return [Problem(shown_csv, 1, column,
                    f"列「{column}」は個人の情報のおそれがあるため取り込めません（personal data column）"
                    if PERSONAL_COLUMN.search(column) else f"列「{column}」は対応表にないため取り込めません（unmapped column）",
                    hint)
            for column in dict.fromkeys(header) if column and column not in wanted]


class _Importer:
    """One import run: finds existing entries by record number and writes each row."""

    def __init__(self, project: Project, collection: Collection, mapping: MappingSpec, vocabularies: Vocabularies,
                 shown_csv: str, map_source: Source, report: Report, force: bool, today: date):
        self.project, self.collection, self.mapping = project, collection, mapping
        self.vocabularies, self.shown_csv, self.map_source = vocabularies, shown_csv, map_source
        self.shown_map = map_source.shown_path
        self.report, self.force, self.today = report, force, today
        self.top_shapes = shapes(collection.model, collection.name, vocabularies)
        self.shapes = {shape.dotted: shape for shape in walk(self.top_shapes)}
        self.folder = project.content_dir / collection.name
        self.by_record = _existing_records(project, collection)
        self.seen: dict[int, int] = {}
        self.context = {CONTEXT_KEY: SchemaContext(vocabularies, project.docs_dir)}

    def unknown_keys(self) -> list[Problem]:
        """Keys of the mapping that the collection's schema does not have, on their line of the mapping."""
        return [Problem(self.shown_map, self.map_source.line_of(("fields", key)), key,
                        f"「{key}」は {self.collection.name} の項目にありません", f"使える項目: {', '.join(self.shapes)}")
                for key in self.mapping.fields if key not in self.shapes]

    def problem(self, row: Row, key: str, message: str, hint: str) -> None:
        self.report.problems.append(Problem(self.shown_csv, row.line, key, message, hint))

    def take(self, row: Row) -> None:
        record = self.record_number(row)
        if record is None:
            return
        meta = self.front_matter(row)
        if meta is None:
            return
        body = _normal_body(row.cells.get(self.mapping.body, "") if self.mapping.body else "")
        existing = self.by_record.get(record)
        path = existing or self.folder / f"{self.slug(row, record)}.md"
        if existing is None and path.exists():
            self.problem(row, "slug", f"ファイル {self.project.shown(path)} は別の記事が使っています",
                         f"kintone の「{self.mapping.slug or 'URL名'}」に別の名前を書いてください")
            return
        self.write(row, record, path, meta, body, existing is not None)

    def record_number(self, row: Row) -> int | None:
        written = row.cells.get(self.mapping.record_number, "").strip()
        if not written.isdigit():
            self.problem(row, RECORD_KEY, f"レコード番号（「{self.mapping.record_number}」）が数字ではありません: 「{written}」",
                         "kintone の「レコード番号」の列も含めて書き出してください")
            return None
        record = int(written)
        if record in self.seen:
            self.problem(row, RECORD_KEY, f"レコード番号 {record} が {self.seen[record]} 行目にもあります（duplicate record）",
                         "同じレコードが 2 回書き出されていないか確かめてください")
            return None
        self.seen[record] = row.line
        return record

    def front_matter(self, row: Row) -> dict[str, Any] | None:
        meta: dict[str, Any] = {}
        failed = False
        for key, column in self.mapping.fields.items():
            shape = self.shapes[key]
            value = self.value(row, shape, column)
            if value is _FAILED:
                failed = True
            elif value not in (None, []):
                _put(meta, shape.path, value)
        contact = self.contact(row, meta.get("title", ""))
        if contact is _FAILED:
            return None
        if contact:
            meta[CONTACT_KEY] = contact
        return None if failed else meta

    def contact(self, row: Row, org: str) -> Any:
        """The register's public-contact column as a declared contact, named after the organisation."""
        column = self.mapping.public_contact
        written = row.cells.get(column, "").replace("\r\n", "\n").strip() if column else ""
        if not written:
            return None
        try:
            return contact_from_text(org, written)
        except ValueError as error:
            self.problem(row, CONTACT_KEY, f"kintone の「{column}」: {error}",
                         "団体が公開している固定電話・メールアドレス・ページだけを、1 行に 1 つ書いてください")
            return _FAILED

    def value(self, row: Row, shape: Shape, column: str) -> Any:
        written = row.cells.get(column, "").replace("\r\n", "\n").strip()
        if not written:
            return None
        if shape.kind == CHOICE:
            values = [part.strip() for part in written.split("\n") if part.strip()] if shape.many else [written]
            ids = [self.term_id(row, shape, column, value) for value in values]
            if any(term_id is None for term_id in ids):
                return _FAILED
            return ids if shape.many else ids[0]
        if shape.kind == DATE:
            return _iso_date(written)
        if shape.many:
            return [part.strip() for part in written.split("\n") if part.strip()]
        return written

    def term_id(self, row: Row, shape: Shape, column: str, written: str) -> str | None:
        """kintone's label → id: the mapping's labels first, then the vocabulary's own ids and labels."""
        name = shape.vocabulary or shape.dotted
        mapped = (self.mapping.labels.get(name) or {}).get(written)
        if mapped is not None:
            return mapped
        known = _term_by_label(self.vocabularies[shape.vocabulary], written) if shape.vocabulary else None
        known = known or next((value for value, label in shape.options if written in (value, label)), None)
        if known is None:
            self.problem(row, shape.dotted, f"kintone の「{column}」の値「{written}」を {name} の id に直せません",
                         f"{self.shown_map} の labels.{name} に「{written}: id」を書き足してください")
        return known

    def slug(self, row: Row, record: int) -> str:
        written = row.cells.get(self.mapping.slug, "").strip() if self.mapping.slug else ""
        if written and SLUG.fullmatch(written):
            return written
        if written:
            self.problem(row, "slug", f"URL 名「{written}」は使えません（半角英小文字・数字・ハイフンだけ）",
                         f"レコード番号から {_default_slug(self.collection, record)}.md にしました。kintone 側も直してください")
        return _default_slug(self.collection, record)

    def write(self, row: Row, record: int, path: Path, meta: dict[str, Any], body: str, exists: bool) -> None:
        record_hash = _hash(json.dumps([meta, body], ensure_ascii=False, sort_keys=True))
        old = read_source(path, self.project.shown(path)) if exists else None
        stamp = (old.meta.get(PRIVATE_KEY) or {}).get(KINTONE_KEY, {}) if old else {}
        if old and stamp.get("hash") == record_hash and not self.force:
            self.report.unchanged.append(self.project.shown(path))
            return
        if old and stamp.get("body_hash") != _hash(old.body) and not self.force:
            body = old.body
            self.report.body_kept.append(self.project.shown(path))
        merged = _merge(old.meta if old else {}, meta, self.mapping,
                        {"record": record, "hash": record_hash, "body_hash": _hash(body)})
        unwritten = self.unwritten(merged)
        if unwritten:
            merged = self.as_draft(merged, unwritten)
        if not self.valid(row, merged):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry_text(merged, body), encoding="utf-8")
        (self.report.updated if old else self.report.created).append(self.project.shown(path))
        if unwritten:
            self.report.drafted.append((self.project.shown(path), [shape.key for shape in unwritten]))

    def unwritten(self, meta: dict[str, Any]) -> list[Shape]:
        """Required keys that kintone does not hold and no editor has written yet."""
        owned = self.mapping.owned_keys()
        return [shape for shape in self.top_shapes if shape.required and shape.key not in meta and shape.key not in owned]

    def as_draft(self, meta: dict[str, Any], unwritten: list[Shape]) -> dict[str, Any]:
        """The keys as `hub new` writes them (their example text cannot be published), and `draft: true`."""
        examples = Examples(str(meta.get("title", "")), self.today, self.vocabularies)
        private = meta.pop(PRIVATE_KEY)
        filled = {shape.key: examples.value(shape, fill_optional=False) for shape in unwritten}
        return {**meta, **filled, DRAFT_KEY: True, PRIVATE_KEY: private}

    def valid(self, row: Row, meta: dict[str, Any]) -> bool:
        """The entry as it would be written must pass `hub check`; errors point at the CSV row."""
        published = {key: value for key, value in meta.items() if key != PRIVATE_KEY}
        try:
            self.collection.model.model_validate(published, context=self.context)
        except ValidationError as error:
            found = problems_from_error(error, Source(Path(self.shown_csv), self.shown_csv, {}, {}, "", 1),
                                        model=self.collection.model)
            columns = {key.split(".")[0]: column for key, column in self.mapping.fields.items()}
            if self.mapping.public_contact:
                columns[CONTACT_KEY] = self.mapping.public_contact
            self.report.problems += [_with_column(problem, columns, row.line) for problem in found]
            return False
        return True


_FAILED = object()


def _with_column(problem: Problem, columns: dict[str, str], line: int) -> Problem:
    """On the row's line (a missing key has none of its own), naming the kintone field to fix."""
    column = columns.get(problem.key.split(".")[0])
    hint = problem.hint
    if column is not None:
        hint = f"kintone の「{column}」を確かめてください" + (f"（{problem.hint}）" if problem.hint else "")
    return Problem(problem.path, line, problem.key, problem.message, hint)


def _existing_records(project: Project, collection: Collection) -> dict[int, Path]:
    found: dict[int, Path] = {}
    for path in collection_files(project, collection):
        source = read_source(path, project.shown(path))
        stamp = (source.meta.get(PRIVATE_KEY) or {}) if isinstance(source.meta.get(PRIVATE_KEY), dict) else {}
        record = (stamp.get(KINTONE_KEY) or {}).get("record") if isinstance(stamp.get(KINTONE_KEY), dict) else None
        if isinstance(record, int):
            found[record] = path
    return found


def _merge(old: dict[str, Any], new: dict[str, Any], mapping: MappingSpec, stamp: dict[str, Any]) -> dict[str, Any]:
    """kintone's keys replace the old ones (a key emptied in kintone goes); the editors' own keys stay."""
    owned = mapping.owned_keys()
    kept = {key: value for key, value in old.items() if key not in owned and key != PRIVATE_KEY}
    private = dict(old.get(PRIVATE_KEY) or {})
    private[KINTONE_KEY] = stamp
    return {**new, **kept, PRIVATE_KEY: private}


def _put(meta: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        meta = meta.setdefault(part, {})
    meta[path[-1]] = value


def _term_by_label(vocabulary: Vocabulary, written: str) -> str | None:
    for term in vocabulary.terms:
        if written in (term.id, term.label, term.display_label):
            return term.id
    return None


def _iso_date(written: str) -> str:
    """kintone writes 2020-09-15; people re-saving the CSV in Excel get 2020/9/15."""
    match = re.fullmatch(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", written)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else written


def _default_slug(collection: Collection, record: int) -> str:
    singular = collection.name[:-1] if collection.name.endswith("s") else collection.name
    return f"{singular}-{record}"


def _normal_body(text: str) -> str:
    """The body as the loader reads it back: LF line ends, no blank lines around."""
    text = text.replace("\r\n", "\n").strip("\n")
    return text + "\n" if text else ""


def _hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(_normal_body(text).encode("utf-8")).hexdigest()


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block, as a person would write it."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def entry_text(meta: dict[str, Any], body: str) -> str:
    front = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{body}" if body else f"---\n{front}---\n"


def run_import(settings: Settings, collection_name: str, csv_path: Path, map_path: Path | None, force: bool) -> int:
    """`hub import`: write what can be written, report every row that could not, exit 1 if any."""
    project = Project.from_settings(settings)
    collection = COLLECTIONS[collection_name]
    map_path = map_path or settings.root / "data" / f"kintone-{collection_name}.yml"
    try:
        vocabularies = Vocabularies.load(project.vocabularies_file, project.shown(project.vocabularies_file))
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    today = resolve_now(settings.now, settings.root).date()
    report = import_csv(project, collection, csv_path.resolve(), map_path.resolve(), vocabularies, force, today)
    for path in report.body_kept:
        print(f"{path}: 本文は手で編集されているため、そのままにしました（--force で kintone の本文に置き換えます）")
    for path, keys in report.drafted:
        print(f"{path}: 下書きにしました。kintone にない {', '.join(keys)} を書いてから draft: true の行を削除してください")
    print(f"取り込み: 新規 {len(report.created)} 件、更新 {len(report.updated)} 件、変更なし {len(report.unchanged)} 件")
    if report.problems:
        print(ContentError(report.problems).report(), file=sys.stderr)
        return 1
    return 0
