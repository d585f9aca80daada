"""Recognising a person's phone number, e-mail address or house-level street address in any text.

Editors paste contact details by habit, and people who know that a page is checked write
them so that a simple pattern misses them: 「090・1234・5678」, 「〇九〇‐一二三四‐五六七八」,
「taro★example.com（★を@に変えて）」, 「&#48;90-…」, a zero-width space inside the number,
or the number broken over two lines. So the text is first folded into one plain form (see
`normalise`), and only then matched. The folded text keeps a map back to the original, so a
finding still knows where it was written (its line, for messages) and `redact` can mask it
in place.

Every pattern has bounded repetition and every look at the text before a match reads a
window of a few characters: scanning is linear in the length of the text, so a megabyte
line of 「1-1-1-…」 cannot stall a build. This module imports nothing from the hub, so that
every message anywhere can be masked with it (`hub.core.problems`).
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote

KINDS = ("phone", "email", "address")
# Numbers a phone company gives to one handset: most likely a person's own, whoever declares it.
MOBILE_PREFIXES = ("070", "080", "090")

# --- normalising -----------------------------------------------------------------------------

_DASHES = "‐‑‒–—―−─━﹣－ｰ"
_KANJI_DIGITS = "〇一二三四五六七八九"
_WIDE_DIGITS = "０１２３４５６７８９"
_FOLD = str.maketrans(_DASHES + _KANJI_DIGITS, "-" * len(_DASHES) + "0123456789")
_DIG = f"[0-9{_WIDE_DIGITS}{_KANJI_DIGITS}]"  # a digit as written, before folding
# Between two digits these separate the groups of a number: 090/1234/5678, 090・1234・5678, 090~1234~5678.
_BETWEEN = f"{_DASHES}ー/・~〜～"
_DECLARED = re.compile(r"(\S)[ \t]?を[ \t]?[@＠][ \t]?に")  # 「★を@に変えて」: the writer says which sign is @
_SIGNS = "*#$!^|"  # ASCII signs a writer may declare as @
# Characters NFKC may change. The punctuation of every Japanese sentence, which it never changes
# (nor joins with what is next to it), is left out: one token each would cost more than the rest.
_KEPT_PUNCTUATION = "、。「」『』【】"
_WIDE = f"\u00a0-\u02ff\u2000-\u3000\u3003-\u300b\u3012-\u303f\u3100-\u33ff\uf900-\ufaff\ufe00-\uffef{_KANJI_DIGITS}"
# Every character a token below can begin with (a superset is safe). Without this look-ahead the
# engine tries every alternative, with its look-behinds, at each kana and kanji of a body: five
# times slower, and the largest cost of checking a site's content.
_TOKEN_START = (f"[\u200b-\u200d\u2060\ufeff\u00ad&%0-9{_WIDE_DIGITS} \t\n"
                f"{re.escape(_BETWEEN + _DASHES + _SIGNS)}\\-(\\[<アあ★☆ドど{_WIDE}]")
_TOKEN = re.compile(
    rf"(?={_TOKEN_START})(?:"
    r"(?P<gone>[\u200b-\u200d\u2060\ufeff\u00ad])"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<percent>(?:%[0-9A-Fa-f]{2}){1,48})"
    rf"|(?P<spaced>(?<![0-9{_WIDE_DIGITS}])[0-9{_WIDE_DIGITS}](?:[ \u3000][0-9{_WIDE_DIGITS}]){{4,30}}"
    rf"(?![0-9{_WIDE_DIGITS}]))"
    rf"|(?P<joined>(?:(?<={_DIG})|(?<={_DIG}[-{_BETWEEN}]))[ \t]*\n[ \t]*(?=[-{_BETWEEN}]?{_DIG}))"
    rf"|(?P<between>(?<={_DIG})(?:[ \t]?[{_BETWEEN}][ \t]?|[ \t]-[ \t]?|-[ \t])(?={_DIG}))"
    r"|(?P<at>[ \t]?(?:(?i:\(at\)|\[at\]|<at>|\(アット\)|アットマーク|あっとまーく)|[★☆])[ \t]?)"
    r"|(?P<dot>[ \t]?(?:(?i:\(dot\)|\[dot\]|<dot>)|ドット|どっと)[ \t]?)"
    rf"|(?P<sign>[{re.escape(_SIGNS)}])"
    rf"|(?P<dash>[{_DASHES}])"
    rf"|(?P<wide>(?:(?![{_BETWEEN}])[{_WIDE}]){{1,64}}))")
# Plain ASCII text without these needs no folding: most values, and the long lines of a flood.
_ASCII_TOKEN = re.compile(rf"[&%()\[\]<>{re.escape(_SIGNS)}]|[0-9][ \t]{{0,9}}[\n/~]|[0-9][ \t]{{1,9}}[-0-9]|[0-9]-[ \t]|[ \t]-")


@dataclass(frozen=True)
class Normalised:
    """Folded text and, per stretch of it, where that stretch was written in the original."""

    text: str
    starts: list[int]  # where each stretch begins in `text`
    origins: list[tuple[int, int, bool]]  # (start, end) in the original; True: copied as written

    def original(self, position: int, end: bool = False) -> int:
        """The offset in the original text of the folded character at `position` (or just after it)."""
        index = max(bisect.bisect_right(self.starts, position) - 1, 0)
        start, stop, verbatim = self.origins[index]
        if verbatim:
            return start + (position - self.starts[index]) + (1 if end else 0)
        return stop if end else start


def normalise(text: str) -> Normalised:
    """One plain form: NFKC, kanji numerals as digits, any separator between digits as '-', @ and
    . for their spellings, entities and %XX decoded, zero-width characters dropped, numbers
    broken over lines joined."""
    if text.isascii() and not _ASCII_TOKEN.search(text):
        return Normalised(text, [0], [(0, len(text), True)])
    declared = {char for char in _DECLARED.findall(text) if not char.isalnum()}
    pieces: list[str] = []
    starts: list[int] = [0]
    origins: list[tuple[int, int, bool]] = [(0, 0, True)]
    written = done = 0
    for match in _TOKEN.finditer(text):
        folded = _fold(match, declared)
        if folded == match.group(0):  # 、。「」 and the like: left in the stretch copied as written
            continue
        pieces += (text[done: match.start()], folded)
        if len(folded) != match.end() - match.start():  # a stretch of its own; 1:1 ones extend the last
            starts += (written + match.start() - done, written + match.start() - done + len(folded))
            origins += ((match.start(), match.end(), False), (match.end(), match.end(), True))
        written += match.start() - done + len(folded)
        done = match.end()
    pieces.append(text[done:])
    return Normalised("".join(pieces), starts, origins)


def _fold(match: re.Match[str], declared: set[str]) -> str:
    kind, token = match.lastgroup, match.group(0)
    if kind in ("gone", "joined"):
        return ""
    if kind in ("between", "dash"):
        return "-"
    if kind == "at" or (kind == "sign" and token in declared):
        return "@"
    if kind == "dot":
        return "."
    if kind == "sign":
        return token
    if kind == "spaced":
        token = token.replace(" ", "").replace("\u3000", "")
    elif kind == "entity":
        token = html.unescape(token)
    elif kind == "percent":
        token = unquote(token)
    elif declared:
        token = "".join("@" if char in declared else char for char in token)
    return unicodedata.normalize("NFKC", token).translate(_FOLD)


# --- findings and masking ---------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """Something that looks like personal data: its kind, the text (folded), a key for the allowlist,
    and where it was written in the original text."""

    kind: str
    text: str
    key: str
    start: int = field(default=0, compare=False)  # offsets in the original text, for lines and `redact`
    end: int = field(default=0, compare=False)

    def masked(self) -> str:
        return mask(self)

    @property
    def mobile(self) -> bool:
        """A mobile phone number (070/080/090), which no declaration makes an organisation's."""
        return self.kind == "phone" and self.key.startswith(MOBILE_PREFIXES)


