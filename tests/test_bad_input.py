"""Hostile and broken input: every case is exactly one problem naming the file, the line and the key.

The table runs through the loader in-process (what `hub check` and the build call); a few
cases run the real `hub check` and `mkdocs build` as subprocesses, where the crash or the
stall was in the command itself. Line numbers refer to the baseline case of conftest.py:
2 title 3 date 4 summary ... 9 status, keys added from line 10 on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from conftest import event_front_matter, front_matter
from sitebuild import build, copy_project

from hub.reading.frontmatter import MAX_FILE_BYTES

CASE = "content/cases/example.md"
EVENT = "content/events/example.md"
HUB = Path(sys.executable).with_name("hub")
BODY = "---\n\n本文です。\n".encode()
# Nine levels of nine aliases: 9^9 (387 million) strings once expanded.
BILLION_LAUGHS = "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]\n" for level in range(1, 9))


def _case(**changes: str | None) -> bytes:
    return b"---\n" + front_matter(**changes).encode("utf-8") + BODY


def _raw_case(front: bytes) -> bytes:
    return b"---\n" + front + BODY


def _event(**changes: str | None) -> bytes:
    return b"---\n" + event_front_matter(**changes).encode("utf-8") + BODY


def _baseline_then(extra: str) -> bytes:
    """The baseline case with raw YAML lines added from line 10 on."""
    return _raw_case((front_matter() + extra).encode("utf-8"))


# (file written, its bytes, line, key, fragment of the message)
HOSTILE = {
    "billion-laughs": (CASE, _raw_case(BILLION_LAUGHS.encode()), 2, "lol0", "アンカー（&l0）"),
    "self-referring-alias": (CASE, _baseline_then("links: &r [*r]\n"), 10, "links", "アンカー（&r）"),
    "alias-without-anchor": (CASE, _case(summary="*elsewhere"), 4, "summary", "別名（*elsewhere）"),
    "merge-key": (CASE, _baseline_then("period: {<<: *p}\n"), 10, "period", "別名（*p）"),
    "nul": (CASE, _case(title="西区\x00の事例"), 2, "title", "U+0000"),
    "vertical-tab": (CASE, _case(summary="商店街と\x0b大学"), 4, "summary", "U+000B"),
    "next-line-c1": (CASE, _case(title="西区\x85の事例"), 2, "title", "U+0085"),
    "other-c1": (CASE, _case(title="西区\x9bの事例"), 2, "title", "U+009B"),
    "delete": (CASE, _case(title="西区\x7fの事例"), 2, "title", "U+007F"),
    "bom-in-the-middle": (CASE, _case(title="西区\ufeffの事例"), 2, "title", "U+FEFF"),
    "line-separator": (CASE, _case(summary="一行目\u2028二行目"), 4, "summary", "U+2028"),
    "nested-control-character": (CASE, _baseline_then("period:\n  start: 2020-04\x0c-01\n"), 11, "period", "U+000C"),
    "escaped-nul": (CASE, _case(title='"西区\\0の事例"'), 2, "title", "値に入っています"),
    "control-character-in-body": (CASE, _case() + "二段落目\x01です。\n".encode(), 13, "body", "U+0001"),
    "number-as-key": (CASE, _baseline_then("1: x\n"), 10, "front-matter", "項目名「1」"),
    "null-as-key": (CASE, _baseline_then("~: x\n"), 10, "front-matter", "項目名「~」"),
    "list-as-key": (CASE, _baseline_then("? [a, b]\n: x\n"), 10, "front-matter", "リストや入れ子"),
    "nested-number-as-key": (CASE, _baseline_then("period:\n  2020: x\n"), 11, "period", "項目名「2020」"),
    "python-tag": (CASE, _case(title="!!python/object/apply:os.system [ls]"), 2, "title", "タグ（!!python/object/apply:os.system）"),
    "binary-tag": (CASE, _case(summary="!!binary aGVsbG8="), 4, "summary", "タグ（!!binary）"),
    "deep-nesting": (CASE, _baseline_then("period: " + "[" * 11 + "]" * 11 + "\n"), 10, "period", "入れ子が深すぎます"),
    # Without anchor, alias or tag signs, front matter is composed first and its tree measured:
    # the same problem on the same line, also when a mistake further down stops the composing.
    "deep-block-nesting": (CASE, _baseline_then("period:\n" + "".join("  " * depth + "- \n" for depth in range(1, 12))),
                           20, "period", "入れ子が深すぎます"),
    "deep-nesting-then-a-mistake": (CASE, _baseline_then("period: " + "[" * 11 + "]" * 11 + "\nx: [\n"), 10, "period",
                                    "入れ子が深すぎます"),
    "huge-file": (CASE, _case() + b"a" * MAX_FILE_BYTES, 1, "file", "大きすぎます"),
    "date-after-2100": (CASE, _case(date="9999-12-31"), 3, "date", "2100 年までの日付"),
    "date-before-1900": (CASE, _case(date="1899-12-31"), 3, "date", "1900 年から"),
    "event-start-9999": (EVENT, _event(start="9999-12-31 10:00"), 3, "start", "2100 年まで"),
    "event-end-9999": (EVENT, _event(end="9999-12-31 12:00"), 4, "end", "2100 年まで"),
    "docs-page-alias": ("docs/guide.md", b"---\ntitle: &t guide\n---\n\n# guide\n", 2, "title", "アンカー（&t）"),
    "docs-page-control-character": ("docs/guide.md", "# 案内\n\n本文\x00です。\n".encode(), 3, "body", "U+0000"),
    "docs-page-not-utf8": ("docs/guide.md", "# 案内\n".encode("shift_jis"), 1, "file", "UTF-8 ではありません"),
    "docs-page-draft-not-a-flag": ("docs/guide.md", "---\ndraft: maybe\n---\n\n# 案内\n".encode(), 2, "draft", "true か false"),
    "vocabulary-alias": ("data/vocabularies.yml", None, 1, "themes", "アンカー"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_is_one_problem_naming_file_line_and_key(hub_project, name):
    path, data, line, key, message = HOSTILE[name]
    if data is None:  # the vocabularies: an anchor on the first vocabulary
        vocabularies = hub_project.root / path
        data = vocabularies.read_bytes().replace(b"themes:", b"themes: &v", 1)
        line = next(number for number, text in enumerate(data.decode().split("\n"), start=1) if "&v" in text)
    hub_project.write_case("baseline")
    hub_project.write(path, data)
    [problem] = hub_project.problems()
    assert (problem.path, problem.line, problem.key) == (path, line, key), problem.format()
    assert message in problem.message, problem.format()


@pytest.mark.parametrize("target", ["/etc/passwd", "missing.md"])
def test_content_link_outside_the_project_or_broken_is_a_problem(hub_project, target):
    hub_project.write_case("baseline")
    (hub_project.root / "content/cases/linked.md").symlink_to(target)
    [problem] = hub_project.problems()
    assert (problem.path, problem.line, problem.key) == ("content/cases/linked.md", 1, "file"), problem.format()
    assert "リンク" in problem.message, problem.format()


def test_links_leaving_the_project_or_looping_are_problems_and_links_inside_are_followed(hub_project):
    hub_project.write("shared/baseline.md", _case())
    (hub_project.root / "content/cases/2020").symlink_to("../../shared", target_is_directory=True)
    (hub_project.root / "docs/images").symlink_to("assets/images", target_is_directory=True)
    (hub_project.root / "docs/passwd.txt").symlink_to("/etc/passwd")
    (hub_project.root / "docs/etc").symlink_to("/etc")
    (hub_project.root / "docs/assets/loop").symlink_to("..")
    problems = hub_project.problems()
    assert [(p.path, p.line, p.key) for p in problems] == [
        ("docs/assets/loop", 1, "file"), ("docs/etc", 1, "file"), ("docs/passwd.txt", 1, "file")]
    assert "symbolic link loop" in problems[0].message and "outside the project" in problems[2].message


def test_docs_draft_pages_are_counted_and_listed(hub_project):
    hub_project.write_case("baseline")
    hub_project.write("docs/guide/draft-page.md", "---\ntitle: 下書き\ndraft: true\n---\n\n# 下書き\n")
    hub_project.write("docs/guide/published.md", "---\ntitle: 公開\n---\n\n# 公開\n")
    content = hub_project.load()
    assert content.draft_pages == {"guide/draft-page.md"} and content.drafts == 1


# --- the commands themselves -----------------------------------------------------------------

def _hub_check(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `hub check`; the timeout bounds a stall (an alias bomb ran for a minute into MemoryError)."""
    return subprocess.run([str(HUB), "--root", str(root), "check"], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **env})


