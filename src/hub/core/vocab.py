"""Controlled vocabularies: one editable data file, each term an ASCII id and a Japanese label."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hub.core.problems import ContentError, Problem
from hub.core.validation import problems_from_error
from hub.reading.frontmatter import Source, load_yaml_file

TERM_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class TermSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=TERM_ID_PATTERN)
    label: str = Field(min_length=1)
    description: str = ""


class VocabularySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = Field(min_length=1)
    terms: list[TermSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Term:
    vocabulary: str
    id: str
    label: str
    description: str = ""

    def display(self) -> str:
        return f"{self.id}（{self.label}）"

    @property
    def display_label(self) -> str:
        """Numbered vocabularies (the SDGs) show their number: 「11. 住み続けられるまちづくりを」."""
        return f"{self.id}. {self.label}" if self.id.isdigit() else self.label


@dataclass(frozen=True)
class Vocabulary:
    name: str
    label: str
    terms: tuple[Term, ...]

    def get(self, term_id: str) -> Term | None:
        return self._by_id.get(term_id)

    def terms_for(self, term_ids: Iterable[str]) -> list[Term]:
        """The terms of validated ids, in the order written: what a page shows as labels."""
        return [term for term_id in term_ids if (term := self.get(term_id)) is not None]

    @property
    def _by_id(self) -> dict[str, Term]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {term.id: term for term in self.terms}
            object.__setattr__(self, "_index", cached)
        return cached

    def suggest(self, written: str) -> list[Term]:
        """Closest terms for a typo, or the term whose Japanese label was written instead of its id."""
        by_label = [term for term in self.terms if written in (term.label, term.label.rstrip("区"))]
        if by_label:
            return by_label
        close = difflib.get_close_matches(written.lower(), list(self._by_id), n=3, cutoff=0.5)
        if not close:
            close = [term.id for term in self.terms if term.id.startswith(written.lower()[:3])][:3]
        return [self._by_id[term_id] for term_id in close]


class Vocabularies(dict[str, Vocabulary]):
    """All vocabularies by name, loaded and validated from the data file."""

    def __init__(self, shown_path: str = "") -> None:
        super().__init__()
        self.shown_path = shown_path

    @classmethod
    def load(cls, path: Path, shown_path: str) -> "Vocabularies":
        if not path.is_file():
            raise ContentError([Problem(shown_path, 1, "file", "語彙のファイルがありません（vocabulary file missing）",
                                        "mkdocs.yml の extra.hub.vocabularies に正しいパスを書いてください")])
        source = load_yaml_file(path, shown_path)
        problems = list(source.problems)
        vocabularies = cls(shown_path)
        for name, raw in source.meta.items():
            try:
                spec = VocabularySpec.model_validate(raw)
            except ValidationError as error:
                problems += problems_from_error(error, source, prefix=(name,))
                continue
            vocabularies[name] = Vocabulary(
                name, spec.label,
                tuple(Term(name, t.id, t.label, t.description) for t in spec.terms))
            problems += _duplicate_ids(spec, name, source)
        if problems:
            raise ContentError(problems)
        return vocabularies

    def require(self, names: set[str]) -> None:
        """Every vocabulary the schemas refer to must exist, or no entry could be checked."""
        missing = sorted(names - set(self))
        if missing:
            raise ContentError([Problem(self.shown_path, 1, name, f"語彙「{name}」がありません（vocabulary missing）",
                                        f"「{name}:」の項目（label と terms）を追加してください") for name in missing])


def _duplicate_ids(spec: VocabularySpec, name: str, source: Source) -> list[Problem]:
    seen: set[str] = set()
    problems: list[Problem] = []
    for index, term in enumerate(spec.terms):
        if term.id in seen:
            problems.append(Problem(source.shown_path, source.line_of((name, "terms", index, "id")),
                                    f"{name}.terms.id", f"id「{term.id}」が重複しています（duplicate id）",
                                    "別の id にしてください"))
        seen.add(term.id)
    return problems
