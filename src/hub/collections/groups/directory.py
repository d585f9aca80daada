"""The groups as readers browse them: the 五十音 directory of listed groups, each group's labels
looked up once for its card and its page, and the term lists for the theme and ward pages."""

from __future__ import annotations

from dataclasses import dataclass

from hub.collections.groups.schema import DISSOLVED, DORMANT, STATUS_LABELS, GroupMeta
from hub.core.collation import RowGroup, group_by_row
from hub.core.collection import Collection, Entry
from hub.core.taxonomy import TaxonomyIndex, TaxonomyLinks
from hub.core.vocab import Term, Vocabularies
from hub.output.formatting import japanese_date


@dataclass(frozen=True)
class GroupView:
    """One group with what its card and page show: its term links (themes, wards) and its legal form."""

    entry: Entry
    terms: list[TaxonomyLinks]
    legal_form: Term | None

    @property
    def meta(self) -> GroupMeta:
        return self.entry.meta

    @property
    def listed(self) -> bool:
        """Active and dormant groups are in the directory; a dissolved group keeps only its page."""
        return self.meta.status != DISSOLVED

    @property
    def dormant(self) -> bool:
        return self.meta.status == DORMANT

    @property
    def dissolved(self) -> bool:
        return self.meta.status == DISSOLVED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.meta.status]

    @property
    def founded_label(self) -> str:
        """「2015年」 when only the year is known, else the whole date."""
        founded = self.meta.founded
        if founded is None:
            return ""
        return f"{founded}年" if isinstance(founded, int) else japanese_date(founded)


@dataclass(frozen=True)
class GroupDirectory:
    """Every published group (dissolved ones keep their pages), and the listed ones in 五十音 order,
    by row and by term: dissolved groups are in no list and no count."""

    groups: list[GroupView]
    rows: list[RowGroup[GroupView]]
    index: TaxonomyIndex

    @property
    def listed(self) -> list[GroupView]:
        return [view for view in self.groups if view.listed]

    def views_of(self, entries: list[Entry]) -> list[GroupView]:
        """The views of these entries (a term's groups), in the order given."""
        by_entry = {id(view.entry): view for view in self.groups}
        return [by_entry[id(entry)] for entry in entries]


def build_directory(collection: Collection, entries: list[Entry], vocabularies: Vocabularies) -> GroupDirectory:
    """Entries arrive sorted by reading (the collection's sort key); only labels and rows are added here."""
    listed = [entry for entry in entries if entry.meta.status != DISSOLVED]
    index = TaxonomyIndex(collection, listed, vocabularies)
    legal_forms = vocabularies["legal_forms"]
    views = [GroupView(entry, index.links_of(entry),
                       legal_forms.get(entry.meta.legal_form) if entry.meta.legal_form else None)
             for entry in entries]
    rows = group_by_row([view for view in views if view.listed], lambda view: view.meta.kana)
    return GroupDirectory(views, rows, index)
