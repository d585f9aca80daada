"""Typed sections of `extra.hub` in mkdocs.yml, each declared by the feature that reads it.

A feature declares its section once (`FEEDS = OptionSection("feeds", FeedOptions)`) and reads
it with `FEEDS.read(settings)`: a validated model, its defaults when the section is absent.
`option_problems` validates every declared section before any content is read, so `hub check`
and the build report a bad value as `mkdocs.yml:<line>: extra.hub.feeds.limit: …`, the same
way as a content error, instead of failing later in the generator that reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError

from hub.core.fields import HubModel
from hub.core.problems import ContentError, Problem
from hub.core.settings import CONFIG_FILE, Settings, config_line
from hub.core.validation import problems_from_error

Model = TypeVar("Model", bound=BaseModel)
PREFIX = ("extra", "hub")
# Keys of extra.hub that are not sections: read by Settings itself or by one module each.
SCALAR_KEYS = frozenset({"content_dir", "vocabularies", "now", "cname", "short_name"})


class Options(HubModel):
    """A section's model: unknown keys are mistakes (a misspelt key would silently do nothing)."""


def _as_texts(value: Any) -> Any:
    """One value or a list of them, each read as text (a phone number may be written unquoted)."""
    if value is None:
        return ()
    values = value if isinstance(value, (list, tuple)) else [value]
    return tuple(str(item) if isinstance(item, (int, float)) and not isinstance(item, bool) else item
                 for item in values)


Texts = Annotated[tuple[str, ...], BeforeValidator(_as_texts)]


class _ConfigSource:
    """What problems_from_error needs of a source: the file shown and the line of a key path."""

    shown_path = CONFIG_FILE

    def __init__(self, settings: Settings) -> None:
        self.root = settings.root

    def line_of(self, path: tuple[Any, ...]) -> int:
        return config_line(self.root, tuple(str(part) for part in path if not isinstance(part, int)))


@dataclass(frozen=True)
class OptionSection(Generic[Model]):
    """`optional` sections turn a feature on by being written (the newsletter): absent, they read as None."""

    key: str
    model: type[Model]
    optional: bool = False

    def written(self, settings: Settings) -> Any:
        return settings.options.get(self.key)

    def problems(self, settings: Settings) -> list[Problem]:
        try:
            self._validate(settings)
        except ValidationError as error:
            return problems_from_error(error, _ConfigSource(settings), (*PREFIX, self.key), model=self.model)
        return []

    def read(self, settings: Settings) -> Model:  # None only for an optional section left out
        try:
            return self._validate(settings)
        except ValidationError as error:
            raise ContentError(problems_from_error(error, _ConfigSource(settings), (*PREFIX, self.key),
                                                   model=self.model)) from None

    def _validate(self, settings: Settings) -> Model:
        written = self.written(settings)
        if written is None and self.optional:
            return None  # type: ignore[return-value]
        return self.model.model_validate(written or {})


def option_problems(settings: Settings, sections: Iterable[OptionSection[Any]]) -> list[Problem]:
    """Every declared section validated, and every key of extra.hub that nothing reads named."""
    sections = list(sections)
    known = SCALAR_KEYS | {section.key for section in sections}
    problems = [_unknown_key(settings, key, known) for key in settings.options if key not in known]
    for section in sections:
        problems += section.problems(settings)
    return problems


def _unknown_key(settings: Settings, key: str, known: frozenset[str]) -> Problem:
    close = get_close_matches(str(key), sorted(known), n=1)
    hint = f"「{close[0]}」の書き間違いではありませんか" if close else f"使える項目: {', '.join(sorted(known))}"
    return Problem(CONFIG_FILE, config_line(settings.root, (*PREFIX, str(key))), f"extra.hub.{key}",
                   "この設定項目はありません（unknown setting）", hint)
