"""ボランティア募集: the volunteer recruitment collection.

`schema` is its front matter, `timeline` says which recruitments are open at a moment,
`views` what the pages show of each (and who organises it: `organiser_of`), `pages` makes
the open and past listings and a page per recruitment.
"""

from hub.collections.volunteer.pages import volunteer_pages
from hub.collections.volunteer.schema import NAME, VolunteerMeta, by_deadline, posted_on
from hub.core.collection import Collection

VOLUNTEER = Collection(
    name=NAME,
    label="ボランティア募集",
    model=VolunteerMeta,
    sort_key=by_deadline,
    newest_first=False,
    reserved_slugs=frozenset({"index", "past", "feed", "page", "tags"}),
    generate=volunteer_pages,
    news_date=posted_on,
)
