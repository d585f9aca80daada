"""The web editing UI (Sveltia CMS) at /admin/: its configuration, generated from the schemas.

Every collection, key, required flag and vocabulary in `admin/config.yml` comes from the
same models and vocabulary file that `hub check` validates with, so the form cannot offer
what the validator refuses. The Sveltia bundle is copied from npm's `node_modules/` into
the site (no CDN); without it, /admin/ is a page that says how to install it.

Sveltia reads Decap's configuration format and signs in to GitHub with a personal access
token typed into its sign-in screen, so the published site needs no OAuth server. On
localhost it also edits a local clone through the browser's File System Access API, which
is how `make cms` works with no server beside `mkdocs serve`.

Options, all optional, under `extra.hub.cms` in mkdocs.yml:

    repo: owner/name            GitHub repository the editors commit to; else mkdocs.yml's
                                repo_url (https://github.com/owner/name), else the repository
                                GitHub Actions is building (GITHUB_REPOSITORY)
    branch: main
    auth_url: https://...       an OAuth helper, if the centre runs one: adds 「GitHub でサインイン」
                                beside the token sign-in
    auth_endpoint: auth         its path, if not the default
    editorial_workflow: true    every save becomes a pull request that CI checks before it publishes
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jinja2 import Template

from hub.collections import COLLECTIONS
from hub.core.collection import Collection
from hub.core.content import Site
from hub.core.options import Options, OptionSection
from hub.core.outputs import FileSpec
from hub.core.problems import display_path
from hub.core.settings import Settings
from hub.core.vocab import Vocabularies
from hub.editing.field_guide import BOOL, CHOICE, DATE, DATETIME, FILE, INT, OBJECT, RELATION, URL, Shape, shapes
from hub.editing.scaffold import template_key_order
from hub.guard.csp import protect_admin
from hub.output.templating import template_environment

ADMIN = "admin"
BUNDLE_DIR = Path("node_modules") / "@sveltia" / "cms" / "dist"
BUNDLE = "sveltia-cms.js"
CHUNKS = "chunks"  # loaded by the bundle on demand, from beside itself
PREVIEW = ("preview.js", "preview.css")  # the preview pane in the site's styles
UPLOADS = "assets/images/uploads"
# Stored with its offset, so the time is unambiguous whatever the browser's time zone; editors in Japan see JST.
DATETIME_FORMAT = "YYYY-MM-DD HH:mmZ"
DATE_FORMAT = "YYYY-MM-DD"
PRIVATE = "private"
DRAFT = "draft"
DRAFT_MARK = "【下書き】"
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MESSAGE = "半角英小文字・数字・ハイフンだけで書いてください（例: nishi-shotengai）"
URL_PATTERN = ["^https?://[^\\s/]+\\.[^\\s]+$", "https:// から始まる完全な URL を書いてください"]
PLACEHOLDER_REPO = "OWNER/REPOSITORY"
PLACEHOLDER_OWNERS = frozenset({"owner", "user", "username"})
GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
ACTIONS_REPOSITORY = "GITHUB_REPOSITORY"  # set by GitHub Actions to the repository it builds
_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")

log = logging.getLogger("mkdocs.hooks.hub.cms")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def cms_files(site: Site) -> Iterator[FileSpec]:
    """admin/index.html, admin/config.yml and the Sveltia bundle (when npm installed it)."""
    settings = site.settings
    dist = settings.root / BUNDLE_DIR
    bundle = bundle_files(dist)
    config = cms_config(settings, site.content.vocabularies)
    report_repo(settings)
    yield FileSpec(f"{ADMIN}/config.yml", dump_config(config).encode("utf-8"))
    yield FileSpec(f"{ADMIN}/index.html", admin_page(settings, has_bundle=bool(bundle)).encode("utf-8"))
    for name in PREVIEW:
        yield FileSpec(f"{ADMIN}/{name}", _template(name).render().encode("utf-8"))
    for path in bundle:
        yield FileSpec(f"{ADMIN}/{path.relative_to(dist).as_posix()}", path.read_bytes())


def bundle_files(dist: Path) -> list[Path]:
    """The bundle and the chunks it loads on demand; no source maps."""
    if not (dist / BUNDLE).is_file():
        return []
    return [dist / BUNDLE, *sorted((dist / CHUNKS).glob("*.js"))]


def admin_page(settings: Settings, has_bundle: bool) -> str:
    html = _template("index.html").render(site_name=settings.site_name, has_bundle=has_bundle, bundle=BUNDLE,
                                          preview=PREVIEW[0])
    return protect_admin(html)


def _template(name: str) -> Template:
    """The editing UI's files are the package's templates/cms/: the same loader as every template."""
    return template_environment(trim=False).get_template(f"cms/{name}")


def dump_config(config: dict[str, Any]) -> str:
    """Written by every preview rebuild: PyYAML's C emitter, where it was built, writes the same
    bytes as its pure-Python one in a fifth of the time."""
    header = "# mkdocs build が schemas と data/vocabularies.yml から生成します。手で編集しないでください。\n"
    return header + yaml.dump(config, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)


class CmsOptions(Options):
    """`extra.hub.cms`: where the web editor saves (see the module's docstring for each key)."""

    repo: str = ""
    branch: str = "main"
    auth_url: str = ""  # the backend's base_url: an OAuth helper's address
    auth_endpoint: str = ""
    editorial_workflow: bool = True


CMS_OPTIONS = OptionSection("cms", CmsOptions)


def cms_config(settings: Settings, vocabularies: Vocabularies,
               collections: dict[str, Collection] = COLLECTIONS) -> dict[str, Any]:
    options = CMS_OPTIONS.read(settings)
    config: dict[str, Any] = {
        "backend": _backend(options, cms_repo(settings)),
        # MkDocs passes docs_dir as an absolute path; the CMS wants it relative to the repository.
        "media_folder": f"{display_path(settings.root / settings.docs_dir, settings.root)}/{UPLOADS}",
        "public_folder": UPLOADS,
        # Optional keys left empty are not written; lists are indented under their key, as in the templates.
        "output": {"omit_empty_optional_fields": True, "yaml": {"indent_sequences": True}},
        # File names are URLs: ASCII only, typed by the editor (see collection_config).
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
    }
    if options.editorial_workflow:
        config["publish_mode"] = "editorial_workflow"
    if settings.site_url:
        config["site_url"] = config["display_url"] = settings.site_url
    config["collections"] = [collection_config(collection, settings, vocabularies)
                             for collection in collections.values()]
    return config


def cms_repo(settings: Settings, environ: Mapping[str, str] | None = None) -> str:
    """The repository the editors' saves are committed to, or the placeholder when nothing names one.

    A site published by GitHub Actions edits the repository it was built from, so
    GITHUB_REPOSITORY is enough there; a value written in mkdocs.yml comes first.
    """
    environ = os.environ if environ is None else environ
    written = CMS_OPTIONS.read(settings).repo.strip()
    return written or github_repo(settings.repo_url) or environ.get(ACTIONS_REPOSITORY, "").strip() \
        or PLACEHOLDER_REPO


def github_repo(url: str) -> str:
    """`https://github.com/owner/name` (or .git, or a trailing slash) as `owner/name`; else ""."""
    parts = urlsplit(url.strip())
    path = parts.path.strip("/").removesuffix(".git")
    if parts.hostname not in GITHUB_HOSTS or not _REPO.fullmatch(path):
        return ""
    return path


def is_placeholder(repo: str) -> bool:
    return not _REPO.fullmatch(repo) or repo.split("/")[0].lower() in PLACEHOLDER_OWNERS


def report_repo(settings: Settings, environ: Mapping[str, str] | None = None) -> None:
    """A published /admin/ that names no real repository cannot save anything.

    A placeholder written in mkdocs.yml is a warning (fatal under --strict: it would be
    published). Nothing written at all is only noted: a local build or preview of the
    sample needs no repository, and GitHub Actions supplies its own.
    """
    repo = cms_repo(settings, environ)
    if not is_placeholder(repo):
        return
    written = CMS_OPTIONS.read(settings).repo or github_repo(settings.repo_url)
    actions = "" if written else "。GitHub Actions での公開ではそのリポジトリが使われます"
    log.log(logging.WARNING if written else logging.INFO,
            f"hub: admin/config.yml の保存先リポジトリが仮の値 {repo} です。mkdocs.yml の repo_url"
            f"（https://github.com/OWNER/NAME）か extra.hub.cms.repo に実際のリポジトリを書いてください{actions}"
            f"（extra.hub.cms.repo / repo_url: the CMS would commit to a placeholder repository）")


def _backend(options: CmsOptions, repo: str) -> dict[str, Any]:
    """GitHub, signed in with a personal access token: nothing to deploy beside the site.
    An OAuth helper, when the centre runs one, adds the 「GitHub でサインイン」 button."""
    backend: dict[str, Any] = {"name": "github", "repo": repo, "branch": options.branch or "main"}
    if options.auth_url:
        backend["base_url"] = options.auth_url
        if options.auth_endpoint:
            backend["auth_endpoint"] = options.auth_endpoint
    else:
        backend["auth_methods"] = ["token"]
    return backend


def collection_config(collection: Collection, settings: Settings, vocabularies: Vocabularies) -> dict[str, Any]:
    """One collection of the form. A save writes the keys in the order of the form's fields, so
    the fields follow the order of `hub new`'s template (which the sample follows too), and an
    edit's diff is the edit rather than a reshuffled file."""
    fields = [widget(shape, vocabularies) for shape in shapes(collection.model, collection.name, vocabularies)]
    fields = _in_template_order([*fields, private_fields()], template_key_order(collection))
    fields.append({"label": "本文", "name": "body", "widget": "markdown", "required": False,
                   "hint": "見出しは ## から。ページの本文になります"})
    return {
        "name": collection.name,
        "label": collection.label,
        "label_singular": collection.label,
        "folder": f"{settings.content_dir}/{collection.name}",
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "identifier_field": "title",
        "slug": _slug(collection),
        "preview_path": f"{collection.path}/{{{{slug}}}}/",
        "summary": f"{{{{{DRAFT} | ternary('{DRAFT_MARK}', '')}}}}{{{{title}}}}",
        "sortable_fields": ["title"],
        "fields": fields,
    }


def _in_template_order(fields: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """Keys the template writes, in its order; any other key after them, in the schema's."""
    position = {key: index for index, key in enumerate(order)}
    return sorted(fields, key=lambda field: position.get(field["name"], len(position)))


def _slug(collection: Collection) -> dict[str, Any]:
    """File names are URLs, and a Japanese title has no ASCII form worth reading: the editor
    types the name when creating the entry (a required field of the new-entry screen), and
    it never changes afterwards, so published links keep working."""
    return {"editable": ["create"], "pattern": [SLUG_PATTERN, SLUG_MESSAGE],
            "hint": f"ページの URL（{collection.path}/この名前/）になります。半角英小文字・数字・ハイフンで、"
                    f"内容がわかる名前に（例: nishi-shotengai）。あとから変えられません"}


def private_fields() -> dict[str, Any]:
    """`private:` is never published, and the preview pane never shows it either."""
    return {"label": "スタッフ用メモ（公開されません）", "name": PRIVATE, "widget": "object", "required": False,
            "preview": False, "fields": [
                {"label": "メモ", "name": "note", "widget": "text", "required": False, "preview": False},
            ]}


def widget(shape: Shape, vocabularies: Vocabularies, inside_optional: bool = False) -> dict[str, Any]:
    """One Decap field for one key; lists of models become list widgets, models object widgets.

    Decap checks the required keys of an optional object even when the object is left
    empty, which would make every optional group (a period, an image) mandatory. Inside
    one, keys are optional in the form and `hub check` (run on every change) still
    reports a half-filled group.
    """
    field: dict[str, Any] = {"label": shape.label, "name": shape.key}
    if shape.kind == OBJECT:
        optional_group = not shape.required and not shape.many
        children = [widget(child, vocabularies, optional_group) for child in shape.children]
        field.update({"widget": "list" if shape.many else "object", "fields": children})
        if not shape.required:
            field["collapsed"] = True
    elif shape.kind == RELATION:
        field.update(_relation(shape))
    elif shape.kind == CHOICE:
        options = [{"label": label, "value": value} for value, label in _stored_choices(shape.choices(vocabularies))]
        field.update({"widget": "select", "options": options, "multiple": shape.many})
        if shape.many and shape.min_items:
            field["min"] = shape.min_items
    elif shape.many:
        single = {**_scalar(shape), "label": shape.label, "name": "item"}
        field.update({"widget": "list", "field": single})
    else:
        field.update(_scalar(shape))
    field["required"] = shape.required and not inside_optional
    hint = "この欄を使うときは必須" if shape.required and inside_optional else ""
    hint = "。".join(part for part in (hint, shape.help) if part)
    if hint:
        field["hint"] = hint
    if shape.default not in (None, [], {}):
        field["default"] = shape.default
    return field


def _relation(shape: Shape) -> dict[str, Any]:
    """Choose an entry of another collection by its title (or its reading, where it has one: typing
    「にし」 finds 西区…); the file keeps its slug (`group: <id>`)."""
    target = COLLECTIONS.get(shape.relation or "")
    reading = ["kana"] if target and "kana" in target.model.model_fields else []
    return {"widget": "relation", "collection": shape.relation, "value_field": "{{slug}}",
            "search_fields": ["title", *reading], "display_fields": ["title"], "multiple": shape.many}


def _stored_choices(choices: list[tuple[str, str]]) -> list[tuple[str | int, str]]:
    """Ids that are all numbers (the SDGs' 1 to 17) are written as numbers in the files, so the
    form's values must be numbers too, or a stored choice would show as unselected."""
    if choices and all(value.isdecimal() for value, _ in choices):
        return [(int(value), label) for value, label in choices]
    return list(choices)


def _scalar(shape: Shape) -> dict[str, Any]:
    if shape.kind == DATE:
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False}
    if shape.kind == DATETIME:
        return {"widget": "datetime", "format": DATETIME_FORMAT, "date_format": DATE_FORMAT, "time_format": "HH:mm"}
    if shape.kind == BOOL:
        return {"widget": "boolean"}
    if shape.kind == INT:
        return {"widget": "number", "value_type": "int"}
    if shape.kind == URL:
        return {"widget": "string", "pattern": URL_PATTERN}
    if shape.kind == FILE:
        return {"widget": "image" if "image" in shape.path[0] else "file"}
    return {"widget": "text" if shape.long_text else "string"}
