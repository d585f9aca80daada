"""The look for seniors on phones, in Chromium at 390 and 1280 px: sizes, targets, type, header.

Text a reader needs is at least 16 px; targets are at least 44 px and 8 px apart; no
Japanese is slanted; the header's site name is never cut at any text size; the menu opens
from the keyboard; the ward map's tiles are links named with their counts; headings break
between phrases (BudouX) with their text unchanged; the colours and focus ring are the
Digital Agency design system's (tokens.css). test_accessibility.py checks axe, the Nu
checker, body text and targets of every template; this file checks what it does not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from markupsafe import Markup, escape

from hub.output.phrases import phrases

PHONE, DESKTOP = 390, 1280
CAFES = "machikado-care/cafes/"
JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff]"


def new_page(browser, width: int, textsize: str = ""):
    """A page `width` px wide, at the given text size (textsize.js's saved choice); no motion."""
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    if textsize:
        context.add_init_script(f"localStorage.setItem('hub.textsize', {json.dumps(textsize)})")
    return context, context.new_page()


def soup(site: Path, url: str) -> BeautifulSoup:
    """html.parser knows <wbr> is empty (lxml would wrap the text after it in one)."""
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


# --- text sizes ---------------------------------------------------------------------------

# Every piece of text the reader sees in the header, the sidebars and the page (the footer is
# the footer's own), with its size: [size, the element, the text].
TEXT_SIZES_JS = """() => {
  const found = [];
  for (const area of document.querySelectorAll('.md-header, .md-sidebar, .md-content')) {
    const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode.textContent.trim();
      const element = walker.currentNode.parentElement;
      if (!text || !element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
      if (!element.getBoundingClientRect().width) continue;
      found.push([parseFloat(getComputedStyle(element).fontSize),
                  `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`, text.slice(0, 20)]);
    }
  }
  return found;
}"""


def test_every_text_a_reader_needs_is_at_least_16px(browser, base_url: str) -> None:
    """Navigation (14 px in Material), badges, kana readings, header labels, the ward map."""
    context, page = new_page(browser, PHONE)
    seen: set[str] = set()
    for path in ["events/", "talents/", CAFES]:
        page.goto(base_url + path)
        for width in [PHONE, DESKTOP]:
            page.set_viewport_size({"width": width, "height": 900})
            sizes = page.evaluate(TEXT_SIZES_JS)
            seen |= {what for _, what, _ in sizes}
            assert [entry for entry in sizes if entry[0] < 16] == [], f"{path} at {width}px"
    # badges, kana, the header's words, the ward map's tiles, the navigation's links beside the page
    expected = {"li.hub-badge.hub-badge--online", "p.hub-kana", "span.hub-textsize__label", "tspan.", "span.md-ellipsis"}
    assert expected <= seen, "the pages still show what this test measures"
    context.close()


# --- touch targets ------------------------------------------------------------------------

# The boxes of the visible elements matching a selector, and every pair closer than `gap` px
# (a box inside another, such as an icon in its link, is not a pair).
CROWDED_JS = """([selector, gap]) => {
  const boxes = [...document.querySelectorAll(selector)]
    .filter(e => e.checkVisibility({visibilityProperty: true, opacityProperty: true}))
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([, box]) => box.width && box.height && box.right > 0 && box.left < innerWidth)
    .filter(([e, box]) => {  // not covered by something above it (the open drawer covers the page)
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      if (y < 0 || y >= innerHeight) return true;
      const top = document.elementFromPoint(x, y);
      return top !== null && (e.contains(top) || top.contains(e));
    });
  const name = (e) => `${e.tagName.toLowerCase()} "${(e.textContent || e.getAttribute('aria-label')).trim().slice(0, 15)}"`;
  const small = boxes.filter(([, box]) => box.width < 44 || box.height < 44)
    .map(([e, box]) => `${name(e)} ${Math.round(box.width)}×${Math.round(box.height)}`);
  const close = [];
  boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    if (a.contains(b) || b.contains(a)) return;
    const apart = Math.max(q.left - p.right, p.left - q.right, q.top - p.bottom, p.top - q.bottom);
    if (apart < gap - 0.5) close.push(`${name(a)} ${name(b)} ${apart.toFixed(1)}px`);
  }));
  return {count: boxes.length, small, close};
}"""

# Buttons, the navigation's links and section toggles (not the box around a pair of them).
TARGETS = ".md-typeset .md-button, .md-nav__link:not(.md-nav__container), .md-header__button"


def test_home_buttons_and_navigation_are_44px_and_8px_apart(browser, base_url: str) -> None:
    context, page = new_page(browser, DESKTOP)
    page.goto(base_url)
    for width in [DESKTOP, PHONE]:
        page.set_viewport_size({"width": width, "height": 900})
        if width == PHONE:
            page.click("[data-hub-menu]")  # the navigation is in the drawer on phones
            page.wait_for_function("() => document.getElementById('__drawer').checked")
        found = page.evaluate(CROWDED_JS, [TARGETS, 8])
        assert found["count"] >= 8
        assert found["small"] == [], f"smaller than 44 px at {width}px"
        assert found["close"] == [], f"closer than 8 px at {width}px"
    context.close()


# --- Japanese type ------------------------------------------------------------------------

SLANTED_JS = """(japanese) => {
  const slanted = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (new RegExp(japanese).test(walker.currentNode.textContent)
        && getComputedStyle(element).fontStyle !== 'normal') {
      slanted.push(`${element.tagName.toLowerCase()}: ${walker.currentNode.textContent.trim().slice(0, 20)}`);
    }
  }
  return slanted;
}"""


def test_no_japanese_text_is_italic(browser, base_url: str) -> None:
    """The ward map's legend and caption were italic (Material's figcaption)."""
    context, page = new_page(browser, DESKTOP)
    for path in [CAFES, "about/", "talents/guidebook/"]:
        page.goto(base_url + path)
        assert page.evaluate(SLANTED_JS, JAPANESE) == [], path
    context.close()


def test_headings_break_between_phrases_and_keep_their_text(site: Path) -> None:
    page = soup(site, CAFES)
    title = page.select_one('meta[property="og:title"]')["content"]
    h1 = page.h1
    assert "<wbr/>" in h1.decode_contents() and h1.get_text() == title == "認知症カフェを探す"
    assert [str(part) for part in h1.select_one(".hub-phrases").contents] == ["認知症カフェを", "<wbr/>", "探す"]
    card = page.select_one(".hub-card__title a")
    cafe = soup(site, CAFES + card["href"])
    assert card.select("wbr") and card.get_text() == cafe.h1.get_text() == cafe.find("meta", property="og:title")["content"]


def test_phrases_escapes_first_and_splits_only_text() -> None:
    assert str(phrases("西区の商店街と<b>大学</b>")) == \
        '<span class="hub-phrases">西区の<wbr>商店街と<wbr>&lt;b&gt;大学&lt;/b&gt;</span>'
    title = escape("A&B の活動報告")  # MkDocs' page titles arrive as escaped Markup
    split = phrases(title)
    assert "<wbr>" in split and "&amp;amp;" not in split
    assert BeautifulSoup(split, "html.parser").get_text() == "A&B の活動報告"
    assert phrases(Markup("区 <small>3 件</small>")) == Markup("区 <small>3 件</small>"), "markup is left alone"
    assert phrases("協働") == "協働" and "hub-phrases" not in phrases("協働"), "one phrase: no span"
    spaced = phrases("人生を聞き書きに — 泉区の記録")
    assert "<wbr>" in spaced and not re.search(r"\s<wbr>|<wbr>\s", spaced), "a space is a break already"


# --- header ---------------------------------------------------------------------------------

NAME_JS = """() => {
  const name = document.querySelector('.md-header__topic .hub-site-name');
  return {text: name.innerText.trim(), scroll: name.scrollWidth, client: name.clientWidth};
}"""


def test_header_site_name_is_never_cut(browser, base_url: str) -> None:
    """At each text size (textsize.js), the short name on a phone and the full one on a desktop."""
    context, page = new_page(browser, PHONE)
    page.goto(base_url)
    for size in ["", "large", "larger"]:
        page.click(".hub-textsize__toggle")
        page.click(f".hub-textsize__option[data-size='{size}']")
        page.keyboard.press("Escape")
        for width, name in [(PHONE, "協働ハブ"), (DESKTOP, "よこはま市民協働ハブ")]:
            page.set_viewport_size({"width": width, "height": 900})
            shown = page.evaluate(NAME_JS)
            assert shown["text"] == name, (size, width)
            assert shown["scroll"] <= shown["client"], f"cut at text size {size or 'standard'}, {width}px: {shown}"
    context.close()


def test_keyboard_reaches_the_menu_and_enter_opens_it(browser, base_url: str) -> None:
    context, page = new_page(browser, PHONE)
    page.goto(base_url + "cases/")
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-hub-menu]')"):
            break
    menu = page.locator("[data-hub-menu]")
    assert page.evaluate("document.activeElement.matches('[data-hub-menu]')"), "Tab reaches the menu"
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.locator("label[for=__drawer].md-header__button").is_hidden(), "the label gives way to the button"
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null"), "focus in the menu"
    box = page.locator(".md-sidebar--primary").bounding_box()
    assert box["x"] >= 0 and box["width"] > 200, "the drawer is on screen"
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.matches('[data-hub-menu]')"), "focus back on the button"
    for _ in range(6):  # the closed drawer's links are out of the keyboard's reach
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') === null")
    context.close()


