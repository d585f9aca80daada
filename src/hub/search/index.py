"""Site search for Japanese: a character-bigram index built at build time, split into small files.

Word-based engines split Japanese text into words and then miss queries that were split
differently (認知症カフェ, キャラバン・メイト, 西区). A bigram index finds every page whose
text contains the query, by construction: the query's bigrams must all occur in the page,
and the browser then confirms the exact substring on the page's own text before showing it.

The index is a set of static files under `search/`:

- `manifest.json`: options, shard counts and how many text blocks each page has;
- `b/<n>.json`, `u/<n>.json`: bigram and single-character postings, sharded by a hash so a
  query downloads only the shards of its own bigrams;
- `t/<n>.json`: one text block of a page (url, title and up to `BLOCK_CHARS` characters),
  fetched only for the results on screen, to confirm the match and cut the snippet.

A posting list is flat: `[block delta, frequency * 2 + in-title bit, ...]`, blocks in
increasing order. `assets/javascripts/search-core.js` reads the same format and applies
the same normalisation; tests compare the two implementations on the same strings.

This module does not depend on MkDocs: a front end hands it (url, title, html) per page.
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import orjson
from lxml import etree

from hub.core.options import Options, OptionSection

INDEX_DIR = "search"
FORMAT_VERSION = 1
# Characters per text block. Pages are split so that a snippet never needs the text of a
# whole listing page (the case index of a large site lists thousands of summaries).
BLOCK_CHARS = 2000
# Neighbouring blocks overlap by this many characters, so every match of a query up to about
# this long (a little less after spaces are removed) lies wholly inside one block.
OVERLAP = 64
# Aim for shards of about this many bytes of JSON before compression.
SHARD_TARGET_BYTES = 24_000
MAX_SHARDS = 4096

# Removed before matching, so that spaces and middle dots inside words do not matter
# (キャラバン・メイト = キャラバンメイト, NPO 法人 = NPO法人): ASCII controls and spaces,
# Unicode spaces, invisible format characters and the middle dots ・ · ‧. Written out
# rather than taken from Unicode categories so that search-core.js uses the same set.
IGNORED = ("\u0000-\u0020\u007f-\u00a0\u00ad\u00b7\u1680\u180e\u2000-\u200f\u2027-\u202f"
           "\u205f-\u2064\u2066-\u206f\u3000\u30fb\ufeff")
KATAKANA = "\u30a1-\u30fa"
LONG_VOWEL = "ー"
_IGNORED = re.compile(f"[{IGNORED}]+")
# Dashes typed in place of the long-vowel mark right after katakana (コーディネ－タ).
_DASHES_AFTER_KATAKANA = re.compile(f"(?<=[{KATAKANA}{LONG_VOWEL}])[\\-\u2010-\u2015\u2212]+")
# The long-vowel mark that ends a katakana word (コーディネーター = コーディネータ).
_TRAILING_LONG_VOWELS = re.compile(f"(?<=[{KATAKANA}]){LONG_VOWEL}+(?![{KATAKANA}{LONG_VOWEL}])")
# Katakana to hiragana as jaconv.kata2hira does it (ァ..ヶ and ヽヾ move down by 0x60), at C speed.
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in (*range(0x30A1, 0x30F7), 0x30FD, 0x30FE)}
# Full-width ASCII (！ to ～) and the ideographic space: the compatibility characters of most Japanese
# text. NFKC makes each one ASCII character that composes with nothing, so mapping them first leaves
# the rest of NFKC's work, for most pages none, to a check (see _nfkc).
_WIDE = re.compile("[\uff01-\uff5e\u3000]+")
_WIDE_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


# --- normalisation -------------------------------------------------------------------------


def normalize(text: str, fold_kana: bool = True) -> str:
    """The form both the index and the query are compared in.

    NFKC (full- and half-width forms), lower case (final sigma as sigma), a dash right
    after katakana read as ー, spaces and middle dots removed, the ー that ends a katakana
    word removed and, optionally, katakana folded to hiragana. Every step works on the
    whole string with C-speed operations; search-core.js applies the same steps.
    """
    text = _nfkc(text).lower().replace("ς", "σ")
    text = _DASHES_AFTER_KATAKANA.sub(lambda match: LONG_VOWEL * len(match.group()), text)
    text = _IGNORED.sub("", text)
    text = _TRAILING_LONG_VOWELS.sub("", text)
    return text.translate(_KATAKANA_TO_HIRAGANA) if fold_kana else text


def _nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), which costs a tenth of a millisecond a page even when
    the only characters it changes are full-width ASCII; those are mapped here at C speed."""
    text = _WIDE.sub(lambda match: match.group().translate(_WIDE_TO_ASCII), text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _is_mark(char: str) -> bool:
    """Combining marks (and the half-width voiced marks) belong to the character before them."""
    return char in "\uff9e\uff9f" or unicodedata.category(char).startswith("M")


def bigrams(normalized: str) -> list[str]:
    return list(map(operator.add, normalized, normalized[1:]))


def shard_of(key: str, shards: int) -> int:
    """FNV-1a over code points; `search-core.js` computes the same number."""
    value = 0x811C9DC5
    for char in key:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % shards


# --- visible text of a rendered page ------------------------------------------------------

SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "nav", "form", "svg", "button"})
BLOCK_TAGS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl",
                        "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
                        "header", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table",
                        "td", "th", "tr", "ul"})
