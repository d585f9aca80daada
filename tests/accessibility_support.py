"""axe-core and the Nu HTML checker over one page of every template of a built site, and the
report of /accessibility/results/ made from what they find.

Shared by tests/test_accessibility.py (no page may have a violation or an error),
tests/test_trust.py (the published report must be what a run measures) and
scripts/accessibility-report (which writes the report). A test session runs the tools once:
the `axe_run` and `vnu_run` fixtures of conftest.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from browser import AXE, AXE_CONTEXT, NODE_MODULES, chromium, inject_axe, missing, serve_mounted
from hub.collections import COLLECTIONS
from hub.output.accessibility_report import CRITERION_NUMBERS, REPORT_FILE, AccessibilityReport
from search_support import site_pages
from sitebuild import PROJECT

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
REPORT = PROJECT / REPORT_FILE
VNU_CHECK = "Nu Html Checker"  # the check of criterion 4.1.1 (parsing), beside axe-core's rules
PARSING = "4.1.1"


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
    "digest": _first(r"^newsletter/\d{4}-\d{2}-\d{2}/$"),
    "groups": _exact("groups/"),
    "group": _first(_not_taxonomy("groups")),
    "volunteer": _exact("volunteer/"),
    "volunteer entry": _exact("volunteer/mirai-link-forum-staff/"),  # open: its ways to apply are on show
    "data page": _exact("data/children-japanese-support/"),  # a stacked bar: hatched series and a legend
    "paper editions": _exact("print/"),
    "paper edition": _exact("print/mini-2021-01/"),
    "accessibility results": _exact("accessibility/results/"),
    "404": lambda pages: "404.html",
}


def template_pages(site: Path) -> dict[str, str]:
    """The page of each template that exists, as a path under the site."""
    listed = site_pages(site)
    found = {name: finder(listed) for name, finder in TEMPLATES.items()}
    return {name: path for name, path in found.items() if path is not None}


def require(path: Path, what: str) -> None:
    if not path.exists():
        missing(what, "run `npm ci`; make test does")


def require_java() -> str:
    return shutil.which("java") or missing("java", "apt-get install -y default-jre-headless; the Nu HTML checker needs it")


@contextmanager
def serve_published(site: Path) -> Iterator[str]:
    """The site served under site_url's path, as GitHub Pages serves it (404.html links from there)."""
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    with tempfile.TemporaryDirectory(prefix="hub-served-") as root, \
            serve_mounted(site, config.get("site_url", ""), Path(root)) as url:
        yield url


# --- axe-core ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Combination:
    """One way a page is shown to axe: window size, colour scheme and the site's text size."""

    width: int
    height: int
    scheme: str  # light | dark (prefers-color-scheme)
    text_size: str = ""  # the text size control's choice: "" (normal), large, larger

    @property
    def key(self) -> str:
        return f"{self.width}x{self.height}-{self.scheme}-{self.text_size or 'normal'}"


# A phone and a desktop window, each colour scheme, each of the text size control's sizes. The
# text size changes sizes and layout, not colours (and contrast asks less of larger text), while
# the dark scheme changes colours, not layout: so the larger sizes are run in the light scheme.
VIEWPORTS = ((390, 844), (1280, 720))
SCHEMES = ("light", "dark")
TEXT_SIZES = ("", "large", "larger")


def text_sizes(scheme: str) -> tuple[str, ...]:
    return TEXT_SIZES if scheme == SCHEMES[0] else TEXT_SIZES[:1]


COMBINATIONS = tuple(Combination(width, height, scheme, size)
                     for width, height in VIEWPORTS for scheme in SCHEMES for size in text_sizes(scheme))

AXE_RUN_JS = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  const rules = {};
  for (const kind of ['passes', 'violations', 'incomplete', 'inapplicable'])
    for (const rule of results[kind]) rules[rule.id] = rule.tags;
  return {version: axe.version, rules,
          violations: results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                   targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))};
}"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} — {', '.join(self.targets)}"


@dataclass(frozen=True)
class AxeRun:
    """What axe-core found on each template's page in each combination."""

    version: str
    pages: dict[str, str]  # template → path
    titles: dict[str, str]  # template → the page's <title>
    violations: dict[tuple[str, str], list[Violation]]  # (template, combination key) → violations
    rules: dict[str, tuple[str, ...]]  # every rule that ran → its tags


def axe_page(page: Any) -> dict[str, Any]:
    """axe-core over the page as it is now: its version, the rules that ran, the violations."""
    inject_axe(page)
    return page.evaluate(AXE_RUN_JS)


def axe_violations(page: Any) -> list[str]:
    return [str(_violation(found)) for found in axe_page(page)["violations"]]


def _violation(found: dict[str, Any]) -> Violation:
    return Violation(found["id"], found["impact"] or "", found["help"], tuple(found["targets"]))


# The text size control's own button for a size (what a reader presses), else the attribute it sets.
CHOOSE_TEXT_SIZE_JS = """(size) => {
  const option = document.querySelector(`.hub-textsize__option[data-size="${size}"]`);
  if (option) option.click();
  else if (size) document.documentElement.setAttribute('data-hub-textsize', size);
  else document.documentElement.removeAttribute('data-hub-textsize');
}"""


