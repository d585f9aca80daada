"""The newsletter digest: issues, the .eml read back by Python's email parser, the text part, the CLI."""

from __future__ import annotations

import re
import socket
import unicodedata
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from sitebuild import copy_project

from hub.cli import main
from hub.core.clock import TOKYO
from hub.core.content import Site
from hub.core.outputs import FileSpec, PageSpec
from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.digest.newsletter import Newsletter, prepare
from hub.digest.outputs import newsletter_outputs
from hub.digest.periods import issue_dates, next_issue, period_of, previous_issue
from hub.reading.loader import Project, load_content

NOW = datetime(2021, 2, 1, 9, 0, tzinfo=TOKYO)
ISSUE = date(2021, 2, 1)
SITE_URL = "https://example.github.io/hub/"
SUBJECT = "【横浜市市民協働推進センター ニュース】2021年2月1日号　オンラインで広がる協働"
URL_LINE = re.compile(r"^\s*(https?|mailto):\S+$")


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("digest"))


@pytest.fixture(scope="module")
def newsletter(sample: Path) -> Newsletter:
    settings = Settings.find(sample)
    prepared = prepare(Site(load_content(Project.from_settings(settings)), NOW, settings))
    assert prepared is not None
    return prepared


@pytest.fixture(scope="module")
def eml(newsletter: Newsletter) -> EmailMessage:
    message = message_from_bytes(newsletter.mail(newsletter.issue(ISSUE)).eml, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def part(message: EmailMessage, subtype: str) -> str:
    found = message.get_body(preferencelist=(subtype,))
    assert found is not None and found.get_content_subtype() == subtype
    return found.get_content()


# --- cadence -----------------------------------------------------------------------------

def test_issues_fall_on_the_1st_and_16th_and_cover_the_half_month_before() -> None:
    assert issue_dates(date(2020, 12, 20), date(2021, 2, 1)) == [date(2021, 1, 1), date(2021, 1, 16), date(2021, 2, 1)]
    assert period_of(date(2021, 1, 1)).start == date(2020, 12, 16)
    assert period_of(date(2021, 3, 16)).start == date(2021, 3, 1)
    assert previous_issue(date(2021, 3, 1)) == date(2021, 2, 16)
    assert next_issue(date(2021, 2, 16)) == date(2021, 3, 1)


def test_the_archive_runs_from_the_configured_start_to_now(newsletter: Newsletter) -> None:
    days = newsletter.archive_days()
    assert days[0] == date(2020, 4, 16) and days[-1] == ISSUE
    assert len(days) == 20


# --- what an issue carries -----------------------------------------------------------------

def test_an_issue_has_the_period_s_new_cases_and_the_coming_events(newsletter: Newsletter) -> None:
    issue = newsletter.issue(ISSUE)
    cases = next(section for section in issue.sections if section.collection.name == "cases")
    dated = [item for item in cases.items if item.entry.url not in ("cases/minami-online-transition/",)]
    assert dated and all(date(2021, 1, 16) <= item.day < ISSUE for item in dated)
    starts = [item.coming.occurrence.start for item in issue.upcoming]
    assert starts and all(NOW <= start < datetime(2021, 3, 15, 9, 0, tzinfo=TOKYO) for start in starts)


def test_the_intro_pins_and_excludes(newsletter: Newsletter) -> None:
    issue = newsletter.issue(ISSUE)
    cases = next(section for section in issue.sections if section.collection.name == "cases")
    urls = [item.entry.url for item in cases.items]
    assert urls[0] == "cases/minami-online-transition/"  # pinned, though from October
    assert "cases/kohoku-trial-studio-upcycle/" not in urls  # excluded, though new
    assert issue.headline == "オンラインで広がる協働"


def test_deadlines_before_the_next_issue_are_flagged(newsletter: Newsletter) -> None:
    issue = newsletter.issue(ISSUE)
    urgent = [item for item in issue.upcoming if item.urgent]
    assert urgent
    assert all(item.coming.deadline < datetime(2021, 2, 16, 9, 0, tzinfo=TOKYO) for item in urgent)
    relaxed = [item for item in issue.upcoming if item.coming.deadline and item.coming.open and not item.urgent]
    assert all(item.coming.deadline >= datetime(2021, 2, 16, 9, 0, tzinfo=TOKYO) for item in relaxed)


# --- digest.eml ----------------------------------------------------------------------------

def test_the_eml_is_multipart_alternative_in_utf8_with_a_decoded_japanese_subject(newsletter, eml) -> None:
    raw = newsletter.mail(newsletter.issue(ISSUE)).eml
    assert raw.isascii(), "headers and parts are MIME-encoded"
    assert b"Subject: =?utf-8?" in raw
    assert eml.get_content_type() == "multipart/alternative"
    parts = list(eml.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert str(eml["Subject"]) == SUBJECT


def test_the_eml_headers_come_from_mkdocs_yml(eml) -> None:
    assert eml["From"].addresses[0].display_name == "横浜市市民協働推進センター"
    assert eml["From"].addresses[0].addr_spec == "news@example.org"
    assert eml["Reply-To"].addresses[0].addr_spec == "info@example.org"
    assert eml["List-Unsubscribe"] == ("<mailto:unsubscribe@example.org?subject=unsubscribe>, "
                                       "<https://example.org/newsletter/unsubscribe>")
    assert eml["Date"].datetime == datetime(2021, 2, 1, 9, 0, tzinfo=TOKYO)
    assert eml["Message-ID"] == "<newsletter.2021-02-01@hub.example.github.io>"


def test_the_eml_is_the_same_bytes_every_time(newsletter: Newsletter) -> None:
    assert newsletter.mail(newsletter.issue(ISSUE)).eml == newsletter.mail(newsletter.issue(ISSUE)).eml


def test_the_html_part_loads_nothing_from_elsewhere_and_links_absolutely(eml) -> None:
    soup = BeautifulSoup(part(eml, "html"), "lxml")
    assert not soup.select("script, link, iframe, object, embed")
    assert [style.parent.name for style in soup.select("style")] == ["head"], "one <style>: the phone layout"
    assert not re.search(r"@import|url\(", soup.style.string)
    for anchor in soup.select("a[href]"):
        assert re.match(r"^(https://|mailto:)", anchor["href"]), anchor["href"]
    images = soup.select("img")
    assert images
    for image in images:
        assert image["src"].startswith(SITE_URL) and image.get("alt")
    for element in soup.select("[src], [background]"):
        assert (element.get("src") or element.get("background")).startswith(SITE_URL)


def test_the_text_part_fits_76_columns_and_keeps_urls_whole(eml) -> None:
    text = part(eml, "plain")
    lines = text.splitlines()
    assert len(lines) > 30
    for line in lines:
        assert columns(line) <= 76 or URL_LINE.match(line), line
    for url in re.findall(r"(?:https?|mailto):\S+", text):
        assert any(line.strip() == url for line in lines), url
    assert "オンラインで広がる協働" in text and "https://example.github.io/hub/cases/minami-online-transition/" in text
    assert "](" not in text, "Markdown links become words and a URL"


def test_links_in_the_intro_become_absolute(eml) -> None:
    soup = BeautifulSoup(part(eml, "html"), "lxml")
    intro_links = [a["href"] for a in soup.select(".intro a[href]")]
    assert intro_links == [SITE_URL + "cases/minami-online-transition/"]


# --- outputs of the site -----------------------------------------------------------------

def test_the_site_gets_an_archive_and_each_issue_its_page_and_mail_files(newsletter: Newsletter) -> None:
    outputs = {output.src_uri: output for output in newsletter_outputs(newsletter.site)}
    archive = outputs["newsletter/index.md"]
    assert isinstance(archive, PageSpec)
    assert [issue.day for issue in archive.data["issues"]] == sorted(newsletter.archive_days(), reverse=True)
    for day in newsletter.archive_days():
        assert isinstance(outputs[f"newsletter/{day.isoformat()}.md"], PageSpec)
        for name in ("email.html", "email.txt", "digest.eml"):
            assert isinstance(outputs[f"newsletter/{day.isoformat()}/{name}"], FileSpec)


# --- an empty period, settings and intros ----------------------------------------------------

NEWSLETTER_YML = """\
site_name: t
site_url: https://example.org/t/
extra:
  hub:
    content_dir: content
    vocabularies: data/vocabularies.yml
    newsletter:
      name: テスト ニュース
      from: {name: テスト, address: news@example.org}
      list_unsubscribe: [mailto:unsubscribe@example.org]
    privacy:
      allow: [news@example.org, unsubscribe@example.org]
"""


def configured(hub_project, yml: str = NEWSLETTER_YML):
    hub_project.write("mkdocs.yml", yml)
    hub_project.write_case("old-case", date="2020-09-15")
    return hub_project


def site_of(hub_project) -> Site:
    settings = Settings.find(hub_project.root)
    return Site(load_content(Project.from_settings(settings)), NOW, settings)


def test_an_empty_issue_says_so_and_gets_no_mail(hub_project) -> None:
    site = site_of(configured(hub_project))
    outputs = {output.src_uri: output for output in newsletter_outputs(site)}
    page = outputs["newsletter/2021-02-01.md"]
    assert page.data["issue"].empty
    assert not any(uri.startswith("newsletter/2021-02-01/") for uri in outputs)
    assert any(uri.startswith("newsletter/2020-09-16/") for uri in outputs)  # the case's own issue has mail


def test_the_cli_warns_about_an_empty_issue_and_writes_nothing(hub_project, capsys, tmp_path) -> None:
    configured(hub_project)
    out = tmp_path / "out"
    assert main(["--root", str(hub_project.root), "digest", "--date", "2021-02-01", "--out", str(out)]) == 1
    assert "警告" in capsys.readouterr().err
    assert not out.exists()


def test_the_cli_writes_an_issue_and_summarises_it(hub_project, capsys, tmp_path) -> None:
    configured(hub_project)
    out = tmp_path / "out"
    assert main(["--root", str(hub_project.root), "digest", "--date", "2020-09-16", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2020年9月16日号" in printed and "新しい協働事例: 1 件" in printed
    assert sorted(path.name for path in out.iterdir()) == ["digest.eml", "email.html", "email.txt"]


def test_the_cli_refuses_a_date_that_is_not_an_issue_date(hub_project, capsys) -> None:
    configured(hub_project)
    with pytest.raises(SystemExit):
        main(["--root", str(hub_project.root), "digest", "--date", "2021-02-03"])
    assert "1 日か 16 日" in capsys.readouterr().err


def test_an_intro_naming_an_unknown_entry_is_reported_on_its_line(hub_project) -> None:
    configured(hub_project)
    hub_project.write("content/newsletters/2021-02-01.md",
                      "---\ntitle: 見出し\npin:\n  - cases/old-cas\n---\n\n本文\n")
    with pytest.raises(ContentError) as raised:
        prepare(site_of(hub_project))
    [problem] = raised.value.problems
    assert problem.format().startswith("content/newsletters/2021-02-01.md:4: pin: ")
    assert "もしかして cases/old-case？" in problem.format()


def test_an_intro_file_must_be_named_after_an_issue_date(hub_project) -> None:
    configured(hub_project)
    hub_project.write("content/newsletters/2021-02-03.md", "---\ntitle: 見出し\n---\n")
    with pytest.raises(ContentError) as raised:
        prepare(site_of(hub_project))
    assert raised.value.problems[0].format().startswith("content/newsletters/2021-02-03.md:1: file: ")


def test_a_wrong_sender_address_points_at_mkdocs_yml(hub_project) -> None:
    configured(hub_project, NEWSLETTER_YML.replace("address: news@example.org", "address: news-at-example.org"))
    with pytest.raises(ContentError) as raised:
        prepare(site_of(hub_project))
    assert raised.value.problems[0].format().startswith("mkdocs.yml:9: extra.hub.newsletter.from.address: ")


# --- SMTP round trip -------------------------------------------------------------------------

class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.received.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_send_test_delivers_the_eml_to_a_real_smtp_server(sample: Path, capsys) -> None:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        code = main(["--root", str(sample), "digest", "--date", "2021-02-01",
                     "--send-test", "preview@example.org", "--smtp", f"127.0.0.1:{controller.port}"])
    finally:
        controller.stop()
    assert code == 0, capsys.readouterr().err
    [(recipients, data)] = inbox.received
    assert recipients == ["preview@example.org"]
    message = message_from_bytes(data, policy=policy.default)
    assert str(message["Subject"]) == SUBJECT
    assert message["To"] == "preview@example.org"
    assert message.get_content_type() == "multipart/alternative"
    assert "オンラインで広がる協働" in message.get_body(preferencelist=("plain",)).get_content()


def test_hub_check_reports_a_wrong_intro_too(hub_project, capsys) -> None:
    configured(hub_project)
    hub_project.write("content/newsletters/2021-02-01.md", "---\nexclude: [cases/nothing-here]\n---\n")
    assert main(["--root", str(hub_project.root), "check"]) == 1
    assert "content/newsletters/2021-02-01.md:2: exclude: " in capsys.readouterr().err


def test_a_hostile_title_is_safe_in_every_part(hub_project) -> None:
    configured(hub_project)
    hub_project.write_case("hostile", title='"A&B <b>太字</b> 🎉 終わり"', date="2021-01-20")
    site = site_of(hub_project)
    newsletter = prepare(site)
    mail = newsletter.mail(newsletter.issue(ISSUE))
    expected = "A&B <b>太字</b> 🎉 終わり"
    message = message_from_bytes(mail.eml, policy=policy.default)
    html = BeautifulSoup(part(message, "html"), "lxml")
    assert [a.get_text() for a in html.select("a.item-title")] == [expected]
    assert not html.select("b")
    assert expected in part(message, "plain")


def test_the_mail_addresses_and_intros_pass_the_personal_data_guard(hub_project) -> None:
    configured(hub_project, NEWSLETTER_YML.replace("allow: [news@example.org, unsubscribe@example.org]",
                                                   "allow: [unsubscribe@example.org]"))
    with pytest.raises(ContentError) as raised:  # mkdocs.yml is scanned with the content
        site_of(hub_project)
    found = [problem.format().split(": ")[0] + ": " + problem.key for problem in raised.value.problems]
    assert found == ["mkdocs.yml:9: extra.hub.newsletter.from.address"]
    configured(hub_project)
    hub_project.write("content/newsletters/2021-02-01.md", "---\ntitle: 見出し\n---\n\n担当 090-1234-5678 まで\n")
    with pytest.raises(ContentError) as raised:
        prepare(site_of(hub_project))
    found = [problem.format().split(": ")[0] + ": " + problem.key for problem in raised.value.problems]
    assert found == ["content/newsletters/2021-02-01.md:5: body"]