SKIPPED_CLASSES = frozenset({"headerlink"})


def visible_text(page_html: str, container_class: str) -> str:
    """What a reader sees in the element carrying `container_class`, whitespace collapsed:
    no navigation, forms, buttons, scripts, hidden elements or heading permalinks."""
    region = content_region(page_html, container_class)
    if region is None:
        return ""
    boundary = _BLOCK_BOUNDARY if _OTHER_TAG_NAME.search(region) else _LOWER_CASE_BLOCK_BOUNDARY
    body = etree.fromstring(boundary.sub("\n<", region), _HTML_PARSER).find("body")
    if body is None or not len(body):
        return ""
    container = body[0]
    for element in [element for element in container.iterdescendants(etree.Element) if _skipped(element)]:
        _drop(element)
    # str.split() and the \s of re split at the same characters (str.isspace()): " ".join(split())
    # is re.sub(r"\s+", " ", text).strip(), five times faster.
    return " ".join(etree.tostring(container, method="text", encoding=str, with_tail=False).split())


# A line break at every block element's edges, so that words of neighbouring blocks stay apart in snippets.
# Only the < is matched (the rest is looked ahead at), so that the search skips to each < at C speed:
# half the time of matching the whole tag, and the same text.
_BLOCK_BOUNDARY = re.compile(rf"<(?=/?(?:{'|'.join(sorted(BLOCK_TAGS))})\b)", re.IGNORECASE)
# The same, twice as fast, where every tag name is lower-case ASCII letters and digits (the theme's,
# the sanitised bodies'): a case-insensitive match of a lower-case name needs a character outside them.
_LOWER_CASE_BLOCK_BOUNDARY = re.compile(rf"<(?=/?(?:{'|'.join(sorted(BLOCK_TAGS))})\b)")
_OTHER_TAG_NAME = re.compile(r"</?[a-z0-9]*[^a-z0-9\s/>]")
_HTML_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)


def content_region(page_html: str, container_class: str) -> str | None:
    """The container element's source, cut out by counting its tag, so that only it is parsed
    (the rest of a page is the theme's header, navigation and icons)."""
    position = page_html.find(container_class)
    while position >= 0:
        start = page_html.rfind("<", 0, position)
        opening = _OPENING_TAG.match(page_html, start) if start >= 0 else None
        after = page_html[position + len(container_class):position + len(container_class) + 1]
        if (opening and after in ('"', "'", " ") and page_html.find(">", start, position) < 0
                and "class=" in page_html[start:position]):
            return _element_source(page_html, start, opening.group(1))
        position = page_html.find(container_class, position + 1)
    return None


