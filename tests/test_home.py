"""The home page, and the sample site that tells the truth about its time.

The sample's mkdocs.yml pins "now" to 2021-02-01 09:00 JST: the home page shows what is
coming up and what is new as of then, every page says so in a banner, and the scripts
that keep pages current (events.js, cafes.js) go by that moment, not the visitor's clock.
A live site's pages carry no pinned time (browser.as_live_site serves the sample's that
way): there the scripts follow the clock, and counts and "none" sentences follow them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
from bs4 import BeautifulSoup
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, PrefixLoader

from browser import as_live_site
from search_support import site_pages
from sitebuild import PROJECT

from hub.build.mkdocs_adapter import TEMPLATES_DIR, THEME_TEMPLATE_PREFIX
from hub.core.clock import TOKYO
from hub.core.contact import CentreContact, centre_contact
from hub.core.content import Content, Site
from hub.core.settings import Settings
from hub.output.formatting import FILTERS
from hub.output.home import TILE_COLOURS
from hub.reading.loader import Project, load_content

PINNED = "2021-02-01T09:00:00+09:00"
BANNER = "サンプル表示：2021年2月1日時点の内容です"
LABOUR = "NPO労務講座（全2回）— 職員と働くための雇用・労務の基本"  # ends 2021-02-13 12:00
DIALOGUE = "オープンダイアログ vol.2「集まれない時期の、地域の居場所」"  # deadline 02-05, ends 02-13 16:30
CARAVAN = "認知症キャラバン・メイト交流会 2020"  # 02-19, postponed
FORUM = "みらいリンクフォーラム vol.2「データでつながる協働 — オープンデータと市民の力」"  # deadline 02-24
CONTEST = "ヨコハマ市民まち普請事業 2次コンテスト（公開審査）"  # 03-06
AFTER_TWO_ENDED = "2021-02-14T08:00:00+09:00"
AFTER_ALL = "2021-04-01T00:00:00+09:00"  # every sample event is over
VISIBLE_CARDS = "[data-hub-upcoming] [data-hub-ends]:visible .hub-card__title"


@pytest.fixture(scope="module")
def home(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(Project.from_settings(Settings.find(PROJECT)))


def texts(elements) -> list[str]:
    """Each element's text with runs of white space as one space (phrase breaks, <wbr>, add none)."""
    return [" ".join(element.get_text().split()) for element in elements]


# --- the home page as built ----------------------------------------------------------------

def test_home_lists_the_next_events_with_their_dates_and_deadlines(home: BeautifulSoup) -> None:
    cards = home.select(".hub-home-events [data-hub-ends]")
    shown = [card for card in cards if not card.has_attr("hidden")]
    assert texts(card.select_one(".hub-card__title") for card in shown) == [LABOUR, DIALOGUE, CARAVAN]
    assert texts(card.select_one(".hub-card__title") for card in cards)[3:5] == [FORUM, CONTEST], "next in line"
    dialogue = shown[1]
    assert dialogue.select_one(".hub-card__meta time")["datetime"] == "2021-02-13T14:00:00+09:00"
    assert dialogue.select_one(".hub-card__meta").get_text(strip=True) == "2021年2月13日（土） 14:00〜16:30"
    assert dialogue.select_one(".hub-event-card__deadline").get_text(" ", strip=True) == "申込締切 2021年2月5日（金）まで"
    assert shown[0].select_one(".hub-event-card__deadline") is None, "its deadline (01-27) has passed"
    assert home.select_one("[data-hub-upcoming-empty]").has_attr("hidden")


def test_home_shows_the_newest_cases_newest_first_with_their_image_or_a_theme_tile(
        home: BeautifulSoup, content: Content, site: Path) -> None:
    cards = home.select(".hub-home-case")
    newest = sorted(content["cases"], key=lambda entry: entry.meta.date, reverse=True)[:len(cards)]
    assert len(cards) == 4
    dates = [card.select_one("time")["datetime"] for card in cards]
    assert dates == sorted(dates, reverse=True) == [entry.meta.date.isoformat() for entry in newest]
    assert {card.select_one("h3 a")["href"] for card in cards} == {entry.url for entry in newest}
    themes = content.vocabularies["themes"]
    pictured = 0
    for card in cards:
        entry = next(entry for entry in newest if entry.url == card.select_one("h3 a")["href"])
        image = card.select_one("img.hub-home-case__picture")
        if entry.meta.image:
            pictured += 1
            assert (site / image["src"]).is_file() and image["alt"] == "", "decorative beside the title"
        else:
            assert image is None
            tile = card.select_one(".hub-home-case__tile")
            theme = themes.get(entry.meta.themes[0])
            assert tile.get_text(strip=True) == theme.label
            assert f"hub-tile--{themes.terms.index(theme) % TILE_COLOURS}" in tile["class"]
    assert 0 < pictured < len(cards), "the sample shows both"


