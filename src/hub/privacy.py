"""The personal-data guard: no phone number, e-mail address or house-level street address is published.

Volunteers, speakers and cafe hosts are private people, and editors paste contact details
by habit (「詳しくは山田さん 090-…まで」). So every published string of every collection and
every page under docs/ is scanned before anything is built, and a hit stops the build like
any other content error, as `path:line: key`. Two ways out, both written down where a
reviewer sees them:

- the value is a public organisation's contact listed in mkdocs.yml
  (`extra.hub.privacy.allow`), compared by meaning (「０４５（０００）００００」 is the same
  number as 045-000-0000);
- the entry declares the person's consent for that field (`consent: [body]`).

Matching runs on an NFKC-normalised copy of each line, so full-width digits, hyphens and
brackets are caught like ASCII ones. What is deliberately not matched (dates, times, event
numbers, prices, ISBNs, postal codes without 〒) is listed in tests/test_privacy.py.
Messages mask the value: build logs may be public.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from hub.collection import Entry
from hub.frontmatter import KeyPath, Source, read_source
from hub.problems import Problem, display_path
from hub.validation import dotted_key

CONSENT_KEY = "consent"
BODY_KEY = "body"
OPTIONS_KEY = "privacy"
ALLOW_KEY = "allow"
CONFIG_FILE = "mkdocs.yml"
ALLOW_PATH = f"extra.hub.{OPTIONS_KEY}.{ALLOW_KEY}"
NOT_SCANNED = frozenset({"draft", CONSENT_KEY})

KIND_LABELS = {"phone": "電話番号", "email": "メールアドレス", "address": "番地までの住所"}

# --- normalising -----------------------------------------------------------------------------

_DASHES = "‐‑‒–—―−─━﹣－ｰ"
_DASH_BETWEEN_DIGITS = re.compile(rf"(?<=\d)\s?[{_DASHES}ー]\s?(?=\d)")
_KANJI_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}


def normalise(text: str) -> str:
    """Full-width to ASCII (NFKC), and every dash-like character between digits to '-'."""
    folded = unicodedata.normalize("NFKC", text).translate(str.maketrans(_DASHES, "-" * len(_DASHES)))
    return _DASH_BETWEEN_DIGITS.sub("-", folded)


# --- detecting -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """Something that looks like personal data: its kind, the text as written and a key for the allowlist."""

    kind: str
    text: str
    key: str

    def masked(self) -> str:
        """The first three characters, then every letter and digit as '*': enough to find it, not to use it."""
        head, tail = self.text[:3], self.text[3:]
        return head + re.sub(r"[0-9A-Za-z〇一二三四五六七八九十百千]", "*", tail)


_SEP = r"(?:\x20?[-.]\x20?|\x20|\x20?\)\x20?|\x20?\(\x20?)"
_PHONE = re.compile(rf"(?<!\d)(?<!\d[-.])(?P<cc>\+81(?:\x20|-)?)?\(?(?P<number>\d{{1,11}}(?:{_SEP}\d{{1,11}}){{0,3}})\)?"
                    r"(?!\d|[-.]\d)")
_PHONE_WORD = re.compile(r"(?:電話|TEL|Tel|tel|FAX|Fax|fax|携帯|ファクス|ファックス|☎|連絡先)[^\d]{0,6}$")
_ISBN_BEFORE = re.compile(r"ISBN[-\s:]*$", re.I)

_AT = r"(?:@|\(at\)|\[at\]|<at>|アットマーク)"
_DOT = r"(?:\.|\s*\(dot\)\s*|\s*\[dot\]\s*)"
_EMAIL = re.compile(rf"[A-Za-z0-9._%+-]+\s*{_AT}\s*[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,}}(?![A-Za-z0-9-])",
                    re.I)
_FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "avif"})

_N = r"[0-9〇一二三四五六七八九十百千]+"
_POSTAL = re.compile(r"(?:〒|郵便番号[:\s]*)\s?(?P<code>\d{3}-?\d{4})(?!\d)")
_BLOCK = re.compile(rf"{_N}丁目\s?{_N}(?:\s?(?:番地?の?|-)\s?{_N}(?:号|番地?)?)?")
_LOT = re.compile(rf"{_N}番地(?!味)(?:の?{_N})?|{_N}番{_N}号")
_DASHED = re.compile(r"(?<![\d-])\d{1,2}-\d{1,4}-\d{1,4}(?!\d|-\d)")
_PLACE_CHAR = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff々ヶ]$")
# A kanji before 1-2-3 that ends a place name is part of an address; these end something else.
_NOT_PLACE = frozenset("第表図章節条項順版号回期巻式問例番和成")
_ERA = re.compile(r"(?:令和|平成|昭和)$")


# Every finding needs three digits (a phone number five, a postal code seven, 1-2-3 three; one
# character holds at most two, as in ⑫), an at-sign or its spelling, 丁目 or 番地: most values and
# lines of prose hold none of them and are not normalised at all.
_DIGIT = r"[0-9\uff10-\uff19\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u24ff\u3220-\u325f\u3280-\u32bf]"
_NON_DIGIT = "[^" + _DIGIT[1:]
_MAY_HOLD = re.compile(rf"(?=[@\uff20丁番aAア]|{_DIGIT})"  # where one may start: a quick test, as re goes
                       rf"(?:[@\uff20丁番]|[aA][tT]|アットマーク|{_DIGIT}{_NON_DIGIT}*{_DIGIT}{_NON_DIGIT}*{_DIGIT})")


def find_personal_data(text: str) -> list[Finding]:
    """Everything that looks like a phone number, an e-mail address or a street address in one line."""
    if not _MAY_HOLD.search(text):
        return []
    line = normalise(text)
    found = [*_phones(line), *_emails(line), *_addresses(line)]
    return list(dict.fromkeys(found))


def _phones(line: str) -> Iterator[Finding]:
    for match in _PHONE.finditer(line):
        key = _phone_key(match, line[: match.start()])
        if key:
            yield Finding("phone", match.group(0).strip(), key)


def _phone_key(match: re.Match[str], before: str) -> str | None:
    """Digits of a Japanese number (10 or 11 from 0, or a local 5 to 8 after 電話/TEL), else None."""
    groups = re.findall(r"\d+", match["number"])
    if match["cc"]:
        groups = groups[1:] if groups and groups[0] == "0" else groups
        groups[:1] = ["0" + groups[0]] if groups else []
    digits = "".join(groups)
    if _ISBN_BEFORE.search(before) or len(groups) > 3:
        return None
    if len(groups) == 1:
        full = len(digits) in (10, 11) and digits[0] == "0" and digits[1] != "0"
    else:
        full = len(digits) in (10, 11) and digits[0] == "0" and len(groups[0]) <= 5 and 3 <= len(groups[-1]) <= 4
    local = len(groups) >= 2 and 5 <= len(digits) <= 8 and len(groups[-1]) == 4 and _PHONE_WORD.search(before)
    return digits if full or local else None


def _emails(line: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(line):
        key = re.sub(r"\s+", "", match.group(0)).lower()
        key = re.sub(_DOT, ".", re.sub(_AT, "@", key, flags=re.I), flags=re.I)
        if key.rsplit(".", 1)[-1] not in _FILE_SUFFIXES:
            yield Finding("email", match.group(0), key)


def _addresses(line: str) -> Iterator[Finding]:
    for match in _POSTAL.finditer(line):
        yield Finding("address", match.group(0), "〒" + match["code"].replace("-", ""))
    taken: list[range] = []  # 「6丁目50番地の10」 is one address, not also 「50番地の10」
    for match in [*_BLOCK.finditer(line), *_LOT.finditer(line), *filter(_after_place, _DASHED.finditer(line))]:
        if not any(match.start() in span or match.end() - 1 in span for span in taken):
            taken.append(range(match.start(), match.end()))
            yield Finding("address", match.group(0), _address_key(match, line))


def _after_place(match: re.Match[str]) -> bool:
    """1-2-3 right after a place name (「岡野1-2-3」, 「岡野 1-2-3」), not after 第, 表, 令和 and the like."""
    before = re.sub(r"\s+$", "", match.string[: match.start()])
    return bool(_PLACE_CHAR.search(before)) and before[-1] not in _NOT_PLACE and not _ERA.search(before)


def _address_key(match: re.Match[str], line: str) -> str:
    """The numbers as 1-2-3 plus the two characters of the place name before them: 本町6-50-10."""
    numbers = [str(_number(part)) for part in re.findall(_N, match.group(0))]
    place = re.sub(r"\s+", "", line[: match.start()])[-2:]
    place = place if all(_PLACE_CHAR.search(c) for c in place) else ""
    return place + "-".join(numbers)


def _number(text: str) -> int:
    """Arabic or kanji numerals: 12, 十二, 二十三, 一〇 → 12, 12, 23, 10."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[char]
            current = 0
        else:
            current = current * 10 + int(char.translate(_KANJI_DIGITS))
    return total + current


