"""The case index in a real browser: the filter JavaScript and a phone-sized viewport."""

from __future__ import annotations


import pytest


def _visible_titles(page) -> list[str]:
    return page.locator(".hub-card:visible .hub-card__title").all_inner_texts()


def test_filter_narrows_cards_to_the_chosen_ward_and_theme(browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "cases/")
    assert page.locator("form[data-hub-filter]").is_visible(), "the script reveals the filter"
    everything = _visible_titles(page)
    page.select_option("select[name=wards]", "nishi")
    nishi = _visible_titles(page)
    page.goto(base_url + "cases/wards/nishi/")
    assert sorted(nishi) == sorted(page.locator(".hub-card__title").all_inner_texts())
    page.goto(base_url + "cases/")
    page.select_option("select[name=wards]", "nishi")
    page.select_option("select[name=themes]", "community")
    both = _visible_titles(page)
    assert 0 < len(both) <= len(nishi) < len(everything)
    assert page.locator("[data-hub-filter-status]").inner_text() == f"{len(both)} 件が見つかりました"
    page.click("form[data-hub-filter] button[type=reset]")
    # A function, not an expression: Playwright evals an expression in the page, which the CSP refuses once it polls.
    page.wait_for_function("() => document.querySelectorAll('.hub-card[hidden]').length === 0")
    assert _visible_titles(page) == everything


def test_without_javascript_the_filter_stays_hidden_and_term_links_work(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "cases/")
    assert not page.locator("form[data-hub-filter]").is_visible()
    page.click("text=区から探す")
    page.click(".hub-overview >> text=西区")
    assert page.locator("h1").inner_text() == "西区の協働事例"
    context.close()


@pytest.mark.parametrize("path", ["", "cases/", "cases/kanazawa-living-lab/", "cases/sdgs/", "cases/wards/nishi/"])
def test_phone_viewport_has_no_horizontal_scroll(browser, base_url: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path or '/'} scrolls sideways by {overflow}px"
    page.close()