# --- the ward map ---------------------------------------------------------------------------


def test_ward_tiles_are_links_named_with_their_counts(site: Path) -> None:
    page = soup(site, CAFES)
    tiles = page.select("svg .hub-ward-map__tile")
    assert len(tiles) == 18
    for tile in tiles:
        count = int(tile["data-count"])
        name = tile["aria-label"]
        assert re.fullmatch(rf"\S+区 {count} か所", name), name
        ward, shown_count = tile.select("text")
        assert name.startswith(f"{ward.get_text()} {shown_count.get_text()}"), "the name begins with what is seen"
        if count:
            assert tile.name == "a" and page.find(id=tile["href"].removeprefix("#")) is not None, name
        else:
            assert tile.name == "g" and tile["role"] == "img" and tile.select("text")[-1].get_text() == "0", name
    assert page.select_one('a.hub-ward-map__tile[data-ward="nishi"]')["aria-label"] == "西区 3 か所"
    assert page.select_one(".hub-ward-table table"), "the table stays"


def test_ward_tiles_can_be_tapped_and_reached_by_keyboard(browser, base_url: str) -> None:
    context, page = new_page(browser, PHONE)
    page.goto(base_url + CAFES)
    found = page.evaluate(CROWDED_JS, ["a.hub-ward-map__tile, g.hub-ward-map__tile", 8])
    assert found["count"] == 18 and found["small"] == [] and found["close"] == []
    tile = page.locator('a.hub-ward-map__tile[data-ward="nishi"]')
    stroke = "getComputedStyle(document.querySelector('[data-ward=nishi] rect')).strokeWidth"
    unfocused = page.evaluate(stroke)
    page.focus("details.hub-ward-table summary")  # after the map: Shift+Tab walks back into it
    while not page.evaluate("document.activeElement.matches('[data-ward=nishi]')"):
        page.keyboard.press("Shift+Tab")
    assert page.evaluate(stroke) != unfocused, "a visible focus ring"
    assert page.get_by_role("link", name="西区 3 か所").count() == 1
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#ward-nishi"
    assert tile.count() == 1
    context.close()


