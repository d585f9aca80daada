"""まちかどケア: the dementia cafes collection.

`schema` is its front matter, `recurrence` turns a cafe's schedule into dates, `ward_map`
lays out the ward tiles, and `pages` makes the directory, a page per cafe and the calendars.
"""

from hub.collections.cafes.pages import cafe_outputs
from hub.collections.cafes.schema import NAME, URL_BASE, CafeMeta, by_title
from hub.core.collection import Collection

CAFES = Collection(
    name=NAME,
    label="認知症カフェ",
    model=CafeMeta,
    sort_key=by_title,
    newest_first=False,
    reserved_slugs=frozenset({"index", "wards", "map"}),
    generate=cafe_outputs,
    news_date=lambda entry: entry.meta.listed,
    url_base=URL_BASE,
)
