"""digest.eml: the issue as one MIME message a mail service can import, and a test send.

Built with the standard library's email package: multipart/alternative (plain text first,
then HTML), UTF-8 in base64, a Subject and From encoded per RFC 2047. Date, Message-ID
and the MIME boundary derive from the issue date and site_url, so that the same issue
gives the same bytes on every build.
"""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from hub.digest.config import NewsletterSettings
from hub.digest.periods import send_moment
from hub.output.calendar_ics import uid_domain

# CRLF line ends, as on the wire and in .eml files.
POLICY = policy.SMTP


def _address(name: str, address: str) -> Address:
    username, domain = address.rsplit("@", 1)
    return Address(display_name=name, username=username, domain=domain)


def eml_bytes(day: date, subject: str, text: str, html: str, config: NewsletterSettings, site_url: str) -> bytes:
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = _address(config.sender.name, config.sender.address)
    if config.reply_to:
        message["Reply-To"] = _address(config.sender.name, config.reply_to)
    message["Date"] = format_datetime(send_moment(day))
    message["Message-ID"] = f"<newsletter.{day.isoformat()}@{uid_domain(site_url)}>"
    message["List-Unsubscribe"] = ", ".join(f"<{target}>" for target in config.list_unsubscribe)
    message.set_content(text, charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    # "=_" never occurs in base64, so the boundary cannot clash with a part.
    message.set_boundary(f"=_hub-newsletter-{day.isoformat()}")
    return message.as_bytes(policy=POLICY)


def send_test(eml: bytes, recipient: str, server: str) -> None:
    """Send the issue to one preview address through an SMTP server given as HOST:PORT (no login)."""
    import smtplib  # only to send: it loads ssl, a tenth of the start of `hub check`

    host, _, port = server.rpartition(":")
    message = message_from_bytes(eml, policy=POLICY)
    message["To"] = recipient
    with smtplib.SMTP(host or "localhost", int(port), timeout=30) as smtp:
        smtp.send_message(message, to_addrs=[recipient])
