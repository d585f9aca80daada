"""Open data tables: `data/open/<name>.csv`, each described by `data/open/<name>.yml` beside it.

The description says what every column holds (its type and unit), where the figures come
from (the source's name and URL), under which licence they may be reused (with the
attribution the source asks for), the date they describe (時点), and whether they are
made-up sample values. Every CSV is read against its description before anything is
published: a problem names `data/open/<name>.csv`, the line of the row and the column, so
that an editor finds the cell in a spreadsheet or on GitHub.

The CSV is published as it is (readers download it), so a cell a spreadsheet would run as
a formula (`=cmd|…`) is refused rather than escaped.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from hub.core.fields import HubModel, IsoDate, Text, WebUrl
from hub.core.problems import Problem, display_path
from hub.core.validation import problems_from_error
from hub.core.vocab import Vocabulary
from hub.guard.privacy import PrivacyPolicy, problems_in
from hub.reading.frontmatter import load_yaml_file

OPEN_DATA_DIR = Path("data") / "open"
MAX_BYTES = 1_000_000  # a table a page charts and lists in full; larger data belongs on the source's site
MAX_DIGITS = 15  # beyond this a spreadsheet rounds the number: a longer one is a slip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SAMPLE_LABEL = "サンプル（架空の値）"
CellValue = str | int | Decimal

ColumnType = Literal["text", "integer", "number", "year", "ward"]
TYPE_LABELS = {"text": "文字", "integer": "整数", "number": "数値", "year": "年", "ward": "区の名前"}


class Column(HubModel):
    name: Text = Field(title="列名", description="CSV の 1 行目に書いた見出しと同じ文字")
    type: ColumnType = Field(title="型", description="text（文字）、integer（整数）、number（小数も可）、year（西暦年）、ward（横浜市の区の名前）")
    unit: Text | None = Field(default=None, title="単位", description="人、団体、% など。表とグラフの軸に出ます")


class DataSource(HubModel):
    name: Text = Field(title="出典", description="統計や調査の名前と発行元（例: 横浜市統計ポータル「…」）")
    url: WebUrl | None = Field(default=None, title="出典の URL")


class Licence(HubModel):
    name: Text = Field(title="ライセンス", description="例: CC BY 4.0")
    url: WebUrl | None = Field(default=None, title="ライセンスの URL")
    attribution: Text | None = Field(default=None, title="出典の表示",
                                     description="提供元が求める書き方（例: 「…」（横浜市）を加工して作成）")


class TableSchema(HubModel):
    """What `data/open/<name>.yml` declares about the CSV of the same name."""

    title: Text = Field(title="表の名前")
    source: DataSource
    licence: Licence
    as_of: IsoDate = Field(title="時点", description="数字がいつのものか（YYYY-MM-DD）")
    sample: bool = Field(default=False, title="サンプル（架空の値）",
                         description="出典のある本当の数字でなければ true。ページとビルドに「サンプル（架空の値）」と出ます")
    columns: list[Column] = Field(min_length=1)


@dataclass(frozen=True)
class Table:
    """One validated CSV: its description, its rows as typed values, and its bytes as published."""

    name: str
    schema: TableSchema
    rows: list[dict[str, CellValue]]
    data: bytes

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column | None:
        return next((column for column in self.schema.columns if column.name == name), None)


class CellError(ValueError):
    """A cell that does not read as its column's type: a Japanese message and what to write instead."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def load_tables(root: Path, wards: Vocabulary, privacy: PrivacyPolicy) -> tuple[dict[str, Table | None], list[Problem]]:
    """Every CSV under data/open/ by name (None for one with problems), and every problem of every table."""
    folder = root / OPEN_DATA_DIR
    if not folder.is_dir():
        return {}, []
    tables: dict[str, Table | None] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.csv")):
        tables[path.stem], found = read_table(path, root, wards, privacy)
        problems += found
    problems += [Problem(display_path(path, root), 1, "csv", f"{path.stem}.csv がありません（説明だけがあります）",
                         "CSV を同じ名前で置くか、この説明のファイルを削除してください")
                 for path in sorted(folder.glob("*.yml")) if path.stem not in tables]
    return tables, problems


