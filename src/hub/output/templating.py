"""The one way the hub makes a Jinja environment for its own templates, outside the theme:
feed items, the newsletter's e-mail, the guidebook, /admin/, CONTRIBUTING.md, `hub new` and the
preview's problems page.

Every environment reads the package's template folder with the site's Japanese date
filters and fails on an undefined name; HTML templates are autoescaped (titles may hold
< or &), Markdown, YAML and plain-text ones are not.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from hub.output.formatting import FILTERS
from hub.output.textwrap_ja import fill


def template_environment(trim: bool = True, keep_trailing_newline: bool = True) -> Environment:
    """`trim` drops the line of a block tag (for text outputs); templates laid out by hand keep theirs."""
    environment = Environment(loader=PackageLoader("hub", "templates"),
                              autoescape=select_autoescape(["html"], default_for_string=False),
                              trim_blocks=trim, lstrip_blocks=trim, keep_trailing_newline=keep_trailing_newline,
                              undefined=StrictUndefined)
    environment.filters.update(FILTERS)
    environment.filters["fill"] = fill
    return environment


@lru_cache(maxsize=1)
def standalone_environment() -> Environment:
    return template_environment()
