"""Figures joined to their tables once content and tables are both read.

A figure names its CSV and columns by name; a name that matches nothing is a problem on the
figure's line in the page's file, with the names that exist. Linked figures carry their
table, so that pages never look a table up again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from hub.collections.data.schema import MAX_SERIES, NAME, Figure
from hub.collections.data.tables import Table, load_tables
from hub.core.collection import Entry
from hub.core.content import Content
from hub.core.problems import ContentError, Problem
from hub.guard.privacy import PrivacyPolicy
from hub.reading.frontmatter import read_source

NUMERIC = ("integer", "number")


def link_figures(content: Content, root: Path, privacy: PrivacyPolicy) -> Content:
    """Content whose data pages' figures carry their tables; ContentError listing every problem
    of every table and every figure."""
    tables, problems = load_tables(root, content.vocabularies["wards"], privacy)
    problems += [problem for entry in content[NAME] for problem in _entry_problems(entry, tables, root)]
    if problems:
        raise ContentError(problems)
    entries = [_linked(entry, tables) for entry in content[NAME]]
    return dataclasses.replace(content, entries={**content.entries, NAME: entries}) if entries else content


def _linked(entry: Entry, tables: dict[str, Table | None]) -> Entry:
    figures = [figure.linked(tables[figure.csv.removesuffix(".csv")]) for figure in entry.meta.figures]  # type: ignore[arg-type]
    return dataclasses.replace(entry, meta=entry.meta.model_copy(update={"figures": figures}))


def _entry_problems(entry: Entry, tables: dict[str, Table | None], root: Path) -> list[Problem]:
    found = [(index, key, message, hint) for index, figure in enumerate(entry.meta.figures)
             for key, message, hint in figure_problems(figure, tables)]
    if not found:
        return []
    source = read_source(root / entry.source, entry.source)
    return [Problem(entry.source, source.line_of(("figures", index, *key.split("."))), f"figures.{key}", message, hint)
            for index, key, message, hint in found]


def figure_problems(figure: Figure, tables: dict[str, Table | None]) -> Iterator[tuple[str, str, str]]:
    """(key, message, hint) for each name in the figure that its table does not have; a table
    with problems of its own is reported on its own lines, not here."""
    name = figure.csv.removesuffix(".csv")
    if name not in tables:
        yield "csv", f"data/open/{figure.csv} がありません", "使える CSV: " + ("、".join(f"{name}.csv" for name in tables) or "（まだありません）")
        return
    table, chart = tables[name], figure.chart
    if table is None or chart is None:
        return
    names = "、".join(column.name for column in table.schema.columns)
    for key in ("category", "value", "series"):
        column_name = getattr(chart, key)
        if column_name is not None and table.column(column_name) is None:
            yield f"chart.{key}", f"{figure.csv} に「{column_name}」という列はありません", f"列: {names}"
    value = table.column(chart.value)
    if value is not None and value.type not in NUMERIC:
        yield "chart.value", f"「{chart.value}」は数値の列ではありません", "value には型が integer か number の列を選んでください"
    if chart.filter is not None and table.column(chart.filter.column) is None:
        yield "chart.filter.column", f"{figure.csv} に「{chart.filter.column}」という列はありません", f"列: {names}"
    if chart.series is not None and table.column(chart.series) is not None:
        count = len({row[chart.series] for row in table.rows})
        if count > MAX_SERIES:
            yield "chart.series", f"系列が {count} 個あります（{MAX_SERIES} 個まで）", "filter で絞るか、図を分けてください"
