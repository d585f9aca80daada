"""What a collection's front matter looks like, read from its pydantic model.

The editing UI, the kintone import, `hub new` and CONTRIBUTING.md all describe the same
keys. They read them here, from the model `hub check` validates with, so that a key
added to a schema (or a whole new collection) shows up everywhere without more code.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from hub.core.fields import LocalFile, VocabularyRef, WebUrl
from hub.core.references import EntryRef
from hub.core.vocab import Vocabularies
from hub.editing.field_docs import describe, options_of

# The validators that make a plain `str` a URL or a file under docs/, compared by identity.
_URL_MARKER = get_args(WebUrl)[-1]
_FILE_MARKER = get_args(LocalFile)[-1]

# Kinds of value, independent of any front end.
TEXT, DATE, DATETIME, BOOL, INT, URL, FILE, CHOICE, OBJECT, RELATION = (
    "text", "date", "datetime", "bool", "int", "url", "file", "choice", "object", "relation")

LAST_KEYS = ("draft",)  # shown after everything else: it is about publishing, not content


@dataclass(frozen=True)
class Shape:
    """One front-matter key: what it holds, whether it is required, which terms it takes."""

    key: str
    path: tuple[str, ...]
    kind: str
    label: str
    help: str = ""
    many: bool = False
    required: bool = False
    min_items: int = 0
    vocabulary: str | None = None
    relation: str | None = None  # the collection whose entry this key names by its slug (RELATION)
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for fixed choices outside the vocabularies
    children: tuple["Shape", ...] = ()
    default: Any = None
    long_text: bool = False
    example: Any = None  # the model's own `Field(examples=[...])`, used by `hub new` and CONTRIBUTING.md

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    def choices(self, vocabularies: Vocabularies) -> list[tuple[str, str]]:
        """(id, Japanese label) of every value this key accepts, when it is a closed set."""
        if self.vocabulary is not None:
            vocabulary = vocabularies[self.vocabulary]
            return [(term.id, term.display_label) for term in vocabulary.terms]
        return list(self.options)


@dataclass
class _Parts:
    """A field's annotation taken apart: the innermost type and everything said about it on the way."""

    base: Any
    many: bool = False
    optional: bool = False
    metadata: list[Any] = field(default_factory=list)


def shapes(model: type[BaseModel], collection: str = "", vocabularies: Vocabularies | None = None,
           parent: tuple[str, ...] = ()) -> tuple[Shape, ...]:
    """Every key of `model` in declaration order (`draft` last), nested models included."""
    found = [_shape(name, info, collection, vocabularies, parent) for name, info in model.model_fields.items()]
    return tuple(sorted(found, key=lambda shape: shape.key in LAST_KEYS))


def _shape(name: str, info: FieldInfo, collection: str, vocabularies: Vocabularies | None,
           parent: tuple[str, ...]) -> Shape:
    parts = _unwrap(info.annotation, _Parts(None, metadata=[info, *info.metadata]))
    path = (*parent, name)
    vocabulary = next((item.name for item in parts.metadata if isinstance(item, VocabularyRef)), None)
    relation = next((item.collection for item in parts.metadata if isinstance(item, EntryRef)), None)
    kind, options, children = _kind(parts, collection, vocabularies, path)
    kind, options = _labelled(kind, options, options_of(collection, path))
    vocabulary_label = vocabularies[vocabulary].label if vocabularies and vocabulary in vocabularies else None
    label, help_text, long_text = describe(collection, path, info.title, info.description, vocabulary_label)
    default = None if info.default is PydanticUndefined else info.default
    return Shape(key=name, path=path, kind=kind, label=label, help=help_text, many=parts.many,
                 required=info.is_required(), min_items=_min_items(parts.metadata), vocabulary=vocabulary, relation=relation,
                 options=options, children=children, default=default, long_text=long_text,
                 example=info.examples[0] if info.examples else None)


def _unwrap(annotation: Any, parts: _Parts) -> _Parts:
    """Strip `| None`, `list[...]` and `Annotated[...]`, remembering what each said."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        parts.metadata += metadata
        return _unwrap(inner, parts)
    if origin in (Union, types.UnionType):
        present = [argument for argument in get_args(annotation) if argument is not type(None)]
        parts.optional = parts.optional or len(present) < len(get_args(annotation))
        return _unwrap(present[0], parts) if len(present) == 1 else _with_base(parts, str)
    if origin in (list, tuple, set, frozenset):
        parts.many = True
        arguments = [argument for argument in get_args(annotation) if argument is not Ellipsis]
        return _unwrap(arguments[0] if arguments else str, parts)
    return _with_base(parts, annotation)


def _with_base(parts: _Parts, base: Any) -> _Parts:
    parts.base = base
    return parts


def _kind(parts: _Parts, collection: str, vocabularies: Vocabularies | None,
          path: tuple[str, ...]) -> tuple[str, tuple[tuple[str, str], ...], tuple[Shape, ...]]:
    base = parts.base
    if any(isinstance(item, VocabularyRef) for item in parts.metadata):
        return CHOICE, (), ()
    if any(isinstance(item, EntryRef) for item in parts.metadata):
        return RELATION, (), ()
    if isinstance(base, type) and issubclass(base, BaseModel):
        return OBJECT, (), shapes(base, collection, vocabularies, path)
    options = _fixed_options(parts)
    if options:
        return CHOICE, options, ()
    if base is bool:
        return BOOL, (), ()
    if base is int:
        return INT, (), ()
    if base is datetime:
        return DATETIME, (), ()
    if base is date:
        return DATE, (), ()
    if any(item is _URL_MARKER for item in parts.metadata):
        return URL, (), ()
    if any(item is _FILE_MARKER for item in parts.metadata):
        return FILE, (), ()
    return TEXT, (), ()


def _fixed_options(parts: _Parts) -> tuple[tuple[str, str], ...]:
    """Choices declared in the type (Literal, Enum) or as `json_schema_extra={"options": {id: label}}`;
    a Literal's ids take their Japanese labels from the latter when the model gives both."""
    base = parts.base
    labels = _option_labels(parts)
    if get_origin(base) is Literal:
        return tuple((str(value), labels.get(str(value), str(value))) for value in get_args(base))
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return tuple((str(member.value), member.name) for member in base)
    return tuple(labels.items())


def _option_labels(parts: _Parts) -> dict[str, str]:
    for item in parts.metadata:
        extra = getattr(item, "json_schema_extra", None)
        if isinstance(extra, dict) and isinstance(extra.get("options"), dict):
            return {str(value): str(label) for value, label in extra["options"].items()}
    return {}


def _labelled(kind: str, options: tuple[tuple[str, str], ...],
              table: Mapping[str, str] | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A string checked against a table of ids is a choice; a Literal's bare ids get the table's labels."""
    if table is None or kind not in (TEXT, CHOICE):
        return kind, options
    if kind == TEXT:
        return CHOICE, tuple((value, label) for value, label in table.items())
    return CHOICE, tuple((value, table.get(value, label)) for value, label in options)


def _min_items(metadata: list[Any]) -> int:
    return max((getattr(item, "min_length", 0) or 0 for item in metadata if type(item).__name__ == "MinLen"), default=0)


def walk(found: tuple[Shape, ...]) -> list[Shape]:
    """Every shape, depth first: a key, then its nested keys."""
    flat: list[Shape] = []
    for shape in found:
        flat.append(shape)
        flat += walk(shape.children)
    return flat
