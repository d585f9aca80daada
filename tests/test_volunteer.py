"""ボランティア募集: the schema's messages, open and past at a moment, and the built sample read the way
its readers read it: pages with an HTML parser, the feed with feedparser, the newsletter with Python's
e-mail parser, and the pages in Chromium, on a phone, on a clock that moves on without a rebuild
(test_accessibility checks the index and a recruitment at 390 px as built).

The sample is as of 2021-02-01 09:00 JST (extra.hub.now).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from sitebuild import PROJECT

from browser import as_live_site
from hub.collections import COLLECTIONS
from hub.collections.volunteer.pages import volunteer_pages
from hub.collections.volunteer.schema import closes
from hub.collections.volunteer.timeline import badges, split
from hub.collections.volunteer.views import Organiser, organiser_of
from hub.core.clock import TOKYO
from hub.core.collection import Entry
from hub.core.contact import centre_contact
from hub.core.content import Content, Site
from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.digest.newsletter import Newsletter, prepare
from hub.reading.loader import Project, load_content

NOW = datetime(2021, 2, 1, 9, 0, tzinfo=TOKYO)
SITE_URL = "https://example.github.io/hub/"
# Open at the sample's now: those with a deadline, the soonest first, then the ongoing ones by review day.
OPEN = ["nishi-kodomo-shokudo-cooking", "nishi-bousai-map", "mirai-link-forum-staff", "katabira-cleanup-2021-03",
        "minato-nihongo-partner", "foodbank-sorting", "tobe-mimamori-visit"]
# Filled (ongoing, reviewed 03-31), closed (deadline 02-07), past its deadline (01-20): the latest close first.
PAST = ["minami-gakushu-tutor", "aoba-satoyama-winter", "tabunka-interpreter-2021-01"]
SHOKUDO = "子ども食堂の調理・配膳ボランティア"  # deadline 2021-02-10


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.find(PROJECT)


@pytest.fixture(scope="module")
def content(settings: Settings) -> Content:
    return load_content(Project.from_settings(settings))


@pytest.fixture(scope="module")
def recruitments(content: Content) -> dict[str, Entry]:
    return {entry.slug: entry for entry in content["volunteer"]}


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def slugs(node) -> list[str]:
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in node.select(".hub-volunteer-card .hub-card__title a")]


# --- the schema: every mistake names the file, the line, the key and what to write -----------------

# One key a line: 2 title 3 organizer 4 summary 5 activities 6 when 7 where 8 audiences 9 deadline 10 apply 11 posted
BASELINE = {
    "title": "子ども食堂の調理ボランティア",
    "organizer": "西区子ども食堂の会",
    "summary": "調理と配膳を手伝ってくださる方を募集します。",
    "activities": "[調理の補助]",
    "when": "{dates: [{start: 2021-02-13 10:00, end: 2021-02-13 14:00}]}",
    "where": "{ward: nishi}",
    "audiences": "[everyone]",
    "deadline": "2021-02-10",
    "apply": "https://example.org/kodomo/apply",
    "posted": "2021-01-18",
}


def write_recruitment(hub_project, **changes: str | None) -> None:
    values = {**BASELINE, **changes}
    front = "".join(f"{key}: {value}\n" for key, value in values.items() if value is not None)
    hub_project.write("content/volunteer/kodomo.md", hub_project.case_text(front, "本文です。\n"))


def test_the_baseline_is_valid_and_reads_as_written(hub_project) -> None:
    write_recruitment(hub_project, capacity="'５'")
    [entry] = hub_project.load()["volunteer"]
    assert entry.meta.capacity == 5 and entry.meta.apply.url == "https://example.org/kodomo/apply"
    assert closes(entry) == datetime(2021, 2, 10, 23, 59, tzinfo=TOKYO), "a date alone closes at the day's end"


@pytest.mark.parametrize("changes, line, key, message, hint", [
    pytest.param({"group": "nishi-kodomo-shokudo"}, 3, "organizer", "group と organizer の両方", "だけを残して",
                 id="group-and-organizer"),
    pytest.param({"organizer": None}, 1, "organizer", "group も organizer もありません", "group: に団体の id",
                 id="no-organiser"),
    pytest.param({"organizer": None, "group": "西区子ども食堂"}, 11, "group", "登録団体の id として読めません",
                 "organizer: に団体名", id="group-not-an-id"),
    pytest.param({"when": "{ongoing: true, review: 2021-03-31, dates: [{start: 2021-02-13 10:00, end: 2021-02-13 12:00}]}",
                  "deadline": None}, 6, "when.ongoing", "両方が書かれています", "ongoing: true と review: だけ",
                 id="dates-and-ongoing"),
    pytest.param({"when": "{note: 毎週土曜}"}, 6, "when.ongoing", "dates も ongoing もありません", "dates: の下に",
                 id="no-when"),
    pytest.param({"when": "{ongoing: true}", "deadline": None}, 6, "when.review", "見直す日（review）がありません",
                 "review: に募集を見直す日", id="ongoing-without-review"),
    pytest.param({"when": "{dates: [{start: 2021-02-13 10:00, end: 2021-02-13 14:00}], review: 2021-03-31}"}, 6,
                 "when.review", "随時の募集（ongoing: true）にだけ", "deadline:", id="review-without-ongoing"),
    pytest.param({"when": "{dates: [{start: 2021-02-13 14:00, end: 2021-02-13 10:00}]}"}, 6, "when.dates.end",
                 "より前か同じです", "入れ替えて", id="end-before-start"),
    pytest.param({"deadline": None}, 1, "deadline", "締切（deadline）がありません", "YYYY-MM-DD", id="no-deadline"),
    pytest.param({"deadline": "2021-02-14"}, 9, "deadline", "活動の終わり 2021-02-13 14:00 より後です",
                 "より前の日付に", id="deadline-after-the-activity"),
    pytest.param({"when": "{ongoing: true, review: 2021-03-31}", "deadline": "2021-04-01"}, 9, "deadline",
                 "見直す日 2021-03-31 23:59 より後です", "より前の日付に", id="deadline-after-review"),
    pytest.param({"where": "{note: 集合場所は追って}"}, 7, "where.online", "ward・venue・online のどれもありません",
                 "ward: nishi", id="no-place"),
    pytest.param({"where": "{ward: 西}"}, 7, "where.ward", "wards（区）の語彙にありません", "もしかして nishi（西区）",
                 id="ward-by-label"),
    pytest.param({"audiences": "[学生]"}, 8, "audiences", "の語彙にありません", "もしかして students（学生）",
                 id="audience-by-label"),
    pytest.param({"apply": None}, 1, "contact", "応募の方法がありません", "desk: true", id="no-way-to-apply"),
    pytest.param({"apply": "{how: 電話で}"}, 1, "contact", "応募の方法がありません", "contact:", id="only-words"),
    pytest.param({"capacity": "0"}, 12, "capacity", "1 人以上", "若干名", id="capacity-zero"),
    pytest.param({"status": "募集中"}, 12, "status", "使える値ではありません", "'open', 'filled' or 'closed'",
                 id="status-in-japanese"),
])
def test_a_mistake_is_one_problem_on_its_line_with_a_hint(hub_project, changes, line, key, message, hint) -> None:
    write_recruitment(hub_project, **changes)
    problems = hub_project.problems()
    assert [(p.path, p.line, p.key) for p in problems] == [("content/volunteer/kodomo.md", line, key)], \
        [p.format() for p in problems]
    assert message in problems[0].message and hint in problems[0].hint, problems[0].format()


def test_capacity_may_be_words(hub_project) -> None:
    write_recruitment(hub_project, capacity="若干名")
    assert hub_project.load()["volunteer"][0].meta.capacity == "若干名"


def test_the_centre_s_desk_needs_the_centre_s_contact_in_mkdocs_yml(hub_project) -> None:
    write_recruitment(hub_project, apply="{desk: true}")
    settings = Settings.find(hub_project.root)  # its mkdocs.yml names no centre and no help
    site = Site(hub_project.load(), NOW, settings)
    with pytest.raises(ContentError) as raised:
        list(volunteer_pages(COLLECTIONS["volunteer"], site))
    [problem] = raised.value.problems
    assert (problem.path, problem.key) == ("content/volunteer/kodomo.md", "apply.desk")
    assert "extra.hub.centre" in problem.hint


# --- open and past at a moment -----------------------------------------------------------------

def test_the_sample_covers_the_plan_and_both_ways_of_naming_the_organiser(recruitments: dict[str, Entry]) -> None:
    assert len(recruitments) == 10
    groups = {entry.meta.group for entry in recruitments.values() if entry.meta.group}
    assert len(groups) >= 6 and sum(bool(entry.meta.organizer) for entry in recruitments.values()) >= 2
    assert sum(entry.meta.when.ongoing for entry in recruitments.values()) >= 3


def test_open_and_past_at_the_sample_s_now(recruitments: dict[str, Entry]) -> None:
    listing = split(recruitments.values(), NOW)
    assert [entry.slug for entry in listing.open] == OPEN
    assert [entry.slug for entry in listing.past] == PAST


def test_a_deadline_moves_a_recruitment_to_past_at_the_end_of_its_day(recruitments: dict[str, Entry]) -> None:
    shokudo = recruitments["nishi-kodomo-shokudo-cooking"]
    assert shokudo in split([shokudo], datetime(2021, 2, 10, 23, 58, tzinfo=TOKYO)).open
    assert shokudo in split([shokudo], datetime(2021, 2, 10, 23, 59, tzinfo=TOKYO)).past


def test_an_ongoing_call_leaves_the_open_list_once_its_review_day_is_over(recruitments: dict[str, Entry]) -> None:
    listing = split(recruitments.values(), datetime(2021, 4, 1, 0, 0, tzinfo=TOKYO))
    assert [entry.slug for entry in listing.open] == ["foodbank-sorting", "tobe-mimamori-visit"]
    assert "minato-nihongo-partner" in [entry.slug for entry in listing.past]


@pytest.mark.parametrize("moment, expected", [
    ("2021-02-01T09:00", ["募集中"]),
    ("2021-02-04T00:00", ["締切間近"]),
    ("2021-02-11T00:00", ["募集終了"]),
])
def test_badges_turn_over_with_time(recruitments: dict[str, Entry], moment: str, expected: list[str]) -> None:
    at = datetime.fromisoformat(moment).replace(tzinfo=TOKYO)
    shown = [badge.label for badge in badges(recruitments["nishi-kodomo-shokudo-cooking"]) if badge.shows_at(at)]
    assert shown == expected


def test_an_ongoing_call_is_never_closing_soon(recruitments: dict[str, Entry]) -> None:
    labels = [badge.label for badge in badges(recruitments["minato-nihongo-partner"])]
    assert labels == ["募集中", "募集終了"]


def test_the_organiser_is_the_words_written_or_the_group_named(recruitments: dict[str, Entry], content: Content) -> None:
    assert organiser_of(recruitments["foodbank-sorting"], content) == Organiser("よこはま西フードバンクの会")
    assert organiser_of(recruitments["nishi-kodomo-shokudo-cooking"], content).name


# --- the pages -----------------------------------------------------------------------------------

def test_the_open_list_runs_by_deadline_and_ongoing_calls_come_after(site: Path) -> None:
    index = page(site, "volunteer")
    groups = index.select("[data-hub-upcoming] section")
    assert [group.h2.get_text(strip=True) for group in groups] == ["締切のある募集", "随時募集"]
    assert slugs(index.select_one("[data-hub-upcoming]")) == OPEN
    assert slugs(index.select_one("[data-hub-ended]")) == PAST
    sentence = index.select_one("[data-hub-upcoming-sentence]").get_text("", strip=True)
    assert sentence == "2021年2月1日時点で募集中の7件を、締切が近い順に並べています。"
    assert index.select_one("[data-hub-upcoming-empty]").has_attr("hidden")


def test_a_card_shows_its_deadline_first_and_its_facts(site: Path, recruitments: dict[str, Entry]) -> None:
    card = page(site, "volunteer").select_one(".hub-volunteer-card")
    assert card.select_one(".hub-volunteer-card__deadline").get_text("", strip=True) == "締切2月10日（水）"
    assert card.select_one("time")["datetime"] == "2021-02-10T23:59:00+09:00"
    assert card["data-hub-ends"] == "2021-02-10T23:59:00+09:00"
    facts = [fact.get_text(" ", strip=True) for fact in card.select(".hub-volunteer-card__fact")]
    assert facts[1:] == ["活動日 2021年2月13日（土）〜2021年3月13日（土）（全3回）", "場所 西区・藤棚地区センター 調理室",
                         "対象 学生、社会人、シニア"]
    ongoing = page(site, "volunteer").select("[data-hub-upcoming] .hub-volunteer-card")[4]
    assert ongoing.select_one(".hub-volunteer-card__deadline").get_text("", strip=True) == "随時募集（3月31日（水）まで）"


def test_the_past_page_lists_what_has_closed_by_year(site: Path) -> None:
    past = page(site, "volunteer/past")
    assert [h2.get_text(" ", strip=True) for h2 in past.select(".hub-year > h2")] == ["2021年 3 件"]
    assert slugs(past) == PAST
    badges_shown = [[b.get_text() for b in card.select(".hub-badge:not([hidden])")] for card in past.select(".hub-volunteer-card")]
    assert badges_shown == [["定員に達しました"], ["募集終了"], ["募集終了"]]


def test_an_open_page_gives_every_fact_and_how_to_apply(site: Path, recruitments: dict[str, Entry],
                                                       content: Content) -> None:
    entry = recruitments["nishi-kodomo-shokudo-cooking"]
    soup = page(site, "volunteer/nishi-kodomo-shokudo-cooking")
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in soup.select(".hub-volunteer .hub-facts dt")}
    assert facts["募集団体"] == organiser_of(entry, content).name
    assert [item.get_text() for item in soup.select(".hub-volunteer__activities li")] == entry.meta.activities
    assert facts["募集人数"] == "4名" and facts["対象"] == "学生、社会人、シニア"
    assert soup.select_one(".hub-volunteer__deadline-date").get_text("", strip=True) == "締切2021年2月10日（水）まで"
    jump = soup.select_one(".hub-volunteer__deadline a.md-button")
    assert jump.get_text() == "応募する" and jump["href"] == "#apply"
    apply = soup.select_one("#apply")
    assert apply.h2.get_text() == "応募する"
    form = apply.select_one("a.md-button--primary")
    assert form["href"] == entry.meta.apply.url and "応募する" in form.get_text()
    assert apply.select_one(".hub-apply__ways")["data-hub-until"] == "2021-02-10T23:59:00+09:00"
    assert not soup.select('script[type="application/ld+json"]'), "no schema.org type fits a call for volunteers"


def test_the_centre_s_desk_shows_how_to_reach_the_centre(site: Path, settings: Settings) -> None:
    desk = centre_contact(settings)
    apply = page(site, "volunteer/minato-nihongo-partner").select_one("#apply")
    assert f"{desk.name}の窓口で応募を受け付けています" in apply.get_text()
    links = {a["href"] for a in apply.select(".hub-apply__desk a")}
    assert links == {href for href in (desk.tel_href, desk.mailto_href) if href} and links


def test_a_closed_page_says_so_and_offers_no_button(site: Path) -> None:
    soup = page(site, "volunteer/minami-gakushu-tutor")
    assert soup.select_one(".hub-volunteer__closed:not([hidden])").get_text() == "この募集は終了しました（定員に達しました）。"
    assert not soup.select("#apply a.md-button") and not soup.select(".hub-volunteer__deadline a")


def test_the_section_is_in_the_navigation_and_announces_its_feed(site: Path) -> None:
    index = page(site, "volunteer")
    nav = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page(site, "cases").select("nav.md-nav--primary a[href]")}
    assert "volunteer" in nav
    feeds = {link["href"]: link["title"] for link in index.select('head link[type="application/rss+xml"]')}
    assert feeds["feed.xml"].endswith("ボランティア募集"), "the page's own folder: /volunteer/feed.xml"


# --- the feed and the newsletter ---------------------------------------------------------------------

def test_the_feed_has_every_recruitment_posted_newest_first(site: Path, recruitments: dict[str, Entry]) -> None:
    feed = feedparser.parse((site / "volunteer/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    ordered = sorted(recruitments.values(), key=lambda entry: entry.meta.posted, reverse=True)  # no two on one day
    assert [item.link for item in feed.entries] == [SITE_URL + entry.url for entry in ordered]
    published = [datetime(*item.published_parsed[:6], tzinfo=timezone.utc).astimezone(TOKYO) for item in feed.entries]
    assert published == [datetime.combine(entry.meta.posted, time(0), TOKYO) for entry in ordered]
    shokudo = next(item for item in feed.entries if item.title == SHOKUDO)
    assert "締切: 2021年2月10日" in BeautifulSoup(shokudo.content[0].value, "lxml").get_text()
    everything = feedparser.parse((site / "feed.xml").read_bytes())
    assert SITE_URL + "volunteer/nishi-kodomo-shokudo-cooking/" in {item.link for item in everything.entries}


@pytest.fixture(scope="module")
def newsletter(content: Content, settings: Settings) -> Newsletter:
    prepared = prepare(Site(content, NOW, settings))
    assert prepared is not None
    return prepared


def mail(newsletter: Newsletter, day: date) -> EmailMessage:
    message = message_from_bytes(newsletter.mail(newsletter.issue(day)).eml, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def volunteer_section(message: EmailMessage) -> BeautifulSoup:
    html = BeautifulSoup(message.get_body(preferencelist=("html",)).get_content(), "lxml")
    heading = next(h2 for h2 in html.select("h2") if h2.get_text(strip=True) == "ボランティア募集")
    return heading.find_parent("td")


def test_the_digest_lists_open_recruitments_with_deadlines_before_the_next_issue_in_bold(newsletter) -> None:
    section = volunteer_section(mail(newsletter, date(2021, 2, 1)))
    items = section.select("td.item")
    assert [item.select_one("a.item-title").get_text() for item in items][0] == SHOKUDO
    assert len(items) == len(OPEN)
    bold = [item.select_one("a.item-title")["href"] for item in items if item.select_one("strong")]
    assert bold == [SITE_URL + "volunteer/nishi-kodomo-shokudo-cooking/", SITE_URL + "volunteer/nishi-bousai-map/"]
    assert items[0].select_one("strong").get_text() == "締切 2月10日（水）まで", "deadlines before 2021-02-16 09:00"
    assert "随時募集（3月31日（水）まで）" in items[4].get_text()
    text = mail(newsletter, date(2021, 2, 1)).get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert re.search(r"■ ボランティア募集\n", text)
    assert "　★締切 2月10日（水）まで（次号より前に締め切ります）" in text
    assert "　締切 2月19日（金）まで\n" in text


def test_an_older_issue_lists_what_was_posted_and_open_then(newsletter) -> None:
    issue = newsletter.issue(date(2021, 1, 16))
    listed = [item.entry.slug for item in issue.recruitments]
    assert listed == ["tabunka-interpreter-2021-01", "minato-nihongo-partner", "foodbank-sorting", "tobe-mimamori-visit"]
    assert [item.urgent for item in issue.recruitments] == [True, False, False, False]
    assert [item.is_new for item in issue.recruitments] == [True, False, True, False]


# --- in Chromium, on a clock that moves on -----------------------------------------------------------

PHONE = {"width": 390, "height": 844}


def open_at(browser, url: str, moment: str):
    """A live site's page on a phone, its clock reading `moment` from the first script on."""
    context = browser.new_context(viewport=PHONE)
    as_live_site(context)
    page = context.new_page()
    page.clock.set_fixed_time(moment)
    page.goto(url)
    return context, page


