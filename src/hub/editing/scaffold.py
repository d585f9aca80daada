"""A new entry's text for any collection, from its schema, when it has no hand-written template.

`hub new <collection>` prefers `templates/new/<collection>.md`; a collection without one
still gets a draft that passes `hub check`: every required key with an example value,
every optional key commented out, each with its Japanese name and the values it accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from pydantic import ValidationError

from hub.core.collection import Collection
from hub.core.fields import CONTEXT_KEY, SchemaContext
from hub.core.vocab import Vocabularies
from hub.editing.field_guide import BOOL, CHOICE, DATE, DATETIME, FILE, INT, OBJECT, URL, Shape, shapes
from hub.output.templating import template_environment

TEMPLATES = "new"  # under the package's templates/
GENERIC = f"{TEMPLATES}/_schema.md"
# A top-level key of a template, written or commented out as an example ("# updated: …").
_TEMPLATE_KEY = re.compile(r"^(?:# ?)?([a-z][a-z0-9_]*):", re.MULTILINE)
INLINE_TERMS = 20  # longer vocabularies are named, not listed


@dataclass(frozen=True)
class Item:
    """One top-level key as the template shows it."""

    shape: Shape
    yaml: str
    written: bool  # False: shown commented out
    choices: str


def environment(trim: bool = False) -> Environment:
    """Hand-written templates are rendered as they are written; the generic one trims its block tags."""
    env = template_environment(trim=trim)
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
    env.filters["commented"] = lambda text: "\n".join(f"# {line}" for line in text.splitlines())
    return env


def has_template(collection: str) -> bool:
    return f"{TEMPLATES}/{collection}.md" in environment().list_templates()


def template_key_order(collection: Collection) -> list[str]:
    """Top-level keys in the order the collection's own template writes them; [] without one
    (the generic template follows the schema's order)."""
    if not has_template(collection.name):
        return []
    env = environment()
    source, _, _ = env.loader.get_source(env, f"{TEMPLATES}/{collection.name}.md")  # type: ignore[union-attr]
    return list(dict.fromkeys(_TEMPLATE_KEY.findall(source)))


def new_entry_text(collection: Collection, title: str, today: date, vocabularies: Vocabularies,
                   docs_dir: Path) -> str:
    """The collection's own template if it has one, else one generated from its schema."""
    if has_template(collection.name):
        return environment().get_template(f"{TEMPLATES}/{collection.name}.md").render(
            title=title, today=today.isoformat(), vocabularies=vocabularies)
    return generic_text(collection, title, today, vocabularies, docs_dir)


def generic_text(collection: Collection, title: str, today: date, vocabularies: Vocabularies,
                 docs_dir: Path) -> str:
    """Required keys only; if the schema's cross-key rules want more (a place), optional keys too."""
    found = [shape for shape in shapes(collection.model, collection.name, vocabularies) if shape.key != "draft"]
    attempts = []
    for fill_optional in (False, True):
        examples = Examples(title, today, vocabularies)
        values = {shape.key: examples.value(shape, fill_optional) for shape in found}
        attempts.append(values)
        if _valid(collection, {key: value for key, value in values.items() if value is not None},
                  vocabularies, docs_dir):
            break
    else:
        values = attempts[0]  # no example passes: the schema has rules these examples cannot guess
    written = {key for key, value in values.items() if value is not None}
    items = [Item(shape, _dump(shape.key, values[shape.key] if shape.key in written
                               else Examples(title, today, vocabularies).value(shape, True, files=True)),
                  shape.key in written, choices_text(shape, vocabularies))
             for shape in found]
    return environment(trim=True).get_template(GENERIC).render(collection=collection, items=items)


def choices_text(shape: Shape, vocabularies: Vocabularies) -> str:
    choices = shape.choices(vocabularies)
    if shape.vocabulary and len(choices) > INLINE_TERMS:
        return f"data/vocabularies.yml の {shape.vocabulary}（{vocabularies[shape.vocabulary].label}）の id"
    return ", ".join(f"{value}={label}" for value, label in choices)


class Examples:
    """Example values that the validator accepts; successive times move forward so that end > start."""

    def __init__(self, title: str, today: date, vocabularies: Vocabularies):
        self.title, self.today, self.vocabularies = title, today, vocabularies
        self.hour = 10

    def value(self, shape: Shape, fill_optional: bool, files: bool = False) -> Any:
        if not shape.required and not fill_optional:
            return None
        if shape.kind == FILE and not files:
            return None
        if shape.kind == OBJECT:
            inner = {child.key: self.value(child, fill_optional and not shape.many, files) for child in shape.children}
            inner = {key: value for key, value in inner.items() if value is not None}
            return [inner] if shape.many else inner
        single = self.scalar(shape)
        return [single] if shape.many else single

    def scalar(self, shape: Shape) -> Any:
        if shape.example is not None:
            return shape.example
        if shape.kind == CHOICE:
            choices = shape.choices(self.vocabularies)
            return choices[0][0] if choices else ""
        if shape.kind == DATE:
            return self.today.isoformat()
        if shape.kind == DATETIME:
            moment = f"{self.today.isoformat()} {self.hour:02d}:00"
            self.hour = min(self.hour + 2, 22)
            return moment
        if shape.kind == BOOL:
            return shape.default if isinstance(shape.default, bool) else False
        if shape.kind == INT:
            return shape.default if isinstance(shape.default, int) else 1
        if shape.kind == URL:
            return "https://example.org/"
        if shape.kind == FILE:
            return "assets/images/example.jpg"
        if shape.key == "title":
            return self.title
        return shape.default if isinstance(shape.default, str) else f"ここに{shape.label}を書きます"


def _valid(collection: Collection, data: dict[str, Any], vocabularies: Vocabularies, docs_dir: Path) -> bool:
    try:
        collection.model.model_validate(data, context={CONTEXT_KEY: SchemaContext(vocabularies, docs_dir)})
    except ValidationError:
        return False
    return True


class _Dumper(yaml.SafeDumper):
    """Lists of plain values in brackets (`wards: [nishi]`), as the hand-written templates do."""


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flat = all(not isinstance(item, (dict, list)) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_Dumper.add_representer(list, _represent_list)


def _dump(key: str, value: Any) -> str:
    text = yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000,
                     default_flow_style=False)
    return text.rstrip("\n")

