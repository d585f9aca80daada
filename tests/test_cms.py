"""admin/config.yml for Sveltia CMS: generated from the schemas and vocabularies, for any collection."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
import yaml
from bs4 import BeautifulSoup
from sitebuild import PROJECT, build, copy_project

from hub.collections import COLLECTIONS
from hub.core.collection import Collection, EntryMeta, by_date
from hub.core.content import Site
from hub.core.fields import HubModel, IsoDate, LocalDateTime, LocalFile, TermId, TermIds, Text, WebUrl
from hub.core.settings import Settings
from hub.editing.cms import BUNDLE_DIR, admin_page, bundle_files, cms_config, cms_files, cms_repo, dump_config
from hub.editing.field_guide import shapes
from hub.reading.loader import Project, load_content


class Place(HubModel):
    name: Text
    ward: TermId("wards") | None = None  # type: ignore[valid-type]


class Meeting(HubModel):
    start: LocalDateTime
    place: Place | None = None


class FakeMeta(EntryMeta):
    title: Text
    date: IsoDate
    summary: Text
    wards: TermIds("wards")  # type: ignore[valid-type]
    level: Literal["easy", "hard"] = "easy"
    seats: int | None = None
    url: WebUrl | None = None
    photo: LocalFile | None = None
    notes: list[Text] = []
    place: Place | None = None
    meetings: list[Meeting] = []


FAKE = Collection(name="workshops", label="ワークショップ", model=FakeMeta, sort_key=by_date)


@pytest.fixture
def vocabularies(hub_project):
    return hub_project.load().vocabularies


@pytest.fixture
def settings(hub_project) -> Settings:
    return Settings.find(hub_project.root)


def _fields(config: dict, collection: str) -> dict[str, dict]:
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {field["name"]: field for field in found["fields"]}


def _dumped(config: dict) -> dict:
    """What the CMS reads: the YAML text, parsed again."""
    return yaml.safe_load(dump_config(config))


def test_fake_collection_gets_a_form_from_its_model_alone(settings, vocabularies) -> None:
    config = _dumped(cms_config(settings, vocabularies, {"workshops": FAKE}))
    collection = config["collections"][0]
    assert collection["label"] == "ワークショップ" and collection["folder"] == "content/workshops"
    fields = _fields(config, "workshops")
    # No template of its own: the schema's order, then the staff note and the body.
    assert list(fields) == [*(name for name in FakeMeta.model_fields if name != "draft"), "draft", "private", "body"]
    assert fields["date"]["widget"] == "datetime" and fields["date"]["time_format"] is False
    wards = fields["wards"]
    assert wards["widget"] == "select" and wards["multiple"] is True and wards["min"] == 1
    assert {"label": "西区", "value": "nishi"} in wards["options"]
    assert len(wards["options"]) == len(vocabularies["wards"].terms)
    assert fields["level"]["options"] == [{"label": "easy", "value": "easy"}, {"label": "hard", "value": "hard"}]
    assert fields["level"]["default"] == "easy"
    assert fields["seats"] == {"label": "seats", "name": "seats", "widget": "number", "value_type": "int",
                               "required": False}
    assert fields["url"]["pattern"][0].startswith("^https?://")
    assert fields["photo"]["widget"] == "file"
    assert fields["notes"]["widget"] == "list" and fields["notes"]["field"]["widget"] == "string"
    assert fields["draft"]["widget"] == "boolean" and fields["draft"]["default"] is False


def test_nested_models_become_object_and_list_widgets(settings, vocabularies) -> None:
    fields = _fields(_dumped(cms_config(settings, vocabularies, {"workshops": FAKE})), "workshops")
    place = fields["place"]
    assert place["widget"] == "object" and place["required"] is False
    inner = {field["name"]: field for field in place["fields"]}
    # The CMS would demand the name even when the whole optional place is left empty; hub check still does.
    assert inner["name"]["required"] is False and "必須" in inner["name"]["hint"]
    assert inner["ward"]["widget"] == "select" and inner["ward"]["multiple"] is False
    meetings = fields["meetings"]
    assert meetings["widget"] == "list"
    meeting = {field["name"]: field for field in meetings["fields"]}
    assert meeting["start"]["required"] is True  # a meeting that exists needs its start
    assert meeting["start"]["format"] == "YYYY-MM-DD HH:mmZ" and meeting["start"]["time_format"] == "HH:mm"
    assert meeting["place"]["widget"] == "object"


def test_the_editor_types_a_meaningful_url_name_once_and_drafts_are_marked(settings, vocabularies) -> None:
    """A Japanese title has no readable ASCII form: the URL name is a field of the new-entry screen."""
    collection = _dumped(cms_config(settings, vocabularies, {"workshops": FAKE}))["collections"][0]
    assert collection["slug"]["editable"] == ["create"] and "template" not in collection["slug"]
    assert collection["slug"]["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$" and "workshops/" in collection["slug"]["hint"]
    assert collection["summary"] == "{{draft | ternary('【下書き】', '')}}{{title}}"


def test_numeric_ids_are_stored_as_numbers_and_fields_follow_the_template(settings, vocabularies) -> None:
    """The SDGs are numbers in the files; a form with string values would show them unselected.
    A save writes keys in the form's order: the template's, so an edit's diff is the edit."""
    config = _dumped(cms_config(settings, vocabularies))
    cases = _fields(config, "cases")
    assert [option["value"] for option in cases["sdgs"]["options"]] == list(range(1, 18))
    assert all(isinstance(option["value"], str) for option in cases["wards"]["options"])
    assert list(cases)[:8] == ["title", "date", "updated", "summary", "themes", "sectors", "wards", "sdgs"]
    private = cases["private"]
    assert private["preview"] is False and [field["preview"] for field in private["fields"]] == [False]