# --- the policy: allowlist and consent ----------------------------------------------------------

@dataclass(frozen=True)
class PrivacyPolicy:
    """Public organisation contacts that may be published, from `extra.hub.privacy.allow`."""

    allow: tuple[str, ...] = ()
    allowed: frozenset[tuple[str, str]] = field(default=frozenset(), compare=False)

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> "PrivacyPolicy":
        section = (options or {}).get(OPTIONS_KEY) or {}
        allow = (section.get(ALLOW_KEY) or []) if isinstance(section, Mapping) else []
        values = tuple(str(value) for value in (allow if isinstance(allow, list) else [allow]))
        keys = frozenset((finding.kind, finding.key) for value in values for finding in find_personal_data(value))
        return cls(values, keys)

    def allows(self, finding: Finding) -> bool:
        return (finding.kind, finding.key) in self.allowed

    def unusable(self) -> list[str]:
        """Allowlist values in which nothing is recognised: a typo there would silently allow nothing."""
        return [value for value in self.allow if not find_personal_data(value)]


def scan(text: str, policy: PrivacyPolicy) -> Iterator[tuple[int, Finding]]:
    """(line offset, finding) for everything in `text` that the allowlist does not cover."""
    if not _MAY_HOLD.search(text):  # most front-matter values: one search, no lines
        return
    for offset, line in enumerate(text.split("\n")):
        for finding in find_personal_data(line):
            if not policy.allows(finding):
                yield offset, finding


