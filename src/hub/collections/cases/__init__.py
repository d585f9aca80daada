"""Collaboration case studies (協働事例)."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationInfo, field_validator

from hub.core.collection import Collection, EntryMeta, Taxonomy, by_date
from hub.core.fields import HubModel, IsoDate, LocalFile, TermId, TermIds, Text, WebUrl, hub_error
from hub.core.references import Party


class Partner(Party):
    """A partner of the collaboration: a registered group or a name as written, and its sector."""

    sector: TermId("sectors") | None = None  # type: ignore[valid-type]


class Link(HubModel):
    title: Text
    url: WebUrl


class Period(HubModel):
    start: IsoDate
    end: IsoDate | None = None

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if end and start and end < start:
            raise hub_error("period_order", f"終了日 {end} が開始日 {start} より前です",
                            "start と end を入れ替えていないか確かめてください")
        return end


def updated_not_before_date(cls: type, updated: date | None, info: ValidationInfo) -> date | None:
    """`updated` of an entry that also has a publication `date` (cases, data pages)."""
    published = info.data.get("date")
    if updated and published and updated < published:
        raise hub_error("updated_order", f"更新日 {updated} が公開日 {published} より前です",
                        "updated には date 以降の日付を書いてください")
    return updated


class Image(HubModel):
    src: LocalFile
    alt: Text


class CaseMeta(EntryMeta):
    title: Text
    date: IsoDate
    updated: IsoDate | None = None
    summary: Text
    themes: TermIds("themes")  # type: ignore[valid-type]
    sectors: TermIds("sectors")  # type: ignore[valid-type]
    wards: TermIds("wards")  # type: ignore[valid-type]
    sdgs: TermIds("sdgs")  # type: ignore[valid-type]
    status: TermId("case_status")  # type: ignore[valid-type]
    period: Period | None = None
    partners: list[Partner] = []
    image: Image | None = None
    links: list[Link] = []

    _updated_not_before_date = field_validator("updated")(updated_not_before_date)


CASES = Collection(
    name="cases",
    label="協働事例",
    model=CaseMeta,
    sort_key=by_date,
    news_date=by_date,
    taxonomies=(Taxonomy("themes", "themes"), Taxonomy("sectors", "sectors"),
                Taxonomy("wards", "wards"), Taxonomy("sdgs", "sdgs")),
    card_taxonomies=("themes", "wards"),
    reserved_slugs=frozenset({"index", "feed", "page", "tags"}),
)