def mask(finding: Finding) -> str:
    """The only way a found value is ever shown: enough to find it in the file, not to use it.
    090-****-5678, t***@example.com, 岡野1-*-*, 〒220-****."""
    if finding.kind == "email":
        local, _, domain = finding.text.partition("@")
        return f"{local.strip()[:1]}***@{domain.strip()}"
    if finding.kind == "phone":
        count = sum(char.isdigit() for char in finding.text)
        shown = {*range(3), *range(count - 4, count)} if count >= 10 else {0, 1}
        return _mask_digits(finding.text, shown)
    return _mask_digits(finding.text, set(range(3)) if finding.text.startswith("〒") else None)


def _mask_digits(text: str, shown: set[int] | None) -> str:
    """Digits outside `shown` (their order among the digits) as '*'; None: every number but the first
    of several (the 丁目, which many houses share)."""
    if shown is None:
        numbers = list(re.finditer(_N, text))
        head = numbers[0].end() if len(numbers) > 1 else 0
        return text[:head] + re.sub(r"[0-9十百千]", "*", text[head:])
    out, index = [], 0
    for char in text:
        out.append(char if not char.isdigit() or index in shown else "*")
        index += char.isdigit()
    return "".join(out)


# --- detecting -------------------------------------------------------------------------------

_SEP = r"(?:\x20?[-.]\x20?|\x20|\x20?\)\x20?|\x20?\(\x20?)"
_PHONE = re.compile(rf"(?<!\d)(?<!\d[-.])(?P<cc>\+81(?:\x20|-)?)?\(?(?P<number>\d{{1,11}}(?:{_SEP}\d{{1,11}}){{0,3}})\)?"
                    r"(?!\d|[-.]\d)")
