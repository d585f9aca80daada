"""Every published HTML document carries a Content-Security-Policy that lets the site's own
scripts run and nothing else: read from the built files with an HTML parser, and enforced
by headless Chromium on one page of every template."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
from browser import VIOLATION_LISTENER, as_live_site, serve, violations

from hub.guard.csp import protect_page

CSP = "content-security-policy"
EXECUTABLE_TYPES = {"", "module", "text/javascript", "application/javascript"}
# One page of every template (and the documents the hub writes itself), by URL path.
PAGES = [
    "", "cases/", "cases/nishi-shotengai-tasedai/", "cases/themes/", "cases/wards/nishi/",
    "events/", "events/open-dialogue-2021-02/", "events/calendar/", "events/past/", "events/series/",
    "events/series/dementia-supporter-course/",
    "talents/", "talents/balloon-art/", "talents/category/", "talents/category/crafts/", "talents/guidebook/",
    "machikado-care/", "machikado-care/supporter-course/", "machikado-care/cafes/",
    "machikado-care/cafes/aoba-tana-midori/", "machikado-care/trainings/",
    "newsletter/", "newsletter/2021-02-01/", "newsletter/2021-02-01/email.html", "about/", "404.html", "admin/",
]
INJECTED = "window.__injected = true"


def _policy(document: lxml.html.HtmlElement) -> dict[str, list[str]]:
    meta = document.find("head").find("meta[@http-equiv]")
    assert meta is not None and meta.get("http-equiv").lower() == CSP
    directives = [part.split() for part in meta.get("content").split(";")]
    return {words[0]: words[1:] for words in directives if words}


def _inline_scripts(document: lxml.html.HtmlElement) -> list[str]:
    return [script.text or "" for script in document.iter("script")
            if script.get("src") is None and (script.get("type") or "").strip().lower() in EXECUTABLE_TYPES]


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(path.read_bytes())


def _first_in_head(document: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The first element of <head> after <meta charset>, which must stay first."""
    children = [child for child in document.find("head") if isinstance(child.tag, str)]
    return children[1] if children[0].get("charset") else children[0]


def test_every_html_file_has_the_policy_first_with_the_hashes_of_its_inline_scripts(site: Path) -> None:
    files = sorted(site.rglob("*.html"))
    hashes: set[str] = set()
    for path in files:
        name = path.relative_to(site).as_posix()
        document = _parse(path)
        first = _first_in_head(document)
        assert (first.get("http-equiv") or "").lower() == CSP, name
        assert first.getnext().get("name") == "referrer", name
        policy = _policy(document)
        assert policy.get("object-src", policy["default-src"]) == ["'none'"] and "'unsafe-inline'" not in policy.get("script-src", []), name
        expected = {_sha256(text) for text in _inline_scripts(document)}
        assert {source for source in policy.get("script-src", []) if source.startswith("'sha")} == expected, name
        hashes |= expected
    assert len(files) > 200 and len(hashes) >= 4


def test_pages_allow_only_their_own_origin(site: Path) -> None:
    policy = _policy(_parse(site / "cases" / "index.html"))
    assert policy["default-src"] == policy["connect-src"] == policy["style-src"] == ["'self'"]
    assert policy["base-uri"] == policy["form-action"] == ["'self'"]
    assert all(source == "'self'" or source.startswith("'sha256-") for source in policy["script-src"])


def test_admin_runs_only_its_own_scripts_and_reaches_only_github_and_the_cdn(site: Path) -> None:
    policy = _policy(_parse(site / "admin" / "index.html"))
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'", "data:", "https://api.github.com", "https://www.githubstatus.com",
                                     "https://unpkg.com"]
    assert policy["font-src"] == ["'self'", "https://cdn.jsdelivr.net"]
    assert policy["frame-src"] == ["blob:"] and policy["object-src"] == ["'none'"]


def test_published_email_runs_no_script(site: Path) -> None:
    email = next(site.glob("newsletter/*/email.html"))
    policy = _policy(_parse(email))
    assert policy["default-src"] == ["'none'"] and "script-src" not in policy


def test_a_script_in_the_content_is_never_hashed() -> None:
    """Markdown may let an editor's <script> through: allowing it by its own hash would defeat the policy."""
    content = f"<p>本文</p><script>{INJECTED}</script>"
    page = (f"<html><head><meta charset=utf-8><script>var own = 1</script></head>"
            f"<body><article>{content}</article></body></html>")
    policy = _policy(lxml.html.document_fromstring(protect_page(page, content)))
    assert policy["script-src"] == ["'self'", _sha256("var own = 1")]


