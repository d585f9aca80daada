"""数字で見る横浜: a short story told with open data, and the figures that show it.

A figure names a table under data/open/ (hub.collections.data.tables) and says how to
chart it in a few keys an editor can write: a bar, a stacked bar or a line, which column
gives the categories and which the values, an optional series, sort and filter. A
maintainer may give a whole Vega-Lite spec instead (`vega_lite:`); its data is always the
table's. Every figure says its main finding in words (`finding:`): the chart's description
for screen readers and the sentence a reader who skips the chart takes away.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from hub.collections.cases import updated_not_before_date
from hub.collections.data.tables import Table
from hub.core.collection import EntryMeta, Taxonomy
from hub.core.fields import HubModel, IsoDate, TermIds, Text, hub_error

NAME = "data"
THEMES = Taxonomy("themes", "themes")
WARDS = Taxonomy("wards", "wards")
MARKS = {"bar": "棒グラフ", "stacked-bar": "積み上げ棒グラフ", "line": "折れ線グラフ"}
MAX_SERIES = 6  # as many as there are fills told apart by pattern as well as colour


class RowFilter(HubModel):
    """Only the rows whose `column` holds `equals` (one year of several, say)."""

    column: Text = Field(title="列名")
    equals: str | int = Field(title="値")


class Chart(HubModel):
    mark: Literal["bar", "stacked-bar", "line"] = Field(
        title="グラフの種類", description="bar（棒）、stacked-bar（積み上げ棒）、line（折れ線）")
    category: Text = Field(title="項目の列", description="棒の名前や折れ線の横軸（年など）になる列")
    value: Text = Field(title="数値の列", description="棒の長さや折れ線の高さになる列")
    series: Text | None = Field(default=None, title="系列の列",
                                description="積み上げの内訳や折れ線の本数になる列（年齢層など）")
    category_title: Text | None = Field(default=None, title="項目の軸の名前")
    value_title: Text | None = Field(default=None, title="数値の軸の名前", description="書かなければ「列名（単位）」")
    sort: Literal["none", "ascending", "descending"] = Field(
        default="none", title="並べ方", description="none（CSV の順）、descending（大きい順）、ascending（小さい順）")
    filter: RowFilter | None = Field(default=None, title="使う行の条件")

    @model_validator(mode="after")
    def _series_fits_mark(self) -> "Chart":
        if self.mark == "stacked-bar" and self.series is None:
            raise hub_error("chart_series", "積み上げ棒グラフには series（内訳の列）が要ります",
                            "内訳がなければ mark: bar にしてください")
        return self


class Figure(HubModel):
    csv: Text = Field(title="CSV ファイル", description="data/open/ にある CSV の名前（例: npo-by-ward.csv）")
    title: Text = Field(title="図の題", description="図の上に「図1」と並んで出ます。何の数字か、いつのものか")
    finding: Text = Field(title="この図からわかること",
                          description="いちばん伝えたいことを 1〜2 文で。画面読み上げで図の代わりに読まれます")
    chart: Chart | None = Field(default=None, title="グラフ")
    vega_lite: dict[str, Any] | None = Field(default=None, title="Vega-Lite の仕様（保守担当者向け）")
    _table: Table | None = PrivateAttr(default=None)

    @property
    def table(self) -> Table:
        """The validated table, once linked (hub.collections.data.linking)."""
        assert self._table is not None, "figures are linked to their tables before pages are made"
        return self._table

    def linked(self, table: Table) -> "Figure":
        found = self.model_copy()
        found._table = table
        return found

    @field_validator("csv")
    @classmethod
    def _csv_name(cls, value: str) -> str:
        name = value.removeprefix("data/open/")
        if "/" in name or "\\" in name or not name.endswith(".csv"):
            raise hub_error("figure_csv", f"「{value}」は data/open/ の CSV の名前として読めません",
                            "例: npo-by-ward.csv（フォルダーは書きません）")
        return name

    @model_validator(mode="after")
    def _one_chart(self) -> "Figure":
        if (self.chart is None) == (self.vega_lite is None):
            raise hub_error("figure_chart", "chart: と vega_lite: のどちらか一方だけを書いてください",
                            "ふつうは chart: に mark、category、value を書きます")
        return self


class DataMeta(EntryMeta):
    title: Text
    date: IsoDate = Field(title="公開日")
    updated: IsoDate | None = Field(default=None, title="更新日")
    summary: Text
    themes: TermIds("themes") = Field(title="テーマ", description="1 つ以上選びます")  # type: ignore[valid-type]
    wards: TermIds("wards", min_length=0) = Field(  # type: ignore[valid-type]
        default=[], title="区", description="特定の区についてのデータなら選びます。市全体なら空のまま")
    figures: list[Figure] = Field(min_length=1, title="図")

    _updated_not_before_date = field_validator("updated")(updated_not_before_date)
