"""Accessibility of every page template, in Chromium and with the Nu HTML checker.

The pages are those of the built sample site that exist among: home, a case, the case
index, a term page, events, the calendar, an event, talents, a talent, the guidebook,
cafes, a cafe, a digest, groups, a group, volunteer recruitments, a recruitment, the
accessibility test results and 404 (tests/accessibility_support.py).
Templates that have not been written yet are skipped; every page that exists must pass:
axe-core with no violations at 390 px and 1280 px, in the light and the dark colour scheme,
at each text size (one run, which the published accessibility report must match), no Nu
checker errors, lang="ja", body text of at least 16 px, touch
targets of at least 44 × 44 px, a visible focus ring, and no sideways scrolling on a
390 px wide phone, also at the largest text size.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from accessibility_support import (AXE, COMBINATIONS, REPORT, TEMPLATES, AxeRun, VnuRun, axe_violations, report,
                                   require, run_axe, run_vnu, serve_published, template_pages)
from browser import AXE_CONTEXT, serve

from hub.core.clock import TOKYO


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, str]:
    """The page of each template that exists, as a path under the site."""
    return template_pages(site)


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The site served under site_url's path, as GitHub Pages serves it (404.html links from there)."""
    with serve_published(site) as url:
        yield url


@pytest.fixture(scope="module")
def axe_run(site: Path) -> AxeRun:
    """axe-core over one page of every template in every combination, once: each test reads its part."""
    return run_axe(site)


@pytest.fixture(scope="module")
def vnu_run(site: Path) -> VnuRun:
    """The Nu HTML checker over the same pages, in one Java start."""
    return run_vnu(site)


def page_of(pages: dict[str, str], name: str) -> str:
    if name not in pages:
        pytest.skip(f"no {name} page in the sample site yet")
    return pages[name]


def test_the_core_templates_exist(pages: dict[str, str]) -> None:
    assert {"home", "case", "case index", "term page", "404"} <= set(pages)


# --- axe-core ------------------------------------------------------------------------------


@pytest.mark.parametrize("combination", [combination.key for combination in COMBINATIONS])
@pytest.mark.parametrize("name", list(TEMPLATES))
def test_axe_finds_no_violations(axe_run: AxeRun, pages: dict[str, str], name: str, combination: str) -> None:
    path = page_of(pages, name)
    assert [str(found) for found in axe_run.violations[name, combination]] == [], f"{name} ({path}, {combination})"


