"""Event pages in headless Chromium: the script that keeps listings current on the visitor's clock.

The sample is built as of 2021-02-01 09:00 JST. Its pages are opened as a live site's
(without the sample's pinned time, see browser.as_live_site), and Playwright's fake clock
then moves the visitor's "now" forward without rebuilding, as happens when a static page is
read days later. test_home.py checks that the sample itself stands still at its pinned time.
"""

from __future__ import annotations

import pytest

from browser import AXE, AXE_CONTEXT, as_live_site, inject_axe

BUILT = "2021-02-01T09:00:00+09:00"
LABOUR = "NPO労務講座（全2回）— 職員と働くための雇用・労務の基本"  # ends 2021-02-13 12:00
DIALOGUE = "オープンダイアログ vol.2「集まれない時期の、地域の居場所」"  # ends 2021-02-13 16:30
FORUM = "みらいリンクフォーラム vol.2「データでつながる協働 — オープンデータと市民の力」"  # deadline 02-24, ends 02-27


def open_at(browser, url: str, moment: str, **options):
    """A live site's page whose clock reads `moment` (ISO 8601 with offset) from the first script on."""
    context = browser.new_context(**options)
    as_live_site(context)
    page = context.new_page()
    if options.get("java_script_enabled", True):
        page.clock.set_fixed_time(moment)
    page.goto(url)
    return context, page


def titles(page, container: str) -> list[str]:
    return page.locator(f"{container} .hub-card__title").all_inner_texts()


def card(page, title: str):
    return page.locator(".hub-card", has=page.get_by_role("link", name=title, exact=True))


def visible_badges(locator) -> list[str]:
    return locator.locator(".hub-badge:visible").all_inner_texts()


def test_at_build_time_the_script_changes_nothing(browser, base_url: str) -> None:
    context, page = open_at(browser, base_url + "events/", BUILT)
    upcoming = titles(page, "[data-hub-upcoming]")
    assert upcoming[:2] == [LABOUR, DIALOGUE] and FORUM in upcoming
    assert visible_badges(card(page, DIALOGUE)) == ["締切間近", "会場＋オンライン", "託児付き"]
    context.close()


def test_ended_events_move_out_of_upcoming_when_the_clock_moves_on(browser, base_url: str) -> None:
    context, page = open_at(browser, base_url + "events/", "2021-02-14T08:00:00+09:00")
    upcoming = titles(page, "[data-hub-upcoming]")
    ended = titles(page, "[data-hub-ended]")
    assert LABOUR not in upcoming and DIALOGUE not in upcoming
    assert ended[:2] == [DIALOGUE, LABOUR], "most recently ended first, above the older ones"
    assert FORUM in upcoming
    assert visible_badges(card(page, DIALOGUE)) == ["終了", "会場＋オンライン", "託児付き"]
    assert page.locator("[data-hub-upcoming] .hub-month:visible h2").all_inner_texts() == ["2021年2月", "2021年3月"]
    context.close()


def test_badges_follow_the_visitors_clock(browser, base_url: str) -> None:
    context, page = open_at(browser, base_url + "events/", "2021-02-20T10:00:00+09:00")
    assert visible_badges(card(page, FORUM)) == ["締切間近", "オンライン"]
    context.close()
    context, page = open_at(browser, base_url + "events/", "2021-02-25T10:00:00+09:00")
    assert visible_badges(card(page, FORUM)) == ["受付終了", "オンライン"]
    context.close()


def test_a_month_left_empty_is_hidden_and_an_empty_list_says_so(browser, base_url: str) -> None:
    context, page = open_at(browser, base_url + "events/", "2021-04-01T00:00:00+09:00")
    assert titles(page, "[data-hub-upcoming]") == []
    assert page.locator("[data-hub-upcoming] .hub-month:visible").count() == 0
    assert page.locator("[data-hub-upcoming-empty]").is_visible()
    context.close()


