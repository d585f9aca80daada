"""Template text cannot be published.

`hub new` writes a draft full of example text (「ここに要約を書きます。…」, `https://example.org/form`).
Once an editor deletes `draft: true`, every string of the entry and its body is searched for that
text, and whatever is left stops the build like any other content error, as `path:line: key`.

The example text is not listed here: it is read from what `hub new` writes for each collection
(`hub.editing.scaffold.new_entry_text`, its hand-written template or the generic one), so that it
follows the templates. From that text:

- example URLs: every URL on the hosts in EXAMPLE_HOSTS, commented-out ones included; an entry's
  URL is refused only when it is one of them (`https://example.org/form`, not
  `https://example.org/ichimatsu-square/`);
- example sentences: every value written as `key: value` or as a list item `- value` (commented
  out or not, except the title, which comes from the command line) and every body line (not headings) that is written as
  example text by the templates' convention — it says what to write (「…を書きます」
  「…を書いてください」), leaves a blank (「○○」), is marked 「（任意）」, or is the stand-in reading
  「よみがな」. Such text is split into sentences; an entry refuses a sentence that it still
  contains anywhere, ignoring spaces and line breaks. Sentences shorter than MIN_CONTAINED
  characters are refused only as a whole value or line, so that 「よみがな」 is not found in
  「よみがなを振りました」.

Template values that are real defaults (the centre's own room, 「100円（お茶代）」, 「演奏会」)
follow none of these conventions and stay publishable. A new template line meant to be replaced
should follow them; tests/test_placeholders.py lists what each collection's template is refused for.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from hub.core.collection import Collection, Entry
from hub.core.problems import Problem
from hub.core.validation import dotted_key
from hub.core.vocab import Vocabularies
from hub.editing.scaffold import new_entry_text
from hub.guard.privacy import published_strings
from hub.reading.frontmatter import BODY_KEY, FENCE, KeyPath, Source

MARKERS = ("書きます", "書いてください", "○○", "〇〇", "（任意）", "よみがな")
EXAMPLE_HOSTS = ("example.org", "example.com")
MIN_CONTAINED = 6
TITLE_KEY = "title"
TEMPLATE_DAY = date(2000, 1, 1)  # dates are never example text; any day renders the templates

_KEY_VALUE = re.compile(r"(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):\s+(\S.*)")
_LIST_ITEM = re.compile(r"-\s+(\S.*)")
_URL = re.compile(r"https?://[^\s<>\"'()（）\[\]「」、。]+")
_SENTENCE = re.compile(r"[^。\n]+。?")
_APART = "\x00"  # between values joined for one search: not a space, so normalising keeps it


@dataclass(frozen=True)
class Placeholders:
    """Example text of the templates: sentences (normalised, each with its text as the template writes it)
    and example URLs."""

    urls: frozenset[str] = frozenset()
    sentences: Mapping[str, str] = field(default_factory=dict, compare=False)
    hosts: frozenset[str] = field(default=frozenset(), compare=False)
    _long: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _any: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, texts: Iterable[str]) -> "Placeholders":
        """From what `hub new` writes."""
        sentences: dict[str, str] = {}
        urls: set[str] = set()
        for text in texts:
            found_sentences, found_urls = _example_text(text)
            sentences.update({normalise(sentence): sentence for sentence in found_sentences})
            urls |= found_urls
        long = [sentence for sentence in sentences if len(sentence) >= MIN_CONTAINED]
        hosts = frozenset(urlsplit(url).hostname or url for url in urls)
        return cls(frozenset(urls), dict(sorted(sentences.items())), hosts, _alternatives(long),
                   _alternatives(sentences))

    def may_hold(self, text: str) -> bool:
        """False when `text` surely holds no example sentence: one search for a whole entry, which
        nearly always finds nothing, before each string is looked at."""
        return bool(self._any and self._any.search(normalise(text)))

    def sentence_in(self, text: str) -> str | None:
        """The first example sentence that `text` still holds, as the template writes it, or None."""
        written = normalise(text)
        if written in self.sentences:
            return self.sentences[written]
        return next((sentence for _, sentence in self.contained(written)), None)

    def contained(self, normalised: str) -> Iterator[tuple[int, str]]:
        """(position, sentence as written) of the example sentences long enough to be found inside
        other text, in `normalised` text, in order."""
        for found in self._long.finditer(normalised) if self._long else ():
            yield found.start(), self.sentences[found.group()]

    def is_example_url(self, text: str) -> bool:
        return _url_key(text) in self.urls


def collection_placeholders(collections: Iterable[Collection], vocabularies: Vocabularies,
                            docs_dir: Path) -> Placeholders:
    """The example text `hub new` writes for these collections (any entry may hold any of it:
    editors copy files between folders). Kept while the collections and vocabularies stay the same:
    rendering the templates takes longer than checking a hundred entries, and `mkdocs serve`
    loads everything again on each save."""
    chosen = tuple(collections)
    key = (chosen, tuple(vocabularies.items()), docs_dir)
    if key not in _RENDERED:
        if len(_RENDERED) >= _RENDERED_KEPT:
            _RENDERED.clear()
        _RENDERED[key] = Placeholders.of(new_entry_text(collection, "", TEMPLATE_DAY, vocabularies, docs_dir)
                                         for collection in chosen)
    return _RENDERED[key]


_RENDERED: dict[tuple[Any, ...], Placeholders] = {}
_RENDERED_KEPT = 8


def entry_problems(entry: Entry, source: Source, placeholders: Placeholders,
                   strings: Sequence[tuple[KeyPath, str]] | None = None) -> list[Problem]:
    """One problem per key and line that still holds template text; a published entry only.
    `strings`: the entry's `published_strings`, when the caller has them already."""
    strings = list(published_strings(entry.meta)) if strings is None else strings
    path = source.shown_path
    problems = [_url_problem(path, source.line_of(key_path), dotted_key(key_path), value.strip())
                for key_path, value in strings if placeholders.is_example_url(value)]
    if any(host in entry.body for host in placeholders.hosts):
        problems += [_url_problem(path, source.body_line + offset, BODY_KEY, url)
                     for offset, line in enumerate(entry.body.split("\n"))
                     for url in _URL.findall(line) if placeholders.is_example_url(url)]
    if not placeholders.may_hold(_APART.join([*(value for _, value in strings), entry.body])):
        return problems
    for key_path, value in strings:
        if sentence := placeholders.sentence_in(value):
            problems.append(_sentence_problem(path, source.line_of(key_path), dotted_key(key_path), sentence))
    return problems + _body_problems(path, source.body_line, entry.body, placeholders)