def test_hub_check_refuses_the_billion_laughs_before_expanding_it(hub_project):
    hub_project.write("content/cases/example.md", HOSTILE["billion-laughs"][1])
    result = _hub_check(hub_project.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{CASE}:2: lol0: YAML のアンカー（&l0）は使えません" in result.stderr


def test_hub_check_names_a_malformed_source_date_epoch(hub_project):
    hub_project.write_case("baseline")
    result = _hub_check(hub_project.root, SOURCE_DATE_EPOCH="garbage")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "SOURCE_DATE_EPOCH の値「garbage」" in result.stderr and "SOURCE_DATE_EPOCH=1612137600" in result.stderr


def test_hub_check_names_the_line_of_a_malformed_now_setting(hub_project):
    hub_project.write_case("baseline")
    config = hub_project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    now: next tuesday\n", encoding="utf-8")
    line = len(config.read_text(encoding="utf-8").splitlines())
    result = _hub_check(hub_project.root, SOURCE_DATE_EPOCH="")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"mkdocs.yml:{line}: extra.hub.now: now の値「next tuesday」" in result.stderr


MULTI_LINE = "一行目の概要です。\n  二行目は, カンマ; セミコロンも含みます。"


class NavLinks(HTMLParser):
    """The targets of a page's navigation links (Material's `md-nav__link`)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and "md-nav__link" in (found.get("class") or "").split():
            self.links.append(found.get("href") or "")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site with a multi-line summary on an event and a cafe, and a draft page in the nav."""
    project = copy_project(tmp_path_factory.mktemp("bad-input"))
    for relative in ("content/events/caravan-mate-exchange-2021-02.md", "content/cafes/aoba-tana-midori.md"):
        path = project / relative
        text = path.read_text(encoding="utf-8")
        summary = next(line for line in text.split("\n") if line.startswith("summary: "))
        path.write_text(text.replace(summary, f"summary: |\n  {MULTI_LINE}", 1), encoding="utf-8")
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return project / "site"


@pytest.mark.parametrize("calendar", ["events/calendar.ics", "events/caravan-mate-exchange-2021-02.ics",
                                      "machikado-care/cafes/aoba-tana-midori.ics"])
def test_multi_line_summaries_are_escaped_text_in_calendars(built, calendar):
    parsed = icalendar.Calendar.from_ical((built / calendar).read_bytes())
    written = "一行目の概要です。\n二行目は, カンマ; セミコロンも含みます。"
    descriptions = [str(component.get("DESCRIPTION", "")) for component in parsed.walk()]
    assert any(written in text for text in descriptions), descriptions
    if calendar != "events/calendar.ics":  # a single entry's calendar is described by its summary
        # The parser keeps the unknown X-WR-CALDESC as written: escaped as TEXT, like DESCRIPTION.
        assert str(parsed["X-WR-CALDESC"]) == icalendar.vText(written).to_ical().decode()


def test_draft_docs_page_is_not_published_nor_listed(built):
    assert not (built / "about").exists()
    sitemap = ElementTree.parse(built / "sitemap.xml").getroot()
    urls = [element.text for element in sitemap.iter() if element.tag.endswith("loc")]
    assert urls and not any(url.endswith("/about/") for url in urls)
    nav = NavLinks()
    nav.feed((built / "index.html").read_text(encoding="utf-8"))
    assert "cases/" in nav.links and not any(link.endswith("about/") for link in nav.links), nav.links
    indexed = b"".join(path.read_bytes() for path in (built / "search").rglob("*") if path.is_file())
    assert "横浜市市民協働推進センターとは".encode() not in indexed


def test_build_refuses_a_link_outside_the_project(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs/passwd.txt").symlink_to("/etc/passwd")
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "docs/passwd.txt:1: file: プロジェクトの外にあるファイル" in result.stderr
    assert not (project / "site").exists()
