"""The personal-data guard: what it catches, what it must not, where it reports, and the whole built site.

The tables below are the guard's specification: every string in CAUGHT must stop the build,
every string in NOT_CAUGHT must not.
"""

from __future__ import annotations

import email
import gzip
import io
import json
import re
import time
import unicodedata
from collections.abc import Iterator
from email import policy as email_policy
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from PIL import Image
from pypdf import PdfReader

try:
    from re import _parser as re_parser  # the parser behind re.compile, to read a pattern's structure
except ImportError:  # Python < 3.11
    import sre_parse as re_parser  # type: ignore[no-redef]

from conftest import MKDOCS_YML
from sitebuild import PROJECT, build, copy_project

from hub.cli import main
from hub.collections import COLLECTIONS
from hub.core.contact import declared_values, written_contact
from hub.core.settings import Settings
from hub.guard import personal_data
from hub.guard.personal_data import Finding, redact
from hub.guard.privacy import PrivacyPolicy, find_personal_data
from hub.reading.frontmatter import read_source
from hub.reading.loader import Project, collection_files

CASE = "content/cases/example.md"
BODY_LINE = 11  # the first body line of a baseline case (conftest.py): 8 keys, fences on lines 1 and 10

CAUGHT = [
    # phone numbers
    ("phone", "045-123-4567"), ("phone", "西区役所ではなく自宅 045-123-4567 まで"),
    ("phone", "090-1234-5678"), ("phone", "携帯080-1234-5678"), ("phone", "070 1234 5678"),
    ("phone", "09012345678"), ("phone", "０９０－１２３４－５６７８"), ("phone", "（０４５）１２３－４５６７"),
    ("phone", "(045)123-4567"), ("phone", "045(123)4567"), ("phone", "090.1234.5678"),
    ("phone", "090ー1234ー5678"), ("phone", "+81-90-1234-5678"), ("phone", "+81 (0)90 1234 5678"),
    ("phone", "0120-123-456"), ("phone", "TEL 241-1234"), ("phone", "電話：２４１－１２３４"),
    ("phone", "FAX.045-123-4568"),
    ("phone", "受付 平日 9:00〜17:00 090-1234-5678"), ("phone", "2020年度から 2021 045-123-4567"),
    # e-mail addresses
    ("email", "yamada@example.com"), ("email", "連絡はyamada.hanako@example.co.jpまで"),
    ("email", "ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ"), ("email", "yamada (at) example.com"),
    ("email", "yamada[at]example[dot]com"), ("email", "yamada アットマーク example.com"),
    # street addresses down to the house number
    ("address", "〒220-0004"), ("address", "〒２２０－０００４ 横浜市西区北幸"), ("address", "郵便番号 220-0004"),
    ("address", "横浜市西区岡野一丁目2番3号"), ("address", "西区岡野1丁目2番3号"), ("address", "岡野１－２－３"),
    ("address", "戸部本町 50-1-101"), ("address", "中央二丁目15-7"), ("address", "本町6丁目50番地の10"),
    ("address", "浅間町5番地"), ("address", "3番4号"), ("address", "西区岡野1-2-3 山田方"),
    ("address", "岡野①-②-③"),  # three digits, the fewest any finding has
    # written so that a plain pattern misses them
    ("phone", "090/1234/5678"), ("phone", "090・1234・5678"), ("phone", "090~1234~5678"), ("phone", "090〜1234〜5678"),
    ("phone", "〇九〇‐一二三四‐五六七八"), ("phone", "〇四五ー一二三ー四五六七"), ("phone", "0 9 0 1 2 3 4 5 6 7 8"),
    ("phone", "090-12\u200b34-5678"), ("phone", "0\u206090-1234-56\u00ad78"), ("phone", "&#48;90-1234-5678"),
    ("phone", "&#x30;90&#8209;1234&#8209;5678"), ("phone", "090%2D1234%2D5678"),
    ("email", "mailto:taro%40example.com"), ("email", "taro★example.com（★を@に変えて）"),
    ("email", "taro#example.com（#を@に変えてください）"), ("email", "taro アットマーク example ドット com"),
    ("email", "taro(アット)example.com"), ("email", "太郎@例え.jp"), ("email", "yamada&#64;example.com"),
    ("address", "岡野1の2の3"), ("address", "岡野一の二の三"), ("address", "戸部町5-123"),
]

