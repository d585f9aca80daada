"""The newsletter's part of the site: the archive, one web page per issue and its mail files.

  /newsletter/                        every issue, newest first
  /newsletter/<YYYY-MM-DD>/           the issue in the site's theme
  /newsletter/<YYYY-MM-DD>/email.html, email.txt, digest.eml   (not for an empty issue: no empty mail)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from hub.core.content import Site
from hub.core.outputs import FileSpec, Output, PageSpec
from hub.digest.display import Formats
from hub.digest.issue import Issue
from hub.digest.newsletter import Mail, Newsletter, prepare
from hub.digest.render import ARCHIVE_PATH, issue_path
from hub.guard.csp import protect_email

MAIL_FILES = ("email.html", "email.txt", "digest.eml")
TITLE = "ニュースレター"


def newsletter_outputs(site: Site) -> Iterator[Output]:
    """The site-wide generator."""
    newsletter = prepare(site)
    if newsletter is None:
        return
    issues = [newsletter.issue(day) for day in newsletter.archive_days()]
    for issue in issues:
        yield issue_page(issue)
        if not issue.empty:
            yield from mail_files(issue, newsletter)
    yield archive_page(list(reversed(issues)), newsletter)


def mail_files(issue: Issue, newsletter: Newsletter) -> Iterator[FileSpec]:
    """The three files of one mail, made together the first time one of them is written."""
    mail = functools.cache(functools.partial(newsletter.mail, issue))
    folder = issue_path(issue)
    inputs = (issue, newsletter.config, newsletter.site.settings)
    for name, part in (("email.html", _html), ("email.txt", _text), ("digest.eml", _eml)):
        yield FileSpec(f"{folder}{name}", render=functools.partial(part, mail), inputs=inputs)


def _html(mail: Callable[[], Mail]) -> bytes:
    """The site's copy is also a page of the site's origin: it gets a policy that runs no script."""
    return protect_email(mail().html).encode("utf-8")


def _text(mail: Callable[[], Mail]) -> bytes:
    return mail().text.encode("utf-8")


def _eml(mail: Callable[[], Mail]) -> bytes:
    return mail().eml


def issue_page(issue: Issue) -> PageSpec:
    period = Formats.period(issue.period.start, issue.period.last_day)
    return PageSpec(f"{ARCHIVE_PATH}{issue.day.isoformat()}.md", Formats.issue(issue.day), "hub/newsletter-issue.html",
                    {"issue": issue, "fmt": Formats, "files": () if issue.empty else MAIL_FILES,
                     "archive": ARCHIVE_PATH},
                    body=issue.intro.body if issue.intro else "",
                    description=f"{TITLE} {Formats.issue(issue.day)}: {period}の新着とこれからのイベント・講座",
                    searchable=False)


def archive_page(issues: list[Issue], newsletter: Newsletter) -> PageSpec:
    return PageSpec(f"{ARCHIVE_PATH}index.md", TITLE, "hub/newsletter-index.html",
                    {"issues": issues, "fmt": Formats, "name": newsletter.config.name},
                    description=f"{newsletter.config.name}のバックナンバー（{len(issues)} 号）")
