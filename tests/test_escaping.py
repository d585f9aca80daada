"""Editors' text with markup characters is shown as text, never interpreted as HTML."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from sitebuild import build, copy_project

HOSTILE_TITLE = 'A&B <script>alert("x")</script> “引用” \'single\''


def test_markup_characters_in_front_matter_are_escaped_everywhere(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    case = sorted((project / "content" / "cases").glob("*.md"))[0]
    text = case.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    case.write_text(text.replace(title_line, "title: '" + HOSTILE_TITLE.replace("'", "''") + "'", 1), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for page in (site / "cases" / case.stem / "index.html", site / "cases" / "index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        assert not any("alert" in (script.string or "") for script in soup.find_all("script")), page
        assert HOSTILE_TITLE in soup.get_text(), page
    entry = BeautifulSoup((site / "cases" / case.stem / "index.html").read_text(encoding="utf-8"), "lxml")
    assert entry.h1.get_text() == HOSTILE_TITLE


# --- every field of every collection, the vocabularies, mkdocs.yml and a kintone import ---------

import email
import email.policy
import json
import re

import feedparser
import pytest

from hostile import HOSTILE, KINTONE_TITLE, make_hostile

RUNNABLE_SCRIPT_TYPES = ("", "text/javascript", "module")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """The sample with markup in 800-odd values (see tests/hostile.py), built once for this module,
    and the keys made hostile in each file."""
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    changed = make_hostile(project)
    assert sum(len(keys) for keys in changed.values()) > 800
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site", changed


@pytest.fixture(scope="module")
def hostile_site(hostile_build: tuple[Path, dict[str, list[str]]]) -> Path:
    return hostile_build[0]


def _injected(soup: BeautifulSoup) -> list[str]:
    """Elements the markup would create if it were printed as HTML: a runnable script with its
    payload, an element with an event handler, the image it opens."""
    found = [str(tag)[:80] for tag in soup.find_all(True)
             if any(name.startswith("on") for name in tag.attrs) or (tag.name == "img" and tag.get("src") == "x")]
    found += [str(script)[:80] for script in soup.find_all("script")
              if script.get("type", "") in RUNNABLE_SCRIPT_TYPES and "alert(" in (script.string or "")]
    return found


def test_no_output_carries_injected_markup(hostile_site: Path) -> None:
    """Pages, the feeds' item content and the newsletter's mail, each read as its reader reads it."""
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        assert not _injected(BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")), page
    for feed in FEEDS:
        for entry in _feed(hostile_site, feed).entries:
            assert not _injected(BeautifulSoup(entry.content[0].value, "lxml")), entry.link
    for path in _mails(hostile_site):
        assert not _injected(BeautifulSoup(path.get_body(("html",)).get_content(), "lxml"))


def test_values_round_trip_as_text(hostile_site: Path) -> None:
    """In element text and attribute values (Material's and the hub's), JSON-LD, feeds and mail."""
    page = BeautifulSoup((hostile_site / "cases" / "kintone-hostile" / "index.html").read_text(encoding="utf-8"), "lxml")
    title = KINTONE_TITLE + HOSTILE  # imported with markup, then made hostile once more like every entry
    assert page.h1.get_text() == title
    assert page.find("meta", attrs={"name": "description"})["content"].endswith(HOSTILE)
    assert page.find("meta", attrs={"property": "og:title"})["content"] == title
    assert page.title.get_text().startswith(title + " - よこはま市民協働ハブ" + HOSTILE)
    assert page.find("div", class_="md-copyright__highlight").get_text().strip() == "横浜市市民協働推進センター" + HOSTILE
    footer = page.find("div", class_="hub-footer__centre")
    assert footer.find("p", class_="hub-footer__name").get_text() == "横浜市市民協働推進センター" + HOSTILE
    assert footer.find("dd", class_="hub-footer__hours").get_text().endswith("17:00まで）" + HOSTILE)
    assert footer.find("a", class_="hub-footer__phone")["href"] == "tel:0450000010"
    home = BeautifulSoup((hostile_site / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.find("meta", attrs={"name": "description"})["content"].endswith("お届けします。" + HOSTILE)
    term = BeautifulSoup((hostile_site / "cases" / "wards" / "nishi" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert term.h1.get_text().startswith("西区" + HOSTILE)
    assert term.find("meta", attrs={"name": "description"})["content"].endswith(HOSTILE)
    event = BeautifulSoup((hostile_site / "events" / "npo-labor-2021" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert json.loads(event.find("script", type="application/ld+json").string)["name"].endswith(HOSTILE)
    group = BeautifulSoup((hostile_site / "groups" / "tabunka-support" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert group.h1.get_text() == "よこはま多文化共生サポート" + HOSTILE
    assert group.select_one(".hub-contact__org").get_text().endswith(HOSTILE)
    assert group.select_one(".hub-group-facts__list li").get_text().endswith(HOSTILE)
    for feed in FEEDS:
        for entry in _feed(hostile_site, feed).entries:
            first = BeautifulSoup(entry.content[0].value, "lxml").p.get_text()
            if "/print/" in entry.link:  # a paper issue: its publication's name and its headline
                assert entry.title.count(HOSTILE) == 2 and HOSTILE in first, entry.title
                continue
            assert entry.title.endswith(HOSTILE), entry.title
            assert first.endswith(HOSTILE)
    for message in _mails(hostile_site):
        assert HOSTILE + "】" in message["Subject"]
        html_part = BeautifulSoup(message.get_body(("html",)).get_content(), "lxml")
        assert html_part.title.get_text().startswith("【横浜市市民協働推進センター ニュース" + HOSTILE + "】")


# Every key of a recruitment that holds an editor's words (ids, URLs, e-mail addresses and dates cannot).
VOLUNTEER_TEXT_KEYS = {"title", "organizer", "summary", "activities", "when.note", "where.venue", "where.note",
                       "capacity", "apply.how", "contact.org", "contact.phone", "contact.hours"}


def test_every_text_key_of_a_recruitment_carries_markup_and_shows_as_text(hostile_build) -> None:
    site, changed = hostile_build
    made = {re.sub(r"\.\d+", "", key) for path, keys in changed.items() if path.startswith("content/volunteer/")
            for key in keys}
    assert made == VOLUNTEER_TEXT_KEYS
    entry = BeautifulSoup((site / "volunteer" / "foodbank-sorting" / "index.html").read_text(encoding="utf-8"), "lxml")
    assert entry.h1.get_text().endswith(HOSTILE)
    assert entry.select_one(".hub-volunteer__organiser").get_text() == "よこはま西フードバンクの会" + HOSTILE
    assert entry.select_one(".hub-contact__org").get_text() == "よこはま西フードバンクの会" + HOSTILE
    index = BeautifulSoup((site / "volunteer" / "index.html").read_text(encoding="utf-8"), "lxml")
    facts = [fact.get_text() for fact in index.select(".hub-volunteer-card__fact")]
    assert "募集団体 よこはま西フードバンクの会" + HOSTILE in facts
    message = email.message_from_bytes((site / "newsletter/2021-02-01/digest.eml").read_bytes(),
                                       policy=email.policy.default)
    html_part = BeautifulSoup(message.get_body(("html",)).get_content(), "lxml")
    assert "募集団体: よこはま西フードバンクの会" + HOSTILE in [p.get_text() for p in html_part.select("p.facts")]


FEEDS = ("feed.xml", "cases/feed.xml", "events/feed.xml", "volunteer/feed.xml")


def _feed(site: Path, name: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / name).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.entries
    return parsed


def _mails(site: Path) -> list[email.message.EmailMessage]:
    paths = sorted(site.glob("newsletter/*/digest.eml"))
    assert paths
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths]