NOT_CAUGHT = [
    # dates and times
    "2020-09-15", "2020/9/15", "2020.09.15", "20200915", "2020-09-15 14:00", "令和2年9月15日", "令和2-9-15",
    "R2.9.15", "13:00-15:00", "9:30〜11:30", "10:00～12:00", "10時〜12時", "2019-2020年度",
    # event numbers, counts and ranges
    "第12回", "No.2020-045", "イベント番号 2021-03-015", "#2021-003", "第1-2-3回", "表1-2-3", "小学1-3年生",
    "定員 20 名", "3-4人", "交響曲第9番", "1番目", "背番号10番",
    # prices
    "1,000円", "¥3,000", "500円〜1,000円", "参加費 500 円", "材料費 1人100円", "3,000円程度（交通費込み）",
    # ISBNs
    "ISBN978-4-00-000000-0", "ISBN4-00-000000-0", "ISBN 0-306-40615-2", "ISBN 0306406152",
    # looks like an address or an e-mail, but is not one
    "220-0004", "三丁目の夕日", "一番地味な", "西区岡野", "岡野一丁目", "logo@2x.png", "@nishi_center", "1-2-3",
    "https://example.org/2020-09-15/", "v1.2.3",
    # near misses of the wider matching
    "2021-02-01", "2021/02/01", "10:00-12:00", "10/1〜10/31", "3/1・3/15", "午前10時〜12時", "1,000円", "1,000円〜3,000円",
    "〒220-0000",  # the whole ward's code: nobody's house
    "第1-2-3回", "第一二三回", "第1の2の3回", "SDGs 目標11", "目標 1 2 3 4", "町内会 3-4人", "元町 1-2年生", "イベント番号 2021-03-015",
    "https://example.org/events/2021/02/01/", "https://example.org/c/20210201-0012/", "ISBN978-4-00-000000-0",
    "ISBN 978-4-00-000000-0", "50%OFF", "AT&T", "〇〇さん", "一二三", "三三九度", "ドット絵の会", "★★★ おすすめ",
    "Q&A: 10-12", "100%40人", "meet (at) 10 o'clock", "logo＠2x.png",
]


@pytest.mark.parametrize("kind, text", CAUGHT)
def test_caught(kind: str, text: str) -> None:
    assert [finding.kind for finding in find_personal_data(text)] == [kind]


@pytest.mark.parametrize("text", NOT_CAUGHT)
def test_not_caught(text: str) -> None:
    assert find_personal_data(text) == []


def test_every_spelling_is_the_same_value() -> None:
    keys = {finding.key for text in ("090-1234-5678", "〇九〇‐一二三四‐五六七八", "&#48;90・1234・5678", "0 9 0 1 2 3 4 5 6 7 8")
            for finding in find_personal_data(text)}
    assert keys == {"09012345678"}
    [idn] = find_personal_data("太郎@例え.jp")
    [ascii_form] = find_personal_data("太郎@xn--r8jz45g.jp")
    assert idn.key == ascii_form.key


def test_a_finding_knows_where_it_was_written() -> None:
    text = "前の行\n電話 &#48;90-12\u200b34-\n5678 まで"
    [finding] = find_personal_data(text)
    assert text[finding.start: finding.end] == "&#48;90-12\u200b34-\n5678"
    assert redact(text) == "前の行\n電話 090-****-5678 まで"


@pytest.mark.parametrize("finding, shown", [
    (Finding("phone", "090-1234-5678", ""), "090-****-5678"), (Finding("phone", "241-1234", ""), "24*-****"),
    (Finding("email", "taro@example.com", ""), "t***@example.com"), (Finding("address", "〒220-0004", ""), "〒220-****"),
    (Finding("address", "6丁目50番地の10", ""), "6丁目**番地の**"), (Finding("address", "23番地", ""), "**番地")])
def test_masking(finding: Finding, shown: str) -> None:
    assert finding.masked() == shown


# --- linear time: a flood of digits or signs cannot stall a build --------------------------------------

