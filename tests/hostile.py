"""A copy of the sample project with markup in every free-text value a template may print.

Every string of every entry that still validates with the markup appended (titles, summaries,
nested names, notes, alt texts …), every vocabulary's and term's label and description, the
strings of mkdocs.yml that pages print, the newsletter intros' and paper issues' headlines and a kintone import.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from hub.cli import main
from hub.collections import COLLECTIONS
from hub.core.fields import CONTEXT_KEY, SchemaContext
from hub.core.vocab import Vocabularies
from hub.reading.frontmatter import read_source

# Closes an attribute and an element, opens a script and an event handler; & and quotes as text.
HOSTILE = ' x"><script>alert("hub")</script><img src=x onerror=alert(1)>\'&amp;'
NOT_HOSTILE = frozenset({"draft", "private", "consent"})
KINTONE_TITLE = "kintone 取り込みの事例" + HOSTILE


def make_hostile(project: Path) -> dict[str, list[str]]:
    """Rewrite the project in place; the dotted keys made hostile, per collection and per file."""
    changed: dict[str, list[str]] = {}
    _import_kintone(project)  # first: it finds terms by their labels, made hostile next
    _hostile_vocabularies(project / "data" / "vocabularies.yml", changed)
    _hostile_ward_cells(project / "data" / "open")
    vocabularies = Vocabularies.load(project / "data" / "vocabularies.yml", "data/vocabularies.yml")
    context = {CONTEXT_KEY: SchemaContext(vocabularies, project / "docs")}
    for collection in COLLECTIONS.values():
        for path in sorted((project / "content" / collection.name).rglob("*.md")):
            keys = _hostile_entry(path, collection.model, context)
            changed[path.relative_to(project).as_posix()] = keys
    for path in sorted([*(project / "content" / "newsletters").glob("*.md"), *(project / "content" / "print").glob("*.md")]):
        source = read_source(path, path.name)
        if "title" in source.meta:
            _write_entry(path, {**source.meta, "title": source.meta["title"] + HOSTILE}, source.body)
            changed[path.relative_to(project).as_posix()] = ["title"]
    _hostile_config(project / "mkdocs.yml", changed)
    return changed


def _hostile_entry(path: Path, model: Any, context: dict[str, Any]) -> list[str]:
    source = read_source(path, path.name)
    meta, kept = dict(source.meta), {key: source.meta[key] for key in NOT_HOSTILE if key in source.meta}
    for key in kept:
        meta.pop(key)
    changed = []
    for key_path in [path for path in _string_paths(meta) if not _names_a_table(path)]:
        candidate = copy.deepcopy(meta)
        _set(candidate, key_path, _get(candidate, key_path) + HOSTILE)
        try:
            model.model_validate(candidate, context=context)
        except ValidationError:
            continue
        meta = candidate
        changed.append(".".join(str(part) for part in key_path))
    _write_entry(path, {**meta, **kept}, source.body)
    return changed


def _names_a_table(key_path: tuple[Any, ...]) -> bool:
    """A data page's figure names a CSV and its columns: references, like ids, not text."""
    return key_path[0] == "figures" and key_path[-1] in {"csv", "category", "value", "series", "column"}


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, path + (index,))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _set(value: Any, path: tuple[Any, ...], new: Any) -> None:
    _get(value, path[:-1])[path[-1]] = new


def _write_entry(path: Path, meta: dict[str, Any], body: str) -> None:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")


def _hostile_ward_cells(folder: Path) -> None:
    """Open data tables name wards by their labels: each ward cell follows its label, made hostile."""
    for description in sorted(folder.glob("*.yml")):
        columns = yaml.safe_load(description.read_text(encoding="utf-8"))["columns"]
        wards = {index for index, column in enumerate(columns) if column["type"] == "ward"}
        table = description.with_suffix(".csv")
        if not wards or not table.is_file():
            continue
        rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8-sig"), newline="")))
        rows[1:] = [[cell + HOSTILE if index in wards and cell else cell for index, cell in enumerate(row)]
                    for row in rows[1:]]
        written = io.StringIO(newline="")
        csv.writer(written, lineterminator="\n").writerows(rows)
        table.write_text(written.getvalue(), encoding="utf-8")


def _hostile_vocabularies(path: Path, changed: dict[str, list[str]]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = []
    for name, vocabulary in data.items():
        vocabulary["label"] += HOSTILE
        keys.append(f"{name}.label")
        for term in vocabulary["terms"]:
            term["label"] += HOSTILE
            term["description"] = term.get("description", "説明") + HOSTILE
        keys += [f"{name}.terms.label", f"{name}.terms.description"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed["data/vocabularies.yml"] = keys


CONFIG_STRINGS = (("site_name",), ("site_description",), ("copyright",),
                  ("extra", "hub", "events", "organizer", "name"), ("extra", "hub", "newsletter", "name"),
                  ("extra", "hub", "newsletter", "from", "name"), ("extra", "hub", "newsletter", "banner_alt"),
                  ("extra", "hub", "talents", "contact", "name"), ("extra", "hub", "talents", "contact", "hours"),
                  ("extra", "hub", "talents", "contact", "note"),
                  *(("extra", "hub", "centre", key) for key in ("name", "address", "building", "hours", "closed", "phone")),
                  ("extra", "hub", "centre", "access", 0),
                  *(("extra", "hub", "print", "publications", name, "name") for name in ("mini", "hiroba")))


def _hostile_config(path: Path, changed: dict[str, list[str]]) -> None:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key_path in CONFIG_STRINGS:
        _set(config, key_path, _get(config, key_path) + HOSTILE)
    for option in config["theme"]["palette"]:
        option["toggle"]["name"] += HOSTILE
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed["mkdocs.yml"] = [".".join(map(str, key_path)) for key_path in CONFIG_STRINGS] + ["theme.palette.toggle.name"]


def _import_kintone(project: Path) -> None:
    """The first record of the shipped kintone sample, with markup in its title and summary."""
    sample = project / "data" / "samples" / "kintone-cases.csv"
    rows = list(csv.reader(io.StringIO(sample.read_bytes().decode("utf-8-sig"), newline="")))
    header, record = rows[0], rows[1]
    record[header.index("事例名")] = KINTONE_TITLE
    record[header.index("概要")] += HOSTILE
    record[header.index("URL名")] = "kintone-hostile"
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows([header, record])
    export = project / "export.csv"
    export.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    assert main(["--root", str(project), "import", "cases", str(export)]) == 0
    export.unlink()
