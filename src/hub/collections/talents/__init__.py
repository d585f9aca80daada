"""西区街の名人・達人: the talents collection.

`schema` is its front matter and the 五十音 directory built from it, `pages` makes the
directory, a page per talent and per category, and `guidebook` the printable guidebook and its PDF.
"""

from hub.collections.talents.pages import talent_pages
from hub.collections.talents.schema import CATEGORIES, CATEGORY_SEGMENT, NAME, TalentMeta
from hub.core.collection import Collection, by_reading

TALENTS = Collection(
    name=NAME,
    label="西区街の名人・達人",
    model=TalentMeta,
    sort_key=by_reading,
    newest_first=False,
    taxonomies=(CATEGORIES,),
    reserved_slugs=frozenset({"index", CATEGORY_SEGMENT, "guidebook"}),
    generate=talent_pages,
    news_date=lambda entry: entry.meta.registered,
)
