"""Feeds and the newsletter in the sample site built by the real `mkdocs build`, read as their consumers do."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin
from email import message_from_bytes, policy
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup


SITE_URL = "https://example.github.io/hub/"
FEEDS = ("feed.xml", "cases/feed.xml", "events/feed.xml", "volunteer/feed.xml")


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def alternates(soup: BeautifulSoup, url: str) -> set[str]:
    """The feeds a page announces, as absolute URLs."""
    links = soup.select('head link[rel~="alternate"][type="application/rss+xml"]')  # rel is a list of words
    assert all(link.get("title") for link in links)
    return {urljoin(SITE_URL + url, link["href"]) for link in links}


def test_the_feeds_are_published_and_parse(site: Path) -> None:
    for path in FEEDS:
        feed = feedparser.parse((site / path).read_bytes())
        assert feed.bozo == 0 and feed.entries, path
        assert all(entry.link.startswith(SITE_URL) for entry in feed.entries)
        assert feed.feed.link.startswith(SITE_URL)


def test_every_page_announces_the_site_feed_and_sections_their_own(site: Path) -> None:
    pages = sorted(path.parent.relative_to(site).as_posix() + "/" for path in site.rglob("index.html")
                   if path.parent.name != "admin")  # the CMS's own page is not in the site's theme
    assert len(pages) > 100
    for url in pages:
        url = "" if url == "./" else url
        announced = alternates(page(site, url), url)
        assert SITE_URL + "feed.xml" in announced, url
        if url.startswith(("cases/", "events/", "volunteer/")):
            assert SITE_URL + url.split("/")[0] + "/feed.xml" in announced, url


def test_the_archive_lists_every_issue_newest_first(site: Path) -> None:
    archive = page(site, "newsletter")
    issues = [a["href"].strip("/") for a in archive.select(".hub-newsletter-archive a[href]")]
    dates = [href for href in issues if re.fullmatch(r"\d{4}-\d{2}-\d{2}", href)]
    assert dates == sorted(dates, reverse=True) and len(dates) == 20
    assert dates[0] == "2021-02-01"
    folders = sorted(path.name for path in (site / "newsletter").iterdir() if path.is_dir())
    assert folders == sorted(dates)


def test_an_issue_page_shows_its_items_and_links_its_mail_files(site: Path) -> None:
    issue = page(site, "newsletter/2021-02-01")
    assert "オンラインで広がる協働" in issue.h1.get_text()
    titles = [a.get_text(strip=True) for a in issue.select("a.hub-newsletter__title")]
    assert any("南区の団体のオンライン移行" in title for title in titles)
    files = {a["href"] for a in issue.select(".hub-newsletter__files a")}
    assert files == {"email.html", "email.txt", "digest.eml"}
    for name in files:
        assert (site / "newsletter/2021-02-01" / name).is_file()
    eml = message_from_bytes((site / "newsletter/2021-02-01/digest.eml").read_bytes(), policy=policy.default)
    assert eml.get_content_type() == "multipart/alternative"


def test_the_navigation_has_the_newsletter_index_but_no_issue(site: Path) -> None:
    nav = {a["href"] for a in page(site, "cases").select("nav.md-nav--primary a[href]")}
    assert any(href.rstrip("/").endswith("newsletter") for href in nav)
    assert not any(re.search(r"newsletter/\d{4}-", href) for href in nav)


def test_issues_stay_out_of_the_site_search_but_the_archive_is_in_it(site: Path) -> None:
    """An issue repeats entries that have pages of their own: search finds those pages once."""
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    urls = {json.loads((site / "search" / "t" / f"{number}.json").read_text(encoding="utf-8"))["url"]
            for number in range(sum(manifest["blocks"]))}
    assert "newsletter/" in urls
    assert not any(re.fullmatch(r"newsletter/\d{4}-\d{2}-\d{2}/", url) for url in urls)
    assert (site / "newsletter" / "2021-02-01" / "index.html").is_file()
