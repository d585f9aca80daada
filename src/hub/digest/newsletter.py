"""The newsletter of a site: its settings, the editors' intros, every issue and each issue's mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hub.core.content import Site
from hub.core.problems import ContentError, Problem
from hub.digest.config import NewsletterSettings, first_day, newsletter_settings
from hub.digest.intro import FOLDER as INTRO_FOLDER
from hub.digest.intro import Intro, load_intros, published_paths
from hub.digest.issue import Issue, build_issue
from hub.digest.mail import eml_bytes
from hub.digest.periods import issue_dates
from hub.digest.render import email_context, email_html, email_text, subject
from hub.guard.privacy import docs_problems
from hub.output.news import news_collections
from hub.reading.loader import Project


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str
    eml: bytes


@dataclass(frozen=True)
class Newsletter:
    site: Site
    config: NewsletterSettings
    intros: dict[date, Intro]

    def issue(self, day: date) -> Issue:
        horizon = timedelta(weeks=self.config.horizon_weeks)
        return build_issue(self.site.content, day, self.intros.get(day), horizon)

    def archive_days(self) -> list[date]:
        """Every issue from the first news (or `since`) up to "now", oldest first."""
        start = first_day(self.config, self._earliest_news())
        return issue_dates(start, self.site.now.date()) if start else []

    def mail(self, issue: Issue) -> Mail:
        settings = self.site.settings
        context = email_context(issue, settings, self.config)
        text, html = email_text(context), email_html(context)
        title = subject(issue, self.config)
        return Mail(title, text, html, eml_bytes(issue.day, title, text, html, self.config, settings.site_url))

    def _earliest_news(self) -> date | None:
        days = [collection.news_date(entry) for collection in news_collections()
                for entry in self.site.content[collection.name] if collection.news_date]
        found = [day for day in days if day is not None]
        return min(found) if found else None


def prepare(site: Site) -> Newsletter | None:
    """None when mkdocs.yml has no `extra.hub.newsletter`; ContentError for wrong settings or intros."""
    config = newsletter_settings(site.settings)
    if config is None:
        return None
    project = Project.from_settings(site.settings)
    privacy = privacy_problems(project)
    if privacy:
        raise ContentError(privacy)
    entries = [entry for collection in news_collections() for entry in site.content[collection.name]]
    return Newsletter(site, config, load_intros(project, published_paths(entries)))


def privacy_problems(project: Project) -> list[Problem]:
    """Intros are pages and go through the same personal-data guard as content; the mail's
    addresses are mkdocs.yml strings, scanned with all of them when the content is loaded."""
    return docs_problems(project.content_dir / INTRO_FOLDER, project.root, project.privacy)