@pytest.mark.parametrize("unit", ["1-", "0", "@", "a.", "a@", "1 ", "〇", "&#48;"])
def test_a_megabyte_line_is_scanned_in_linear_time(unit: str) -> None:
    """The old scan took 13 s for 20 KB of 「1-1-…」 (it grew with the square of the length): hours for 1 MB.
    CPU time, not the clock: other tests running on the same cores must not fail this one."""
    text = unit * (1_000_000 // len(unit))
    started = time.process_time()
    find_personal_data(text)
    assert time.process_time() - started < 5


def _unbounded_repeats(items: object, inside: bool = False) -> Iterator[bool]:
    """For each repeat without an upper bound in a parsed pattern: is it inside another repeat?"""
    for op, arg in items:  # type: ignore[attr-defined]
        if op in (re_parser.MAX_REPEAT, re_parser.MIN_REPEAT):
            low, high, sub = arg
            if high == re_parser.MAXREPEAT:
                yield inside
            yield from _unbounded_repeats(sub, True)
        elif op is re_parser.SUBPATTERN:
            yield from _unbounded_repeats(arg[-1], inside)
        elif op is re_parser.BRANCH:
            for branch in arg[1]:
                yield from _unbounded_repeats(branch, inside)
        elif op in (re_parser.ASSERT, re_parser.ASSERT_NOT):
            yield from _unbounded_repeats(arg[1], inside)


def test_no_pattern_nests_an_unbounded_repeat() -> None:
    patterns = [value for value in vars(personal_data).values() if isinstance(value, re.Pattern)]
    assert len(patterns) > 10
    nested = [p.pattern for p in patterns if any(_unbounded_repeats(re_parser.parse(p.pattern, p.flags)))]
    assert not nested


def test_full_width_and_ascii_forms_are_the_same_value() -> None:
    [ascii_form] = find_personal_data("045-123-4567")
    [full_width] = find_personal_data("（０４５）１２３－４５６７")
    assert ascii_form.key == full_width.key == "0451234567"
    [block] = find_personal_data("中区本町6丁目50番地の10")
    [dashed] = find_personal_data("中区本町６－５０－１０")
    assert block.key == dashed.key == "本町6-50-10"


# --- problems in content: path:line: key ------------------------------------------------------------

def only_problem(hub_project):
    problems = hub_project.problems()
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


def test_phone_in_a_body_is_reported_on_its_own_line(hub_project) -> None:
    hub_project.write_case("example", body="## 背景\n\n詳しくは山田さん（090-1234-5678）まで。\n")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == (CASE, BODY_LINE + 2, "body")
    assert "電話番号" in problem.message and "personal data: phone" in problem.message
    assert "1234-5678" not in problem.format(), "the value is masked: build logs may be public"
    assert "consent: [body]" in problem.hint and "extra.hub.privacy.allow" in problem.hint


def test_blank_lines_after_the_front_matter_keep_body_lines_right(hub_project) -> None:
    hub_project.write_case("example", body="\n\n本文です。\nyamada@example.com\n")
    problem = only_problem(hub_project)
    assert (problem.line, problem.key) == (BODY_LINE + 3, "body")


def test_e_mail_in_a_front_matter_field(hub_project) -> None:
    hub_project.write_case("example", summary="問い合わせは yamada@example.com へ。")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == (CASE, 4, "summary")
    assert "メールアドレス" in problem.message


def test_address_in_a_nested_field_of_a_list(hub_project) -> None:
    hub_project.write_case("example", partners="\n  - name: 西区商店会\n  - name: 山田様（西区岡野1-2-3）")
    problem = only_problem(hub_project)
    assert (problem.line, problem.key) == (12, "partners.name")
    assert "番地までの住所" in problem.message


def test_a_number_broken_over_two_lines_is_one_number(hub_project) -> None:
    hub_project.write_case("example", body="本文です。\n詳しくは山田さん 090-1234-\n5678 まで。\n")
    problem = only_problem(hub_project)
    assert (problem.line, problem.key) == (BODY_LINE + 1, "body")
    assert "090-****-5678" in problem.message


def test_every_finding_is_reported(hub_project) -> None:
    hub_project.write_case("example", title="西区の協働 090-1234-5678",
                           body="〒220-0004\nyamada@example.com\n")
    problems = hub_project.problems()
    assert [(p.line, p.key, p.message.split("のような")[0]) for p in problems] == [
        (2, "title", "電話番号"), (BODY_LINE, "body", "番地までの住所"), (BODY_LINE + 1, "body", "メールアドレス")]


def test_talents_are_guarded_too(hub_project) -> None:
    from test_talents import write_talent

    write_talent(hub_project, programs="\n  - title: 演奏会\n    minutes: 45\n    description: 申込は 090-1234-5678")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == ("content/talents/example.md", 9, "programs.description")


def test_drafts_and_private_notes_are_not_scanned(hub_project) -> None:
    hub_project.write_case("unfinished", draft="true", body="連絡先 090-1234-5678\n")
    hub_project.write_case("example", private="\n  contact: 山田 090-1234-5678\n  mail: yamada@example.com")
    assert [entry.slug for entry in hub_project.load()["cases"]] == ["example"]


@pytest.mark.parametrize("changes, shown", [
    ({"status": "090-1234-5678"}, "「090-****-5678」は case_status"),
    ({"yamada@example.com": "x"}, "y***@example.com: この項目は使えません"),
    ({"partners": "\n  - name: 西区商店会\n    url: mailto:taro%40example.com"}, "「mailto:t***@example.com」")])
def test_messages_about_other_mistakes_mask_the_value_too(hub_project, changes, shown) -> None:
    hub_project.write_case("example", **changes)
    report = "\n".join(problem.format() for problem in hub_project.problems())
    assert shown in report
    assert not re.search(r"1234|yamada|taro", report)


# --- docs pages ---------------------------------------------------------------------------------

def test_docs_page_without_front_matter(hub_project) -> None:
    hub_project.write("docs/about.md", "# センターについて\n\n受付\n\n相談は 045-123-4567 へ\n")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == ("docs/about.md", 5, "body")


def test_docs_page_front_matter_and_body(hub_project) -> None:
    hub_project.write("docs/guide/index.md",
                      "---\ntitle: 案内\ndescription: 連絡 yamada@example.com\n---\n\n# 案内\n\n〒220-0004\n")
    problems = hub_project.problems()
    assert [(p.path, p.line, p.key) for p in problems] == [
        ("docs/guide/index.md", 3, "description"), ("docs/guide/index.md", 8, "body")]


def test_hub_check_reports_docs_pages(hub_project, capsys) -> None:
    hub_project.write("docs/about.md", "# センター\n\nyamada@example.com\n")
    assert main(["--root", str(hub_project.root), "check"]) == 1
    assert capsys.readouterr().err.startswith("docs/about.md:3: body: メールアドレス")


# --- allowlist and consent ----------------------------------------------------------------------

ALLOWLIST = """\
site_name: t
extra:
  hub:
    privacy:
      allow:
        - 045-000-0000
        - Info@Example.org
        - 横浜市中区本町6丁目50番地の10
"""


@pytest.mark.parametrize("text", ["（０４５）０００－００００", "045 000 0000", "info@example.org",
                                  "横浜市中区本町6-50-10 横浜市役所", "〒なし 本町６丁目５０番地の１０"])
def test_allowlisted_organisation_contacts_pass_in_any_form(hub_project, text) -> None:
    hub_project.write("mkdocs.yml", ALLOWLIST)
    hub_project.write_case("example", body=f"会場: {text}\n")
    assert len(hub_project.load()["cases"]) == 1


@pytest.mark.parametrize("text", ["045-000-0001", "other@example.org", "本町6-50-11", "北幸6-50-10"])
def test_anything_else_still_fails(hub_project, text) -> None:
    hub_project.write("mkdocs.yml", ALLOWLIST)
    hub_project.write_case("example", body=f"会場: {text}\n")
    assert only_problem(hub_project).key == "body"


def test_allowlist_entry_that_matches_nothing_is_reported(hub_project) -> None:
    hub_project.write("mkdocs.yml", ALLOWLIST + "        - 045-000-000\n")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == ("mkdocs.yml", 9, "extra.hub.privacy.allow")


def test_policy_reads_a_single_value_and_nothing(hub_project) -> None:
    assert PrivacyPolicy.from_options({"privacy": {"allow": "045-000-0000"}}).allow == ("045-000-0000",)
    assert PrivacyPolicy.from_options({}).allowed == frozenset()


def test_consent_lifts_the_named_field_only(hub_project) -> None:
    hub_project.write_case("example", consent="[body]", summary="教室 090-1234-5678",
                           body="教室の電話 090-1234-5678（ご本人の同意あり）\n")
    problem = only_problem(hub_project)
    assert (problem.key, problem.line) == ("summary", 4)


def test_consent_for_a_group_covers_its_keys(hub_project) -> None:
    hub_project.write_case("example", consent="\n  - partners", partners="\n  - name: 山田教室 090-1234-5678")
    assert len(hub_project.load()["cases"]) == 1


def test_consent_for_an_unknown_key_is_a_problem(hub_project) -> None:
    hub_project.write_case("example", consent="\n  - bodyy")
    problem = only_problem(hub_project)
    assert (problem.line, problem.key) == (11, "consent")
    assert "「bodyy」" in problem.message and "body" in problem.hint


def test_consent_on_a_docs_page(hub_project) -> None:
    hub_project.write("docs/shop.md", "---\ntitle: 店\nconsent: [body]\n---\n\n電話 045-123-4567\n")
    assert hub_project.load()["cases"] == []


# --- the build fails on personal data, and keeps the last site ------------------------------------------

def test_build_stops_on_a_docs_page_with_a_phone_number(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    about = project / "docs" / "about.md"
    lines = about.read_text(encoding="utf-8").split("\n")
    about.write_text("\n".join([*lines[:6], "お問い合わせ: 山田 090-1234-5678", *lines[6:]]), encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "docs/about.md:7: body: 電話番号のような文字列" in result.stderr
    assert "090-1234-5678" not in result.stderr
    assert not (project / "site").exists()


# --- the whole built site: canaries, and no personal data at all ---------------------------------------


def published_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(file, text) for everything a reader, a crawler, a feed reader, a calendar or a mail client gets."""
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if not path.is_file():
            continue
        if path.suffix == ".html":
            page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
            values = [value for tag in page.find_all(True) for value in tag.attrs.values() if isinstance(value, str)]
            yield name, page.get_text("\n") + "\n" + "\n".join(values)
        elif path.suffix == ".json":  # the search index among them, however it is split into files
            yield name, "\n".join(json_strings(json.loads(path.read_text(encoding="utf-8"))))
        elif path.suffix == ".ics":
            yield name, calendar_text(path.read_bytes())
        elif path.suffix in (".xml", ".txt", ".yml", ".webmanifest"):
            yield name, path.read_text(encoding="utf-8")
        elif path.suffix == ".gz":
            yield name, gzip.decompress(path.read_bytes()).decode("utf-8")
        elif path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=email_policy.default)
            parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
            yield name, "\n".join([str(message["Subject"]), *parts])
        elif path.suffix == ".pdf":
            yield name, "\n".join(page.extract_text() for page in PdfReader(path).pages)


def json_strings(value: object) -> Iterator[str]:
    """Every string in a JSON document, decoded (Japanese may be written as \\u escapes)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def calendar_text(data: bytes) -> str:
    """Every property a calendar app may show; UIDs (`id@site-host`, never shown) are identifiers, not mailboxes."""
    calendar = Calendar.from_ical(data)
    return "\n".join(_ical_text(value) for component in calendar.walk()
                     for key, value in component.items() if key != "UID")


def _ical_text(value: object) -> str:
    shown = value.to_ical() if hasattr(value, "to_ical") else value
    return shown.decode("utf-8") if isinstance(shown, bytes) else str(shown)


def hidden_values() -> tuple[set[str], set[str]]:
    """Canary words of every collection, and every string of `private:` mappings and of drafts."""
    project = Project.from_settings(Settings.find(PROJECT))
    canaries: set[str] = set()
    hidden: set[str] = set()
    for collection in COLLECTIONS.values():
        for path in collection_files(project, collection):
            text = path.read_text(encoding="utf-8")
            canaries.update(re.findall(r"[A-Z]+-CANARY[\w-]*", text))
            source = read_source(path, path.name)
            private = source.meta.get("private") or {}
            hidden.update(str(value) for value in private.values())
            if source.meta.get("draft") is True:
                hidden.add(source.body.strip())
    return canaries, hidden


def test_sample_carries_canaries_in_drafts_and_private_notes() -> None:
    canaries, hidden = hidden_values()
    assert any(c.startswith("PRIVATE-CANARY-TALENT") for c in canaries)
    assert any(c.startswith("DRAFT-CANARY-TALENT") for c in canaries)
    assert any(find_personal_data(value) for value in hidden), "a private note holds a phone number"


def test_no_canary_anywhere_in_the_site(site: Path) -> None:
    canaries, hidden = hidden_values()
    texts = list(published_texts(site))
    assert {".html", ".xml", ".json", ".ics"} <= {Path(name).suffix for name, _ in texts}
    assert any(name.startswith("search/") for name, _ in texts), "the search index is read too"
    assert "sitemap.xml" in {name for name, _ in texts}
    leaks = [(name, canary) for name, text in texts for canary in canaries if canary in text]
    assert not leaks
    raw = b"".join(path.read_bytes() for path in site.rglob("*") if path.is_file())
    assert not [canary for canary in canaries if canary.encode("utf-8") in raw], "not even in binary files"
    private_numbers = {finding.key for value in hidden for finding in find_personal_data(value)}
    found = {finding.key for _, text in texts for line in text.split("\n") for finding in find_personal_data(line)}
    assert not private_numbers & found


def sample_policy() -> PrivacyPolicy:
    """The allowlist plus every organisation contact that an entry of the sample declares."""
    project = Project.from_settings(Settings.find(PROJECT))
    declared = [value for collection in COLLECTIONS.values() for path in collection_files(project, collection)
                for value in declared_values(written_contact(read_source(path, path.name).meta, collection.model))]
    assert declared, "the sample declares organisation contacts in its entries"
    return project.privacy.including(declared)


def test_only_allowlisted_or_declared_contacts_appear_anywhere_in_the_site(site: Path) -> None:
    policy = sample_policy()
    shown = [(name, finding.kind, finding.masked()) for name, text in published_texts(site)
             for line in text.split("\n") for finding in find_personal_data(line) if not policy.allows(finding)]
    assert not shown


# --- text published from outside content/: settings, vocabularies, attachments, file names ----------------

def test_mkdocs_yml_strings_are_scanned_on_their_line(hub_project) -> None:
    hub_project.write("mkdocs.yml", MKDOCS_YML.replace("site_name: t\n", "site_name: t\ncopyright: 山田 090-1234-5678\n")
                      + "    newsletter:\n      name: 山田通信 yamada@example.com\n")
    problems = hub_project.problems()
    assert [(p.path, p.line, p.key) for p in problems] == [
        ("mkdocs.yml", 2, "copyright"), ("mkdocs.yml", 8, "extra.hub.newsletter.name")]
    assert "090-****-5678" in problems[0].message


def test_vocabulary_labels_and_descriptions_are_scanned_on_the_term_line(hub_project) -> None:
    vocabularies = hub_project.root / "data" / "vocabularies.yml"
    text = vocabularies.read_text(encoding="utf-8")
    vocabularies.write_text(text.replace("{id: npo, label: NPO法人}",
                                         "{id: npo, label: NPO法人, description: 事務局 岡野1の2の3}"), encoding="utf-8")
    line = text[: text.index("{id: npo")].count("\n") + 1
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == ("data/vocabularies.yml", line, "sectors.terms.description")


def test_text_attachments_under_docs_are_scanned(hub_project) -> None:
    hub_project.write("docs/files/list.csv", "名前,連絡先\n山田,090-1234-5678\n".encode("cp932"))
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == ("docs/files/list.csv", 2, "text")


def test_file_names_are_scanned(hub_project) -> None:
    hub_project.write("docs/files/yamada@example.com.txt", "名簿\n")
    problem = only_problem(hub_project)
    assert (problem.path, problem.key) == ("docs/files/yamada@example.com.txt", "file")


def write_pdf(path: Path, text: str, author: str) -> None:
    """A one-page PDF whose page shows `text` (ASCII) and whose metadata names `author`."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 10 Tf 10 100 Td ({text}) Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    writer.add_metadata({"/Author": author})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        writer.write(file)


def test_pdf_text_and_metadata_are_scanned(hub_project) -> None:
    write_pdf(hub_project.root / "docs" / "files" / "plan.pdf", "TEL 090-1234-5678", "yamada@example.com")
    problems = hub_project.problems()
    assert [(p.path, p.key) for p in problems] == [("docs/files/plan.pdf", "pdf"), ("docs/files/plan.pdf", "pdf.Author")]
    assert "1 ページ目" in problems[0].message and "文書情報" in problems[1].message


def test_allowlisted_contacts_pass_in_published_files_too(hub_project) -> None:
    hub_project.write("mkdocs.yml", ALLOWLIST.replace("site_name: t\n", "site_name: t\ncopyright: 045-000-0000\n"))
    hub_project.write("docs/files/desk.txt", "窓口 info@example.org\n")
    assert hub_project.load()["cases"] == []


# --- photos: no GPS position or person's name inside a published image ------------------------------

GPS = {1: "N", 2: (35.0, 27.0, 10.0), 3: "E", 4: (139.0, 37.0, 5.0)}


def photo(image_format: str, orientation: int = 6) -> bytes:
    """A small photo as a phone writes it: orientation, GPS position and the owner's name in EXIF."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = "Yamada Taro"
    exif.get_ifd(0x8825).update(GPS)
    output = io.BytesIO()
    Image.new("RGB", (32, 16), (200, 30, 30)).save(output, image_format, exif=exif)
    return output.getvalue()


def test_photo_with_gps_is_refused(hub_project) -> None:
    hub_project.write("docs/assets/images/visit.jpg", photo("JPEG"))
    hub_project.write("content/cases/walk.png", photo("PNG"))
    problems = hub_project.problems()
    assert [(p.path, p.line, p.key) for p in problems] == [
        ("content/cases/walk.png", 1, "photo"), ("docs/assets/images/visit.jpg", 1, "photo")]
    assert "GPS, Artist" in problems[0].message and "hub photos --strip" in problems[0].hint


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_hub_photos_strip_removes_gps_and_names_without_re_encoding(hub_project, image_format, capsys) -> None:
    path = hub_project.write(f"docs/assets/images/visit.{image_format.lower()}", photo(image_format))
    before = path.read_bytes()
    assert main(["--root", str(hub_project.root), "photos"]) == 1
    assert main(["--root", str(hub_project.root), "photos", "--strip"]) == 0
    with Image.open(path) as image:
        image.load()
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 0x013B not in exif
        assert image.size == (32, 16)
    if image_format == "JPEG":  # the compressed picture is the same bytes, and it still stands upright
        assert before[before.index(b"\xff\xda"):] == path.read_bytes()[path.read_bytes().index(b"\xff\xda"):]
        assert exif[0x0112] == 6
    assert hub_project.load()["cases"] == []
    assert "stripped" in capsys.readouterr().out


def test_punctuation_left_unfolded_never_joins_its_neighbours() -> None:
    """normalise() leaves 、。「」『』【】 where they are instead of folding them (one token each would
    be most of the cost of a Japanese body): safe only because NFKC never changes them, nor
    composes them with any character written next to them."""
    kept = personal_data._KEPT_PUNCTUATION
    wide = re.compile(f"[{personal_data._WIDE}]")
    assert not any(wide.match(mark) for mark in kept)
    neighbours = [chr(code) for code in range(0x20, 0x3400) if wide.match(chr(code)) or code < 0x3000]
    neighbours += [chr(code) for code in range(0xF900, 0x10000) if wide.match(chr(code))]
    for mark in kept:
        for other in neighbours:
            folded = unicodedata.normalize("NFKC", other)
            assert unicodedata.normalize("NFKC", mark + other) == mark + folded, (mark, other)
            assert unicodedata.normalize("NFKC", other + mark) == folded + mark, (mark, other)
