"""Line breaks between phrases in Japanese headings and titles, decided at build time.

Browsers break Japanese between any two characters, so a title such as 「地域の活動報告」
may end a line in the middle of a word (「活 / 動」). BudouX's model splits a text into
phrases; the `phrases` filter joins them with <wbr> inside a `hub-phrases` span, whose CSS
(`word-break: keep-all`) lets the line break only there. Every browser gets the same breaks,
and the text itself, as read by search engines and screen readers, is unchanged.
"""

from __future__ import annotations

from functools import lru_cache

import budoux
from markupsafe import Markup, escape

_PARSER = budoux.load_default_japanese_parser()


@lru_cache(maxsize=8192)  # the same titles appear on many pages (cards, lists, related links)
def _phrases(text: str) -> tuple[str, ...]:
    """BudouX's phrases, joined where a space already allows a break (「聞き書きに — 泉区」)."""
    joined: list[str] = []
    for part in _PARSER.parse(text):
        if joined and (joined[-1][-1:].isspace() or part[:1].isspace()):
            joined[-1] += part
        else:
            joined.append(part)
    return tuple(joined)


def phrases(value: object) -> Markup:
    """`{{ title | phrases }}`: the text escaped, then <wbr> between its phrases.

    A value that is already markup with tags in it (a heading holding <small>) is returned as
    it is: only text is split. Markup without tags is escaped text (MkDocs' page titles), and
    is split as the text it stands for.
    """
    if isinstance(value, Markup):
        if "<" in value:
            return value
        text = value.unescape()
    else:
        text = str(value)
    parts = _phrases(text)
    if len(parts) < 2:
        return escape(text)
    return Markup('<span class="hub-phrases">{}</span>').format(Markup("<wbr>").join(escape(part) for part in parts))