_PHONE_WORD = re.compile(r"(?:電話|TEL|Tel|tel|FAX|Fax|fax|携帯|ファクス|ファックス|☎|連絡先)[^\d]{0,6}$")
_ISBN_BEFORE = re.compile(r"ISBN[-\s:]{0,3}$", re.I)
_WINDOW = 12  # characters before a match that say what it is (電話, ISBN, a place name)

_LOCAL = r"(?P<local>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}|[^\W\d_A-Za-z]{1,16})"
_LABEL = r"(?:[^\W_]|-){1,63}"
_EMAIL = re.compile(rf"{_LOCAL}[ \t]?@[ \t]?(?P<domain>{_LABEL}(?:\.{_LABEL}){{0,8}}\.(?:[A-Za-z]{{2,24}}|xn--[A-Za-z0-9-]{{1,59}}))"
                    r"(?![A-Za-z0-9-])")
_FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "avif"})

_N = r"[0-9十百千]{1,8}"
_POSTAL = re.compile(r"(?:〒|郵便番号[: \t]{0,3})[ \t]?(?P<code>\d{3}-?\d{4})(?!\d)")
_BLOCK = re.compile(rf"{_N}丁目[ \t]?{_N}(?:[ \t]?(?:番地?の?|-)[ \t]?{_N}(?:号|番地?)?)?")
_LOT = re.compile(rf"{_N}番地(?!味)(?:の?{_N})?|{_N}番{_N}号")
_DASHED = re.compile(r"(?<![\d-])\d{1,2}([-の])\d{1,4}\1\d{1,4}(?!\d|[-の]\d)")
_TOWN_LOT = re.compile(r"(?<=町)[ \t]?\d{1,4}-\d{1,4}(?![\d-]|[ \t]?[年月日時分秒名人回円歳件位階])")
_PLACE_CHAR = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff々ヶ]$")
# A kanji before 1-2-3 that ends a place name is part of an address; these end something else.
_NOT_PLACE = frozenset("第表図章節条項順版号回期巻式問例番和成")
_ERA = re.compile(r"(?:令和|平成|昭和)$")
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}

# Every finding needs three digits (a phone number five, a postal code seven, 1-2-3 three; one
# character holds at most two, as in ⑫), an at-sign or a spelling of it, 丁目 or 番地: most values
# and lines of prose hold none of them and are not normalised at all.
_DIGIT = rf"[0-9\uff10-\uff19\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u24ff\u3220-\u325f\u3280-\u32bf{_KANJI_DIGITS}]"
_NON_DIGIT = "[^" + _DIGIT[1:]
MAY_HOLD = re.compile(rf"[@\uff20丁番★☆%&]|アット|あっと|(?i:at)|{_DIGIT}{_NON_DIGIT}*{_DIGIT}{_NON_DIGIT}*{_DIGIT}")


def find_personal_data(text: str) -> list[Finding]:
    """Everything in `text` (any number of lines) that looks like a phone number, an e-mail address
    or a street address, in the order written."""
    if not MAY_HOLD.search(text):
        return []
    folded = normalise(text)
    line = folded.text
    found = [*(_phones(line) if _count_digits(line) >= 5 else []), *(_emails(line) if "@" in line else []),
             *_addresses(line)]
    return sorted((Finding(kind, shown, key, folded.original(start), folded.original(end - 1, end=True))
                   for kind, shown, key, start, end in found), key=lambda finding: finding.start)


