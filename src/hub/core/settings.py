"""The hub's settings: the `extra.hub` mapping of mkdocs.yml, read the same way by the CLI and the build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "mkdocs.yml"


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV or !!python/name; the hub's own keys never do."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_constructor("tag:yaml.org,2002:timestamp", _TolerantLoader.construct_yaml_str)


@dataclass(frozen=True)
class Settings:
    root: Path
    docs_dir: str = "docs"
    content_dir: str = "content"
    vocabularies: str = "data/vocabularies.yml"
    now: str | None = None
    site_url: str = ""
    site_name: str = ""
    repo_url: str = ""  # mkdocs.yml's repo_url: where the site's source lives
    options: dict[str, Any] = field(default_factory=dict)  # the whole extra.hub mapping, for generators

    @classmethod
    def from_mapping(cls, root: Path, hub: dict[str, Any] | None, docs_dir: str = "docs",
                     site_url: str | None = None, site_name: str | None = None,
                     repo_url: str | None = None) -> "Settings":
        hub = dict(hub or {})
        return cls(root=root, docs_dir=_under(root, docs_dir),
                   content_dir=str(hub.get("content_dir", cls.content_dir)),
                   vocabularies=str(hub.get("vocabularies", cls.vocabularies)),
                   now=str(hub["now"]) if hub.get("now") else None,
                   site_url=site_url or "", site_name=site_name or "", repo_url=repo_url or "", options=hub)

    def absolute_url(self, path: str) -> str:
        """A site path such as `cases/foo/` as an absolute URL, for feeds, calendars and e-mail."""
        return self.site_url.rstrip("/") + "/" + path.lstrip("/")

    @classmethod
    def find(cls, start: Path) -> "Settings":
        """Read mkdocs.yml in `start` or the nearest folder above it."""
        for folder in (start, *start.parents):
            config_file = folder / CONFIG_FILE
            if config_file.is_file():
                config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
                return cls.from_mapping(folder, (config.get("extra") or {}).get("hub"),
                                        str(config.get("docs_dir", "docs")),
                                        config.get("site_url"), config.get("site_name"), config.get("repo_url"))
        raise FileNotFoundError(f"{CONFIG_FILE} が見つかりません（run inside the project）")


def config_line(root: Path, keys: tuple[str, ...]) -> int:
    """The line of a key in mkdocs.yml. Composing (not loading) accepts tags such as !ENV."""
    try:
        node = yaml.compose((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return 1
    line = 1
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        found = next(((k, v) for k, v in node.value if k.value == key), None)
        if found is None:
            break
        line, node = found[0].start_mark.line + 1, found[1]
    return line


def _under(root: Path, folder: str) -> str:
    """MkDocs names docs_dir by its absolute path; relative to the project, the settings of two
    copies of one project are equal (what a build keeps is found by their digest)."""
    path = Path(folder)
    return path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else folder
