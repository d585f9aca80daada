"""Templates rendered outside the site's theme: feed item content and the newsletter's e-mail.

The same template folder as the theme's pages, with the same Japanese date filters;
HTML templates are autoescaped (titles may hold < or &), plain-text ones are not.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from hub.formatting import FILTERS
from hub.textwrap_ja import fill


@lru_cache(maxsize=1)
def standalone_environment() -> Environment:
    environment = Environment(loader=PackageLoader("hub", "templates"),
                              autoescape=select_autoescape(["html"], default_for_string=False),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=StrictUndefined)
    environment.filters.update(FILTERS)
    environment.filters["fill"] = fill
    return environment