def test_every_registered_collection_is_in_the_config_with_every_key(hub_project, settings, vocabularies) -> None:
    config = _dumped(cms_config(settings, vocabularies))
    assert [c["name"] for c in config["collections"]] == list(COLLECTIONS)
    for collection in COLLECTIONS.values():
        fields = _fields(config, collection.name)
        assert set(fields) == set(collection.model.model_fields) | {"private", "body"}
        for shape in shapes(collection.model, collection.name, vocabularies):
            field = fields[shape.key]
            assert field["label"] and field["required"] is shape.required
            if shape.vocabulary:
                ids = [str(option["value"]) for option in field["options"]]
                assert ids == [term.id for term in vocabularies[shape.vocabulary].terms]


def test_github_with_a_token_and_every_save_a_pull_request_by_default(hub_project, vocabularies) -> None:
    hub_project.write("mkdocs.yml", "site_name: t\nsite_url: https://example.org/hub/\nextra:\n  hub:\n"
                      "    cms:\n      repo: centre/hub\n")
    config = _dumped(cms_config(Settings.find(hub_project.root), vocabularies))
    assert config["backend"] == {"name": "github", "repo": "centre/hub", "branch": "main", "auth_methods": ["token"]}
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config and "locale" not in config  # Sveltia knows neither
    assert config["output"]["omit_empty_optional_fields"] is True
    assert config["site_url"] == "https://example.org/hub/"
    assert config["media_folder"] == "docs/assets/images/uploads"


def test_an_oauth_helper_adds_its_sign_in_and_the_workflow_can_be_turned_off(hub_project, vocabularies) -> None:
    hub_project.write("mkdocs.yml", "site_name: t\nextra:\n  hub:\n    cms:\n      repo: centre/hub\n"
                      "      auth_url: https://auth.example.org\n      editorial_workflow: false\n")
    config = _dumped(cms_config(Settings.find(hub_project.root), vocabularies))
    assert config["backend"] == {"name": "github", "repo": "centre/hub", "branch": "main",
                                 "base_url": "https://auth.example.org"}
    assert "publish_mode" not in config


def test_paths_are_relative_to_the_repository_even_when_mkdocs_gives_absolute_ones(hub_project, vocabularies) -> None:
    root = hub_project.root
    settings = Settings.from_mapping(root, {}, str(root / "docs"), None, "t")  # as the MkDocs adapter builds it
    config = _dumped(cms_config(settings, vocabularies))
    assert config["media_folder"] == "docs/assets/images/uploads"
    assert str(root) not in dump_config(config)


def test_without_the_bundle_admin_is_a_japanese_notice(hub_project) -> None:
    settings = Settings.find(hub_project.root)
    content = hub_project.load()
    files = {spec.src_uri: spec.data() for spec in cms_files(Site(content, None, settings))}  # type: ignore[arg-type]
    assert set(files) == {"admin/index.html", "admin/config.yml", "admin/preview.js", "admin/preview.css"}
    page = BeautifulSoup(files["admin/index.html"].decode("utf-8"), "lxml")
    assert page.html["lang"] == "ja"
    assert "npm ci" in page.get_text() and page.find("script") is None
    assert page.find("link") is None  # the CMS finds config.yml beside the page by itself


def test_with_the_bundle_admin_loads_it_and_the_chunks_are_copied(hub_project) -> None:
    dist = hub_project.root / BUNDLE_DIR
    for name in ("sveltia-cms.js", "sveltia-cms.js.map", "sveltia-cms.mjs", "chunks/react-dom.js",
                 "chunks/react-dom.js.map"):
        hub_project.write(f"{BUNDLE_DIR.as_posix()}/{name}", f"/* {name} */")
    assert [path.relative_to(dist).as_posix() for path in bundle_files(dist)] == ["sveltia-cms.js",
                                                                                   "chunks/react-dom.js"]
    settings = Settings.find(hub_project.root)
    page = BeautifulSoup(admin_page(settings, has_bundle=True), "lxml")
    assert [script["src"] for script in page.find_all("script")] == ["sveltia-cms.js", "preview.js"]
    files = {spec.src_uri for spec in cms_files(Site(hub_project.load(), None, settings))}  # type: ignore[arg-type]
    assert {"admin/chunks/react-dom.js", "admin/preview.js", "admin/preview.css"} <= files
    assert not {name for name in files if name.endswith(".map")}


