"""Organisation contacts declared in the entry (`contact:` with `public: organisation`), the rule that a
reservation or an application says how, and one `hub check` reporting every problem of one file.

Validation runs in-process on small projects; the module builds one site, a copy of the sample with a
cafe whose organisation name is markup, to read the pages as visitors get them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitebuild import build, copy_project

from hub.collections import COLLECTIONS
from hub.core.settings import Settings
from hub.editing.cms import cms_config

# A valid cafe, one key a line: 2 title 3 ward 4 summary 5 schedule (6 weekday 7 weeks 8 time) 9 venue
# (10 name 11 address) 12 host (13 name) 14 listed; keys added by `changes` from line 15 on.
CAFE = {
    "title": "みなとカフェ潮田",
    "ward": "tsurumi",
    "summary": "第2木曜に開く認知症カフェです。",
    "schedule": "\n  weekday: 木\n  weeks: [2]\n  time: 13:30-15:30",
    "venue": "\n  name: 潮田地域ケアプラザ 多目的ホール\n  address: 横浜市鶴見区本町通",
    "host": "\n  name: 潮田地域ケアプラザ",
    "listed": "2020-04-01",
}
CAFE_PATH = "content/cafes/ushioda.md"
DECLARED = "\n  org: 潮田地域ケアプラザ\n  phone: 045-000-0002\n  public: organisation"  # 15 contact 16 org 17 phone
TWO_WAYS = ("団体が公開している連絡先なら contact: に org: と public: organisation を書いてください。"
            "個人の電話番号・メールアドレスなら消してください")
HOSTILE_ORG = '<script>alert("org")</script>潮田&amp;ケアプラザ'


def cafe_text(body: str = "本文です。\n", **changes: str | None) -> str:
    values = {key: value for key, value in {**CAFE, **changes}.items() if value is not None}
    lines = [f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}" for key, value in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def write_cafe(hub_project, name: str = "ushioda", body: str = "本文です。\n", **changes: str | None) -> Path:
    return hub_project.write(f"content/cafes/{name}.md", cafe_text(body, **changes))


def only_problem(hub_project):
    problems = hub_project.problems()
    assert len(problems) == 1, "\n".join(problem.format() for problem in problems)
    return problems[0]


# --- declared organisation contacts and the privacy guard ------------------------------------------

def test_a_declared_contact_passes_and_its_body_may_repeat_the_number(hub_project) -> None:
    write_cafe(hub_project, contact=DECLARED + "\n  hours: 平日 9:00〜17:00",
               body="予約は潮田地域ケアプラザ（０４５－０００－０００２）へ。\n")
    [cafe] = hub_project.load()["cafes"]
    assert cafe.meta.contact.org == "潮田地域ケアプラザ"
    assert cafe.meta.contact.tel_href == "tel:0450000002"


def test_a_declared_contact_lets_its_number_pass_in_that_entry_only(hub_project) -> None:
    write_cafe(hub_project, contact=DECLARED)
    write_cafe(hub_project, "other", body="問い合わせは 045-000-0002 へ。\n")
    problem = only_problem(hub_project)
    assert (problem.path, problem.key) == ("content/cafes/other.md", "body")


@pytest.mark.parametrize(("line", "kind"), [("phone: 045-000-0002", "phone"), ("email: plaza@example.org", "email")])
def test_an_undeclared_contact_is_refused_saying_which_of_the_two_to_do(hub_project, line, kind) -> None:
    write_cafe(hub_project, contact=f"\n  org: 潮田地域ケアプラザ\n  {line}")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == (CAFE_PATH, 17, f"contact.{kind}")
    assert TWO_WAYS in problem.message and f"（contact not declared public: {kind}）" in problem.message
    assert "000-0002" not in problem.format() and "plaza@" not in problem.format(), "masked: logs may be public"


@pytest.mark.parametrize("number", ["090-1234-5678", "080 1234 5678", "０７０－１２３４－５６７８", "+81 90-1234-5678"])
@pytest.mark.parametrize("public", ["\n  public: organisation", ""])
def test_a_mobile_number_is_refused_even_when_declared(hub_project, number, public) -> None:
    write_cafe(hub_project, contact=f"\n  org: みどりの風の会\n  phone: {number}{public}")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == (CAFE_PATH, 17, "contact.phone")
    assert "携帯電話" in problem.message and "（mobile number in contact）" in problem.message
    assert "団体の固定電話、申込フォームの URL、またはセンターの窓口" in problem.hint


def test_the_allowlist_keeps_working_for_the_centres_own_contacts(hub_project) -> None:
    hub_project.write("mkdocs.yml", "site_name: t\nextra:\n  hub:\n    privacy:\n      allow: [045-000-0000]\n")
    write_cafe(hub_project, contact="\n  org: にしく市民活動支援センター\n  phone: 045-000-0000")
    assert len(hub_project.load()["cafes"]) == 1


def test_elsewhere_in_a_cafe_the_hint_points_at_contact_not_mkdocs_yml(hub_project) -> None:
    write_cafe(hub_project, summary="問い合わせは 045-000-0002 へ。")
    problem = only_problem(hub_project)
    assert (problem.line, problem.key) == (4, "summary")
    assert "contact: に書いて public: organisation" in problem.hint and "mkdocs.yml" not in problem.hint


@pytest.mark.parametrize(("contact", "line", "key", "words"), [
    ("\n  org: 潮田地域ケアプラザ\n  hours: 平日", 15, "contact", "連絡の方法がありません"),
    ("\n  org: 潮田地域ケアプラザ\n  phone: 平日のみ", 17, "contact.phone", "電話番号として読めません"),
    ("\n  org: 潮田地域ケアプラザ\n  email: plaza(at)example.org\n  public: organisation", 17, "contact.email",
     "メールアドレスの形"),
    ("\n  org: 潮田地域ケアプラザ\n  url: https://example.org/ushioda\n  public: yes", 18, "contact.public",
     "public に書けません"),
    ("\n  name: 潮田地域ケアプラザ\n  url: https://example.org/ushioda", 16, "contact.name", "unknown key"),
])
def test_contact_mistakes_point_at_their_line(hub_project, contact, line, key, words) -> None:
    write_cafe(hub_project, contact=contact)
    problem = next(problem for problem in hub_project.problems() if problem.key == key)
    assert problem.line == line and words in problem.message and problem.hint, problem.format()


def test_public_accepts_the_japanese_label_and_the_us_spelling(hub_project) -> None:
    write_cafe(hub_project, contact=DECLARED.replace("organisation", "団体の公開連絡先"))
    write_cafe(hub_project, "other", contact=DECLARED.replace("organisation", "organization"))
    assert {cafe.meta.contact.public for cafe in hub_project.load()["cafes"]} == {"organisation"}


# --- a reservation or an application says how -----------------------------------------------------

def test_a_cafe_that_needs_a_reservation_without_a_contact_is_a_problem_on_the_reservation_line(hub_project) -> None:
    write_cafe(hub_project, reservation="要予約")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == (CAFE_PATH, 15, "reservation")
    assert "要予約の場合は、予約の方法（contact: の電話番号・メール・URL）を書いてください" in problem.message
    assert "（reservation required without contact）" in problem.message and "public: organisation" in problem.hint


@pytest.mark.parametrize("changes", [
    {"reservation": "required", "contact": "\n  org: 山手はなの会\n  url: https://example.org/yamate/reserve"},
    {"reservation": "required", "contact": DECLARED},
    {"reservation": "recommended"},
])
def test_a_reservation_with_a_way_to_make_it_or_only_recommended_passes(hub_project, changes) -> None:
    write_cafe(hub_project, **changes)
    assert len(hub_project.load()["cafes"]) == 1


def test_an_event_taking_applications_says_how_to_apply(hub_project) -> None:
    hub_project.write_event("course", registration="\n  deadline: 2020-11-10\n  capacity: 20")
    problem = only_problem(hub_project)
    assert (problem.path, problem.line, problem.key) == ("content/events/course.md", 8, "registration")
    assert "申込の方法" in problem.message and "（registration without a way to apply）" in problem.message


@pytest.mark.parametrize("changes", [
    {"registration": "\n  deadline: 2020-11-10\n  how: 電話またはメールで、センターへ"},
    {"registration": "\n  deadline: 2020-11-10", "contact": DECLARED},
    {"registration": "\n  capacity: 20\n  fee: 0"},
])
def test_an_event_with_a_form_words_or_a_contact_or_no_deadline_passes(hub_project, changes) -> None:
    hub_project.write_event("course", **changes)
    assert len(hub_project.load()["events"]) == 1


# --- one run reports every problem of one entry ----------------------------------------------------

def test_a_broken_schedule_and_a_phone_number_are_reported_in_one_run(hub_project) -> None:
    write_cafe(hub_project, summary="詳しくは山田さん 090-1234-5678 まで。",
               schedule="\n  weekday: 水よう\n  weeks: [2]\n  time: 14:00-16:00")
    problems = hub_project.problems()
    assert [(p.path, p.line, p.key) for p in problems] == [(CAFE_PATH, 4, "summary"), (CAFE_PATH, 6, "schedule.weekday")]
    assert "personal data: phone" in problems[0].message and "曜日として読めません" in problems[1].message


def test_a_refused_entry_keeps_its_declared_contact_and_its_consent(hub_project) -> None:
    write_cafe(hub_project, contact=DECLARED, consent="[body]", listed="2020-02-30",
               body="代表の山田さん 090-1234-5678（掲載に同意）。予約は 045-000-0002 へ。\n")
    problem = only_problem(hub_project)
    assert problem.key == "listed" and "存在しない日付" in problem.message


def test_a_value_refused_by_the_schema_and_the_guard_is_reported_once(hub_project) -> None:
    hub_project.write_case("example", status="090-1234-5678")
    problem = only_problem(hub_project)
    assert (problem.line, problem.key) == (9, "status") and "090-****-5678" in problem.message


def test_drafts_and_unreadable_front_matter_are_still_not_scanned(hub_project) -> None:
    write_cafe(hub_project, summary="山田 090-1234-5678", listed="2020-02-30", draft="true")
    hub_project.write("content/cafes/broken.md", cafe_text("山田 090-1234-5678\n").replace("title: ", 'title: "', 1))
    assert [(p.path, p.key) for p in hub_project.problems()] == [
        ("content/cafes/broken.md", "front-matter"), (CAFE_PATH, "listed")]


# --- the editing form -------------------------------------------------------------------------------

@pytest.mark.parametrize("collection", ["cafes", "events"])
def test_the_form_offers_public_as_a_select_with_japanese_labels(hub_project, collection) -> None:
    config = cms_config(Settings.find(hub_project.root), hub_project.load().vocabularies,
                        {collection: COLLECTIONS[collection]})
    contact = next(field for field in config["collections"][0]["fields"] if field["name"] == "contact")
    fields = {field["name"]: field for field in contact["fields"]}
    public = fields["public"]
    assert (contact["label"], public["label"], public["widget"]) == ("問い合わせ先", "公開の区分", "select")
    assert public["options"] == [{"label": "団体の公開連絡先", "value": "organisation"}]
    assert {fields[name]["label"] for name in ("org", "phone", "email")} == {"団体名", "電話番号", "メールアドレス"}


# --- the pages ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plus a cafe whose organisation name is markup, built once for this module."""
    project = copy_project(tmp_path_factory.mktemp("contacts"))
    hostile = cafe_text(contact=f"\n  org: '{HOSTILE_ORG}'\n  phone: 045-000-0005\n  email: plaza@example.org"
                                "\n  public: organisation", reservation="required")
    (project / "content" / "cafes" / "zz-hostile.md").write_text(hostile, encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def contact_of(site: Path, url: str) -> BeautifulSoup:
    page = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")
    found = page.select_one("article .hub-contact")
    assert found is not None, url
    return found


def test_a_declared_contact_shows_on_the_cafe_page_with_a_tel_link(site: Path) -> None:
    contact = contact_of(site, "machikado-care/cafes/tsurumi-ushioda-minato")
    assert contact.select_one(".hub-contact__org").get_text() == "潮田地域ケアプラザ"
    phone = contact.select_one("a.hub-contact__phone")
    assert (phone["href"], phone.get_text()) == ("tel:0450000002", "045-000-0002")
    assert contact.select_one(".hub-contact__hours").get_text() == "月〜土 9:00〜17:00"
    assert contact.find_previous_sibling("dt").get_text() == "問い合わせ"


def test_e_mail_and_page_are_links_and_a_reservation_names_the_contact_so(site: Path) -> None:
    contact = contact_of(site, "machikado-care/cafes/kanagawa-sugata-tsudoi")
    assert contact.select_one("a.hub-contact__email")["href"] == "mailto:sugata-cafe@example.org"
    assert contact.select_one("a.hub-contact__url")["href"] == "https://example.org/sugata/cafe"
    assert contact.find_previous_sibling("dt").get_text() == "予約・問い合わせ"


def test_an_event_page_shows_its_contact(site: Path) -> None:
    contact = contact_of(site, "events/chiiki-zukuri-nishi-2020")
    assert contact.select_one("a.hub-contact__phone")["href"] == "tel:0450000000"


def test_markup_in_the_organisation_name_is_text(site: Path) -> None:
    html = (site / "machikado-care/cafes/zz-hostile/index.html").read_text(encoding="utf-8")
    assert '<script>alert("org")' not in html
    contact = contact_of(site, "machikado-care/cafes/zz-hostile")
    assert contact.select_one(".hub-contact__org").get_text() == HOSTILE_ORG
    assert contact.select_one("a.hub-contact__phone")["href"] == "tel:0450000005"
