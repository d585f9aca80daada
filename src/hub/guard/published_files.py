"""The privacy guard for what is published from outside content/: mkdocs.yml, the vocabularies,
attachments under docs/ (text files and PDFs), the names of files, and photos' metadata.

The site prints mkdocs.yml strings (site_name, copyright, the newsletter's name, the request
desk's note), vocabulary labels and descriptions, and copies every file under docs/ as it is;
file names become URLs. A phone number in any of them is as public as one in an entry, so
each is scanned like an entry and reported on its own line (for a PDF: its page).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from hub.build.background import map_on_two_cores
from hub.core.problems import Problem, display_path
from hub.core.validation import dotted_key
from hub.guard.photos import IMAGE_SUFFIXES, photo_problems
from hub.guard.privacy import ALLOW_PATH, CONFIG_FILE, PrivacyPolicy, problems_in, published_strings
from hub.reading.frontmatter import load_yaml_file
from hub.reading.result_cache import CACHE_DIR, ResultCache, code_version, digest, file_digest

# Attachments published as text (pages, .md, are scanned as pages by hub.guard.privacy).
TEXT_SUFFIXES = frozenset({".txt", ".csv", ".tsv", ".html", ".htm", ".ics", ".json", ".xml", ".yml", ".yaml",
                           ".svg", ".js", ".css", ".vcf"})
FILE_KEY = "file"
PDF_KEY = "pdf"


def published_file_problems(root: Path, docs_dir: Path, content_dir: Path, vocabularies: Path,
                            policy: PrivacyPolicy) -> list[Problem]:
    """Everything published that is not an entry or a page: the caller adds these to the content's problems.
    Each file's problems are kept in `.cache/hub/check/` by its bytes (its name alone when only its name is
    checked): PDFs and photos are read again only when they change."""
    problems = settings_problems(root, policy) + vocabulary_problems(vocabularies, root, policy)
    paths = [(Path(path), shown, _contents_check(path, folder == docs_dir))
             for folder in (content_dir, docs_dir) for path, shown in _published_paths(folder, root)]
    context = digest(code_version(), repr(policy.allow), display_path(docs_dir, root), display_path(content_dir, root))
    found = _CACHE.map(root / CACHE_DIR / "published", context, [shown for _, shown, _ in paths],
                       lambda index: file_digest(paths[index][0]) if paths[index][2] else b"",
                       lambda indexes: map_on_two_cores(lambda index: _path_problems(*paths[index], policy), indexes))
    return problems + [problem for listed in found for problem in listed]


ContentsCheck = Callable[[Path, str, PrivacyPolicy], list[Problem]]


def _contents_check(path: str, in_docs: bool) -> ContentsCheck | None:
    """How a file's contents are checked; None when only its name is (pages are scanned as pages)."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in TEXT_SUFFIXES and in_docs:
        return text_problems
    if suffix == ".pdf":
        return pdf_problems
    if suffix in IMAGE_SUFFIXES:
        return lambda image, shown, _: photo_problems(image, shown)
    return None


def _path_problems(path: Path, shown: str, check: ContentsCheck | None, policy: PrivacyPolicy) -> list[Problem]:
    problems = problems_in(shown, 1, FILE_KEY, path.name, policy, same_line=True)
    return problems + check(path, shown, policy) if check else problems


def text_problems(path: Path, shown: str, policy: PrivacyPolicy) -> list[Problem]:
    return problems_in(shown, 1, "text", _read_text(path), policy)


_CACHE = ResultCache()


def settings_problems(root: Path, policy: PrivacyPolicy) -> list[Problem]:
    """Every key and string value of mkdocs.yml (site_name, copyright, extra.hub…) on its own line;
    the allowlist itself is what it allows. Read as a node tree, so tags such as !ENV do no harm."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return []
    try:
        tree = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # MkDocs reports a broken mkdocs.yml itself
    problems: list[Problem] = []
    for key, line, text in _scalars(tree, ()):
        if not key.startswith(ALLOW_PATH):
            problems += problems_in(CONFIG_FILE, line, key or "site", text, policy, same_line=True)
    return problems


def _scalars(node: yaml.Node | None, path: tuple[str, ...]) -> Iterator[tuple[str, int, str]]:
    """(dotted key, line, text) of every scalar, keys included (nav titles are keys)."""
    if isinstance(node, yaml.ScalarNode):
        yield ".".join(path), node.start_mark.line + 1, str(node.value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, path)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            yield ".".join((*path, key)), key_node.start_mark.line + 1, key
            yield from _scalars(value_node, (*path, key))


def vocabulary_problems(path: Path, root: Path, policy: PrivacyPolicy) -> list[Problem]:
    """Labels and descriptions of every term, on the term's line."""
    if not path.is_file():
        return []
    shown = display_path(path, root)
    source = load_yaml_file(path, shown)
    problems: list[Problem] = []
    for key_path, value in published_strings(source.meta):
        problems += problems_in(shown, source.line_of(key_path), dotted_key(key_path), value, policy, same_line=True)
    return problems


def pdf_problems(path: Path, shown: str, policy: PrivacyPolicy) -> list[Problem]:
    """The text of every page and the document's metadata (title, author, subject, keywords)."""
    from pypdf import PdfReader  # only when there is a PDF: `hub check` starts faster
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        metadata = {str(key).lstrip("/"): str(value) for key, value in (reader.metadata or {}).items()}
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, OSError, ValueError) as error:
        return [Problem(shown, 1, PDF_KEY, f"PDF を読めないため個人情報を確かめられません（unreadable PDF: {error}）",
                        "パスワードや暗号化のない PDF として保存し直してください")]
    problems: list[Problem] = []
    for name, value in metadata.items():
        problems += problems_in(shown, 1, f"{PDF_KEY}.{name}", value, policy, same_line=True, where="（文書情報）")
    for number, text in enumerate(pages, start=1):
        problems += problems_in(shown, 1, PDF_KEY, text, policy, same_line=True, where=f"（{number} ページ目）")
    return problems


def _published_paths(folder: Path, root: Path) -> Iterator[tuple[str, str]]:
    """Files and folders that are published, and how each is shown: names starting with . or _ are not,
    nor anything in such a folder. As strings: a Path for each of thousands took most of a warm run here."""
    shown_folder = display_path(folder, root)
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith((".", "_"))]
        shown_parent = os.path.join(shown_folder, os.path.relpath(parent, folder)).replace(os.sep, "/")
        shown_parent = shown_parent.removesuffix("/.")
        yield from ((os.path.join(parent, name), f"{shown_parent}/{name}")
                    for name in (*folders, *files) if not name.startswith((".", "_")))


def _read_text(path: Path) -> str:
    """UTF-8, or Shift_JIS as spreadsheets on Windows save CSV files; never fails."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")