def test_without_javascript_the_page_stays_as_built(browser, base_url: str) -> None:
    context, page = open_at(browser, base_url + "events/", "2021-02-14T08:00:00+09:00", java_script_enabled=False)
    assert titles(page, "[data-hub-upcoming]")[:2] == [LABOUR, DIALOGUE]
    assert visible_badges(card(page, DIALOGUE)) == ["締切間近", "会場＋オンライン", "託児付き"]
    context.close()


def test_event_page_says_when_it_is_over_and_stops_taking_applications(browser, base_url: str) -> None:
    url = base_url + "events/open-dialogue-2021-02/"
    context, page = open_at(browser, url, BUILT)
    assert page.locator(".hub-event__apply").is_visible()
    assert not page.locator(".hub-event__ended").is_visible()
    context.close()
    context, page = open_at(browser, url, "2021-02-14T08:00:00+09:00")
    assert not page.locator(".hub-event__apply").is_visible()
    assert page.locator(".hub-event__closed").is_visible()
    assert page.locator(".hub-event__ended").inner_text() == "このイベントは終了しました。"
    context.close()


def test_series_page_moves_an_ended_edition_to_past(browser, base_url: str) -> None:
    context, page = open_at(browser, base_url + "events/series/open-dialogue/", "2021-02-14T08:00:00+09:00")
    assert titles(page, "[data-hub-upcoming]") == []
    assert titles(page, "[data-hub-ended]")[0] == DIALOGUE
    assert page.locator("[data-hub-upcoming-empty]").is_visible()
    context.close()


@pytest.mark.parametrize("path", ["events/", "events/past/", "events/calendar/", "events/series/",
                                  "events/public-action-2020/", "events/mirai-link-forum-2020/",
                                  "events/series/npo-basics-online/"])
def test_phone_viewport_has_no_horizontal_scroll(browser, base_url: str, path: str) -> None:
    context, page = open_at(browser, base_url + path, BUILT, viewport={"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"/{path} scrolls sideways by {overflow}px"
    context.close()


def test_calendar_on_a_phone_lists_only_days_with_events(browser, base_url: str) -> None:
    context, page = open_at(browser, base_url + "events/calendar/", BUILT, viewport={"width": 390, "height": 844})
    days = page.locator("td.hub-cal__day:visible time").all_inner_texts()
    assert days[:2] == ["2月13日（土）", "2月19日（金）"]
    context.close()
    context, page = open_at(browser, base_url + "events/calendar/", BUILT, viewport={"width": 1280, "height": 900})
    assert page.locator("table.hub-cal").first.locator("td:visible").count() == 35
    context.close()


@pytest.mark.parametrize("path, selectors", [
    ("events/open-dialogue-2021-02/", (".hub-event__apply", ".hub-add-to-calendar a", ".hub-facts a")),
    ("events/npo-labor-2021/", (".hub-sessions td a",)),  # a course with a session to come: its Google link
    ("events/", (".hub-events-nav a", ".hub-event-card a")),
    ("events/calendar/", (".hub-cal__event a",)),
])
def test_touch_targets_are_at_least_44px(browser, base_url: str, path: str, selectors: tuple[str, ...]) -> None:
    context, page = open_at(browser, base_url + path, BUILT, viewport={"width": 390, "height": 844})
    for selector in selectors:
        boxes = [element.bounding_box() for element in page.locator(selector).all()]
        assert boxes, selector
        for box in boxes:
            assert box["height"] >= 44, (selector, box)
    context.close()


@pytest.mark.parametrize("path", ["events/", "events/past/", "events/calendar/", "events/series/open-dialogue/",
                                  "events/public-action-2020/", "events/mirai-link-forum-2021/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_event_pages_pass_axe(browser, base_url: str, path: str, width: int) -> None:
    """WCAG 2.2 AA rules on the page content (the theme's own header and footer are not this feature's)."""
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    context, page = open_at(browser, base_url + path, BUILT, viewport={"width": width, "height": 900}, **AXE_CONTEXT)
    inject_axe(page)
    result = page.evaluate("""axe.run({include: [".md-content"]},
        {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]})""")
    problems = [(rule["id"], [node["target"] for node in rule["nodes"]]) for rule in result["violations"]]
    assert problems == [], problems
    context.close()
