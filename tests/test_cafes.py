"""The cafes collection: what editors write, the errors they get, ward counts, the tile map and URLs."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REPO

from hub.collections import COLLECTIONS
from hub.collections.cafes.recurrence import LAST
from hub.collections.cafes.ward_map import LAYOUT, ward_counts, ward_map
from hub.collections.pages import collection_pages
from hub.core.collection import Collection, EntryMeta, Taxonomy
from hub.core.content import Site
from hub.core.outputs import PageSpec
from hub.core.vocab import Vocabularies
from hub.editing.cms import collection_config

CAFE = """\
---
title: オレンジカフェ ふじだな
ward: nishi
summary: 認知症の方とご家族が気軽に立ち寄れるカフェです。
schedule:
{schedule}
venue:
  name: 藤棚地区センター 和室
  address: 横浜市西区藤棚町2丁目
host:
  name: ふじだなカフェの会
listed: 2020-04-01
{extra}---

本文です。
"""
# Line numbers in CAFE: 2 title, 3 ward, 4 summary, 5 schedule, 6.. the schedule's own lines.
VALID_SCHEDULE = "  weekday: 水\n  weeks: [2]\n  time: 14:00-16:00"


def write_cafe(hub_project, schedule: str = VALID_SCHEDULE, extra: str = "", name: str = "fujidana"):
    return hub_project.write(f"content/cafes/{name}.md", CAFE.format(schedule=schedule, extra=extra))


def only_problem(hub_project):
    problems = hub_project.problems()
    assert len(problems) == 1, [problem.render() if hasattr(problem, "render") else problem for problem in problems]
    return problems[0]


def test_a_valid_cafe_loads_with_japanese_names(hub_project) -> None:
    write_cafe(hub_project, "  weekday: 土曜日\n  weeks: [最終]\n  time: 10:00〜12:00\n  skip: 2021-02-27",
               extra="reservation: 要予約\ncontact:\n  org: ふじだなカフェの会\n  url: https://example.org/fujidana\n")
    cafe = hub_project.load()["cafes"][0]
    schedule = cafe.meta.schedule
    assert (schedule.weekday, schedule.weeks, schedule.skip) == ("sat", [LAST], [date(2021, 2, 27)])
    assert schedule.label == "毎月最終土曜 10:00〜12:00"
    assert cafe.meta.reservation == "required"
    assert cafe.url == "machikado-care/cafes/fujidana/"


@pytest.mark.parametrize(("written", "suggested"), [
    ("第2水曜 14:00-16:00", "schedule: {weekday: 水, weeks: [2], time: 14:00-16:00}"),
    ("毎月第1・第3土曜日 10:00〜12:00", "schedule: {weekday: 土, weeks: [1, 3], time: 10:00〜12:00}"),
    ("最終金曜", "schedule: {weekday: 金, weeks: [last], time: 14:00-16:00}"),
    ("毎週木曜 10:00-11:30", "schedule: {weekday: 木, time: 10:00-11:30}"),
])
def test_schedule_written_on_one_line_gets_its_yaml_as_the_hint(hub_project, written, suggested) -> None:
    hub_project.write("content/cafes/oneline.md",
                      CAFE.replace("schedule:\n{schedule}", f"schedule: {written}").format(extra=""))
    problem = only_problem(hub_project)
    assert (problem.line, problem.key) == (5, "schedule")
    assert "曜日・週・時間に分けて" in problem.message
    assert suggested in problem.hint


@pytest.mark.parametrize(("schedule", "line", "key", "words"), [
    ("  weekday: 水よう\n  time: 14:00-16:00", 6, "schedule.weekday", "曜日として読めません"),
    ("  weekday: 水\n  weeks: [6]\n  time: 14:00-16:00", 7, "schedule.weeks", "第何週"),
    ("  weekday: 水\n  time: 14:00", 7, "schedule.time", "開始-終了"),
    ("  weekday: 水\n  time: 16:00-14:00", 7, "schedule.time", "より前か同じ"),
    ("  weekday: 水\n  time: 25:00-26:00", 7, "schedule.time", "存在しない時刻"),
    ("  weekday: 水\n  weeks: [2]\n  time: 14:00-16:00\n  skip: [2021-02-17]", 9, "schedule.skip", "開催日ではありません"),
    ("  weeks: [2]\n  time: 14:00-16:00", 5, "schedule.weekday", "必須"),
])
def test_schedule_mistakes_point_at_their_line(hub_project, schedule, line, key, words) -> None:
    write_cafe(hub_project, schedule)
    problem = only_problem(hub_project)
    assert (problem.line, problem.key) == (line, key)
    assert words in problem.message
    assert problem.hint


def test_listed_is_required_and_updated_not_before_it(hub_project) -> None:
    write_cafe(hub_project, extra="updated: 2020-01-01\n")
    problem = only_problem(hub_project)
    assert problem.key == "updated" and "掲載日" in problem.message


def test_news_date_is_the_listing_date(hub_project) -> None:
    write_cafe(hub_project)
    cafe = hub_project.load()["cafes"][0]
    assert COLLECTIONS["cafes"].news_date(cafe) == date(2020, 4, 1)


def test_ward_counts_cover_every_ward_and_the_map_places_each() -> None:
    wards = Vocabularies.load(REPO / "data" / "vocabularies.yml", "data/vocabularies.yml")["wards"]
    counts = ward_counts(wards, ["nishi", "naka", "nishi", "kohoku", "nishi"])
    assert list(counts) == [term.id for term in wards.terms] and len(counts) == 18
    assert (counts["nishi"], counts["naka"], counts["kohoku"], counts["aoba"]) == (3, 1, 1, 0)
    drawn = ward_map(wards, counts)
    assert {tile.term.id for tile in drawn.tiles} == set(LAYOUT) == {term.id for term in wards.terms}
    assert len({(tile.column, tile.row) for tile in drawn.tiles}) == 18, "no two wards share a tile"
    levels = {tile.term.id: tile.level for tile in drawn.tiles}
    assert (levels["nishi"], levels["naka"], levels["aoba"]) == (3, 1, 0)
    assert "18区のうち3区" in drawn.description and "西区 3件" in drawn.description
    assert "まだないのは" in drawn.description and "青葉区" in drawn.description


class WorkshopMeta(EntryMeta):
    wards: list[str]


def test_url_base_moves_every_generic_url_of_a_collection(hub_project) -> None:
    """A collection with url_base gets its index, entries, term pages and CMS preview under that path."""
    hub_project.write("content/workshops/one.md", "---\ntitle: 木工\nsummary: 木工の会\nwards: [nishi]\n---\n")
    workshops = Collection("workshops", "ワークショップ", WorkshopMeta, sort_key=lambda entry: entry.slug,
                           taxonomies=(Taxonomy("wards", "wards"),), url_base="learn/workshops")
    from hub.core.settings import Settings
    from hub.reading.loader import load_content

    content = load_content(hub_project.project(), {"workshops": workshops})
    entry = content["workshops"][0]
    assert entry.url == "learn/workshops/one/"
    site = Site(content, None, Settings.find(hub_project.root))  # type: ignore[arg-type]
    pages = [page for page in collection_pages(workshops, site) if isinstance(page, PageSpec)]
    assert {page.url for page in pages} >= {"learn/workshops/", "learn/workshops/one/", "learn/workshops/wards/",
                                            "learn/workshops/wards/nishi/"}
    assert all(page.url.startswith("learn/workshops/") for page in pages)
    config = collection_config(workshops, Settings.find(hub_project.root), content.vocabularies)
    assert config["preview_path"] == "learn/workshops/{{slug}}/"
    assert config["folder"].endswith("content/workshops")
