"""The personal-data guard: no phone number, e-mail address or house-level street address is published.

Volunteers, speakers and cafe hosts are private people, and editors paste contact details
by habit (「詳しくは山田さん 090-…まで」). So every published string of every collection and
every page under docs/ is scanned before anything is built, and a hit stops the build like
any other content error, as `path:line: key`. Three ways out, each written down where a
reviewer sees them:

- the value is a public organisation's contact listed in mkdocs.yml
  (`extra.hub.privacy.allow`: the centre's own), compared by meaning (「０４５（０００）００００」
  is the same number as 045-000-0000);
- the entry declares its contact an organisation's public one (`contact:` with
  `public: organisation`, see `hub.core.contact`): that phone number and e-mail address
  pass anywhere in that entry (its body may repeat them), in no other entry, and never a
  mobile number;
- the entry declares the person's consent for that field (`consent: [body]`).

An entry that the schema refuses is scanned too, as written: one `hub check` then reports
a broken schedule and the phone number in the summary together, not one after the other.

What counts as personal data, and how disguised spellings are folded before matching, is
`hub.guard.personal_data`. What is deliberately not matched (dates, times, event numbers, prices,
ISBNs, postal codes without 〒) is listed in tests/test_privacy.py. Messages mask the value
(`hub.guard.personal_data.mask`): build logs of a public repository are public.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from hub.core.collection import Entry
from hub.core.contact import (CONTACT_KEY, ORGANISATION, PUBLIC_KEY, declared_values, is_declared, offers_contact,
                              written_contact)
from hub.core.options import Options, OptionSection, Texts
from hub.core.problems import Problem, display_path
from hub.core.validation import dotted_key
from hub.guard.personal_data import MAY_HOLD, Finding, find_personal_data
from hub.reading.frontmatter import KeyPath, Source, read_source

CONSENT_KEY = "consent"
PRIVATE_KEY = "private"
BODY_KEY = "body"
OPTIONS_KEY = "privacy"
ALLOW_KEY = "allow"
CONFIG_FILE = "mkdocs.yml"
ALLOW_PATH = f"extra.hub.{OPTIONS_KEY}.{ALLOW_KEY}"
NOT_SCANNED = frozenset({"draft", CONSENT_KEY})
NOT_PUBLISHED = NOT_SCANNED | {PRIVATE_KEY}  # keys of an entry's front matter as written that no page shows

KIND_LABELS = {"phone": "電話番号", "email": "メールアドレス", "address": "番地までの住所"}
DECLARABLE = frozenset({"phone", "email"})  # what a contact's `public: organisation` can let through

# --- the policy: allowlist and consent ----------------------------------------------------------

class PrivacyOptions(Options):
    """`extra.hub.privacy.allow`: an organisation's own public contacts, which pages may show."""

    allow: Texts = ()


PRIVACY_OPTIONS = OptionSection(OPTIONS_KEY, PrivacyOptions)


@dataclass(frozen=True)
class PrivacyPolicy:
    """Public organisation contacts that may be published, from `extra.hub.privacy.allow`."""

    allow: tuple[str, ...] = ()
    allowed: frozenset[tuple[str, str]] = field(default=frozenset(), compare=False)

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> "PrivacyPolicy":
        values = PrivacyOptions.model_validate((options or {}).get(OPTIONS_KEY) or {}).allow
        keys = frozenset((finding.kind, finding.key) for value in values for finding in find_personal_data(value))
        return cls(values, keys)

    def allows(self, finding: Finding) -> bool:
        return (finding.kind, finding.key) in self.allowed

    def including(self, declared: Iterable[str]) -> "PrivacyPolicy":
        """This policy plus the phone numbers and e-mail addresses an entry declares public, for that
        entry alone; mobile numbers stay refused."""
        keys = {(finding.kind, finding.key) for value in declared for finding in find_personal_data(value)
                if finding.kind in DECLARABLE and not finding.mobile}
        return dataclasses.replace(self, allowed=self.allowed | keys) if keys - self.allowed else self

    def unusable(self) -> list[str]:
        """Allowlist values in which nothing is recognised: a typo there would silently allow nothing."""
        return [value for value in self.allow if not find_personal_data(value)]


def scan(text: str, policy: PrivacyPolicy) -> Iterator[tuple[int, Finding]]:
    """(line offset, finding) for everything in `text` that the allowlist does not cover.
    The whole text is matched at once, so that a number broken over two lines is still one number."""
    newlines: list[int] | None = None
    for finding in find_personal_data(text):
        if not policy.allows(finding):
            newlines = newlines if newlines is not None else [m.start() for m in re.finditer("\n", text)]
            yield bisect.bisect_left(newlines, finding.start), finding


# --- problems for content, docs pages and the configuration -----------------------------------

def entry_problems(entry: Entry, source: Source, policy: PrivacyPolicy,
                   strings: Sequence[tuple[KeyPath, str]] | None = None) -> list[Problem]:
    """Every published string of a validated entry and its body.
    `strings`: the entry's `published_strings`, when the caller has them already."""
    strings = list(published_strings(entry.meta)) if strings is None else strings
    return _scanned_entry(source, type(entry.meta), policy, strings, entry.body)


