"""The hub's content engine: collections, vocabularies, validation and page data.

The engine does not import MkDocs; `hub.build.mkdocs_adapter` is one front end over it.
"""

from pathlib import Path

# Templates and assets ship inside the package (pyproject's package-data).
PACKAGE_DIR = Path(__file__).parent
# Everything the hub keeps between runs, beside the project: safe to delete (`make clean`).
CACHE_ROOT = Path(".cache") / "hub"
