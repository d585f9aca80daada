"""RSS 2.0 feeds, made with feedgen from the same data as the pages.

  /feed.xml          everything new: every collection that declares `news_date`
  /cases/feed.xml    new cases
  /events/feed.xml   newly announced events
  /volunteer/feed.xml  newly posted volunteer recruitments

The everything-new feed also carries notices that are not entries: each issue of the paper
editions (`hub.paper`), on its issue date.

Links and guids are the entries' absolute URLs (URLs are permanent, see the site contract);
dates are the entries' news dates from front matter; the feed's own build date is the
build's "now". Items dated after "now" wait for a later build.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, get_args

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from pydantic import BaseModel, Field

from hub.core.collection import Collection
from hub.core.content import Site
from hub.core.fields import VocabularyRef
from hub.core.options import Options, OptionSection
from hub.core.outputs import FileSpec
from hub.core.settings import Settings
from hub.output.markdown_html import absolute_html
from hub.output.news import NewsItem, Notice, news_collections, news_items, xml_safe
from hub.output.templating import standalone_environment
from hub.paper.outputs import paper_notices

# The latest items a feed carries; readers keep what they have already fetched.
DEFAULT_LIMIT = 50
SITE_FEED = "feed.xml"
# Collections with a feed of their own, beside the everything-new feed.
SECTION_FEEDS = ("cases", "events", "volunteer")


@dataclass(frozen=True)
class Feed:
    path: str
    title: str
    description: str
    page: str  # site path of the page that lists the same things
    collections: tuple[Collection, ...]


@dataclass(frozen=True)
class Category:
    label: str
    domain: str | None  # the term's page, when the collection has one


def feeds(site: Site) -> list[Feed]:
    name = site.settings.site_name
    every = tuple(news_collections())
    found = [Feed(SITE_FEED, f"{name} 新着情報", f"{name}の新着（" + "、".join(c.label for c in every) + "）",
                  "", every)]
    for collection in every:
        if collection.name in SECTION_FEEDS:
            found.append(Feed(f"{collection.name}/feed.xml", f"{name} {collection.label}",
                              f"{name}の{collection.label}の新着", f"{collection.path}/", (collection,)))
    return found


def feed_files(site: Site) -> Iterator[FileSpec]:
    """The site-wide generator: one RSS file per feed."""
    limit = item_limit(site.settings)
    tomorrow = site.now.date() + timedelta(days=1)
    notices = paper_notices(site)
    for feed in feeds(site):
        found: list[NewsItem | Notice] = [*news_items(site.content, feed.collections, None, tomorrow),
                                          *(notices if feed.path == SITE_FEED else ())]
        found.sort(key=lambda item: item.moment, reverse=True)  # stable: entries keep their order within a day
        items = [item for item in found if item.moment <= site.now][:limit]
        yield FileSpec(feed.path, render=functools.partial(rss_bytes, feed, items, site),
                       inputs=(feed, items, site.settings, site.now))


class FeedOptions(Options):
    """`extra.hub.feeds`: how many items each feed carries, newest first."""

    limit: Annotated[int, Field(strict=True, gt=0)] = DEFAULT_LIMIT


FEEDS_OPTIONS = OptionSection("feeds", FeedOptions)


def item_limit(settings: Settings) -> int:
    return FEEDS_OPTIONS.read(settings).limit


def rss_bytes(feed: Feed, items: list[NewsItem | Notice], site: Site) -> bytes:
    settings = site.settings
    generator = FeedGenerator()
    generator.title(xml_safe(feed.title))
    # feedgen gives RSS the link set last: the page, after the feed's own address.
    generator.link(href=settings.absolute_url(feed.path), rel="self")
    generator.link(href=settings.absolute_url(feed.page), rel="alternate")
    generator.description(xml_safe(feed.description))
    generator.language("ja")
    generator.generator(settings.site_name or "hub")
    generator.lastBuildDate(site.now)
    for item in items:
        if isinstance(item, Notice):
            _add_notice(generator, item, site)
        else:
            _add_item(generator, item, site)
    return generator.rss_str(pretty=True)


def _add_notice(generator: FeedGenerator, notice: Notice, site: Site) -> None:
    link = site.settings.absolute_url(notice.path)
    html = standalone_environment().get_template("feed/notice.html").render(
        notice=notice, link=link, absolute_url=site.settings.absolute_url)
    _add_entry(generator, notice.title, link, notice.moment, notice.summary, html)


def _add_item(generator: FeedGenerator, item: NewsItem, site: Site) -> None:
    entry = item.entry
    feed_entry = _add_entry(generator, entry.title, site.settings.absolute_url(entry.url), item.moment,
                            entry.meta.summary, item_html(item, site))
    for category in categories(item, site):
        feed_entry.category(term=category.label, scheme=category.domain)


def _add_entry(generator: FeedGenerator, title: str, link: str, moment: datetime, summary: str,
               html: str) -> FeedEntry:
    """One item: its link is its guid (URLs are permanent); its text is made safe for XML."""
    feed_entry = generator.add_entry(order="append")
    feed_entry.title(xml_safe(title))
    feed_entry.link(href=link)
    feed_entry.guid(link, permalink=True)
    feed_entry.pubDate(moment)
    feed_entry.description(xml_safe(summary))
    feed_entry.content(xml_safe(html))
    return feed_entry


def item_html(item: NewsItem, site: Site) -> str:
    """The item's full content: a few facts, then the entry's body as HTML."""
    body = absolute_html(item.entry.body, site.settings, item.entry.url.rstrip("/") + ".md")
    return standalone_environment().get_template("feed/item.html").render(
        item=item, entry=item.entry, meta=item.entry.meta, body=body, site=site)


def categories(item: NewsItem, site: Site) -> list[Category]:
    """Labels of every term the entry carries in a top-level vocabulary key (themes, wards, category...)."""
    vocabularies = site.content.vocabularies
    taxonomies = {taxonomy.key: taxonomy for taxonomy in item.collection.taxonomies}
    found = []
    for key, vocabulary in term_keys(item.collection.model):
        for term_id in _as_list(getattr(item.entry.meta, key)):
            term = vocabularies[vocabulary].get(term_id)
            if term is None:
                continue
            page = f"{item.collection.path}/{key}/{term_id}/" if key in taxonomies else None
            found.append(Category(xml_safe(term.label), site.settings.absolute_url(page) if page else None))
    return found


def term_keys(model: type[BaseModel]) -> list[tuple[str, str]]:
    """(key, vocabulary) for each top-level key holding vocabulary ids; nested mappings are left out."""
    found = []
    for key, field in model.model_fields.items():
        vocabulary = _vocabulary([*field.metadata, field.annotation])
        if vocabulary:
            found.append((key, vocabulary))
    return found


def _vocabulary(parts: list[Any]) -> str | None:
    for part in parts:
        if isinstance(part, VocabularyRef):
            return part.name
        if isinstance(part, type) and issubclass(part, BaseModel):
            continue
        found = _vocabulary([*getattr(part, "__metadata__", ()), *get_args(part)])
        if found:
            return found
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
