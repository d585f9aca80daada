"""The editor's preview: `mkdocs serve --dirty` shows an edited entry after rendering only what changed.

A real `mkdocs serve` runs on a copy of the project; the test edits a case the way an
editor saves a file and reads the page back over HTTP, then reads the preview's search
index the way the browser does.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import lxml.html
import pytest
from serving import Preview, serving
from sitebuild import PROJECT, copy_project

from hub.build.fingerprint import ENTRY_BODY, Fingerprints
from hub.build.mkdocs_adapter import TEMPLATES_DIR
from hub.core.collection import Entry
from hub.core.fields import HubModel

CASE = "nishi-shotengai-tasedai"
OTHER = "asahi-danchi-ibasho"
CHANGED = re.compile(r"hub: (\d+) of (\d+) generated pages changed")
CHANGED_FILES = re.compile(r"hub: (\d+) of (\d+) generated files changed")


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    with serving(copy_project(tmp_path_factory.mktemp("preview") / "project"), f"cases/{CASE}/") as running:
        yield running


def test_an_edited_case_shows_after_rendering_only_what_changed(preview: Preview) -> None:
    source = preview.project / "content" / "cases" / f"{CASE}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n## 編集後に加えた見出し\n", encoding="utf-8")
    page = preview.wait_for(f"cases/{CASE}/", lambda response: "編集後に加えた見出し" in response.text).text
    assert "編集後に加えた見出し" in page
    changed, total = map(int, CHANGED.findall(preview.log.read_text())[-1])
    # The case page only: listings show its card, which a body leaves as it was (see ENTRY_BODY).
    assert changed == 1, (changed, total)
    assert "<h1" in preview.page(f"cases/{OTHER}/")


def test_the_preview_search_index_catches_up_with_the_edit_and_keeps_every_page(preview: Preview) -> None:
    """The index is written in the background after the page shows: a reader polls for it."""
    deadline = time.monotonic() + 60
    while True:
        manifest = json.loads(preview.page("search/manifest.json"))
        texts = [json.loads(preview.page(f"search/t/{number}.json")) for number in range(sum(manifest["blocks"]))]
        if any("編集後に加えた見出し" in text["text"] for text in texts if text["url"] == f"cases/{CASE}/"):
            break
        assert time.monotonic() < deadline, "the search index never had the edit"
        time.sleep(0.5)
    urls = {text["url"] for text in texts}
    assert f"cases/{OTHER}/" in urls and "events/" in urls


def test_a_preview_makes_again_only_the_files_whose_inputs_changed(preview: Preview) -> None:
    """Calendars, feeds and mail files of untouched entries stay as the first build wrote them."""
    changed, total = map(int, CHANGED_FILES.findall(preview.log.read_text())[-1])
    assert changed < total / 5, (changed, total)
    assert preview.page("feed.xml").startswith("<?xml")
    assert "BEGIN:VCALENDAR" in preview.page("events/calendar.ics")


def test_saving_the_vocabularies_rebuilds_the_preview(preview: Preview) -> None:
    vocabularies = preview.project / "data" / "vocabularies.yml"
    text = vocabularies.read_text(encoding="utf-8")
    assert "label: 地域づくり" in text  # a theme: a ward's name is also what the open data tables write
    vocabularies.write_text(text.replace("label: 地域づくり", "label: 地域づくり（編集）", 1), encoding="utf-8")
    page = preview.wait_for("cases/themes/community/", lambda response: "地域づくり（編集）" in response.text).text
    assert "地域づくり（編集）" in page


def test_a_retitled_entry_is_retitled_on_every_page_and_feed_that_shows_it(preview: Preview) -> None:
    """Unchanged entries keep their digests from one rebuild to the next (Fingerprints.carried_over):
    the edited one must still change every page that lists, relates or links it."""
    source = preview.project / "content" / "cases" / f"{OTHER}.md"
    text = source.read_text(encoding="utf-8")
    old_title = re.search(r"^title: (.+)$", text, re.MULTILINE).group(1)
    new_title = "改題した団地の居場所の事例"
    paths = [*_site_pages(preview), "feed.xml", "cases/feed.xml"]
    showing = [path for path in paths if old_title in _text(preview, path)]
    assert {f"cases/{OTHER}/", "cases/", "feed.xml"} <= set(showing)
    assert len(showing) > 5, showing  # term pages and other cases' related lists too
    source.write_text(text.replace(f"title: {old_title}", f"title: {new_title}", 1), encoding="utf-8")
    preview.wait_for(f"cases/{OTHER}/", lambda response: new_title in response.text)
    stale = [path for path in showing if old_title in _text(preview, path) or new_title not in _text(preview, path)]
    assert not stale, stale


def _text(preview: Preview, path: str) -> str:
    """What a reader reads: a title's phrases are marked up apart on cards (see output.phrases)."""
    page = preview.page(path)
    return page if path.endswith(".xml") else lxml.html.document_fromstring(page).text_content()


