"""An issue as e-mail: the HTML part (styles inlined by css-inline) and the plain-text part.

css-inline writes digest.css into style attributes, which every mail reader keeps, and keeps
the template's own <style> (the phone layout, @media rules that cannot be inlined) where it is,
for the readers that honour it; those that drop it still have the fluid layout.

Both come from Jinja templates in templates/email/ with the same data; every link is
absolute (an e-mail has no base URL), and text that came from editors is stripped of
control characters a mail reader or an XML parser would choke on.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import css_inline

from hub.core.collection import Entry
from hub.core.settings import Settings
from hub.digest.config import NewsletterSettings
from hub.digest.display import Formats
from hub.digest.issue import Issue
from hub.output.markdown_html import absolute_html, plain_text
from hub.output.news import xml_safe
from hub.output.templating import standalone_environment
from hub.output.textwrap_ja import WIDTH

ARCHIVE_PATH = "newsletter/"
RASTER = (".png", ".jpg", ".jpeg", ".gif")  # what Gmail and Outlook show; SVG is not


@dataclass(frozen=True)
class Image:
    src: str
    alt: str


def issue_path(issue: Issue) -> str:
    return f"{ARCHIVE_PATH}{issue.day.isoformat()}/"


def subject(issue: Issue, config: NewsletterSettings) -> str:
    """【横浜市市民協働推進センター ニュース】2021年2月1日号　見出し"""
    headline = f"　{issue.headline}" if issue.headline else ""
    return xml_safe(f"【{config.name}】{Formats.issue(issue.day)}{headline}").replace("\n", " ")


def email_context(issue: Issue, settings: Settings, config: NewsletterSettings) -> dict[str, Any]:
    intro, source = issue.intro.body if issue.intro else "", f"{issue_path(issue).rstrip('/')}.md"
    unsubscribe = next((url for url in config.list_unsubscribe if url.startswith("https://")),
                       config.list_unsubscribe[0])
    return {
        "issue": issue, "fmt": Formats, "subject": subject(issue, config), "newsletter_name": config.name,
        "sender_name": config.sender.name, "home": settings.absolute_url(""),
        "web_url": settings.absolute_url(issue_path(issue)), "archive_url": settings.absolute_url(ARCHIVE_PATH),
        "unsubscribe": unsubscribe, "unsubscribe_label": unsubscribe.removeprefix("mailto:").split("?")[0],
        "link": lambda entry: settings.absolute_url(entry.url),
        "image_of": lambda entry: entry_image(entry, settings),
        "banner": _banner(settings, config), "rule": "─" * (WIDTH // 2),
        "intro_html": absolute_html(intro, settings, source) if intro else "",
        "intro_text": plain_text(intro, settings, source) if intro else "",
    }


def entry_image(entry: Entry, settings: Settings) -> Image | None:
    image = getattr(entry.meta, "image", None)
    if image is None or not image.src.lower().endswith(RASTER):
        return None
    return Image(settings.absolute_url(image.src), image.alt)


def _banner(settings: Settings, config: NewsletterSettings) -> Image | None:
    if not config.banner:
        return None
    return Image(settings.absolute_url(config.banner), config.banner_alt or settings.site_name)


def email_html(context: dict[str, Any]) -> str:
    html = standalone_environment().get_template("email/digest.html").render(context)
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=True, extra_css=_stylesheet())
    return xml_safe(inliner.inline(html))


def email_text(context: dict[str, Any]) -> str:
    text = standalone_environment().get_template("email/digest.txt").render(context)
    return xml_safe(text).rstrip("\n") + "\n"


def _stylesheet() -> str:
    return files("hub").joinpath("templates/email/digest.css").read_text(encoding="utf-8")
