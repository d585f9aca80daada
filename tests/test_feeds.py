"""RSS feeds, read back with feedparser as feed readers do, including an entry with a hostile title."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from sitebuild import copy_project

from hub.collections import COLLECTIONS
from hub.core.clock import TOKYO
from hub.core.content import Site
from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.output.feeds import feed_files, feeds
from hub.output.news import NewsItem, Notice, news_items, xml_safe
from hub.paper.outputs import paper_notices
from hub.reading.loader import Project, load_content

NOW = datetime(2021, 2, 1, 9, 0, tzinfo=TOKYO)
HOSTILE = """---
title: "A&B <script>alert(\\"x\\")</script> '引用' “言葉” 🎉 終わり"
date: 2021-01-30
summary: "要約にも & と < と ]]> と -->"
themes: [community]
sectors: [npo]
wards: [nishi]
sdgs: [11]
status: active
---

本文 & <b>太字</b>
"""
FUTURE = HOSTILE.replace("date: 2021-01-30", "date: 2021-03-01").replace("A&B", "未来の記事")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    (project / "content/cases/hostile-title.md").write_text(HOSTILE, encoding="utf-8")
    (project / "content/cases/from-the-future.md").write_text(FUTURE, encoding="utf-8")
    settings = Settings.find(project)
    return Site(load_content(Project.from_settings(settings)), NOW, settings)


@pytest.fixture(scope="module")
def parsed(site: Site) -> dict[str, feedparser.FeedParserDict]:
    return {spec.src_uri: feedparser.parse(spec.data()) for spec in feed_files(site)}


def expected_items(site: Site, path: str) -> list[NewsItem | Notice]:
    """The newest entries of the feed's collections; the site's feed also has each paper issue on its date."""
    feed = next(feed for feed in feeds(site) if feed.path == path)
    found = [*news_items(site.content, feed.collections, None, NOW.date() + timedelta(days=1)),
             *(paper_notices(site) if path == "feed.xml" else ())]
    found.sort(key=lambda item: item.moment, reverse=True)
    return [item for item in found if item.moment <= NOW][:50]


def shown(item: NewsItem | Notice) -> tuple[str, str, str]:
    """The title, site path and summary an item shows."""
    if isinstance(item, Notice):
        return item.title, item.path, item.summary
    return item.entry.title, item.entry.url, item.entry.meta.summary


def test_the_four_feeds_exist_and_parse_without_errors(parsed) -> None:
    assert set(parsed) == {"feed.xml", "cases/feed.xml", "events/feed.xml", "volunteer/feed.xml"}
    for path, feed in parsed.items():
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert feed.version == "rss20"
        assert feed.entries, path


@pytest.mark.parametrize("path", ["feed.xml", "cases/feed.xml", "events/feed.xml", "volunteer/feed.xml"])
def test_every_item_has_its_title_link_guid_and_date_exactly(site: Site, parsed, path: str) -> None:
    expected = expected_items(site, path)
    items = parsed[path].entries
    assert len(items) == len(expected)
    for item, news in zip(items, expected):
        title, url, summary = shown(news)
        link = site.settings.absolute_url(url)
        assert item.title == xml_safe(title)
        assert item.link == link and item.id == link
        assert link.startswith("https://")
        assert item.published_parsed == news.moment.astimezone(timezone.utc).timetuple()[:6] + item.published_parsed[6:]
        assert time.strftime("%Y-%m-%d", item.published_parsed) <= NOW.date().isoformat()
        assert item.summary == xml_safe(summary)
        assert item.content[0].value, "content:encoded"


def test_a_hostile_title_survives_as_text(site: Site, parsed) -> None:
    item = next(item for item in parsed["feed.xml"].entries if item.link.endswith("/cases/hostile-title/"))
    assert item.title == 'A&B <script>alert("x")</script> \'引用\' “言葉” 🎉 終わり'
    assert item.summary == "要約にも & と < と ]]> と -->"
    assert "本文 &amp; <b>太字</b>" in item.content[0].value or "本文 & <b>太字</b>" in item.content[0].value
    raw = next(spec.data() for spec in feed_files(site) if spec.src_uri == "feed.xml")
    assert b"<script>" not in raw


def test_the_date_and_the_categories_come_from_front_matter(site: Site, parsed) -> None:
    item = next(item for item in parsed["cases/feed.xml"].entries if item.link.endswith("/cases/hostile-title/"))
    assert item.published_parsed[:3] == (2021, 1, 29)  # 2021-01-30 00:00 in Tokyo is the 29th in UTC
    terms = {tag.term for tag in item.tags}
    vocabularies = site.content.vocabularies
    assert {vocabularies["themes"].get("community").label, vocabularies["wards"].get("nishi").label} <= terms
    assert any(tag.scheme and tag.scheme.endswith("/cases/wards/nishi/") for tag in item.tags)


def test_items_dated_after_now_and_drafts_are_left_out(parsed, site: Site) -> None:
    links = {item.link for feed in parsed.values() for item in feed.entries}
    assert not any(link.endswith("/cases/from-the-future/") for link in links)
    project = site.settings.root
    drafts = [path.stem for path in (project / "content").rglob("*.md") if "\ndraft: true" in path.read_text("utf-8")]
    assert drafts
    assert not any(link.rstrip("/").endswith("/" + slug) for link in links for slug in drafts)


def test_newest_first_and_the_build_date_is_now(parsed) -> None:
    for feed in parsed.values():
        dates = [item.published_parsed for item in feed.entries]
        assert dates == sorted(dates, reverse=True)
        assert feed.feed.updated_parsed == NOW.astimezone(timezone.utc).timetuple()[:6] + feed.feed.updated_parsed[6:]


def test_the_everything_feed_has_every_collection_that_makes_news(site: Site, parsed) -> None:
    collection_of = {site.settings.absolute_url(entry.url): name
                     for name, entries in site.content.entries.items() for entry in entries}
    found = {collection_of[item.link] for item in parsed["feed.xml"].entries if "/print/" not in item.link}
    news = {name for name, collection in COLLECTIONS.items() if collection.news_date}
    assert {"cases", "events", "volunteer"} <= found <= news


def test_announced_events_use_their_date_others_six_weeks_before_the_start(site: Site) -> None:
    events = {entry.slug: entry for entry in site.content["events"]}
    news_date = COLLECTIONS["events"].news_date
    assert news_date(events["mirai-link-forum-2021"]).isoformat() == "2021-01-08"
    other = events["npo-basics-2021-03"]
    assert other.meta.announced is None
    assert (other.meta.start.date() - news_date(other)).days == 42


def test_feeds_are_the_same_bytes_every_time(site: Site) -> None:
    first = [spec.data() for spec in feed_files(site)]
    assert first == [spec.data() for spec in feed_files(site)]


def test_a_wrong_item_limit_is_reported_on_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("limit: 50", "limit: たくさん"), encoding="utf-8")
    settings = Settings.find(project)
    site = Site(load_content(Project.from_settings(settings)), NOW, settings)
    with pytest.raises(ContentError) as raised:
        list(feed_files(site))
    line = next(number for number, text in enumerate(config.splitlines(), start=1) if "limit: 50" in text)
    assert raised.value.problems[0].format().startswith(f"mkdocs.yml:{line}: extra.hub.feeds.limit: ")