def test_config_is_generated_from_the_real_project_and_says_so() -> None:
    settings = Settings.find(PROJECT)
    content = load_content(Project.from_settings(settings))
    text = dump_config(cms_config(settings, content.vocabularies))
    assert text.startswith("# mkdocs build が")
    assert yaml.safe_load(text)["collections"][0]["name"] == next(iter(COLLECTIONS))


def test_config_has_the_bytes_of_the_pure_python_dumper() -> None:
    """The C emitter is only faster: the published config.yml stays the same bytes."""
    settings = Settings.find(PROJECT)
    config = cms_config(settings, load_content(Project.from_settings(settings)).vocabularies)
    expected = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
    assert dump_config(config).split("\n", 1)[1] == expected



def _with_config(project: Path, top: str = "", cms: str = "") -> None:
    """Adds top-level keys and extra.hub.cms keys to the copied sample's mkdocs.yml."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if cms:
        text = text.replace("  hub:\n", f"  hub:\n    cms:\n{cms}", 1)
    config.write_text(top + text, encoding="utf-8")


def test_published_config_names_the_repository_of_repo_url(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    project = copy_project(tmp_path / "project")
    _with_config(project, top="repo_url: https://github.com/yokohama-example/hub\n")
    result = build(project)
    assert result.returncode == 0, result.stderr
    published = yaml.safe_load((project / "site" / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert published["backend"]["repo"] == "yokohama-example/hub"
    assert "OWNER/REPOSITORY" not in result.stderr


def test_a_placeholder_repository_is_a_warning_that_stops_a_strict_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "centre/hub")  # a value written in mkdocs.yml comes first
    project = copy_project(tmp_path / "project")
    _with_config(project, cms="      repo: OWNER/REPOSITORY\n")
    result = build(project)
    assert result.returncode != 0
    warning = next(line for line in result.stderr.splitlines() if "admin/config.yml" in line)
    assert warning.startswith("WARNING") and "OWNER/REPOSITORY" in warning and "extra.hub.cms.repo" in warning
    assert not (project / "site").exists(), "nothing is published"


def test_repository_comes_from_the_setting_then_repo_url_then_github_actions(hub_project) -> None:
    def repo(config: str, environ: dict[str, str]) -> str:
        hub_project.write("mkdocs.yml", "site_name: t\n" + config)
        return cms_repo(Settings.find(hub_project.root), environ)

    actions = {"GITHUB_REPOSITORY": "centre/from-actions"}
    setting = "extra:\n  hub:\n    cms:\n      repo: centre/from-setting\n"
    assert repo("repo_url: https://github.com/centre/from-url\n" + setting, actions) == "centre/from-setting"
    assert repo("repo_url: https://github.com/centre/from-url.git\n", actions) == "centre/from-url"
    assert repo("repo_url: https://github.com/centre/from-url/\n", {}) == "centre/from-url"
    assert repo("repo_url: https://gitlab.com/centre/elsewhere\n", actions) == "centre/from-actions"
    assert repo("", actions) == "centre/from-actions"
    assert repo("", {}) == "OWNER/REPOSITORY"


def test_nothing_naming_the_repository_is_only_a_note(hub_project, caplog, monkeypatch) -> None:
    """A local build of the sample needs no repository (the conftest sample builds with --strict);
    GitHub Actions supplies its own when it publishes."""
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    settings = Settings.find(hub_project.root)
    with caplog.at_level("INFO", logger="mkdocs.hooks.hub.cms"):
        files = {spec.src_uri: spec.data() for spec in cms_files(Site(hub_project.load(), None, settings))}  # type: ignore[arg-type]
    assert yaml.safe_load(files["admin/config.yml"])["backend"]["repo"] == "OWNER/REPOSITORY"
    [note] = [record for record in caplog.records if "admin/config.yml" in record.getMessage()]
    assert note.levelname == "INFO" and "repo_url" in note.getMessage()


def test_a_placeholder_in_repo_url_warns_and_another_host_only_notes(hub_project, caplog, monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    levels = {}
    for url in ("https://github.com/OWNER/REPOSITORY", "https://gitlab.com/centre/hub"):
        hub_project.write("mkdocs.yml", f"site_name: t\nrepo_url: {url}\n")
        caplog.clear()
        with caplog.at_level("INFO", logger="mkdocs.hooks.hub.cms"):
            list(cms_files(Site(hub_project.load(), None, Settings.find(hub_project.root))))  # type: ignore[arg-type]
        [record] = [record for record in caplog.records if "admin/config.yml" in record.getMessage()]
        levels[url] = record.levelname
    assert levels == {"https://github.com/OWNER/REPOSITORY": "WARNING", "https://gitlab.com/centre/hub": "INFO"}
