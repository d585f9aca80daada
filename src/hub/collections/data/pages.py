"""The data pages as data.

  /data/                          every data page, newest first
  /data/<slug>/                   one story with its figures: chart, table, download, source
  /data/themes/, /data/wards/     each vocabulary with counts, and a page per term
  /data/files/<name>.csv          each charted table, as published, for download
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from hub.collections.data.charts import ChartView
from hub.collections.data.related import related_to_data
from hub.collections.data.schema import NAME
from hub.collections.data.tables import SAMPLE_LABEL, Table
from hub.collections.pages import taxonomy_pages
from hub.core.collection import Collection, Entry
from hub.core.content import Site
from hub.core.outputs import FileSpec, Output, PageSpec
from hub.core.taxonomy import TaxonomyIndex

FILES_PATH = f"{NAME}/files"

# Under MkDocs' logger so that its build output shows the line; `hub check` shows it too.
log = logging.getLogger("mkdocs.hooks.hub.data")


def data_pages(collection: Collection, site: Site) -> Iterator[Output]:
    entries = site.content[collection.name]
    index = TaxonomyIndex(collection, entries, site.content.vocabularies)
    shared = {"collection": collection, "taxonomies": index.overviews(), "files": FILES_PATH,
              "sample_label": SAMPLE_LABEL}
    yield PageSpec(f"{collection.path}/index.md", collection.label, f"hub/{NAME}-index.html",
                   {**shared, "entries": entries, "index": index},
                   description=f"横浜の課題を統計や調査の数字で見るページの一覧（{len(entries)} 件）")
    for entry in entries:
        yield _entry_page(entry, index, shared, site)
    yield from taxonomy_pages(collection, index, shared)
    for table in _charted_tables(entries):
        if table.schema.sample:
            log.info(f"hub: data/open/{table.file_name} は{SAMPLE_LABEL}です（its figures are made up; pages say so）")
        yield FileSpec(f"{FILES_PATH}/{table.file_name}", table.data)


def _entry_page(entry: Entry, index: TaxonomyIndex, shared: dict[str, Any], site: Site) -> PageSpec:
    charts = [ChartView(figure, site.settings.root) for figure in entry.meta.figures]
    description = entry.meta.summary
    if any(chart.table.schema.sample for chart in charts):
        description = f"【{SAMPLE_LABEL}】{description}"
    return PageSpec(entry.url.removesuffix("/") + ".md", entry.title, f"hub/{NAME}-entry.html",
                    {**shared, "entry": entry, "terms": index.links_of(entry), "charts": charts,
                     "related": related_to_data(entry, site.content), "index": index},
                    body=entry.body, description=description)


def _charted_tables(entries: list[Entry]) -> list[Table]:
    """Each table some figure charts, once: a table no page shows is not published."""
    tables = {figure.table.name: figure.table for entry in entries for figure in entry.meta.figures}
    return [tables[name] for name in sorted(tables)]