def _site_pages(preview: Preview) -> list[str]:
    """Every page the sitemap lists, as paths under the site's mount."""
    sitemap = preview.page("sitemap.xml")
    return [url.split(preview.mount, 1)[1] for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]


# --- fingerprints -----------------------------------------------------------------------------

def test_no_page_template_prints_an_entry_body() -> None:
    """Page digests leave entries' bodies out (ENTRY_BODY): an entry's body reaches a page only as
    that page's own Markdown, never through a template (a feed is given its items' HTML)."""
    templates = [*TEMPLATES_DIR.rglob("*.html"), *(PROJECT / "overrides").rglob("*.html")]
    printing = [path for path in templates
                if re.search(r"\.body\b|\[\s*['\"]body['\"]\s*\]", path.read_text(encoding="utf-8"))]
    assert templates and not printing, printing


@dataclass(frozen=True)
class _Card:
    title: str
    day: date
    tags: tuple[str, ...]


class _Lookup:
    """Stands for a taxonomy index: large, but its answers depend on a small part of it."""

    def __init__(self, terms: list[str], text: str) -> None:
        self.terms, self.text = terms, text

    def fingerprint_parts(self) -> list[str]:
        return self.terms


def test_the_preview_policy_lets_mkdocs_live_reload_script_run(preview: Preview) -> None:
    """MkDocs writes its live-reload script into each page as it serves it, different every
    time: no hash could name it, so the preview's policy allows inline scripts (and lists no
    hash, which would turn 'unsafe-inline' off)."""
    document = lxml.html.document_fromstring(preview.page(f"cases/{CASE}/"))
    meta = document.find("head").find("meta[@http-equiv='Content-Security-Policy']")
    assert meta is not None
    script_src = next(part.split()[1:] for part in meta.get("content").split(";") if part.split()[0] == "script-src")
    assert script_src == ["'self'", "'unsafe-inline'"]
    assert any("livereload" in (script.text or "") for script in document.iter("script"))


def test_a_fingerprint_changes_with_any_nested_value_and_only_then() -> None:
    data = {"cards": [_Card("商店街", date(2021, 2, 1), ("nishi",))], "count": 1}
    same = {"cards": [_Card("商店街", date(2021, 2, 1), ("nishi",))], "count": 1}
    assert Fingerprints().of("body", data) == Fingerprints().of("body", same)
    for changed in ({"cards": [_Card("商店街", date(2021, 2, 2), ("nishi",))], "count": 1},
                    {"cards": [_Card("商店街", date(2021, 2, 1), ("naka",))], "count": 1},
                    {"cards": [_Card("商店街", date(2021, 2, 1), ("nishi",))], "count": 2}):
        assert Fingerprints().of("body", changed) != Fingerprints().of("body", data)
    assert Fingerprints().of("body", data) != Fingerprints().of("body!", data)


def test_a_lookup_object_is_fingerprinted_by_what_it_says_it_depends_on() -> None:
    before = Fingerprints().of(_Lookup(["nishi", "naka"], "本文"))
    assert Fingerprints().of(_Lookup(["nishi", "naka"], "書き換えた本文")) == before
    assert Fingerprints().of(_Lookup(["nishi"], "本文")) != before


def test_page_digests_leave_entry_bodies_out_and_file_digests_do_not() -> None:
    page, other = _entry("商店街"), dataclasses.replace(_entry("商店街"), body="書き換えた本文")
    assert Fingerprints(left_out=ENTRY_BODY).of(page) == Fingerprints(left_out=ENTRY_BODY).of(other)
    assert Fingerprints().of(page) != Fingerprints().of(other)


def test_digests_carried_over_are_those_a_fresh_walk_gives() -> None:
    """The next build looks up, instead of walking, the entries it holds again; a new entry object
    (its file changed) and anything not immutable (a list) are walked again."""
    kept = _entry("商店街")
    first = Fingerprints()
    listing = [kept, _entry("団地")]
    first.of("body", {"entries": listing})
    carried = first.carried_over()
    listing.append(_entry("公園"))  # a list is not carried over: a changed one is walked again
    retitled = [kept, _entry("団地（改題）")]
    assert carried.of("body", {"entries": listing}) == Fingerprints().of("body", {"entries": listing})
    assert carried.of("body", {"entries": retitled}) == Fingerprints().of("body", {"entries": retitled})
    assert Fingerprints().of(_entry("団地")) != Fingerprints().of(_entry("団地（改題）"))


def test_only_immutable_values_are_carried_over() -> None:
    data = {"cards": [_Card("商店街", date(2021, 2, 1), ("nishi",))], "entry": _entry("商店街")}
    fingerprints = Fingerprints()
    fingerprints.of(data)
    kept = fingerprints.carried_over()._kept
    assert sorted(type(value).__name__ for value, _ in kept.values()) == ["Entry", "_Meta"]


class _Meta(HubModel):
    title: str
    summary: str = "要約"


def _entry(title: str) -> Entry:
    return Entry("cases", "slug", _Meta(title=title), "本文", "content/cases/slug.md")
