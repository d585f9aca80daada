"""What every PDF the site lays out with WeasyPrint shares: whether this machine can, and the templates.

WeasyPrint and a Japanese font are an optional extra (the talent guidebook, the paper
editions): without them the build goes on with an INFO line, and the pages offer no PDF.
"""

from __future__ import annotations

import ctypes.util
import functools
import importlib.util
import logging
import shutil
import subprocess

from jinja2 import Environment

from hub.output.templating import template_environment

PANGO_LIBRARIES = ("pango-1.0", "pangoft2-1.0")

# Under MkDocs' logger so that its build output shows the line; another front end may listen to it too.
log = logging.getLogger("mkdocs.hooks.hub.pdf")


def pdf_possible(name: str, missing: str | None) -> bool:
    """Whether `name` can be made here (`missing` is `pdf_unavailable()`); if not, an INFO line says why."""
    if missing:
        log.info(f"hub: {name} は作りません（skipped）: {missing}")
    return missing is None


@functools.lru_cache(maxsize=1)
def pdf_unavailable() -> str | None:
    """Why this machine cannot make a PDF, or None when it can."""
    if importlib.util.find_spec("weasyprint") is None:
        return "WeasyPrint がインストールされていません（pip install weasyprint）"
    # Importing WeasyPrint takes most of a second; the libraries it loads are looked up instead.
    missing = [library for library in PANGO_LIBRARIES if ctypes.util.find_library(library) is None]
    if missing:
        return f"WeasyPrint が使う {', '.join(missing)} が見つかりません（Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0）"
    if not japanese_font_installed():
        return "日本語フォントが見つかりません（Debian: apt-get install fonts-noto-cjk）"
    return None


def japanese_font_installed() -> bool:
    """Whether fontconfig, which WeasyPrint lays text out with, knows a font covering Japanese."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    result = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True, text=True, timeout=60, check=False)
    return bool(result.stdout.strip())


@functools.lru_cache(maxsize=1)
def print_environment() -> Environment:
    """The site's templates outside MkDocs: paths stay relative to docs/, which is the PDF's base URL."""
    environment = template_environment(trim=False, keep_trailing_newline=False)
    environment.filters["url"] = lambda path: path
    return environment