def read_table(path: Path, root: Path, wards: Vocabulary, privacy: PrivacyPolicy) -> tuple[Table | None, list[Problem]]:
    """The table and its problems (the table is None when it has any)."""
    shown = display_path(path, root)
    schema, problems = _read_schema(path.with_suffix(".yml"), root, privacy)
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        return None, [*problems, Problem(shown, 1, "csv", f"ファイルが大きすぎます（{len(data):,} バイト）",
                                         f"{MAX_BYTES:,} バイトまで。ページで見せる分だけに絞り、全体は出典へのリンクで案内してください")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [*problems, Problem(shown, 1, "csv", "文字コードが UTF-8 ではありません（Excel の「CSV UTF-8」で保存し直してください）",
                                         "Excel: 名前を付けて保存 → ファイルの種類「CSV UTF-8（コンマ区切り）」")]
    problems += problems_in(shown, 1, "text", text.replace("\r\n", "\n"), privacy)
    if schema is None:
        return None, problems
    rows, found = parse_rows(text, schema, shown, wards)
    problems += found
    return (None if problems else Table(path.stem, schema, rows, data)), problems


def _read_schema(path: Path, root: Path, privacy: PrivacyPolicy) -> tuple[TableSchema | None, list[Problem]]:
    shown = display_path(path, root)
    if not path.is_file():
        return None, [Problem(shown, 1, "file", "CSV の説明のファイルがありません",
                              "CSV と同じ名前の .yml に title、source、licence、as_of、columns を書いてください"
                              "（doc/collections.md の「数字で見る横浜」）")]
    source = load_yaml_file(path, shown)
    problems = list(source.problems)
    for key, value in _strings(source.meta):
        problems += problems_in(shown, source.line_of(key), ".".join(map(str, key)), value, privacy, same_line=True)
    if source.problems:
        return None, problems
    try:
        return TableSchema.model_validate(source.meta), problems
    except ValidationError as error:
        return None, problems + problems_from_error(error, source, model=TableSchema)


def _strings(value: object, key: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, (*key, str(name)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*key, index))


def parse_rows(text: str, schema: TableSchema, shown: str, wards: Vocabulary) -> tuple[list[dict[str, CellValue]], list[Problem]]:
    """Rows as typed values by column name; each problem on the row's line (the header is line 1).
    Rows left wholly empty (a spreadsheet's trailing lines) are not rows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, [])
        problems = _header_problems([cell.strip() for cell in header], schema, shown)
        if problems:
            return [], problems
        rows: list[dict[str, CellValue]] = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                row, found = _row(cells, schema, shown, line, wards)
                rows.append(row)
                problems += found
            line = reader.line_num + 1
    except csv.Error as error:
        return [], [Problem(shown, reader.line_num, "csv", f"CSV として読めません（{error}）",
                            "引用符（\"）の閉じ忘れがないか確かめてください")]
    if not rows and not problems:
        problems.append(Problem(shown, 2, "csv", "データの行がありません", "2 行目から 1 行に 1 件ずつ書いてください"))
    return rows, problems


def _header_problems(header: list[str], schema: TableSchema, shown: str) -> list[Problem]:
    declared = [column.name for column in schema.columns]
    if header == declared:
        return []
    return [Problem(shown, 1, "columns", f"1 行目の列名が説明と違います: {'、'.join(header) or '（空）'}",
                    f"説明（.yml の columns）の順に {'、'.join(declared)} と書いてください")]


def _row(cells: list[str], schema: TableSchema, shown: str, line: int,
         wards: Vocabulary) -> tuple[dict[str, CellValue], list[Problem]]:
    columns = schema.columns
    if len(cells) != len(columns):
        return {}, [Problem(shown, line, "csv", f"この行は {len(cells)} 列ですが、表は {len(columns)} 列です",
                            "カンマ（,）の数を確かめてください。値にカンマを含めるなら \"…\" で囲みます")]
    row: dict[str, CellValue] = {}
    problems = []
    for column, cell in zip(columns, cells):
        try:
            row[column.name] = parse_cell(cell, column, wards)
        except CellError as error:
            problems.append(Problem(shown, line, column.name, error.message, error.hint))
    return row, problems


def parse_cell(cell: str, column: Column, wards: Vocabulary) -> CellValue:
    """One cell as its column's type, or CellError saying what is wrong in Japanese."""
    text = cell.strip()
    if not text:
        raise CellError("値がありません", f"{column.name} の値（{TYPE_LABELS[column.type]}）を書いてください。"
                                          "不明なら出典の注記に従い、行ごと省くかどうか担当者に相談してください")
    if column.type == "ward":
        return _ward(text, wards)
    if column.type in ("integer", "number", "year"):
        return _number(text, column)
    if text.startswith(FORMULA_STARTS):
        raise CellError(f"「{text[:20]}」は表計算ソフトが式として実行してしまう書き方です",
                        "先頭の = + - @ を取るか、全角の文字にしてください")
    return text


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _number(text: str, column: Column) -> int | Decimal:
    normal = unicodedata.normalize("NFKC", text).replace("−", "-")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", normal):
        raise CellError(f"数字にカンマ（,）は使えません: 「{text}」", f"{normal.replace(',', '')} と書いてください")
    if column.unit and normal.endswith(column.unit):
        raise CellError(f"単位は書きません: 「{text}」", f"数字だけを書いてください（単位「{column.unit}」は説明の unit に書いてあります）")
    if not _NUMBER.fullmatch(normal):
        raise CellError(f"「{text}」は数字として読めません", "半角の数字だけで書いてください（例: 1234、12.5）")
    if len(normal.lstrip("-").replace(".", "")) > MAX_DIGITS:
        raise CellError(f"数字の桁が多すぎます（{len(normal)} 桁）", f"{MAX_DIGITS} 桁までです。単位（千人、億円など）を変えてください")
    if column.type == "number":
        try:
            return Decimal(normal)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise CellError(f"「{text}」は数字として読めません") from None
    if "." in normal:
        raise CellError(f"「{text}」は整数ではありません", "小数を使うなら説明の type を number にしてください")
    value = int(normal)
    if column.type == "year" and not 1868 <= value <= 2100:
        raise CellError(f"{value} は西暦の年として読めません", "4 桁の西暦で書いてください（例: 2020）")
    return value


def _ward_key(name: str) -> str:
    """A ward's name as compared: full-width letters and spaces as statistics tables may write them."""
    return unicodedata.normalize("NFKC", name).replace(" ", "")


def _ward(text: str, wards: Vocabulary) -> str:
    """A ward by its Japanese name as statistics write it (西区), returned as the name."""
    normal = _ward_key(text)
    labels = {_ward_key(term.label): term.label for term in wards.terms}
    if normal in labels:
        return labels[normal]
    close = ([term.label for term in wards.suggest(normal)]
             or difflib.get_close_matches(normal, list(labels.values()), n=3, cutoff=0.6))
    hint = f"もしかして {' / '.join(close)}？" if close else "横浜市の 18 区の名前を「西区」のように書いてください"
    raise CellError(f"「{text}」という区はありません", hint)
