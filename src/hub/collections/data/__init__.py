"""数字で見る横浜: short stories told with open data, each with charts drawn at build time.

`tables` reads data/open/*.csv against the description beside each, `schema` is a data
page's front matter and its figures, `linking` joins figures to tables, `charts` draws them
(Vega-Lite, offline) into the page, `related` finds the cases, groups and events on the same
themes and wards, and `pages` makes the listing, the pages and the downloads.
"""

from hub.collections.data.pages import data_pages
from hub.collections.data.schema import NAME, THEMES, WARDS, DataMeta
from hub.core.collection import Collection, by_date

DATA = Collection(
    name=NAME,
    label="数字で見る横浜",
    model=DataMeta,
    sort_key=by_date,
    news_date=by_date,
    taxonomies=(THEMES, WARDS),
    reserved_slugs=frozenset({"index", "files", "feed", "page", "tags"}),
    generate=data_pages,
)
