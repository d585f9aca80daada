"""Turning schema validation errors into problems an editor can act on.

Pydantic reports where (a path of keys) and what (an error type); this module finds
the line of that path in the file and says, in Japanese, what to write instead.
Errors raised by the hub's own field types already carry a Japanese message and hint.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from hub.core.problems import Problem
from hub.reading.ime_slips import full_width_key_note

if TYPE_CHECKING:
    from hub.reading.frontmatter import KeyPath, Source

HUB_ERROR_PREFIX = "hub_"

# error type → (message, hint); {key} is the English key name.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("必須の項目がありません（required）", "「{key}: 値」の行を書いてください"),
    "extra_forbidden": ("この項目は使えません（unknown key）", ""),
    "string_type": ("文字列で書いてください", "数字や true などをそのまま文字にしたいときは \"...\" で囲んでください"),
    "string_too_short": ("空にはできません", "値を書くか、任意の項目なら行ごと削除してください"),
    "string_pattern_mismatch": ("書き方が正しくありません", "半角英小文字・数字・ハイフンだけで書いてください"),
    "list_type": ("リストで書いてください", "各行を「- 値」で書くか、[値1, 値2] の形で書いてください"),
    "too_short": ("少なくとも 1 つ書いてください", "リストに値を 1 つ以上書いてください"),
    "dict_type": ("「項目: 値」の入れ子で書いてください", "次の行から字下げして「項目: 値」を書いてください"),
    "model_type": ("「項目: 値」の入れ子で書いてください", "次の行から字下げして「項目: 値」を書いてください"),
    "model_attributes_type": ("「項目: 値」の入れ子で書いてください", "次の行から字下げして「項目: 値」を書いてください"),
    "bool_type": ("true か false で書いてください", "例: draft: true"),
    "bool_parsing": ("true か false で書いてください", "例: draft: true"),
    "int_type": ("整数で書いてください", "例: 30"),
    "int_parsing": ("整数で書いてください", "例: 30"),
    "literal_error": ("使える値ではありません", "{expected} のどれかを書いてください"),
}
_FALLBACK = ("値が正しくありません", "")
_EMPTY = ("値が書かれていません（empty）", "「{key}: 値」のように値を書くか、任意の項目なら行ごと削除してください")


def problems_from_error(error: ValidationError, source: "Source", prefix: "KeyPath" = (),
                        model: type[BaseModel] | None = None) -> list[Problem]:
    """One problem per pydantic error, each with the line of the offending key."""
    return [_problem(detail, source, prefix, model) for detail in error.errors()]


def _problem(detail: Any, source: "Source", prefix: "KeyPath", model: type[BaseModel] | None) -> Problem:
    loc = prefix + tuple(detail["loc"])
    key = dotted_key(loc)
    line = source.line_of(loc)
    context = detail.get("ctx") or {}
    kind = detail["type"]
    if kind.startswith(HUB_ERROR_PREFIX):
        return Problem(source.shown_path, line, key, detail["msg"], context.get("hint", ""))
    message, hint = _MESSAGES.get(kind, _FALLBACK)
    if detail.get("input", "") is None and kind != "missing":
        message, hint = _EMPTY
    if kind == "extra_forbidden":
        note = full_width_key_note(str(loc[-1]))
        if note:
            message, hint = f"{message}: {note[0]}", note[1]
        else:
            hint = _closest_key(str(loc[-1]), model, loc[len(prefix):-1])
    if kind == "missing":
        line = source.line_of(loc[:-1]) if len(loc) > 1 else 1
    if kind not in _MESSAGES:
        message = f"{message}（{detail['msg']}）"
    return Problem(source.shown_path, line, key, message,
                   hint.format(key=loc[-1], expected=context.get("expected", "")))


def dotted_key(loc: "KeyPath") -> str:
    """`partners.url` for the url of any partner: the line number says which one."""
    return ".".join(str(part) for part in loc if not isinstance(part, int)) or "front-matter"


def _closest_key(written: str, model: type[BaseModel] | None, parents: "KeyPath") -> str:
    known = sorted(_field_names(model, parents)) if model else []
    close = difflib.get_close_matches(written, known, n=1, cutoff=0.6)
    if close:
        return f"もしかして {close[0]}？"
    return f"使える項目: {', '.join(known)}" if known else "この行を削除してください"


def _field_names(model: type[BaseModel], parents: "KeyPath") -> set[str]:
    """Known keys at the nesting level of `parents`, found by walking the model's annotations."""
    current: Any = model
    for part in parents:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            return set()
        current = _inner_model(field.annotation)
    return set(current.model_fields) if _is_model(current) else set()


def _is_model(candidate: Any) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, BaseModel)


def _inner_model(annotation: Any) -> Any:
    if _is_model(annotation):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _inner_model(argument)
        if found is not None:
            return found
    return None
