"""`group: <id>` in a case's partners, an event's organisers and a talent's affiliations:
unknown ids are problems on their lines with 「もしかして」 and the other files that refer to
the same id; known ids take the group's current name, website and page."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from hub.core.collection import Entry
from hub.core.content import Content
from hub.core.problems import ContentError
from hub.core.references import GROUPS, Party, entries_naming
from hub.core.settings import Settings
from hub.editing.cms import cms_config
from hub.reading.references import link_groups

GROUP = "nishi-bousai-net"
NAME = "西区防災ネットワーク"


def with_groups(content: Content, **titles: str) -> Content:
    """`content` with published groups of these ids and names (as the groups collection loads them)."""
    groups = [Entry(GROUPS, slug.replace("_", "-"), SimpleNamespace(title=title, website="https://example.org/bousai"),
                    "", f"content/{GROUPS}/{slug}.md") for slug, title in titles.items()]
    return dataclasses.replace(content, entries={**content.entries, GROUPS: groups})


def partners(*lines: str) -> str:
    return "\n" + "".join(f"  - {line}\n" for line in lines)


def test_a_partner_named_by_group_takes_the_groups_name_website_and_page(hub_project) -> None:
    hub_project.write_case("bousai", partners=partners(f"group: {GROUP}", "name: 西区役所\n    sector: government"))
    content = link_groups(with_groups(hub_project.load(), nishi_bousai_net=NAME), hub_project.root)
    group_partner, named = content["cases"][0].meta.partners
    assert (group_partner.name, group_partner.url, group_partner.page) == (NAME, "https://example.org/bousai",
                                                                           f"{GROUPS}/{GROUP}/")
    assert (named.name, named.page, named.sector) == ("西区役所", None, "government")
    assert entries_naming(content)[GROUP] == {"cases": [content["cases"][0]]}


def test_renaming_a_group_renames_it_wherever_it_is_named(hub_project) -> None:
    hub_project.write_case("bousai", partners=partners(f"group: {GROUP}"))
    loaded = hub_project.load()
    for title in (NAME, "西区防災ネット（新しい名前）"):
        content = link_groups(with_groups(loaded, nishi_bousai_net=title), hub_project.root)
        assert content["cases"][0].meta.partners[0].name == title


def test_an_unknown_group_is_a_problem_on_its_line_with_a_suggestion_and_the_other_files(hub_project) -> None:
    hub_project.write_case("a", partners=partners("name: 西区役所", "group: nishi-bousai"))
    hub_project.write_case("b", partners=partners("group: nishi-bousai"))
    with pytest.raises(ContentError) as raised:
        link_groups(with_groups(hub_project.load(), nishi_bousai_net=NAME), hub_project.root)
    found = {problem.path: problem for problem in raised.value.problems}
    assert set(found) == {"content/cases/a.md", "content/cases/b.md"}
    first = found["content/cases/a.md"]
    text = (hub_project.root / first.path).read_text(encoding="utf-8").splitlines()
    assert "group: nishi-bousai" in text[first.line - 1] and first.key == "partners.group"
    assert "「nishi-bousai」という登録団体はありません" in first.message
    assert "content/cases/b.md" in first.message, "the other file that refers to the same id"
    assert f"もしかして {GROUP}（{NAME}）？" in first.hint
    assert "元に戻す" in first.hint


def test_a_party_is_a_group_or_a_name_never_both(hub_project) -> None:
    hub_project.write_case("both", partners=partners(f"group: {GROUP}\n    name: 西区防災ネットワーク"))
    hub_project.write_case("group-url", partners=partners(f"group: {GROUP}\n    url: https://example.org/"))
    problems = {problem.path: problem for problem in hub_project.problems()}
    assert "どちらか一方" in problems["content/cases/both.md"].message
    assert "website:" in problems["content/cases/group-url.md"].hint


def test_an_events_organisers_and_a_talents_affiliations_name_groups_too() -> None:
    from hub.collections.events.schema import EventMeta
    from hub.collections.talents.schema import TalentMeta

    assert Party(group=GROUP).group == GROUP
    for model, key in ((EventMeta, "organizer"), (EventMeta, "co_organizers"), (TalentMeta, "affiliations")):
        assert "Party" in str(model.model_fields[key].annotation), key


def test_the_editing_ui_chooses_a_group_by_name(hub_project) -> None:
    settings = Settings.find(hub_project.root)
    config = cms_config(settings, hub_project.load().vocabularies)
    cases = next(collection for collection in config["collections"] if collection["name"] == "cases")
    partner = next(field for field in cases["fields"] if field["name"] == "partners")
    group = next(field for field in partner["fields"] if field["name"] == "group")
    assert group["widget"] == "relation" and group["collection"] == GROUPS
    assert group["value_field"] == "{{slug}}" and group["display_fields"] == ["title"]
    assert group["search_fields"] == ["title", "kana"]


# --- the sample site -------------------------------------------------------------------------


def _page(site, path: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def _lists(site, group: str) -> dict[str, list[str]]:
    return {section.h2.get_text(strip=True): [a["href"] for a in section.select("a")]
            for section in _page(site, f"groups/{group}").select(".hub-group__references")}


def test_a_groups_page_lists_the_entries_that_name_it_and_they_link_back(site) -> None:
    assert _lists(site, "aoba-satoyama") == {"この団体の協働事例": ["../../cases/aoba-satoyama-youth/"]}
    assert _lists(site, "tobe-mimamori") == {"この団体の協働事例": ["../../cases/nishi-shotengai-tasedai/"],
                                             "募集中のボランティア": ["../../volunteer/tobe-mimamori-visit/"],
                                             "この団体の終わったイベント・講座": ["../../events/chiiki-zukuri-nishi-2020/"]}
    assert _lists(site, "nishi-kodomo-shokudo")["所属している街の名人・達人"] == ["../../talents/balloon-art/"]
    back = {"cases/aoba-satoyama-youth": ".hub-partners a", "cases/nishi-shotengai-tasedai": ".hub-partners a", "events/chiiki-zukuri-nishi-2020": ".hub-event__co-organizers a",
            "talents/balloon-art": ".hub-partners a", "volunteer/tobe-mimamori-visit": ".hub-volunteer__organiser a"}
    for path, selector in back.items():
        links = {a.get_text(strip=True): a["href"] for a in _page(site, path).select(selector)}
        group = {"cases/aoba-satoyama-youth": "aoba-satoyama", "talents/balloon-art": "nishi-kodomo-shokudo"}.get(
            path, "tobe-mimamori")  # named by a case, an event and a recruitment
        title = _page(site, f"groups/{group}").h1.get_text(strip=True)
        assert links.get(title) == f"../../groups/{group}/", path


def test_walks_skip_only_fields_whose_type_cannot_hold_what_they_look_for() -> None:
    """group_ids and urls_in look only at fields that may hold a model (or text): a field is left
    out only when its declared type proves it, and anything unforeseen is looked at."""
    from datetime import date
    from typing import Annotated, Any, Literal

    from pydantic import BaseModel

    from hub.core.walking import fields_that_may_hold

    class Inner(BaseModel):
        name: str

    class Outer(BaseModel):
        day: date
        maybe_day: date | None = None
        count: int = 0
        kind: Literal["a", "b"] = "a"
        text: Annotated[str, "note"] = ""
        words: list[str] = []
        inner: Inner | None = None
        inners: tuple[Inner, ...] = ()
        table: dict[str, Inner] = {}
        anything: Any = None

    assert fields_that_may_hold(Outer, (BaseModel,)) == ("inner", "inners", "table", "anything")
    assert fields_that_may_hold(Outer, (str, BaseModel)) == (
        "kind", "text", "words", "inner", "inners", "table", "anything")