# Material's sidebar turns into the drawer with a delayed visibility transition: test the page
# as it settles after a resize, not half way.
SETTLED_JS = "() => document.getAnimations().every(animation => animation.playState !== 'running')"


def run_axe(site: Path) -> AxeRun:
    """Every template's page in every combination, in one browser. A page is loaded once per colour
    scheme, in a context of the scheme's own (Material keeps the scheme it chose at load); the
    window and the text size then change in place, as when a reader turns a phone or presses 大,
    and axe-core runs again: a load and an injection cost more than a run. The windows go in turn
    (phone then desktop, desktop then phone) so that each page starts in the window the last left."""
    require(AXE, "axe-core")
    pages = template_pages(site)
    titles: dict[str, str] = {}
    violations: dict[tuple[str, str], list[Violation]] = {}
    rules: dict[str, tuple[str, ...]] = {}
    version = ""
    with serve_published(site) as base_url, chromium() as browser:
        for scheme in SCHEMES:
            context = browser.new_context(color_scheme=scheme, **AXE_CONTEXT)
            page = context.new_page()
            for turn, (name, path) in enumerate(pages.items()):
                page.goto(base_url + path)
                titles[name] = page.title()
                inject_axe(page)
                for width, height in VIEWPORTS[::-1] if turn % 2 else VIEWPORTS:
                    if page.viewport_size != {"width": width, "height": height}:
                        page.set_viewport_size({"width": width, "height": height})
                        page.wait_for_function(SETTLED_JS)
                    for size in text_sizes(scheme):
                        combination = Combination(width, height, scheme, size)
                        page.evaluate(CHOOSE_TEXT_SIZE_JS, size)
                        result = page.evaluate(AXE_RUN_JS)
                        version = result["version"]
                        rules.update({rule: tuple(tags) for rule, tags in result["rules"].items()})
                        violations[name, combination.key] = [_violation(found) for found in result["violations"]]
            context.close()
    return AxeRun(version, pages, titles, violations, rules)


# --- Nu HTML checker -----------------------------------------------------------------------


@dataclass(frozen=True)
class VnuRun:
    version: str
    errors: dict[str, list[str]]  # template → the checker's errors on its page


def run_vnu(site: Path) -> VnuRun:
    """The checker over every template's page at once (one Java start)."""
    require(VNU, "vnu-jar")
    java = require_java()
    pages = template_pages(site)
    files = {name: site / (path if path.endswith(".html") else path + "index.html") for name, path in pages.items()}
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files.values())],
                            capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors: dict[str, list[str]] = {name: [] for name in files}
    by_path = {str(file): name for name, file in files.items()}
    for message in messages:
        if message.get("type") == "error":
            name = by_path.get(unquote(urlsplit(message.get("url", "")).path), "?")
            errors.setdefault(name, []).append(f"{message.get('lastLine')}: {message['message']}")
    if result.returncode != 0 and not any(errors.values()):
        errors["?"] = [result.stderr.strip() or f"vnu exited with {result.returncode}"]
    version = subprocess.run([java, "-jar", str(VNU), "--version"], capture_output=True, text=True,
                             timeout=60, check=True).stdout.split()[0]
    return VnuRun(version, errors)


# --- the report ----------------------------------------------------------------------------

_CRITERION_TAG = re.compile(r"wcag(\d)(\d)(\d{1,2})")


def criterion_numbers(tags: tuple[str, ...]) -> set[str]:
    """axe-core's tags of WCAG success criteria (`wcag143`), as JIS X 8341-3:2016 numbers (1.4.3)."""
    found = {".".join(match.groups()) for match in map(_CRITERION_TAG.fullmatch, tags) if match}
    return found & CRITERION_NUMBERS


def report(axe: AxeRun, vnu: VnuRun, day: date) -> dict[str, Any]:
    """data/accessibility-report.json's content: what the run measured, and nothing else."""
    checks: dict[str, list[str]] = {PARSING: [VNU_CHECK]}
    for rule, tags in sorted(axe.rules.items()):
        for number in criterion_numbers(tags):
            checks.setdefault(number, []).append(rule)
    failures = dict.fromkeys(checks, 0)
    failures[PARSING] += sum(len(errors) for errors in vnu.errors.values())
    for found in axe.violations.values():
        for violation in found:
            for number in criterion_numbers(axe.rules.get(violation.rule, ())):
                failures[number] += 1
    data = {
        "date": day.isoformat(),
        "tools": {"axe_core": axe.version, "vnu": vnu.version},
        "combinations": [{"key": c.key, "width": c.width, "height": c.height, "scheme": c.scheme,
                          "text_size": c.text_size} for c in COMBINATIONS],
        "pages": [{"template": name, "path": path, "title": axe.titles[name],
                   "axe": {c.key: len(axe.violations[name, c.key]) for c in COMBINATIONS},
                   "vnu": len(vnu.errors.get(name, []))} for name, path in axe.pages.items()],
        "criteria": [{"number": number, "checks": sorted(checks[number]), "failures": failures[number]}
                     for number in sorted(checks, key=lambda n: tuple(map(int, n.split("."))))],
    }
    AccessibilityReport.model_validate(data)  # what the site's build reads
    return data


def report_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