def test_only_allow_listed_embed_origins_may_be_framed() -> None:
    """An <iframe> the body policy lets through (extra.hub.html.embeds) must also load under the page's policy."""
    page = "<html><head><meta charset=utf-8></head><body></body></html>"
    assert "frame-src" not in _policy(lxml.html.document_fromstring(protect_page(page)))
    embeds = ("https://www.youtube-nocookie.com/embed/", "https://www.youtube-nocookie.com/embed/videoseries",
              "https://www.google.com/maps/embed")
    policy = _policy(lxml.html.document_fromstring(protect_page(page, embeds=embeds)))
    assert policy["frame-src"] == ["https://www.youtube-nocookie.com", "https://www.google.com"]
    assert policy["default-src"] == ["'self'"]


@dataclass
class Visit:
    page: object
    errors: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        return violations(self.page)

    def assert_enforced(self) -> None:
        """Nothing the page did so far was refused, and an inline script added now (as an
        injected one would arrive) is refused: the policy is in force and the page lives with it."""
        assert self.violations() == [] and self.errors == []
        ran = self.page.evaluate(f"""() => {{
          const script = document.createElement("script");
          script.textContent = "{INJECTED}";
          document.head.append(script);
          return window.__injected === true;
        }}""")
        assert not ran
        assert [violation.split()[0] for violation in self.violations()] == ["script-src-elem"]


@pytest.fixture(scope="module")
def context(browser) -> Iterator[object]:
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    context.add_init_script(VIOLATION_LISTENER)
    yield context
    context.close()


def _visit(context, url: str) -> Visit:
    page = context.new_page()
    visit = Visit(page)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on("console", lambda message: visit.errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(url, wait_until="load")
    return visit


@pytest.fixture
def visit(context) -> Iterator:
    opened: list[Visit] = []

    def open_page(url: str) -> Visit:
        opened.append(_visit(context, url))
        return opened[-1]

    yield open_page
    for page in opened:
        page.page.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_runs_its_scripts_without_violation_and_blocks_an_injected_one(visit, base_url: str, path: str) -> None:
    visit(base_url + path).assert_enforced()


def test_textsize_palette_and_search_work_under_the_policy(visit, base_url: str) -> None:
    home = visit(base_url + "?q=西区")
    page = home.page
    page.locator(".md-search-result__link").first.wait_for()
    page.keyboard.press("Escape")
    page.locator(".hub-textsize__toggle").click()
    page.get_by_role("button", name="大", exact=True).click()
    assert page.locator("html").get_attribute("data-hub-textsize") == "large"
    page.locator("label[for='__palette_1']").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    home.assert_enforced()


def test_listing_scripts_work_under_the_policy(visit, context, base_url: str) -> None:
    """On the visitor's clock (after the sample's season) events.js and cafes.js rewrite the lists
    of a live site's pages; the sample itself stands still at its pinned time (test_home.py)."""
    as_live_site(context)
    try:
        events = visit(base_url + "events/")
        assert events.page.locator("[data-hub-upcoming-empty]").is_visible()
        cafes = visit(base_url + "machikado-care/cafes/")
        assert "お使いの端末の今日の日付" in cafes.page.locator("[data-hub-cafe-asof]").first.inner_text()
    finally:
        context.unroute_all()
    cases = visit(base_url + "cases/")
    assert cases.page.locator("[data-hub-filter]").is_visible()
    for listing in (events, cafes, cases):
        listing.assert_enforced()


@pytest.fixture(scope="module")
def injected_url(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shared site, linked file by file, with one case page whose content holds an inline
    script written in after the build, past any escaping."""
    root = tmp_path_factory.mktemp("injected") / "site"
    shutil.copytree(site, root, copy_function=os.symlink)
    target = root / "cases" / "nishi-shotengai-tasedai" / "index.html"
    html = target.read_text(encoding="utf-8")
    target.unlink()
    marker = '<article class="md-content__inner md-typeset">'
    assert marker in html
    target.write_text(html.replace(marker, f"{marker}<script>{INJECTED}</script>", 1), encoding="utf-8")
    with serve(root) as url:
        yield url + "cases/nishi-shotengai-tasedai/"


def test_a_script_written_into_a_built_page_is_blocked_while_the_hashed_ones_run(visit, injected_url: str) -> None:
    page = visit(injected_url)
    assert page.page.evaluate("window.__injected") is None
    assert [violation.split()[0] for violation in page.violations()] == ["script-src-elem"]
    assert page.page.evaluate("typeof __md_get") == "function"  # Material's inline script ran
    assert page.page.locator("[data-hub-textsize-control]").is_visible()
