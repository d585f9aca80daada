"""`hub digest`: one issue's mail files for the newsletter editor, a summary, and a test send.

  hub digest [--date YYYY-MM-DD] [--out DIR]               write email.html, email.txt, digest.eml
  hub digest --date D --send-test ADDRESS --smtp HOST:PORT  send digest.eml to a preview address
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.digest.display import Formats
from hub.digest.issue import Issue
from hub.digest.mail import send_test
from hub.digest.newsletter import Mail, prepare
from hub.digest.outputs import MAIL_FILES
from hub.digest.periods import issue_on_or_after  # issue_date: also the CLI's argparse type
from hub.output.site import make_site


def run_digest(settings: Settings, day: date | None, out: Path | None, recipient: str | None, smtp: str) -> int:
    try:
        site = make_site(settings)
        newsletter = prepare(site)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    if newsletter is None:
        print("mkdocs.yml に extra.hub.newsletter の設定がありません（newsletter not configured）", file=sys.stderr)
        return 1
    issue = newsletter.issue(day or issue_on_or_after(site.now.date()))
    print(summary(issue))
    if issue.empty:
        print("警告: この号には新しい情報がないため、メールは作りませんでした（empty issue: no mail written）",
              file=sys.stderr)
        return 1
    mail = newsletter.mail(issue)
    if recipient:
        return _send(mail, recipient, smtp, out)
    _write(mail, out or Path(f"newsletter-{issue.day.isoformat()}"))
    return 0


def _send(mail: Mail, recipient: str, smtp: str, out: Path | None) -> int:
    if out:
        _write(mail, out)
    try:
        send_test(mail.eml, recipient, smtp)
    except (OSError, ValueError) as error:
        print(f"送信できませんでした（send failed）: {smtp}: {error}", file=sys.stderr)
        return 1
    print(f"{recipient} に送りました（{smtp}）")
    return 0


def _write(mail: Mail, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    contents = dict(zip(MAIL_FILES, (mail.html.encode("utf-8"), mail.text.encode("utf-8"), mail.eml)))
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    print("書き出しました: " + ", ".join(str(folder / name) for name in MAIL_FILES))


def summary(issue: Issue) -> str:
    """What the editor checks before sending: the period, each section and the deadlines."""
    lines = [f"{Formats.issue(issue.day)}（{issue.day.isoformat()}）: "
             f"{Formats.period(issue.period.start, issue.period.last_day)}の新着"]
    if issue.headline:
        lines.append(f"  見出し: {issue.headline}")
    lines.append(f"  これからの{issue.events_label}: {len(issue.upcoming)} 件")
    for item in issue.upcoming:
        deadline = f"（締切 {Formats.deadline(item.coming.deadline)}）" if item.coming.deadline else ""
        mark = "★" if item.urgent else "・"
        lines.append(f"    {mark}{Formats.when(item.coming.occurrence)} {item.coming.occurrence.full_title}{deadline}")
    lines.append(f"  {issue.volunteer_label}: {len(issue.recruitments)} 件")
    for recruiting in issue.recruitments:
        mark = "★" if recruiting.urgent else "・"
        kind = "締切" if recruiting.deadline else "随時募集"
        lines.append(f"    {mark}{recruiting.entry.title}（{kind} {Formats.deadline(recruiting.closes)}）")
    for section in issue.sections:
        lines.append(f"  {section.title}: {len(section.items)} 件")
        lines += [f"    ・{item.entry.title}" for item in section.items]
    if issue.excluded:
        lines.append("  除外: " + ", ".join(issue.excluded))
    return "\n".join(lines)