def card_titles(page, container: str) -> list[str]:
    return page.locator(f"{container} .hub-volunteer-card .hub-card__title").all_inner_texts()


def assert_fits_the_phone(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 390 px"


def test_a_recruitment_moves_to_past_when_the_clock_passes_its_deadline(browser, base_url: str) -> None:
    context, page = open_at(browser, base_url + "volunteer/", "2021-02-11T08:00:00+09:00")
    assert SHOKUDO not in card_titles(page, "[data-hub-upcoming]")
    assert card_titles(page, "[data-hub-ended]")[0] == SHOKUDO
    assert page.locator("[data-hub-upcoming-sentence]").inner_text() == "いま募集中の 6 件を、締切が近い順に並べています。"
    ended = page.locator("[data-hub-ended] .hub-volunteer-card").first
    assert ended.locator(".hub-badge:visible").all_inner_texts() == ["募集終了"]
    assert_fits_the_phone(page)
    page.goto(base_url + "volunteer/past/")
    assert_fits_the_phone(page)
    context.close()
    context, page = open_at(browser, base_url + "volunteer/", "2021-07-01T00:00:00+09:00")
    assert card_titles(page, "[data-hub-upcoming]") == []
    assert page.locator("[data-hub-upcoming] section:visible").count() == 0
    assert page.locator("[data-hub-upcoming-empty]").is_visible()
    assert not page.locator("[data-hub-upcoming-sentence]").is_visible()
    context.close()


def test_the_page_stops_taking_applications_when_its_deadline_passes(browser, base_url: str) -> None:
    """Open at the build (the buttons' data-hub-until: test_an_open_page_gives_every_fact_and_how_to_apply)."""
    context, page = open_at(browser, base_url + "volunteer/nishi-kodomo-shokudo-cooking/", "2021-02-11T00:00:00+09:00")
    form = page.locator("#apply a", has_text="応募フォームで応募する")
    assert form.count() == 1 and not form.is_visible()
    assert not page.locator(".hub-volunteer__deadline a").is_visible()
    assert page.locator(".hub-volunteer__closed:visible").first.inner_text() == "この募集は終了しました。"
    assert page.locator(".hub-badge:visible").all_inner_texts() == ["募集終了"]
    assert_fits_the_phone(page)
    context.close()
