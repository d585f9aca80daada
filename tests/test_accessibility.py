"""Accessibility of every page template, in Chromium and with the Nu HTML checker.

The pages are those of the built sample site that exist among: home, a case, the case
index, a term page, events, the calendar, an event, talents, a talent, the guidebook,
cafes, a cafe, groups, a group, a digest and 404. Templates that have not been written
yet are skipped; every page that exists must pass: axe-core with no violations in the
light and the dark colour scheme, no Nu checker errors, lang="ja", body text of at least
16 px, touch targets of at least 44 × 44 px, a visible focus ring, and no sideways
scrolling on a 390 px wide phone, also at the largest text size.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from browser import AXE, AXE_CONTEXT, inject_axe, serve_mounted
from hub.collections import COLLECTIONS
from search_support import site_pages
from sitebuild import PROJECT

NODE_MODULES = PROJECT / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _not_taxonomy(collection: str, extra: tuple[str, ...] = ()) -> str:
    """A pattern for `<collection>/<slug>/` that is an entry, not a taxonomy or listing page."""
    found = COLLECTIONS.get(collection)
    taken = {*(t.key for t in found.taxonomies), *found.reserved_slugs} if found else set()
    taken |= set(extra)
    return rf"^{collection}/(?!(?:{'|'.join(sorted(taken)) or '-'})/)[^/]+/$"


def _term_page(pages: list[str]) -> str | None:
    return "cases/wards/nishi/" if "cases/wards/nishi/" in pages else _first(r"^cases/[^/]+/[^/]+/$")(pages)


def _first(pattern: str) -> Callable[[list[str]], str | None]:
    return lambda pages: next((page for page in pages if re.match(pattern, page)), None)


def _exact(path: str) -> Callable[[list[str]], str | None]:
    return lambda pages: path if path in pages else None


# name → how to find that template's page among the site's pages (None: not built yet).
TEMPLATES: dict[str, Callable[[list[str]], str | None]] = {
    "home": _exact(""),
    "case": _first(_not_taxonomy("cases")),
    "case index": _exact("cases/"),
    "term page": _term_page,
    "events": _exact("events/"),
    "calendar": _exact("events/calendar/"),
    "event": _first(_not_taxonomy("events", ("calendar", "past", "series", "feed"))),
    "talents": _exact("talents/"),
    "talent": _first(_not_taxonomy("talents", ("guidebook", "category", "categories"))),
    "guidebook": _exact("talents/guidebook/"),
    "cafes": _exact("machikado-care/cafes/"),
    "cafe": _first(r"^machikado-care/cafes/[^/]+/$"),
    "groups": _exact("groups/"),
    "group": _first(_not_taxonomy("groups")),
    "digest": _first(r"^newsletter/\d{4}-\d{2}-\d{2}/$"),
    "404": lambda pages: "404.html",
}


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, str]:
    """The page of each template that exists, as a path under the site."""
    listed = site_pages(site)
    found = {name: finder(listed) for name, finder in TEMPLATES.items()}
    return {name: path for name, path in found.items() if path is not None}


@pytest.fixture(scope="module")
def base_url(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site served under site_url's path, as GitHub Pages serves it (404.html links from there)."""
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    with serve_mounted(site, config.get("site_url", ""), tmp_path_factory.mktemp("served")) as url:
        yield url


def page_of(pages: dict[str, str], name: str) -> str:
    if name not in pages:
        pytest.skip(f"no {name} page in the sample site yet")
    return pages[name]


def require(path: Path, what: str) -> None:
    if not path.exists():
        message = f"{what} is not installed: run `npm ci` (make test does)"
        if os.environ.get("HUB_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def test_the_core_templates_exist(pages: dict[str, str]) -> None:
    assert {"home", "case", "case index", "term page", "404"} <= set(pages)


# --- axe-core ------------------------------------------------------------------------------

def axe_violations(page) -> list[str]:
    inject_axe(page)
    violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)""")
    return violations


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(TEMPLATES))
def test_axe_finds_no_violations(browser, base_url: str, pages: dict[str, str], name: str, scheme: str) -> None:
    path = page_of(pages, name)
    require(AXE, "axe-core")
    context = browser.new_context(color_scheme=scheme, **AXE_CONTEXT)
    page = context.new_page()
    page.goto(base_url + path)
    assert axe_violations(page) == [], f"{name} ({path}, {scheme})"
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


def test_nu_html_checker_reports_no_errors(site: Path, pages: dict[str, str]) -> None:
    require(VNU, "vnu-jar")
    java = shutil.which("java")
    if java is None:
        if os.environ.get("HUB_REQUIRE_BROWSER"):
            pytest.fail("java is required for the Nu HTML checker")
        pytest.skip("java is not installed (apt-get install -y default-jre-headless)")
    files = [str(site / (path if path.endswith(".html") else path + "index.html")) for path in pages.values()]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).parent.name}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") == "error"]
    assert errors == []
    assert result.returncode == 0


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
