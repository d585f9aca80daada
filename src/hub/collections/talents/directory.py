"""The talents as readers browse them: the 五十音 directory with its rows, and each talent's
labels looked up once for its card, its page and its guidebook block."""

from __future__ import annotations

from dataclasses import dataclass

from hub.collections.talents.schema import CATEGORIES, CATEGORY_SEGMENT, NAME, TalentMeta
from hub.core.collation import RowGroup, group_by_row
from hub.core.collection import Entry
from hub.core.fields import WEEKDAYS
from hub.core.taxonomy import TaxonomyLinks, TermLink
from hub.core.vocab import Term, Vocabularies


@dataclass(frozen=True)
class TalentView:
    """One talent with everything its card, page and guidebook block show, labels already looked up."""

    entry: Entry
    categories: list[TermLink]
    audience: list[Term]
    areas: list[Term]

    @property
    def meta(self) -> TalentMeta:
        return self.entry.meta

    @property
    def anchor(self) -> str:
        return f"talent-{self.entry.slug}"

    @property
    def days(self) -> str:
        """「月・水・土」, or 「要相談」 when the register has no fixed days."""
        return "・".join(WEEKDAYS[day] for day in self.meta.days) or "要相談"


@dataclass(frozen=True)
class Directory:
    """Every talent in 五十音 order, grouped by row, and the category overview with counts."""

    talents: list[TalentView]
    rows: list[RowGroup[TalentView]]
    categories: TaxonomyLinks

    def in_category(self, term_id: str) -> list[TalentView]:
        return [view for view in self.talents if any(link.term.id == term_id for link in view.categories)]


def category_url(term_id: str = "") -> str:
    return f"{NAME}/{CATEGORY_SEGMENT}/" + (f"{term_id}/" if term_id else "")


def build_directory(entries: list[Entry], vocabularies: Vocabularies) -> Directory:
    """Entries arrive sorted by reading (the collection's sort key); only labels and groups are added here."""
    vocabulary = vocabularies[CATEGORIES.vocabulary]
    counts = {term.id: sum(term.id in entry.meta.categories for entry in entries) for term in vocabulary.terms}
    links = {term.id: TermLink(term, category_url(term.id), counts[term.id]) for term in vocabulary.terms}
    views = [TalentView(entry, [links[term_id] for term_id in entry.meta.categories],
                        vocabularies["talent_audiences"].terms_for(entry.meta.audience),
                        vocabularies["wards"].terms_for(entry.meta.areas))
             for entry in entries]
    rows = group_by_row(views, lambda view: view.meta.kana)
    overview = TaxonomyLinks(CATEGORIES, vocabulary.label, category_url(), list(links.values()))
    return Directory(views, rows, overview)