def _count_digits(text: str) -> int:
    return len(text) - len(text.translate(_NO_DIGITS))


_NO_DIGITS = str.maketrans("", "", "0123456789")


def redact(text: str) -> str:
    """`text` with every phone number, e-mail address and street address in it masked."""
    for finding in sorted(find_personal_data(text), key=lambda found: found.start, reverse=True):
        text = text[: finding.start] + finding.masked() + text[finding.end:]
    return text


_Found = tuple[str, str, str, int, int]


def _before(line: str, start: int) -> str:
    """The few characters before `start` on its own line: all that a match's context needs."""
    return line[max(0, start - _WINDOW): start].rsplit("\n", 1)[-1]


def _phones(line: str) -> list[_Found]:
    """A digit group written just before a number (the end of a time, 「9:00〜17:00 090-…」, or a
    year) joins the match over the space between them and makes it no number: the number may
    still start at the match's next group. Each retry moves past one group, so the scan stays linear."""
    found = []
    position = 0
    while (match := _PHONE.search(line, position)) is not None:
        key = _phone_key(match, _before(line, match.start()))
        if key:
            text = match.group(0)
            found.append(("phone", text.strip(), key, match.start() + len(text) - len(text.lstrip()),
                          match.end() - (len(text) - len(text.rstrip()))))
        first = re.match(r"\d+", match["number"])
        joined = key is None and first is not None and first.end() < len(match["number"])
        position = match.start("number") + first.end() if joined and first else max(match.end(), position + 1)
    return found


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


def _emails(line: str) -> list[_Found]:
    found = []
    for match in _EMAIL.finditer(line):
        local = match["local"]
        key = f"{local.lower()}@{_domain_key(match['domain'])}"
        if match["domain"].rsplit(".", 1)[-1].lower() not in _FILE_SUFFIXES:
            found.append(("email", match.group(0), key, match.start(), match.end()))
    return found


def _domain_key(domain: str) -> str:
    """例え.jp and xn--r8jz45g.jp are one domain: compared in their ASCII (IDNA) form."""
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return domain.lower()


def _addresses(line: str) -> list[_Found]:
    found: list[_Found] = []
    for match in _POSTAL.finditer(line) if "〒" in line or "郵便" in line else ():
        if not match["code"].endswith("0000"):  # 〒220-0000: the whole ward, nobody's house
            found.append(("address", match.group(0), "〒" + match["code"].replace("-", ""), match.start(), match.end()))
    candidates = [*(_BLOCK.finditer(line) if "丁目" in line else ()), *(_LOT.finditer(line) if "番" in line else ()),
                  *(_TOWN_LOT.finditer(line) if "町" in line else ()), *filter(_after_place, _DASHED.finditer(line))]
    end = -1  # 「6丁目50番地の10」 is one address, not also 「50番地の10」
    for match in sorted(candidates, key=lambda found: (found.start(), -found.end())):
        if match.start() >= end:
            end = match.end()
            text = match.group(0).strip()
            found.append(("address", text, _address_key(match, line), match.end() - len(text), match.end()))
    return found


def _after_place(match: re.Match[str]) -> bool:
    """1-2-3 right after a place name (「岡野1-2-3」, 「岡野 1-2-3」), not after 第, 表, 令和 and the like."""
    before = _before(match.string, match.start()).rstrip(" \t")
    return bool(_PLACE_CHAR.search(before)) and before[-1] not in _NOT_PLACE and not _ERA.search(before)


def _address_key(match: re.Match[str], line: str) -> str:
    """The numbers as 1-2-3 plus the two characters of the place name before them: 本町6-50-10."""
    numbers = [str(_number(part)) for part in re.findall(_N, match.group(0))]
    place = re.sub(r"[ \t]+", "", _before(line, match.start()))[-2:]
    place = place if all(_PLACE_CHAR.search(c) for c in place) else ""
    return place + "-".join(numbers)


def _number(text: str) -> int:
    """Arabic numerals with kanji units: 12, 十二, 二十三 (folded to 2十3) → 12, 12, 23."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[char]
            current = 0
        else:
            current = current * 10 + int(char)
    return total + current
