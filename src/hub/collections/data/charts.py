"""Figures drawn at build time: Vega-Lite rendered to SVG by vl-convert, offline, made fit for the page.

vl-convert draws with fixed colours and its own ARIA labels. The spec asks it for
`currentColor` wherever text, axes and grid lines go, so that they take the page's text
colour in light and dark schemes and in print; each series is drawn in a placeholder
colour that `_finish` turns into a class (coloured by the site's stylesheet, charts.css)
and, for stacked bars, a fill pattern of its own, so that no series is told apart by colour
alone. The page's <figure> gives the SVG `role="img"`, its <title> and <desc>; vl-convert's
ARIA attributes, which would describe every axis tick to a screen reader, are removed.

Rendering costs about 1 s for the first chart of a process (vl-convert starts its
JavaScript engine) and a tenth of that for each further one. A chart is drawn when a page
first asks for it (never by `hub check`), and kept under .cache/hub/charts/ by the digest
of all it is made from: the spec with its data, the title and finding, vl-convert's version
and this module's source. An unchanged chart is read back, not drawn again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

from lxml import etree
from markupsafe import Markup

from hub import CACHE_ROOT
from hub.collections.data.schema import MARKS, Chart, Figure
from hub.collections.data.tables import CellValue, Column, Table
from hub.output.formatting import japanese_number

CACHE_DIR = CACHE_ROOT / "charts"
SVG_NS = "http://www.w3.org/2000/svg"
FONT = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif'
# Placeholder colours, one per series: `_finish` replaces each with the series' class.
SERIES_COLOURS = [f"#0000a{number}" for number in range(1, 7)]
WIDTH = 320  # drawn for a phone's column; the SVG scales with the page
BAR_STEP = 28  # px per bar: room for a label of 14 px and a gap
ARIA_ATTRIBUTES = ("role", "aria-label", "aria-roledescription", "aria-hidden")
CONFIG: dict[str, Any] = {
    "font": FONT, "background": None, "view": {"stroke": None},
    "axis": {"labelColor": "currentColor", "titleColor": "currentColor", "gridColor": "currentColor",
             "gridOpacity": 0.25, "domainColor": "currentColor", "tickColor": "currentColor",
             "labelFontSize": 13, "titleFontSize": 13, "labelLimit": 160},
    "legend": {"labelColor": "currentColor", "titleColor": "currentColor", "labelFontSize": 13,
               "titleFontSize": 13, "orient": "bottom", "direction": "vertical", "symbolSize": 200},
    "text": {"fill": "currentColor", "fontSize": 13},
    "range": {"category": SERIES_COLOURS},
    "bar": {"stroke": "currentColor", "strokeWidth": 0.5},
}


@dataclass(frozen=True)
class ChartView:
    """One figure as its page shows it: the rows it plots, the SVG, and the words around them."""

    figure: Figure
    root: Path  # the project's: charts are kept under its .cache/
    key: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", _digest(self.spec(), self.figure.title, self.figure.finding))

    @property
    def table(self) -> Table:
        return self.figure.table

    @property
    def kind(self) -> str:
        """「棒グラフ」: what the description tells a reader who cannot see the chart."""
        return MARKS[self.figure.chart.mark] if self.figure.chart else "グラフ"

    @property
    def columns(self) -> list[Column]:
        """The columns the table under the chart shows: those charted, or every one for a raw spec."""
        chart = self.figure.chart
        if chart is None:
            return list(self.table.schema.columns)
        names = [chart.category, *([chart.series] if chart.series else []), chart.value]
        return [column for name in names if (column := self.table.column(name)) is not None]

    @property
    def rows(self) -> list[dict[str, CellValue]]:
        return plotted_rows(self.figure.chart, self.table)

    def cell(self, row: dict[str, CellValue], column: Column) -> str:
        """A cell as the table under the chart shows it: 1,234人, 2020年, 西区."""
        value = row[column.name]
        if column.type == "year":
            return f"{value}年"
        if column.type in ("integer", "number"):
            return japanese_number(value) + (column.unit or "")  # type: ignore[arg-type]
        return str(value)

    @property
    def element_id(self) -> str:
        return f"hub-chart-{self.key[:12]}"

    def spec(self) -> dict[str, Any]:
        values = [{name: _json_value(value) for name, value in row.items()} for row in self.rows]
        spec = dict(self.figure.vega_lite) if self.figure.chart is None else chart_spec(self.figure.chart, self.table, len(values))
        return {**spec, "data": {"values": values}, "config": CONFIG, "$schema": "https://vega.github.io/schema/vega-lite/v5.json"}

    def svg(self) -> Markup:
        """The SVG as markup for the page: kept under .cache/hub/charts/ or drawn now."""
        kept = self.root / CACHE_DIR / f"{self.key}.svg"
        if kept.is_file():
            return Markup(kept.read_text(encoding="utf-8"))
        hatched = self.figure.chart is not None and self.figure.chart.mark == "stacked-bar"
        svg = finish(render(self.spec()), self.element_id, self.figure.title, self.description(), hatched)
        _keep(kept, svg)
        return Markup(svg)

    def description(self) -> str:
        return f"{self.kind}。{self.figure.finding}"


def plotted_rows(chart: Chart | None, table: Table) -> list[dict[str, CellValue]]:
    """The table's rows the chart draws, in the order it lists them: the filter's rows, sorted as asked."""
    rows = list(table.rows)
    if chart is None:
        return rows
    if chart.filter is not None:
        wanted = str(chart.filter.equals)
        rows = [row for row in rows if str(row[chart.filter.column]) == wanted]
    if chart.sort != "none" and chart.series is None:
        rows.sort(key=lambda row: row[chart.value], reverse=chart.sort == "descending")
    return rows


def chart_spec(chart: Chart, table: Table, count: int) -> dict[str, Any]:
    """The Vega-Lite spec of an editor's chart: bars lie on their side (Japanese labels read
    level on a phone) with their values written at their ends; lines mark each point, each
    series with a dash pattern and point shape of its own."""
    category = {"field": chart.category, "title": chart.category_title or chart.category}
    value = {"field": chart.value, "type": "quantitative", "title": chart.value_title or _titled(table.column(chart.value))}
    series = {"field": chart.series, "type": "nominal", "title": chart.series, "sort": None} if chart.series else None
    if chart.mark == "line":
        return _line_spec(chart, category, value, table)
    categories = len(dict.fromkeys(str(row[chart.category]) for row in plotted_rows(chart, table)))
    bar_y = {**category, "type": "nominal", "sort": None}
    bars: dict[str, Any] = {"mark": {"type": "bar"}, "encoding": {"y": bar_y, "x": value}}
    if series:
        bars["encoding"]["color"] = series
        return {"width": WIDTH - 80, "height": categories * BAR_STEP, **bars}
    bars["encoding"]["color"] = {"value": SERIES_COLOURS[0]}
    labels = {"mark": {"type": "text", "align": "left", "dx": 4},
              "encoding": {"y": bar_y, "x": {"field": chart.value, "type": "quantitative"},
                           "text": {"field": chart.value, "type": "quantitative", "format": _number_format(chart, table)}}}
    return {"width": WIDTH - 80, "height": count * BAR_STEP, "layer": [bars, labels]}


def _line_spec(chart: Chart, category: dict[str, Any], value: dict[str, Any], table: Table) -> dict[str, Any]:
    """Each series named at its last point (no legend to match colours against), dashed and
    marked with a point shape of its own."""
    line: dict[str, Any] = {"mark": {"type": "line", "point": {"filled": True, "size": 70}}}
    layers = [line]
    if chart.series:
        series = {"field": chart.series, "type": "nominal", "legend": None, "sort": None}
        line["encoding"] = {"color": series, "strokeDash": series, "shape": series}
        last = plotted_rows(chart, table)[-1][chart.category]
        layers.append({"transform": [{"filter": {"field": chart.category, "equal": _json_value(last)}}],
                       "mark": {"type": "text", "align": "left", "dx": 8}, "encoding": {"text": {"field": chart.series}}})
    else:
        line["encoding"] = {"color": {"value": SERIES_COLOURS[0]}}
    return {"width": WIDTH - 100, "height": 220, "layer": layers,
            "encoding": {"x": {**category, "type": "ordinal", "axis": {"labelAngle": 0}}, "y": value}}


def _number_format(chart: Chart, table: Table) -> str:
    """d3's format for the values written at the bars: grouped, with the places the CSV gives (1.0, not 1)."""
    places = max((-int(value.as_tuple().exponent) for row in plotted_rows(chart, table)
                  if isinstance(value := row[chart.value], Decimal)), default=0)
    return f",.{places}f"