def test_axe_finds_no_violations_on_404_served_away_from_site_url(browser, site: Path) -> None:
    """GitHub Pages shows 404.html at any address, and its links start at site_url's path: served
    anywhere else (a fork, a preview, a custom domain before site_url follows), its styles do not
    arrive. Unstyled, it must still be usable: Material's hidden toggles and drawer stay hidden."""
    require(AXE, "axe-core")
    with serve(site) as url:
        context = browser.new_context(**AXE_CONTEXT)
        page = context.new_page()
        page.goto(url + "404.html")
        assert page.evaluate("[...document.styleSheets].every(sheet => !sheet.cssRules.length)"), "styles arrived"
        assert axe_violations(page) == []
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_open_search_and_text_size_panels(browser, base_url: str, scheme: str) -> None:
    require(AXE, "axe-core")
    context = browser.new_context(color_scheme=scheme, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(base_url)
    page.click(".hub-textsize__toggle")
    assert axe_violations(page) == [], "text size panel"
    page.keyboard.press("Escape")
    page.click("[data-hub-search-query]")
    page.fill("[data-hub-search-query]", "協働")
    page.wait_for_selector("[data-hub-search][data-hub-search-state=done]", state="attached")
    assert axe_violations(page) == [], "search results"
    context.close()


# --- Nu HTML checker -----------------------------------------------------------------------


def test_nu_html_checker_reports_no_errors(vnu_run: VnuRun) -> None:
    assert {name: errors for name, errors in vnu_run.errors.items() if errors} == {}


# --- the published test results (/accessibility/results/) ---------------------------------


def test_the_published_report_is_what_the_test_run_measures(axe_run: AxeRun, vnu_run: VnuRun) -> None:
    """Same pages, titles, tool versions, combinations and counts: a stale or an edited report fails."""
    assert REPORT.is_file(), "run scripts/accessibility-report"
    published = json.loads(REPORT.read_text(encoding="utf-8"))
    day = date.fromisoformat(published["date"])
    assert day <= datetime.now(TOKYO).date()  # the report is dated in Yokohama, as the script does
    assert report(axe_run, vnu_run, day) == published, "run scripts/accessibility-report and commit the report"


# --- lang, type size, text size control ----------------------------------------------------


def test_every_page_declares_japanese(site: Path) -> None:
    for path in [*site.rglob("index.html"), site / "404.html"]:
        if path.parent.name == "admin":
            continue  # the editors' CMS page is an app of its own
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").html
        assert html.get("lang") == "ja", path.relative_to(site)


# Running text: the content area and its plain paragraphs, list items, definitions and table
# cells (styled components such as badges may set a smaller secondary size of their own).
RUNNING_TEXT_SIZES_JS = """() => [document.querySelector('.md-content .md-typeset'),
  ...document.querySelectorAll('.md-content :is(p, li, dd, td):not([class])')]
  .filter(e => e && e.offsetParent !== null)
  .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 20)])"""


@pytest.mark.parametrize("width", [390, 1280])
def test_running_text_is_at_least_16px(browser, base_url: str, pages: dict[str, str], width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    for name, path in pages.items():
        page.goto(base_url + path)
        sizes = page.evaluate(RUNNING_TEXT_SIZES_JS)
        assert sizes, name
        smallest = min(sizes)
        assert smallest[0] >= 16, f"{name}: {smallest[0]}px for 「{smallest[1]}」"
    page.close()


def root_font_size(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_text_size_control_enlarges_everything_and_is_remembered(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url)
    normal = root_font_size(page)
    toggle = page.locator(".hub-textsize__toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.click(".hub-textsize__option[data-size=larger]")
    assert root_font_size(page) == pytest.approx(normal * 1.5)
    assert page.get_attribute(".hub-textsize__option[data-size=larger]", "aria-pressed") == "true"
    assert page.get_attribute(".hub-textsize__option[data-size='']", "aria-pressed") == "false"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    page.goto(base_url + "cases/")
    assert root_font_size(page) == pytest.approx(normal * 1.5), "remembered on the next page"
    assert page.get_attribute(".hub-textsize__option[data-size=larger]", "aria-pressed") == "true"
    toggle.click()
    page.click(".hub-textsize__option[data-size='']")
    page.reload()
    assert root_font_size(page) == pytest.approx(normal)
    context.close()


# --- touch targets, focus, phones ----------------------------------------------------------

# Interactive elements smaller than 44 × 44 px, except links inside a sentence (WCAG 2.5.5's
# inline exception) and elements that are not there to be touched (not rendered, off screen,
# transparent or ignoring the pointer).
SMALL_TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [tabindex]:not([tabindex="-1"])';
  const width = document.documentElement.clientWidth;
  const letters = (element) => element.textContent.replace(/\\s/g, '').length;
  const small = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || box.right <= 0 || box.left >= width) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.pointerEvents === 'none' || style.opacity === '0') continue;
    if (element.closest('.md-search__inner') && !document.getElementById('__search').checked) continue;
    if (style.display === 'inline') {
      let block = element.parentElement;
      while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      if (block && letters(block) > letters(element)) continue;
    }
    if (box.width < 44 || box.height < 44) {
      small.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')} "${element.textContent.trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(TEMPLATES))
def test_touch_targets_are_at_least_44px(browser, base_url: str, pages: dict[str, str], name: str, width: int) -> None:
    path = page_of(pages, name)
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base_url + path)
    assert page.evaluate(SMALL_TARGETS_JS) == [], f"{name} ({path}) at {width}px"
    page.close()


# The focused element's ring; for a visually hidden control (Material's colour scheme radio),
# the ring of the label drawn right after it in its place.
FOCUS_RING_JS = """() => {
  let element = document.activeElement;
  if (!element || element === document.body) return null;
  const box = element.getBoundingClientRect();
  const next = element.nextElementSibling;
  if ((box.width < 2 || box.height < 2) && next && next.tagName === 'LABEL') element = next;
  const style = getComputedStyle(element);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shown = element.checkVisibility({opacityProperty: true, visibilityProperty: true});
  return {what: `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} "${element.textContent.trim().slice(0, 20)}"`,
          visible: shown && (ring || style.boxShadow !== 'none')};
}"""


@pytest.mark.parametrize("name", ["home", "case index", "case", "events", "talents"])
def test_keyboard_focus_is_always_visible(browser, base_url: str, pages: dict[str, str], name: str) -> None:
    path = page_of(pages, name)
    # Without motion, as the site honours prefers-reduced-motion: the ring is there at once.
    page = browser.new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page.goto(base_url + path)
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_RING_JS)
        if focused is None:
            continue
        seen += 1
        assert focused["visible"], f"{name}: no focus ring on {focused['what']}"
    assert seen >= 10
    page.close()


@pytest.mark.parametrize("size", ["", "larger"])
@pytest.mark.parametrize("name", list(TEMPLATES))
def test_phone_needs_no_sideways_scrolling(browser, base_url: str, pages: dict[str, str], name: str, size: str) -> None:
    path = page_of(pages, name)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(f"localStorage.setItem('hub.textsize', {json.dumps(size)})")
    page = context.new_page()
    page.goto(base_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} ({path}) scrolls sideways by {overflow}px at text size {size or 'normal'}"
    context.close()