_OPENING_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")


def _element_source(page_html: str, start: int, tag: str) -> str:
    depth = 0
    for match in re.compile(rf"<(/?){tag}\b[^>]*>", re.IGNORECASE).finditer(page_html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page_html[start:match.end()]
    return page_html[start:]


def _drop(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _skipped(element: etree._Element) -> bool:
    """A skipped tag, a hidden element or one with a skipped class: one walk over the tree, half
    the time of an XPath union of the three."""
    if element.tag in SKIPPED_TAGS or element.get("hidden") is not None:
        return True
    names = element.get("class")
    return bool(names) and not SKIPPED_CLASSES.isdisjoint(_CLASS_SEPARATORS.split(names))


_CLASS_SEPARATORS = re.compile("[ \t\r\n]+")  # XPath's normalize-space(), which the index used before


# --- the index ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One page as search sees it: where it is, what it is called and the text a reader sees."""

    url: str
    title: str
    text: str


def split_blocks(text: str, size: int = BLOCK_CHARS, overlap: int = OVERLAP) -> list[str]:
    """Consecutive pieces of about `size` characters, each starting `overlap` characters
    before the previous one ends. Never cuts a character from its marks."""
    if len(text) <= size + overlap:
        return [text]
    cuts = [0]
    while cuts[-1] + size < len(text):
        cuts.append(_cut(text, cuts[-1] + size))
    cuts.append(len(text))
    return [text[_cut(text, start - overlap) if start else 0:end] for start, end in zip(cuts, cuts[1:])]


def _cut(text: str, position: int) -> int:
    position = max(0, min(position, len(text)))
    while 0 < position < len(text) and _is_mark(text[position]):
        position -= 1
    return position


# A key is a bigram or a single character, as a number: code points take 21 bits, so a bigram
# is (first << 21) | second. Counting, posting and sharding then run on arrays: a large site has
# about ten million (key, block) pairs, and a Python loop over them was most of the indexer's work.
_CODE_BITS = np.uint64(21)
_CODE_MASK = np.uint64((1 << 21) - 1)
_FNV_OFFSET, _FNV_PRIME, _WORD = np.uint64(0x811C9DC5), np.uint64(0x01000193), np.uint64(0xFFFFFFFF)

# _KATAKANA_TO_HIRAGANA as an array indexed by code point, to fold the code points of a block at once.
_FOLDED_CODES = np.arange(max(_KATAKANA_TO_HIRAGANA) + 1, dtype=np.uint64)
_FOLDED_CODES[list(_KATAKANA_TO_HIRAGANA)] = list(_KATAKANA_TO_HIRAGANA.values())
KeyCounts = tuple[np.ndarray, np.ndarray]  # distinct keys in increasing order, and how often each occurs


def _code_points(normalized: str) -> np.ndarray:
    return np.frombuffer(normalized.encode("utf-32-le"), dtype="<u4").astype(np.uint64)


def _bigram_keys(codes: np.ndarray) -> np.ndarray:
    return (codes[:-1] << _CODE_BITS) | codes[1:]


class Postings:
    """Posting lists keyed by bigram (`width` 2) or single character (1): [block, frequency * 2 +
    in-title bit, ...] with blocks in increasing order, written out with blocks as deltas.

    Blocks arrive in increasing order; their pairs are kept as arrays and sorted by key, stably,
    once all have come."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.keys: list[np.ndarray] = []
        self.values: list[np.ndarray] = []
        self.blocks: list[int] = []
        self.sizes: list[int] = []

    def add_block(self, block: int, counts: KeyCounts, title_keys: np.ndarray) -> None:
        """`title_keys`: the page title's distinct keys, in increasing order."""
        keys, frequencies = counts
        in_title = title_keys[np.searchsorted(title_keys, keys).clip(max=len(title_keys) - 1)] == keys \
            if len(title_keys) else 0
        self.keys.append(keys)
        self.values.append((frequencies * 2 + in_title).astype(np.uint32))
        self.blocks.append(block)
        self.sizes.append(len(keys))

    def shards(self) -> list[dict[str, np.ndarray]]:
        """Split by key hash into as many shards (a power of two) as keep each one small."""
        keys, postings, starts = self._postings()
        size = len(starts) * (self.width * 3 + 6) + 4 * len(postings)
        count = 1
        while count < MAX_SHARDS and size / count > SHARD_TARGET_BYTES:
            count *= 2
        shards: list[dict[str, np.ndarray]] = [{} for _ in range(count)]
        code_points = self._code_points_of(keys)
        ends = [*starts[1:].tolist(), len(postings) // 2]
        for key, shard, start, end in zip(map(_text_of, zip(*(codes.tolist() for codes in code_points))),
                                          _fnv(code_points, count).tolist(), starts.tolist(), ends):
            shards[shard][key] = postings[2 * start:2 * end]
        return shards

    def _postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct keys, every key's postings one after another, and where each key's start
        (in pairs). The pairs are sorted by key, stably: a key's blocks stay in increasing order.
        Each array is let go as soon as it is used: a large site has millions of pairs."""
        keys = np.concatenate([*self.keys, np.zeros(0, np.uint64)])
        self.keys = []
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        values = np.concatenate([*self.values, np.zeros(0, np.uint32)])[order]
        blocks = np.repeat(np.asarray(self.blocks, dtype=np.uint32), self.sizes)[order]
        self.values, self.blocks, self.sizes = [], [], []
        del order
        first = np.ones(len(keys), dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        del first
        postings = np.empty(2 * len(keys), dtype=np.uint32)
        postings[1::2] = values
        del values
        postings[0::2] = blocks
        postings[2::2] -= blocks[:-1]  # wraps where a key starts, then set right below
        postings[2 * starts] = blocks[starts]
        return keys[starts], postings, starts

    def _code_points_of(self, keys: np.ndarray) -> list[np.ndarray]:
        return [keys >> _CODE_BITS, keys & _CODE_MASK] if self.width == 2 else [keys]


def _text_of(code_points: tuple[int, ...]) -> str:
    return "".join(map(chr, code_points))


def _fnv(code_points: list[np.ndarray], shards: int) -> np.ndarray:
    """`shard_of` for many keys at once (the same number: a test compares them)."""
    value = np.full(len(code_points[0]), _FNV_OFFSET, dtype=np.uint64)
    for codes in code_points:
        value = ((value ^ codes) * _FNV_PRIME) & _WORD
    return value % np.uint64(shards)


Counts = tuple[KeyCounts, KeyCounts]  # of one text block: bigrams, single characters
BlockCounts = dict[tuple[str, bool], Counts]


def build_index(documents: Iterable[Document], fold_kana: bool = True) -> dict[str, bytes]:
    """Every file of the search index as {path under the site: bytes}, pages in URL order.
    Same input, same bytes."""
    index = IndexBuilder(fold_kana)
    files: dict[str, bytes] = {}
    for document in sorted(documents, key=lambda document: document.url):
        files.update(index.add(document))
    return files | index.files()


def block_counts(document: Document, fold_kana: bool, memo: BlockCounts | None = None,
                 counted: BlockCounts | None = None) -> list[Counts]:
    """The counts of each of the page's blocks. A preview that rebuilds again and again passes
    the previous build's `memo` (blocks counted before are not counted again) and collects
    this build's into `counted`, the next build's memo."""
    return [_block_counts(text, fold_kana, memo, {} if counted is None else counted) for text in split_blocks(document.text)]


class IndexBuilder:
    """Pages added one by one, their blocks numbered in that order. Each block's text file is
    final once its page is added: a build writes it while later pages render, and only the
    postings and the manifest are left to write when the last page has come."""

    def __init__(self, fold_kana: bool) -> None:
        self.fold_kana = fold_kana
        self.blocks_per_page: list[int] = []
        self.block_count = 0
        self.file_digests: dict[str, bytes] = {}  # of every file made so far, for the build's name
        self.bigram_postings, self.char_postings = Postings(2), Postings(1)

    def add(self, document: Document, counts: list[Counts] | None = None) -> dict[str, bytes]:
        """The page's text-block files, to be written by the caller."""
        page = len(self.blocks_per_page)
        (title_bigrams, _), (title_chars, _) = _counts(document.title, self.fold_kana)
        texts = split_blocks(document.text)
        files: dict[str, bytes] = {}
        for text, (bigram_counts, char_counts) in zip(texts, counts or [_counts(text, self.fold_kana) for text in texts]):
            number, self.block_count = self.block_count, self.block_count + 1
            self.bigram_postings.add_block(number, bigram_counts, title_bigrams)
            self.char_postings.add_block(number, char_counts, title_chars)
            files[f"{INDEX_DIR}/t/{number}.json"] = _json({"page": page, "url": document.url,
                                                          "title": document.title, "text": text})
        self.blocks_per_page.append(len(texts))
        self._made(files)
        return files

    def files(self) -> dict[str, bytes]:
        """The postings and, last, the manifest: once every page has been added."""
        bigram_shards, char_shards = self.bigram_postings.shards(), self.char_postings.shards()
        files: dict[str, bytes] = {}
        for folder, shards in (("b", bigram_shards), ("u", char_shards)):
            for number, shard in enumerate(shards):
                files[f"{INDEX_DIR}/{folder}/{number}.json"] = _json(shard)
        self._made(files)
        manifest: dict[str, object] = {
            "version": FORMAT_VERSION,
            "fold_kana": self.fold_kana,
            "bigram_shards": len(bigram_shards),
            "char_shards": len(char_shards),
            "overlap": OVERLAP,
            "blocks": self.blocks_per_page,
            "build": _build_name(self.file_digests),
        }
        files[f"{INDEX_DIR}/manifest.json"] = _json(manifest)  # last: a reader never sees it before its shards
        return files

    def _made(self, files: dict[str, bytes]) -> None:
        self.file_digests.update((path, hashlib.sha256(data).digest()) for path, data in files.items())


def _block_counts(text: str, fold_kana: bool, memo: BlockCounts | None, counted: BlockCounts) -> Counts:
    key = (text, fold_kana)
    counts = counted.get(key) or (memo or {}).get(key) or _counts(text, fold_kana)
    counted[key] = counts
    return counts


def _counts(text: str, fold_kana: bool) -> Counts:
    """The kana are folded on the code points (`normalize` folds them with str.translate, which
    looks up every character: a fifth of the indexer's normalising)."""
    codes = _code_points(normalize(text, fold_kana=False))
    if fold_kana:
        foldable = codes < len(_FOLDED_CODES)
        codes[foldable] = _FOLDED_CODES[codes[foldable]]
    return np.unique(_bigram_keys(codes), return_counts=True), np.unique(codes, return_counts=True)


def _json(data: object) -> bytes:
    """Compact UTF-8 with sorted keys, as json.dumps(ensure_ascii=False, separators=(",", ":"),
    sort_keys=True) writes it, ten times faster on the postings' long lists of numbers (arrays,
    which it writes as lists)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY)


def _build_name(file_digests: dict[str, bytes]) -> str:
    """Names this build's index so browsers never mix shards of two builds from their caches."""
    digest = hashlib.sha256()
    for path in sorted(file_digests):
        digest.update(path.encode() + b"\0" + file_digests[path])
    return digest.hexdigest()[:12]


class SearchOptions(Options):
    """`extra.hub.search` in mkdocs.yml. `fold_kana: false` keeps かな and カナ apart."""

    fold_kana: bool = True

    @classmethod
    def from_mapping(cls, options: dict[str, object] | None) -> SearchOptions:
        return cls.model_validate(options or {})


SEARCH_OPTIONS = OptionSection("search", SearchOptions)