def _titled(column: Column | None) -> str:
    if column is None:
        return ""
    return f"{column.name}（{column.unit}）" if column.unit else column.name


def _json_value(value: CellValue) -> str | int | float:
    return float(value) if isinstance(value, Decimal) else value


def render(spec: dict[str, Any]) -> bytes:
    import vl_convert  # its JavaScript engine starts on import's first use: only builds that draw pay for it

    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def finish(svg: bytes, element_id: str, title: str, description: str, hatched: bool = False) -> str:
    """vl-convert's SVG as the page carries it: no fixed size, colours or ARIA of its own, a
    <title> and <desc>, and series by class (and pattern, for areas) instead of colour."""
    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
    for name in ("width", "height", "class", "version"):
        root.attrib.pop(name, None)
    for element in root.iter():
        for name in ARIA_ATTRIBUTES + ("style", "pointer-events"):
            element.attrib.pop(name, None)
    _series_classes(root, element_id, hatched)
    root.set("class", "hub-chart__svg")
    root.set("role", "img")
    root.set("aria-labelledby", f"{element_id}-title {element_id}-desc")
    for name, text in (("desc", description), ("title", title)):
        node = etree.Element(f"{{{SVG_NS}}}{name}", id=f"{element_id}-{name}")
        node.text = text
        root.insert(0, node)
    return etree.tostring(root, encoding="unicode")