def unvalidated_problems(source: Source, model: type[BaseModel], policy: PrivacyPolicy) -> list[Problem]:
    """The same scan for an entry the schema refused, over its front matter as written and its body.

    Without it, a phone number shows up only once every other mistake of the file is fixed. A file
    that may be a draft is left alone, as drafts are never published: one whose front matter could not
    be read (broken YAML) and one with any `draft:` but false.
    """
    if not source.meta or source.meta.get("draft") not in (None, False):
        return []
    written = {key: value for key, value in source.meta.items() if key not in NOT_PUBLISHED}
    return _scanned_entry(source, model, policy, list(published_strings(written)), source.body)


def _scanned_entry(source: Source, model: type[BaseModel], policy: PrivacyPolicy,
                   strings: Sequence[tuple[KeyPath, str]], body: str) -> list[Problem]:
    """Strings and body of one entry; its consent lifts a field, its declared contact allows its values."""
    consent, problems = _consent(source, _known_keys(model))
    has_contact, contact = offers_contact(model), written_contact(source.meta, model)
    policy = policy.including(declared_values(contact))
    refusal = _refusal_with_contact if has_contact else refusal_advice
    in_contact = _contact_advice(is_declared(contact))
    for key_path, value in strings:
        if not MAY_HOLD.search(value):  # most values: skip the key, its line and the consent lookup
            continue
        key = dotted_key(key_path)
        if not _consented(key, consent):
            advice = in_contact if has_contact and key_path[:1] == (CONTACT_KEY,) else refusal
            problems += problems_in(source.shown_path, source.line_of(key_path), key, value, policy,
                                    same_line=True, advice=advice)
    if not _consented(BODY_KEY, consent):
        problems += problems_in(source.shown_path, source.body_line, BODY_KEY, body, policy, advice=refusal)
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
        return problems_in(shown, 1, BODY_KEY, text, policy)
    source = read_source(path, shown)
    if source.problems:  # MkDocs may then publish the whole file as text: scan it all
        return problems_in(shown, 1, BODY_KEY, text, policy)
    consent, problems = _consent(source, None)
    for key_path, value in published_strings({k: v for k, v in source.meta.items() if k not in NOT_SCANNED}):
        key = dotted_key(key_path)
        if not _consented(key, consent):
            problems += problems_in(shown, source.line_of(key_path), key, value, policy, same_line=True)
    if not _consented(BODY_KEY, consent):
        problems += problems_in(shown, source.body_line, BODY_KEY, source.body, policy)
    return problems


# (finding, key, where) -> (message, hint): what a problem says about one finding.
Advice = Callable[[Finding, str, str], tuple[str, str]]


def refusal_advice(finding: Finding, key: str, where: str,
                   organisation: str = f"mkdocs.yml の {ALLOW_PATH} に追加") -> tuple[str, str]:
    """Personal data anywhere: remove it, or say why it may be published."""
    return (f"{where}{KIND_LABELS[finding.kind]}のような文字列「{finding.masked()}」があります"
            f"（personal data: {finding.kind}）",
            "個人の連絡先や住所は公開できません。削除して「ご依頼・お問い合わせはセンターへ」と書いてください。"
            f"団体の公開連絡先なら {organisation}、本人が掲載に同意していれば consent: [{key}] を書いてください")


# In an entry with a `contact:`, an organisation's number belongs there, not in mkdocs.yml.
_refusal_with_contact: Advice = functools.partial(
    refusal_advice, organisation=f"{CONTACT_KEY}: に書いて {PUBLIC_KEY}: {ORGANISATION} を付け")


def _contact_advice(declared: bool) -> Advice:
    """Inside `contact:`: a mobile number can never be published; an undeclared phone number or
    e-mail address is either the organisation's (declare it) or a person's (remove it)."""
    def advice(finding: Finding, key: str, where: str) -> tuple[str, str]:
        if finding.mobile:
            return (f"携帯電話の番号「{finding.masked()}」は団体の公開連絡先として載せられません"
                    "（mobile number in contact）",
                    "個人の番号である可能性が高いため、団体の固定電話、申込フォームの URL、"
                    "またはセンターの窓口を書いてください")
        if declared or finding.kind not in DECLARABLE:
            return _refusal_with_contact(finding, key, where)
        return (f"{KIND_LABELS[finding.kind]}「{finding.masked()}」: 団体が公開している連絡先なら {CONTACT_KEY}: に "
                f"org: と {PUBLIC_KEY}: {ORGANISATION} を書いてください。個人の電話番号・メールアドレスなら消してください"
                f"（contact not declared public: {finding.kind}）",
                f"{PUBLIC_KEY}: {ORGANISATION} は団体の窓口の番号・アドレスにだけ書きます（携帯電話の番号は載せられません）")
    return advice


def problems_in(path: str, first_line: int, key: str, text: str, policy: PrivacyPolicy,
                same_line: bool = False, where: str = "", advice: Advice = refusal_advice) -> list[Problem]:
    """One problem per finding; a front-matter value is reported on its key's line, a body on its own
    line; `where` says more than a line can (a PDF's page)."""
    problems = [Problem(path, first_line if same_line else first_line + offset, key, *advice(finding, key, where))
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