# --- problems for content, docs pages and the configuration -----------------------------------

def entry_problems(entry: Entry, source: Source, policy: PrivacyPolicy) -> list[Problem]:
    """Every published string of a validated entry and its body; the entry's consent lifts a field."""
    consent, problems = _consent(source, _known_keys(type(entry.meta)))
    for key_path, value in published_strings(entry.meta):
        if not _MAY_HOLD.search(value):  # most values: skip the key, its line and the consent lookup
            continue
        key = dotted_key(key_path)
        if not _consented(key, consent):
            problems += _problems(source.shown_path, source.line_of(key_path), key, value, policy, same_line=True)
    if not _consented(BODY_KEY, consent):
        problems += _problems(source.shown_path, source.body_line, BODY_KEY, entry.body, policy)
    return problems


def docs_problems(docs_dir: Path, root: Path, policy: PrivacyPolicy) -> list[Problem]:
    """Every hand-written page under docs/: its front matter values and its text."""
    problems: list[Problem] = []
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        if any(part.startswith(".") for part in path.relative_to(docs_dir).parts):
            continue
        problems += _page_problems(path, display_path(path, root), policy)
    return problems


def allowlist_problems(policy: PrivacyPolicy, root: Path) -> list[Problem]:
    config = root / CONFIG_FILE
    lines = config.read_text(encoding="utf-8").split("\n") if config.is_file() else []
    return [Problem(CONFIG_FILE, _line_containing(lines, value), ALLOW_PATH,
                    f"「{value}」は電話番号・メールアドレス・住所として読み取れません（allowlist entry matches nothing）",
                    "例: 045-000-0000、info@example.org、〒231-0005 または 本町6丁目50番地の10")
            for value in policy.unusable()]


def config_problems(values: Iterable[tuple[str, str]], policy: PrivacyPolicy, root: Path) -> list[Problem]:
    """Contacts written in mkdocs.yml that pages show (such as the request desk) must be allowlisted too."""
    config = root / CONFIG_FILE
    lines = config.read_text(encoding="utf-8").split("\n") if config.is_file() else []
    problems = []
    for key, value in values:
        for _, finding in scan(value, policy):
            problems.append(Problem(CONFIG_FILE, _line_containing(lines, value), key,
                                    f"{KIND_LABELS[finding.kind]}「{finding.masked()}」が公開してよい連絡先の一覧にありません"
                                    "（not on the privacy allowlist）",
                                    f"団体の公開連絡先なら {ALLOW_PATH} に同じ値を書いてください"))
    return problems