def _series_classes(root: etree._Element, element_id: str, hatched: bool) -> None:
    """Each placeholder colour becomes the series' class; `hatched` areas also get their pattern."""
    patterns: set[int] = set()
    for element in root.iter():
        for attribute in ("fill", "stroke"):
            colour = element.get(attribute)
            if colour not in SERIES_COLOURS:
                continue
            number = SERIES_COLOURS.index(colour) + 1
            element.attrib.pop(attribute)
            if hatched and attribute == "fill" and number > 1:  # the pattern holds the colour
                element.set("fill", f"url(#{element_id}-p{number})")
                patterns.add(number)
            else:
                element.set("class", " ".join([*element.get("class", "").split(), f"hub-chart__{attribute}-{number}"]))
    if patterns:
        root.insert(0, _pattern_defs(element_id, sorted(patterns)))


# Series 2… are hatched as well as coloured: lines at these angles (series 1 is solid).
HATCH_ANGLES = {2: 45, 3: -45, 4: 0, 5: 90, 6: 45}


def _pattern_defs(element_id: str, numbers: list[int]) -> etree._Element:
    defs = etree.Element(f"{{{SVG_NS}}}defs")
    for number in numbers:
        pattern = etree.SubElement(defs, f"{{{SVG_NS}}}pattern", id=f"{element_id}-p{number}", width="6", height="6",
                                   patternUnits="userSpaceOnUse", patternTransform=f"rotate({HATCH_ANGLES[number]})")
        etree.SubElement(pattern, f"{{{SVG_NS}}}rect", width="6", height="6", attrib={"class": f"hub-chart__fill-{number}"})
        etree.SubElement(pattern, f"{{{SVG_NS}}}line", x1="0", y1="0", x2="0", y2="6",
                         attrib={"class": "hub-chart__hatch" + (" hub-chart__hatch--cross" if number == 6 else "")})
    return defs


def _keep(path: Path, svg: str) -> None:
    """Written whole or not at all: a build stopped half way leaves no broken chart behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    with os.fdopen(handle, "w", encoding="utf-8") as output:
        output.write(svg)
    os.replace(temporary, path)


def _digest(spec: dict[str, Any], title: str, finding: str) -> str:
    payload = json.dumps([spec, title, finding, _tool_version(), _code_version()], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@functools.cache
def _tool_version() -> str:
    return version("vl-convert-python")


@functools.cache
def _code_version() -> str:
    """This module's own source: a change to how charts are finished draws every chart again."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
