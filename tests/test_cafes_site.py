"""The Machikado Care section of the sample site, built by `mkdocs build` and read as visitors and calendar apps do."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from browser import AXE, AXE_CONTEXT, as_live_site, inject_axe
from bs4 import BeautifulSoup
from dateutil.rrule import rrulestr
from icalendar import Calendar
from sitebuild import PROJECT, SAMPLE_EPOCH

from hub.collections.cafes.pages import TRAINING_SERIES
from hub.collections.cafes.recurrence import occurrences
from hub.core.clock import TOKYO
from hub.core.content import Content
from hub.core.settings import Settings
from hub.reading.loader import Project, load_content

NOW = datetime.fromtimestamp(int(SAMPLE_EPOCH), TOKYO)
DIRECTORY = "machikado-care/cafes/"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(Project.from_settings(Settings.find(PROJECT)))


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def shown_dates(block) -> list[str]:
    return [time["datetime"] for time in block.select(".hub-cafe-next__list time")]


def expected_dates(cafe) -> list[str]:
    return [item.start.isoformat() for item in occurrences(cafe.meta.schedule, cafe.meta.listed, NOW, count=3)]


def test_sample_has_enough_cafes_wards_and_schedule_kinds(content: Content) -> None:
    cafes = content["cafes"]
    assert len(cafes) >= 15
    assert len({cafe.meta.ward for cafe in cafes}) >= 8
    schedules = [cafe.meta.schedule for cafe in cafes]
    assert any(not schedule.weeks for schedule in schedules), "weekly"
    assert any(schedule.weeks == [1, 3] for schedule in schedules), "1st and 3rd"
    assert any("last" in schedule.weeks for schedule in schedules), "last weekday"
    assert any(schedule.skip for schedule in schedules) and any(schedule.note for schedule in schedules)


def test_directory_groups_cafes_by_ward_with_counts(site: Path, content: Content) -> None:
    page = soup(site, DIRECTORY)
    wards = content.vocabularies["wards"]
    sections = page.select("section.hub-cafe-ward")
    expected = [term for term in wards.terms if any(cafe.meta.ward == term.id for cafe in content["cafes"])]
    assert [section["id"] for section in sections] == [f"ward-{term.id}" for term in expected]
    for section, term in zip(sections, expected):
        cafes = [cafe for cafe in content["cafes"] if cafe.meta.ward == term.id]
        assert section.h2.select_one(".hub-count").get_text(strip=True) == f"{len(cafes)} 件"
        assert term.label in section.h2.get_text()
        assert [a.get_text(strip=True) for a in section.select(".hub-card__title a")] == [cafe.title for cafe in cafes]


def test_ward_table_and_map_agree_with_the_content(site: Path, content: Content) -> None:
    page = soup(site, DIRECTORY)
    counts = {term.id: sum(cafe.meta.ward == term.id for cafe in content["cafes"])
              for term in content.vocabularies["wards"].terms}
    rows = page.select(".hub-ward-table tbody tr")
    assert len(rows) == 18
    assert {row["data-ward"]: int(row.td.get_text(strip=True)) for row in rows} == counts
    assert page.select_one(".hub-ward-table caption").get_text(strip=True)
    tiles = page.select("svg .hub-ward-map__tile")
    assert {tile["data-ward"]: int(tile["data-count"]) for tile in tiles} == counts
    for tile in tiles:
        assert tile.select("text")[-1].get_text() == tile["data-count"]


def test_map_has_a_title_and_description_for_screen_readers(site: Path, content: Content) -> None:
    svg = soup(site, DIRECTORY).select_one("svg.hub-ward-map__svg")
    assert svg["role"] == "group", "a group of links (the tiles), not one picture"
    title, desc = svg.find("title", recursive=False), svg.find("desc", recursive=False)
    assert (svg["aria-labelledby"], svg["aria-describedby"]) == (title["id"], desc["id"])
    assert title.get_text() == "横浜市18区の認知症カフェの数"
    wards_with = len({cafe.meta.ward for cafe in content["cafes"]})
    assert f"18区のうち{wards_with}区" in desc.get_text() and f"計{len(content['cafes'])}件" in desc.get_text()
    assert "西区 3件" in desc.get_text()


def test_next_three_dates_on_directory_and_cafe_pages(site: Path, content: Content) -> None:
    directory = soup(site, DIRECTORY)
    cards = {card.select_one(".hub-card__title a").get_text(strip=True): card for card in directory.select(".hub-cafe-card")}
    for cafe in content["cafes"]:
        expected = expected_dates(cafe)
        assert len(expected) == 3
        assert shown_dates(cards[cafe.title]) == expected, cafe.slug
        page = soup(site, cafe.url)
        assert page.h1.get_text(strip=True) == cafe.title
        assert shown_dates(page.select_one(".hub-cafe__next")) == expected, cafe.slug


def test_two_sample_cafes_at_the_sample_epoch(site: Path) -> None:
    """The figures of the closing note: a skip moves the second-Wednesday cafe on a month."""
    fujidana = soup(site, "machikado-care/cafes/nishi-fujidana-orange/").select_one(".hub-cafe__next")
    assert [t.get_text() for t in fujidana.select("time")] == \
        ["2021年3月10日（水）14:00〜16:00", "2021年4月14日（水）14:00〜16:00", "2021年5月12日（水）14:00〜16:00"]
    umikaze = soup(site, "machikado-care/cafes/naka-honmoku-umikaze/").select_one(".hub-cafe__next")
    assert [t.get_text() for t in umikaze.select("time")] == \
        ["2021年2月26日（金）14:00〜16:00", "2021年3月26日（金）14:00〜16:00", "2021年4月30日（金）14:00〜16:00"]


def test_each_cafe_calendar_expands_to_the_dates_on_its_page(site: Path, content: Content) -> None:
    for cafe in content["cafes"]:
        page = soup(site, cafe.url)
        link = page.select_one(f'a[href^="webcal:"][href$="{cafe.slug}.ics"]')
        assert link is not None, cafe.slug
        calendar = Calendar.from_ical((site / cafe.url.removesuffix("/")).with_suffix(".ics").read_bytes())
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 1
        event = events[0]
        assert event["summary"] == cafe.title
        start = event.decoded("dtstart")
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start, forceset=True)
        exdates = event.get("exdate")
        skipped = [moment.dt for group in (exdates if isinstance(exdates, list) else [exdates] if exdates else [])
                   for moment in group.dts]
        assert [moment.date() for moment in skipped] == cafe.meta.schedule.skip
        for moment in skipped:
            rule.exdate(moment)
        duration = event.decoded("dtend") - start
        upcoming = [moment for moment in rule.xafter(NOW - duration, count=3)]
        assert [moment.isoformat() for moment in upcoming] == shown_dates(page.select_one(".hub-cafe__next"))


def test_trainings_page_lists_upcoming_editions_of_the_training_series(site: Path, content: Content) -> None:
    page = soup(site, "machikado-care/trainings/")
    expected = sorted((event for event in content["events"]
                       if event.meta.series in TRAINING_SERIES and event.meta.end > NOW),
                      key=lambda event: event.meta.start)
    assert len(expected) >= 2
    listed = page.select(".hub-training")
    assert [item.h2.get_text(strip=True) for item in listed] == [event.title for event in expected]
    assert {item["data-series"] for item in listed} <= set(TRAINING_SERIES)
    past = [event for event in content["events"] if event.meta.series in TRAINING_SERIES and event.meta.end <= NOW]
    assert past, "the sample has a past training, which must not be listed"
    assert not any(event.title in page.get_text() for event in past)


def test_hand_written_pages_resources_and_navigation(site: Path) -> None:
    for url in ("machikado-care/", "machikado-care/supporter-course/", "machikado-care/caravan-mate/",
                "machikado-care/guidebook/", "machikado-care/start-a-cafe/"):
        assert soup(site, url).h1 is not None, url
    resources = soup(site, "machikado-care/caravan-mate/")
    files = [a["href"] for a in resources.select("article a[href], .md-content a[href]") if "/files/" in a["href"]]
    assert len(files) >= 3
    for href in files:
        target = (site / "machikado-care" / "caravan-mate" / href).resolve()
        assert target.is_file() and target.stat().st_size > 0, href
    assert (site / "machikado-care" / "files" / "shop-guidebook-summary.pdf").read_bytes().startswith(b"%PDF")
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    nav = [a["href"] for a in home.select("nav.md-nav--primary a[href]")]
    assert any(href.rstrip("/").endswith("machikado-care/cafes") for href in nav)
    assert any("machikado-care/" in a["href"] for a in home.select(".md-content a[href]"))


def test_drafts_are_not_published(site: Path) -> None:
    assert not (site / "machikado-care" / "cafes" / "izumi-ryokuen-draft").exists()
    assert b"DRAFT-CANARY-CAFE" not in (site / DIRECTORY / "index.html").read_bytes()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "machikado-care/cafes/nishi-fujidana-orange/" in sitemap and "ryokuen" not in sitemap


# --- on the visitor's clock ------------------------------------------------------------------

def next_dates_at(browser, url: str, moment: str) -> tuple[list[str], bool]:
    """A cafe's next dates on a live site's page (see browser.as_live_site) at `moment`."""
    context = browser.new_context()
    as_live_site(context)
    page = context.new_page()
    page.clock.set_fixed_time(moment)
    page.goto(url)
    block = page.locator(".hub-cafe__next")
    dates = block.locator(".hub-cafe-next__list time").evaluate_all("times => times.map(t => t.dateTime)")
    none_shown = block.locator("[data-hub-cafe-none]").is_visible()
    context.close()
    return dates, none_shown


def test_script_keeps_the_built_dates_while_they_are_current(browser, base_url: str) -> None:
    dates, none_shown = next_dates_at(browser, base_url + "machikado-care/cafes/nishi-fujidana-orange/",
                                      "2021-02-01T09:00:00+09:00")
    assert dates == ["2021-03-10T14:00:00+09:00", "2021-04-14T14:00:00+09:00", "2021-05-12T14:00:00+09:00"]
    assert not none_shown


def test_script_moves_on_when_the_page_is_old(browser, base_url: str) -> None:
    dates, none_shown = next_dates_at(browser, base_url + "machikado-care/cafes/nishi-fujidana-orange/",
                                      "2021-03-10T16:30:00+09:00")
    assert dates == ["2021-04-14T14:00:00+09:00", "2021-05-12T14:00:00+09:00", "2021-06-09T14:00:00+09:00"]
    assert not none_shown


def test_script_says_so_when_the_page_is_older_than_its_dates(browser, base_url: str) -> None:
    dates, none_shown = next_dates_at(browser, base_url + "machikado-care/cafes/nishi-fujidana-orange/",
                                      "2023-01-01T00:00:00+09:00")
    assert dates == [] and none_shown




@pytest.mark.parametrize("path", ["machikado-care/", "machikado-care/trainings/", "machikado-care/supporter-course/",
                                  "machikado-care/caravan-mate/", "machikado-care/cafes/naka-honmoku-umikaze/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_section_pages_pass_axe_and_fit_a_phone(browser, base_url: str, path: str, scheme: str) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 900}, **AXE_CONTEXT)
    page = context.new_page()
    page.clock.set_fixed_time("2021-02-01T09:00:00+09:00")
    page.goto(base_url + path)
    inject_axe(page)
    # The section's content; the theme's header and navigation are checked by test_accessibility.
    result = page.evaluate("""axe.run({include: [".md-content"]}, {resultTypes: ["violations"]})""")
    problems = [(rule["id"], [node["target"] for node in rule["nodes"]][:3]) for rule in result["violations"]]
    assert problems == [], problems
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    context.close()
