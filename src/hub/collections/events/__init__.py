"""イベント・講座: the events collection.

`schema` is its front matter, `occurrences` places each event in time, `views` and
`jsonld` describe it for pages and search engines, `pages` makes its pages and calendars.
"""

from hub.collections.events.pages import event_outputs
from hub.collections.events.schema import EventMeta, announced_on, by_start
from hub.core.collection import Collection

EVENTS = Collection(
    name="events",
    label="イベント・講座",
    model=EventMeta,
    sort_key=by_start,
    newest_first=False,
    reserved_slugs=frozenset({"index", "past", "calendar", "series", "feed", "page", "tags"}),
    generate=event_outputs,
    news_date=announced_on,
)