def published_strings(value: Any) -> Iterator[tuple[KeyPath, str]]:
    """Every string inside validated front matter, with its key path; generic over every collection.
    A walk with a stack, not nested generators: it runs over every value of every entry."""
    stack: list[tuple[KeyPath, Any]] = [((), value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, BaseModel):
            names = [name for name in type(value).model_fields if path or name not in NOT_SCANNED]
            stack += [(path + (name,), getattr(value, name)) for name in reversed(names)]
        elif isinstance(value, Mapping):
            stack += [(path + (str(name),), item) for name, item in reversed(value.items())]
        elif isinstance(value, (list, tuple)):
            stack += [(path + (index,), item) for index, item in reversed(list(enumerate(value)))]


def _page_problems(path: Path, shown: str, policy: PrivacyPolicy) -> list[Problem]:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    if not text.startswith("---"):
        return _problems(shown, 1, BODY_KEY, text, policy)
    source = read_source(path, shown)
    if source.problems:  # MkDocs may then publish the whole file as text: scan it all
        return _problems(shown, 1, BODY_KEY, text, policy)
    consent, problems = _consent(source, None)
    for key_path, value in published_strings({k: v for k, v in source.meta.items() if k not in NOT_SCANNED}):
        key = dotted_key(key_path)
        if not _consented(key, consent):
            problems += _problems(shown, source.line_of(key_path), key, value, policy, same_line=True)
    if not _consented(BODY_KEY, consent):
        problems += _problems(shown, source.body_line, BODY_KEY, source.body, policy)
    return problems


def _problems(path: str, first_line: int, key: str, text: str, policy: PrivacyPolicy,
              same_line: bool = False) -> list[Problem]:
    """One problem per finding; a front-matter value is reported on its key's line, a body on its own line."""
    problems = [Problem(path, first_line if same_line else first_line + offset, key,
                        f"{KIND_LABELS[finding.kind]}のような文字列「{finding.masked()}」があります"
                        f"（personal data: {finding.kind}）",
                        "個人の連絡先や住所は公開できません。削除して「ご依頼・お問い合わせはセンターへ」と書いてください。"
                        f"団体の公開連絡先なら mkdocs.yml の {ALLOW_PATH} に追加、"
                        f"本人が掲載に同意していれば consent: [{key}] を書いてください")
                for offset, finding in scan(text, policy)]
    return list(dict.fromkeys(problems))


def _consent(source: Source, known: frozenset[str] | None) -> tuple[set[str], list[Problem]]:
    """The keys the entry's `consent:` lists; unknown keys are problems, so that a typo is not silent."""
    raw = source.meta.get(CONSENT_KEY)
    if raw is None:
        return set(), []
    values = raw if isinstance(raw, list) else [raw]
    consent, problems = set(), []
    for index, value in enumerate(values):
        key = str(value).strip()
        line = source.line_of((CONSENT_KEY, index) if isinstance(raw, list) else (CONSENT_KEY,))
        if not isinstance(value, str) or (known is not None and key not in known):
            choices = ", ".join(sorted(known or ())) if known else "body または front matter の項目名"
            problems.append(Problem(source.shown_path, line, CONSENT_KEY,
                                    f"consent の「{key}」という項目はありません（unknown key）", f"使える項目: {choices}"))
        consent.add(key)
    return consent, problems


def _consented(key: str, consent: set[str]) -> bool:
    return any(key == granted or key.startswith(granted + ".") for granted in consent)


@functools.lru_cache(maxsize=None)
def _known_keys(model: type[BaseModel], prefix: str = "") -> frozenset[str]:
    """Dotted keys of a schema (`programs.title`), plus body: what `consent:` may name."""
    keys = {BODY_KEY} if not prefix else set()
    for name, info in model.model_fields.items():
        if not prefix and name in NOT_SCANNED:
            continue
        keys.add(prefix + name)
        inner = _inner_model(info.annotation)
        if inner is not None:
            keys |= _known_keys(inner, f"{prefix}{name}.")
    return frozenset(keys)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((found for argument in get_args(annotation) if (found := _inner_model(argument))), None)


def _line_containing(lines: list[str], value: str) -> int:
    """The line of mkdocs.yml that holds `value` as a list item or a key's value, else the first mention."""
    for number, line in enumerate(lines, start=1):
        written = line.split(" #", 1)[0].strip().removeprefix("- ")
        written = written.split(": ", 1)[1] if ": " in written else written
        if written.strip().strip("'\"") == value:
            return number
    return next((number for number, line in enumerate(lines, start=1) if value in line), 1)
