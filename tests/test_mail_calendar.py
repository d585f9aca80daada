"""The newsletter mail on phones, the calendar actions of event and cafe pages, and pages without failed requests.

All on the session's sample site, in Chromium where what counts is what a reader sees. The site is
served under site_url's path (/hub/), as GitHub Pages serves it, and whatever a page asks of site_url's
host (the mail's images are absolute URLs) is answered from the built files, so a request that fails
here fails on the published site too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Comment
from browser import as_live_site, serve_mounted
from sitebuild import PROJECT, SAMPLE_EPOCH

from hub.core.clock import TOKYO

SITE_URL = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["site_url"]
NOW = datetime.fromtimestamp(int(SAMPLE_EPOCH), TOKYO)  # the build's "now"; pages open on the same clock
ISSUE = "newsletter/2021-02-01/"
PHONE = {"width": 390, "height": 844}
UPCOMING, FINISHED = "events/open-dialogue-2021-02/", "events/mirai-link-forum-2020/"
CAFE = "machikado-care/cafes/nishi-fujidana-orange/"
ADD, SUBSCRIBE = "カレンダーに追加", "予定を自動で受け取る"
# One page of each template, hand-written pages and the mail included, each opened once for every test.
PAGES = ("", "about/", "cases/", "cases/minami-online-transition/", "cases/themes/", "cases/wards/nishi/",
         "events/", "events/past/", "events/calendar/", "events/series/", "events/series/open-dialogue/", UPCOMING,
         FINISHED, "talents/", "talents/balloon-art/", "talents/category/music/", "talents/guidebook/",
         "machikado-care/cafes/", CAFE, "machikado-care/trainings/", "newsletter/", ISSUE, ISSUE + "email.html",
         "404.html")


@pytest.fixture(scope="module")
def hub_url(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_mounted(site, SITE_URL, tmp_path_factory.mktemp("mounted")) as url:
        yield url


class Reader:
    """Chromium tabs on the sample's clock, site_url's host answered from the built files; `failed` has,
    for each URL opened, the requests of its tab that failed or got an error status."""

    def __init__(self, browser, site: Path):
        self.context = browser.new_context(viewport=PHONE)
        self.context.set_default_timeout(10_000)  # what is missing is reported soon
        self.context.route(SITE_URL + "**", lambda route: self._from_site(route, site))
        self.failed: dict[str, list[str]] = {}

    @staticmethod
    def _from_site(route, site: Path) -> None:
        path = site / route.request.url.removeprefix(SITE_URL).split("?")[0]
        path = path / "index.html" if path.is_dir() else path
        if path.is_file():
            route.fulfill(path=path)
        else:
            route.fulfill(status=404)

    def tab(self, url: str, moment: str = NOW.isoformat()):
        """A new tab for `url`, not opened yet."""
        page = self.context.new_page()
        page.clock.set_fixed_time(moment)
        failed = self.failed.setdefault(url, [])
        page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.url} {response.status}"))
        return page

    def open(self, url: str, moment: str = NOW.isoformat()):
        page = self.tab(url, moment)
        page.goto(url)
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def reader(browser, site: Path) -> Iterator[Reader]:
    opened = Reader(browser, site)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def tabs(reader: Reader, site: Path, hub_url: str) -> dict[str, object]:
    """Each of PAGES in a tab of its own, opened side by side, once nothing is left to load."""
    opened = {}
    for path in PAGES:
        assert (site / path).exists(), f"{path} is not in the sample site"
        opened[path] = reader.tab(hub_url + path)
        opened[path].goto(hub_url + path, wait_until="commit")
    for tab in opened.values():
        tab.wait_for_load_state("networkidle")
    return opened


# --- the newsletter mail -----------------------------------------------------------------

SMALLEST_TEXT = """Math.min(...[...document.body.querySelectorAll("*")]
  .filter(element => [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim()))
  .map(element => parseFloat(getComputedStyle(element).fontSize)))"""


@pytest.mark.parametrize("width", [320, 390, 600])
def test_the_mail_fits_the_screen_and_its_text_is_readable(tabs, width: int) -> None:
    page = tabs[ISSUE + "email.html"]
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(SMALLEST_TEXT) >= 16
    images = page.evaluate("[...document.images].map(image => [image.naturalWidth, image.getBoundingClientRect().right])")
    assert images and all(natural > 0 and right <= width for natural, right in images), images


def test_the_eml_html_part_is_inlined_and_no_fixed_width_outgrows_a_phone(site: Path) -> None:
    eml = message_from_bytes((site / ISSUE / "digest.eml").read_bytes(), policy=policy.default)
    html = eml.get_body(preferencelist=("html",))
    soup = BeautifulSoup(html.get_content(), "lxml")
    container = soup.select_one("table.container")
    assert container["width"] == "100%" and "max-width: 600px" in container["style"]
    assert all(cell.get("style") for cell in soup.select(".cell, a.item-title, .footer"))
    assert "2021年2月1日号" in soup.h1.get_text()
    for element in soup.select("[width]"):
        if element["width"].isdigit() and int(element["width"]) > 320:
            assert element.name == "img", element.name  # Outlook's size; every other reader shrinks it
            assert re.search(r"max-width: 100%.*height: auto", element["style"]), element
    for element in soup.select("[style]"):
        assert not re.search(r"(?<!max-)width: *(3[2-9]\d|[4-9]\d\d|\d{4,})px", element["style"]), element["style"]
    assert "@media (max-width: 480px)" in soup.head.style.string
    ghost = [text for text in soup.find_all(string=lambda text: isinstance(text, Comment)) if "[if mso]" in text]
    assert any('width="600"' in text for text in ghost), "Outlook for Windows keeps its 600px table"


# --- calendar actions --------------------------------------------------------------------

def calendar_box(page):
    return page.locator(".hub-add-to-calendar, .hub-cafe__calendar")


def test_an_upcoming_event_offers_both_actions_in_plain_words(tabs) -> None:
    page = tabs[UPCOMING]
    assert datetime.fromisoformat(page.locator("article.hub-entry").get_attribute("data-hub-ends")) > NOW
    box = calendar_box(page)
    add = box.get_by_role("link", name=ADD, exact=True)
    assert add.get_attribute("href").endswith("open-dialogue-2021-02.ics") and add.get_attribute("download") == ""
    assert "に書き込みます" in box.locator(".hub-add-to-calendar__actions .hub-note").first.inner_text()
    subscribe = box.get_by_role("link", name=SUBSCRIBE).first
    assert subscribe.get_attribute("href") == "webcal://" + SITE_URL.split("://")[1] + "events/series/open-dialogue.ics"
    assert "自動で届きます" in box.locator(".hub-subscribe .hub-note").first.inner_text()
    assert ".ics" not in page.locator("article.hub-entry").inner_text() and "://" not in box.inner_text()
    box.locator("summary").first.click()
    assert box.locator(".hub-subscribe__url code").first.inner_text() == SITE_URL + "events/series/open-dialogue.ics"


def test_a_finished_event_offers_no_add_to_calendar(tabs) -> None:
    page = tabs[FINISHED]
    assert datetime.fromisoformat(page.locator("article.hub-entry").get_attribute("data-hub-ends")) < NOW
    assert ADD not in page.locator("article.hub-entry").inner_text()
    assert page.locator('a[href$=".ics"][download]').count() == 0
    assert calendar_box(page).get_by_role("link", name=SUBSCRIBE).count() == 2, "the series and every event"


def test_the_visitors_clock_hides_add_to_calendar_once_the_event_is_over(browser, hub_url: str) -> None:
    """On a live site (the sample pins its time), the script goes by the reader's clock."""
    context = browser.new_context(viewport=PHONE)
    as_live_site(context)
    page = context.new_page()
    page.clock.set_fixed_time("2021-02-14T08:00:00+09:00")
    page.goto(hub_url + UPCOMING)
    assert page.locator(".hub-add-to-calendar__actions").is_hidden()
    assert ADD not in page.locator("article.hub-entry").inner_text()
    context.close()


def test_a_cafe_page_offers_the_subscription(tabs) -> None:
    page = tabs[CAFE]
    box = calendar_box(page)
    subscribe = box.get_by_role("link", name=SUBSCRIBE, exact=True)
    assert subscribe.get_attribute("href") == "webcal://" + SITE_URL.split("://")[1] + CAFE.rstrip("/") + ".ics"
    assert "お休みの日は除かれます" in box.locator(".hub-subscribe .hub-note").inner_text()
    assert box.locator("summary").inner_text() == "URL をコピーして使う"
    assert ".ics" not in page.locator("article.hub-entry").inner_text() and "://" not in box.inner_text()


# --- requests ----------------------------------------------------------------------------

def test_no_page_makes_a_failed_request(tabs, reader: Reader) -> None:
    """Material asks for a sitemap.xml beside every <link rel="alternate">; see partials/feed-links.html."""
    assert {url: failed for url, failed in reader.failed.items() if failed} == {}
