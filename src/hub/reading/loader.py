"""Loading every collection from content/ into validated entries, with every problem at once."""

from __future__ import annotations

import functools
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hub.build.background import map_on_two_cores
from hub.collections import COLLECTIONS
from hub.core.collection import Collection, Entry, find_kept
from hub.core.content import Content
from hub.core.fields import CONTEXT_KEY, SchemaContext, vocabularies_used
from hub.core.problems import ContentError, Problem, display_path
from hub.core.settings import Settings
from hub.core.validation import problems_from_error
from hub.core.vocab import Vocabularies
from hub.guard.html_policy import BodyPolicy, body_problems, docs_body_problems, embeds_problems
from hub.guard.placeholders import Placeholders, collection_placeholders, entry_problems as placeholder_problems
from hub.guard.privacy import (CONSENT_KEY, PRIVATE_KEY, PrivacyPolicy, allowlist_problems, docs_problems,
                               entry_problems, published_strings, unvalidated_problems)
from hub.guard.published_files import published_file_problems
from hub.reading.docs_pages import read_docs_pages
from hub.reading.frontmatter import FILE_KEY, Source, read_source
from hub.reading.result_cache import CACHE_DIR, ResultCache, code_version, digest, file_digest, tree_listing
from hub.reading.symlinks import link_problems, refused_link

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_CONTENT = ("_", ".")  # leading characters of names that are not content


@dataclass(frozen=True)
class Project:
    """Where the content lives; paths in messages are shown relative to `root`."""

    root: Path
    content_dir: Path
    docs_dir: Path
    vocabularies_file: Path
    privacy: PrivacyPolicy = PrivacyPolicy()
    html: BodyPolicy = BodyPolicy()

    @classmethod
    def from_settings(cls, settings: Settings) -> "Project":
        root = settings.root
        return cls(root, root / settings.content_dir, root / settings.docs_dir, root / settings.vocabularies,
                   PrivacyPolicy.from_options(settings.options), BodyPolicy.from_options(settings.options))

    def shown(self, path: Path) -> str:
        return display_path(path, self.root)


def load_content(project: Project, collections: dict[str, Collection] = COLLECTIONS) -> Content:
    """Load and validate everything; raise ContentError listing every problem in every file."""
    vocabularies = Vocabularies.load(project.vocabularies_file, project.shown(project.vocabularies_file))
    vocabularies.require({name for collection in collections.values() for name in vocabularies_used(collection.model)})
    problems: list[Problem] = []
    entries: dict[str, list[Entry]] = {}
    drafts = 0
    files = {name: collection_files(project, collection) for name, collection in collections.items()}
    loaded = iter(_load_files(project, [(path, collection) for collection in collections.values()
                                        for path in files[collection.name]], vocabularies, collections))
    for collection in collections.values():
        found_entries, found, draft_count = _collect(project, collection, [(path, next(loaded))
                                                                           for path in files[collection.name]])
        entries[collection.name] = collection.sort(found_entries)
        problems += found
        drafts += draft_count
    problems += allowlist_problems(project.privacy, project.root)
    problems += embeds_problems(project.html, project.root)
    pages = read_docs_pages(project.docs_dir, project.root)
    problems += pages.problems
    unsafe = link_problems(project.content_dir, project.root) + link_problems(project.docs_dir, project.root)
    problems += unsafe
    if not (pages.problems or unsafe):  # these scans read every page as text: only pages that read cleanly
        problems += docs_problems(project.docs_dir, project.root, project.privacy)
        problems += docs_body_problems(project.docs_dir, project.root, project.html)
        problems += published_file_problems(project.root, project.docs_dir, project.content_dir,
                                            project.vocabularies_file, project.privacy)
    if problems:
        raise ContentError(problems)
    return Content(vocabularies, entries, drafts + len(pages.drafts), pages.drafts)


def collection_files(project: Project, collection: Collection) -> list[Path]:
    """Markdown files of a collection; sub-folders are allowed, names starting with _ or . are not content."""
    return sorted(_markdown_files(project.content_dir / collection.name, project.root), key=lambda path: path.parts)


