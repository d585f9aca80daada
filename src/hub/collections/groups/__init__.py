"""登録団体: the groups registered with the centre.

`schema` is their front matter, `directory` the 五十音 directory and term lists built from it,
`pages` makes the directory, a page per group and the theme and ward pages, and `references`
finds a group by the id other entries name it by.
"""

from hub.collections.groups.pages import group_pages
from hub.collections.groups.schema import NAME, THEMES, WARDS, GroupMeta, registered_news
from hub.core.collection import Collection, by_reading

GROUPS = Collection(
    name=NAME,
    label="登録団体",
    model=GroupMeta,
    sort_key=by_reading,
    newest_first=False,
    taxonomies=(THEMES, WARDS),
    reserved_slugs=frozenset({"index"}),
    generate=group_pages,
    news_date=registered_news,
)