def test_home_links_the_latest_newsletter_issue_and_the_cafe_finder(home: BeautifulSoup, site: Path) -> None:
    issues = sorted(path.name for path in (site / "newsletter").iterdir() if (path / "index.html").is_file())
    links = {a.get_text(strip=True): a["href"] for a in home.select(".md-content a.md-button")}
    assert links["最新号を読む"] == f"newsletter/{issues[-1]}/" == "newsletter/2021-02-01/"
    assert links["これまでの号"] == "newsletter/"
    assert links["区からカフェを探す"] == "machikado-care/cafes/"
    assert (site / "machikado-care" / "cafes" / "index.html").is_file()


def test_home_says_how_to_consult_the_centre(home: BeautifulSoup) -> None:
    first = home.select_one(".md-content .hub-home-actions a")
    assert (first.get_text(strip=True), first["href"]) == ("相談する", "#consult")
    block = home.select_one("#consult")
    assert block.h2.get_text(strip=True) == "相談する"
    facts = dict(zip(texts(block.select("dt")), texts(block.select("dd"))))
    assert facts == {"窓口": "横浜市市民協働推進センター", "所在地": "横浜市中区本町6丁目50番地の10",
                     "受付時間": "9:00〜21:00（日曜・祝日は17:00まで）", "電話": "045-000-0010",
                     "メール": "info@example.org"}  # extra.hub.centre, as the footer shows it
    buttons = {a.get_text(strip=True): a["href"] for a in block.select("a.md-button")}
    assert block.select_one("a.md-button--primary")["href"] == buttons["電話で相談する"] == "tel:0450000010"
    assert buttons["メールで相談する"] == "mailto:info@example.org"


def test_every_page_of_the_sample_says_it_is_a_sample(site: Path) -> None:
    pages = [*site_pages(site), "404.html"]
    assert len(pages) > 100
    for path in pages:
        document = lxml.html.parse(str(site / (path if path.endswith(".html") else path + "index.html")))
        banners = document.xpath('//*[@data-md-component="announce"]//*[@class="hub-sample-banner"]')
        assert [banner.text_content() for banner in banners] == [BANNER], path
        assert banners[0].get("data-hub-now") == PINNED, path


def test_a_live_site_has_no_banner_and_no_pinned_time(tmp_path: Path) -> None:
    """Material shows its announcement bar whenever the block renders anything, whitespace included."""
    theme = DictLoader({"base.html": "{% if self.announce() %}<aside>{% block announce %}{% endblock %}</aside>{% endif %}"})
    env = Environment(loader=ChoiceLoader([FileSystemLoader(TEMPLATES_DIR), PrefixLoader({THEME_TEMPLATE_PREFIX: theme})]))
    env.filters.update(FILTERS)
    page = env.get_template("base.html")
    moment = datetime(2021, 2, 1, 9, tzinfo=TOKYO)
    assert page.render(hub_pinned_now=None) == ""
    assert BANNER in page.render(hub_pinned_now=moment)
    content = Content(vocabularies=None, entries={})  # type: ignore[arg-type]
    assert Site(content, moment, Settings(tmp_path)).pinned_now is None
    assert Site(content, moment, Settings(tmp_path, now=PINNED)).pinned_now == moment


def test_the_centres_contact_comes_from_its_own_section_else_from_help(tmp_path: Path) -> None:
    helper = {"name": "横浜市市民協働推進センター", "email": "info@example.org"}
    centre = {"name": "横浜市市民協働推進センター", "address": "横浜市中区本町6丁目50番地の10",
              "phone": "045-000-0001（代表）", "hours": "9:00〜21:00"}
    assert centre_contact(Settings(tmp_path, options={"help": helper})) == CentreContact(**helper)
    found = centre_contact(Settings(tmp_path, options={"help": helper, "centre": centre}))
    assert found == CentreContact(**centre) and found.tel_href == "tel:0450000001" and found.mailto_href == ""
    assert centre_contact(Settings(tmp_path, options={"help": {"name": "センター", "tel": "045-000-0000"}})).phone \
        == "045-000-0000", "help writes its phone number as tel"
    assert centre_contact(Settings(tmp_path)) is None


# --- in Chromium ------------------------------------------------------------------------------