def normalise(text: str) -> str:
    """Without spaces and line breaks (of any width): an editor may wrap or space out a sentence. Not
    NFKC: left-over template text is the template's own characters, and NFKC would cost as much as
    all the rest of the check."""
    return "".join(text.split())


def _alternatives(texts: Iterable[str]) -> re.Pattern[str] | None:
    """One expression for any of `texts`, the longest first (「○○地域ケアプラザ 多目的室」, not 「○○地域ケアプラザ」)."""
    ordered = sorted(set(texts), key=lambda text: (-len(text), text))
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


# --- what the templates write ------------------------------------------------------------------

def _example_text(text: str) -> tuple[set[str], set[str]]:
    """(sentences, URLs) that a rendered template writes as example text."""
    urls = {_url_key(url) for url in _URL.findall(text) if _example_host(url)}
    lines = text.split("\n")
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == FENCE), len(lines))
    written: list[str] = []
    for line in lines[1:closing]:
        stripped = line.strip().lstrip("#").strip()
        match = _KEY_VALUE.fullmatch(stripped)
        if match and match[1] != TITLE_KEY:
            written.append(_scalar(match[2].split(" #", 1)[0].strip()))
        elif item := _LIST_ITEM.fullmatch(stripped):
            written.append(_scalar(item[1].split(" #", 1)[0].strip()))
    written += [line for line in lines[closing + 1:] if line.strip() and not line.lstrip().startswith("#")]
    sentences = {sentence.strip() for value in written if any(marker in value for marker in MARKERS)
                 for sentence in _SENTENCE.findall(value)}
    return {sentence for sentence in sentences if normalise(sentence)}, urls


def _scalar(value: str) -> str:
    """A YAML value as the entry would hold it (quotes removed); text that is not a plain string as written."""
    try:
        loaded = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    return loaded if isinstance(loaded, str) else ""


def _example_host(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == example or host.endswith("." + example) for example in EXAMPLE_HOSTS)


def _url_key(url: str) -> str:
    return url.strip().rstrip("/")


# --- problems ----------------------------------------------------------------------------------

def _body_problems(path: str, first_line: int, body: str, placeholders: Placeholders) -> list[Problem]:
    """Short example text as a whole line, longer example sentences anywhere in the body read without
    line breaks (an editor may wrap one): one problem per line, on the line where the sentence starts."""
    normalised = [normalise(line) for line in body.split("\n")]
    sentences: dict[int, str] = {offset: placeholders.sentences[text] for offset, text in enumerate(normalised)
                                 if text in placeholders.sentences}
    starts = [0]
    for text in normalised:
        starts.append(starts[-1] + len(text))
    for position, sentence in placeholders.contained("".join(normalised)):
        sentences.setdefault(bisect.bisect_right(starts, position) - 1, sentence)
    return [_sentence_problem(path, first_line + offset, BODY_KEY, sentence) for offset, sentence in sentences.items()]


def _sentence_problem(path: str, line: int, key: str, sentence: str) -> Problem:
    return Problem(path, line, key,
                   f"ひな形の例文「{sentence}」が残っています（template placeholder）",
                   "この記事のことばに書き換えるか、消してください。まだ書き終えていなければ draft: true を戻してください")


def _url_problem(path: str, line: int, key: str, url: str) -> Problem:
    return Problem(path, line, key,
                   f"ひな形の例の URL「{url}」のままです（example URL）",
                   "本当のページの URL に書き換えるか、この項目を消してください。"
                   "まだ書き終えていなければ draft: true を戻してください")