# --- colours and focus (tokens.css) --------------------------------------------------------

BLACK, YELLOW_300, BLUE_900 = "rgb(0, 0, 0)", "rgb(255, 212, 61)", "rgb(0, 23, 193)"
FOCUS_JS = """(selector) => {
  const element = document.querySelector(selector);
  element.focus();
  const style = getComputedStyle(element);
  return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow,
          getComputedStyle(document.querySelector('.md-header')).backgroundColor];
}"""


def test_focus_ring_and_header_are_the_design_systems(browser, base_url: str) -> None:
    """DADS's ring: black with a yellow-300 halo; in the dark scheme, yellow with a black one."""
    for scheme, ring, halo in [("light", BLACK, YELLOW_300), ("dark", YELLOW_300, BLACK)]:
        context = browser.new_context(viewport={"width": DESKTOP, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(base_url + "cases/")
        page.keyboard.press("Tab")  # the browser shows focus rings from the keyboard on
        style, width, colour, shadow, header = page.evaluate(FOCUS_JS, ".hub-card__title a")
        assert (style, width, colour) == ("solid", "4px", ring), scheme
        assert halo in shadow, scheme
        assert header == BLUE_900, scheme
        context.close()


# --- phones ---------------------------------------------------------------------------------


def test_pages_fit_a_phone_at_the_largest_text_size(browser, base_url: str) -> None:
    """The templates test_accessibility does not visit: taxonomy lists, past events, series,
    talent categories, trainings, the newsletter archive."""
    paths = ["cases/wards/", "events/past/", "events/series/", "talents/category/", "machikado-care/trainings/",
             "newsletter/"]
    context, page = new_page(browser, PHONE, textsize="larger")
    for path in paths:
        page.goto(base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    assert page.evaluate("document.documentElement.dataset.hubTextsize") == "larger"
    context.close()