def _markdown_files(folder: Path, root: Path) -> Iterator[Path]:
    """With `os.scandir`, whose entries know from the listing whether they are files (no stat each).
    Links that may not be followed are left out here and reported by `link_problems`."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no such folder
        return
    for entry in entries:
        if entry.name.startswith(_NOT_CONTENT) or (entry.is_symlink() and refused_link(Path(entry.path), root)):
            continue
        if entry.is_dir():
            yield from _markdown_files(Path(entry.path), root)
        elif entry.name.lower().endswith(".md") and entry.is_file():
            yield Path(entry.path)


def _collect(project: Project, collection: Collection,
             files: list[tuple[Path, _Loaded]]) -> tuple[list[Entry], list[Problem], int]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    drafts = 0
    first_file_of_slug: dict[str, str] = {}
    for path, loaded in files:
        shown = project.shown(path)
        problems += _slug_problems(shown, path.stem, collection, first_file_of_slug)
        first_file_of_slug.setdefault(path.stem, shown)
        problems += loaded.problems
        drafts += loaded.draft
        if loaded.entry is not None:
            entries.append(loaded.entry)
    return entries, problems, drafts


@dataclass(frozen=True)
class _Loaded:
    """One file, read and checked: its published entry (None for a draft or a broken file) and its problems."""

    entry: Entry | None
    problems: list[Problem]
    draft: bool = False


def _load_file(file: tuple[Path, Collection], context: dict[str, Any], project: Project,
               placeholders: Placeholders = Placeholders()) -> _Loaded:
    """Drafts are not checked for personal data, HTML or template text: they are not published."""
    path, collection = file
    source = read_source(path, project.shown(path))
    entry = _validate(source, path.stem, collection, context)
    if entry is None:
        return _Loaded(None, source.problems + _not_yet_reported(
            unvalidated_problems(source, collection.model, project.privacy), source.problems))
    if entry.meta.draft:
        return _Loaded(None, source.problems, draft=True)
    find_kept(entry)  # kept with the entry in the check cache: see kept_with_entry
    strings = list(published_strings(entry.meta))  # walked once for both guards
    return _Loaded(entry, source.problems + entry_problems(entry, source, project.privacy, strings)
                   + body_problems(entry.body, source.shown_path, source.body_line, project.html)
                   + placeholder_problems(entry, source, placeholders, strings))


def _not_yet_reported(found: list[Problem], reported: list[Problem]) -> list[Problem]:
    """Personal data in a value the schema already refused on the same line and key is one mistake,
    reported once: that problem masks the value too, and fixing it removes both."""
    refused = {(problem.line, problem.key) for problem in reported}
    return [problem for problem in found if (problem.line, problem.key) not in refused]


def _load_files(project: Project, files: list[tuple[Path, Collection]], vocabularies: Vocabularies,
                collections: dict[str, Collection]) -> list[_Loaded]:
    """Each file's result, in order: kept ones from `.cache/hub/check/` (see hub.reading.result_cache),
    the others loaded now, on both cores when they are many."""
    def load(indexes: list[int]) -> list[_Loaded]:
        if not indexes:  # nothing to load: the examples of `hub new` need not be rendered either
            return []
        context = {CONTEXT_KEY: SchemaContext(vocabularies, project.docs_dir)}
        placeholders = collection_placeholders(collections.values(), vocabularies, project.docs_dir)
        return map_on_two_cores(functools.partial(_load_file, context=context, project=project,
                                                  placeholders=placeholders), [files[index] for index in indexes])

    keys = [(collection.name, project.shown(path)) for path, collection in files]
    return _CACHE.map(project.root / CACHE_DIR / "content", _context(project, collections), keys,
                      lambda index: file_digest(files[index][0]), load)


def _context(project: Project, collections: dict[str, Collection]) -> str:
    """What every file's result depends on besides its own bytes and place: the hub's code and
    libraries (schemas and guards), the vocabularies, the settings the loader reads (the privacy
    allow-list and the HTML policy), the files under docs/ that fields and `hub new`'s examples
    point at, and which collections are loaded (each one's examples are looked for in every entry)."""
    return digest(code_version(), file_digest(project.vocabularies_file) or b"", repr((project.privacy.allow, project.html.embeds)),
                  project.shown(project.content_dir), project.shown(project.docs_dir), tree_listing(project.docs_dir),
                  repr([(name, collection.model.__module__, collection.model.__qualname__)
                        for name, collection in collections.items()]))


_CACHE = ResultCache()


def _validate(source: Source, slug: str, collection: Collection, context: dict[str, Any]) -> Entry | None:
    if source.problems:
        return None
    meta = dict(source.meta)
    private = meta.pop(PRIVATE_KEY, None)
    meta.pop(CONSENT_KEY, None)  # read by the privacy guard, not part of any schema
    if private is not None and not isinstance(private, dict):
        source.problems.append(Problem(source.shown_path, source.line_of((PRIVATE_KEY,)), PRIVATE_KEY,
                                       "private は「項目: 値」の入れ子で書いてください",
                                       "例: private: の次の行に「  note: 担当者メモ」"))
    try:
        validated = collection.model.model_validate(meta, context=context)
    except ValidationError as error:
        source.problems += problems_from_error(error, source, model=collection.model)
        return None
    if source.problems:
        return None
    return Entry(collection.name, slug, validated, source.body, source.shown_path, collection.path)


def _slug_problems(shown: str, slug: str, collection: Collection,
                   first_file_of_slug: dict[str, str]) -> list[Problem]:
    problems = []
    if not SLUG.fullmatch(slug):
        suggestion = "-".join(re.findall(r"[a-z0-9]+", slug.lower())) or "2020-09-15-example"
        problems.append(Problem(shown, 1, FILE_KEY,
                                "ファイル名（= URL）は半角英小文字・数字・ハイフンだけにしてください（invalid file name）",
                                f"例: {suggestion}.md"))
    elif collection.slug_reserved(slug):
        problems.append(Problem(shown, 1, FILE_KEY,
                                f"ファイル名「{slug}」は一覧ページの URL に使われているため使えません（reserved name）",
                                f"例: {slug}-project.md"))
    if slug in first_file_of_slug:
        problems.append(Problem(shown, 1, FILE_KEY,
                                f"同じファイル名（URL）の{collection.label}がすでにあります: {first_file_of_slug[slug]}（duplicate slug）",
                                "どちらかのファイル名を変えてください"))
    return problems


def count_by_collection(content: Content) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for name, entries in content.entries.items():
        counts[name] = len(entries)
    return dict(counts)