def open_page(browser, url: str, moment: str | None = None, live: bool = False, **options):
    """A page on the real clock, or at `moment`; `live` serves it as a live site's (no pinned time).
    Pages are read once parsed: the scripts that change them are deferred, so they have run by then."""
    context = browser.new_context(**options)
    if live:
        as_live_site(context)
    page = context.new_page()
    if moment:
        page.clock.set_fixed_time(moment)
    page.goto(url, wait_until="domcontentloaded")
    return context, page


def count_sentence(page) -> str:
    return page.locator("[data-hub-upcoming-sentence]").inner_text()


def test_the_sample_stands_still_at_its_pinned_time_whatever_the_clock(browser, base_url: str, site: Path) -> None:
    """Read years after 2021, the sample's events are still to come, its cafes still meet and
    its calendar's 今日 is still 2021-02-01."""
    built = BeautifulSoup((site / "events" / "index.html").read_text(encoding="utf-8"), "lxml")
    built_count = len(built.select("[data-hub-upcoming] [data-hub-ends]"))
    context, page = open_page(browser, base_url + "events/")
    cards = page.locator(VISIBLE_CARDS).all_inner_texts()
    assert len(cards) == built_count > 3 and cards[:2] == [LABOUR, DIALOGUE]
    assert count_sentence(page) == f"2021年2月1日時点で予定している {len(cards)} 件を、開催が近い順に並べています。"
    assert not page.locator("[data-hub-upcoming-empty]").is_visible()
    page.goto(base_url, wait_until="domcontentloaded")
    assert page.locator(VISIBLE_CARDS).all_inner_texts() == [LABOUR, DIALOGUE, CARAVAN]
    page.goto(base_url + "events/calendar/", wait_until="domcontentloaded")
    assert page.locator("td.is-today time").get_attribute("datetime") == "2021-02-01"
    page.goto(base_url + "machikado-care/cafes/nishi-fujidana-orange/", wait_until="domcontentloaded")
    assert page.locator(".hub-cafe__next time").first.get_attribute("datetime") == "2021-03-10T14:00:00+09:00"
    assert not page.locator("[data-hub-cafe-none]").is_visible()
    context.close()


def test_on_a_live_site_counts_and_empty_lists_follow_the_clock(browser, base_url: str, site: Path) -> None:
    built = BeautifulSoup((site / "events" / "index.html").read_text(encoding="utf-8"), "lxml")
    built_count = int(built.select_one("[data-hub-upcoming-count]").get_text())
    context, page = open_page(browser, base_url + "events/", AFTER_TWO_ENDED, live=True)
    cards = page.locator(VISIBLE_CARDS).all_inner_texts()
    assert LABOUR not in cards and DIALOGUE not in cards and len(cards) == built_count - 2
    assert count_sentence(page) == f"いま予定している {len(cards)} 件を、開催が近い順に並べています。"
    page.goto(base_url, wait_until="domcontentloaded")
    assert page.locator(VISIBLE_CARDS).all_inner_texts() == [CARAVAN, FORUM, CONTEST], "the next in line move up"
    page.goto(base_url + "events/calendar/", wait_until="domcontentloaded")
    assert page.locator("td.is-today time").get_attribute("datetime") == "2021-02-14"
    assert page.locator("td.is-today .hub-cal__today").inner_text() == "今日"
    context.close()
    context, page = open_page(browser, base_url + "events/", AFTER_ALL, live=True)
    assert page.locator(VISIBLE_CARDS).count() == 0
    assert not page.locator("[data-hub-upcoming-sentence]").is_visible()
    assert page.locator("[data-hub-upcoming-empty]").inner_text() == "いま予定しているイベントはありません。"
    context.close()


# Each row of buttons: [height, width, row width, gap to the button above] of every button shown.
BUTTON_ROWS_JS = """() => [...document.querySelectorAll('.md-content .hub-home-actions')].map(row => {
  const boxes = [...row.querySelectorAll('.md-button')].map(button => button.getBoundingClientRect());
  return boxes.map((box, index) => [box.height, box.width, row.getBoundingClientRect().width,
                                    index ? box.top - boxes[index - 1].bottom : null]);
})"""


def test_on_a_phone_the_home_page_fits_and_its_buttons_are_large_and_apart(browser, base_url: str) -> None:
    context, page = open_page(browser, base_url, viewport={"width": 390, "height": 844})
    page.wait_for_load_state()  # pictures and fonts in place
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    rows = page.evaluate(BUTTON_ROWS_JS)
    assert len(rows) >= 5 and any(len(row) > 1 for row in rows)
    for row in rows:
        for height, width, row_width, gap in row:
            assert height >= 44 and abs(width - row_width) < 1, "tall enough, the width of the page"
            assert gap is None or gap >= 8, "buttons never touch"
    context.close()
