"""Events: the engine's timing rules, and the built sample site read the way its consumers read it.

Calendars are parsed with the `icalendar` parser, pages with an HTML parser, and the
schema.org data with `json`; every value is compared with the front matter it came from.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar, Timezone
from icalendar.parser import Contentline
from sitebuild import PROJECT, SAMPLE_EPOCH, build, copy_project

from hub.collections.events.jsonld import iso
from hub.collections.events.occurrences import badges as badges_of
from hub.collections.events.occurrences import (
    calendar_months,
    coming_up,
    has_ended,
    month_grid,
    next_occurrence,
    occurrences,
    place_of,
    split,
)
from hub.core.collection import Entry
from hub.core.content import Content, Site
from hub.core.outputs import FileSpec
from hub.core.settings import Settings
from hub.output.calendar_ics import (TZID, CalendarInfo, CalendarItem, _folded, calendar_bytes, google_calendar_url,
                                    vcalendar, vevent, webcal_url)
from hub.output.site import generate, linked_content
from hub.reading.loader import Project

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime.fromtimestamp(int(SAMPLE_EPOCH), TOKYO)  # 2021-02-01 09:00 JST
SITE_URL = "https://example.github.io/hub/"
STATUS = {"scheduled": "EventScheduled", "full": "EventScheduled", "cancelled": "EventCancelled",
          "postponed": "EventPostponed", "moved-online": "EventMovedOnline"}
MODE = {"offline": "OfflineEventAttendanceMode", "online": "OnlineEventAttendanceMode",
        "mixed": "MixedEventAttendanceMode"}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.find(PROJECT)


@pytest.fixture(scope="module")
def content(settings: Settings) -> Content:
    return linked_content(Project.from_settings(settings))  # parties name their groups as pages do


@pytest.fixture(scope="module")
def events(content: Content) -> dict[str, Entry]:
    return {entry.slug: entry for entry in content["events"]}


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def ics(site: Path, path: str) -> Calendar:
    return Calendar.from_ical((site / path).read_bytes())


def resolve(url: str, href: str) -> str:
    """A relative href on the page at `url` as a site path such as `events/foo/`."""
    parts = [p for p in url.split("/") if p]
    for piece in href.split("#")[0].split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts) + ("/" if href.split("#")[0].endswith("/") else "")


def visible_badges(node) -> list[str]:
    return [badge.get_text(strip=True) for badge in node.select(".hub-badges .hub-badge") if not badge.has_attr("hidden")]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


# --- the sample ------------------------------------------------------------------------------

def test_sample_covers_the_season_and_what_the_plan_asks_for(events: dict[str, Entry]) -> None:
    assert len(events) >= 15
    assert all(date(2020, 4, 1) <= entry.meta.start.date() <= date(2021, 3, 31) for entry in events.values())
    by_series = Counter(entry.meta.series for entry in events.values())
    assert by_series["mirai-link-forum"] == 2
    assert by_series["npo-basics-online"] >= 4
    assert len(occurrences(events["public-action-2020"])) == 6
    statuses = Counter(entry.meta.status for entry in events.values())
    assert statuses["cancelled"] >= 1
    modes = Counter(place_of(entry.meta).mode for entry in events.values())
    assert modes["online"] >= 1 and modes["mixed"] >= 1 and modes["offline"] >= 1
    assert sum(not has_ended(entry, NOW) for entry in events.values()) >= 5, "the sample site looks lively"


# --- the engine: occurrences, upcoming and past, badges ------------------------------------

def test_a_course_expands_into_its_sessions_in_time_order(events: dict[str, Entry]) -> None:
    course = occurrences(events["public-action-2020"])
    assert [item.number for item in course] == [1, 2, 3, 4, 5, 6]
    assert [item.key for item in course][:2] == ["public-action-2020.1", "public-action-2020.2"]
    assert course == sorted(course, key=lambda item: item.start)
    assert course[2].place.venue.name.startswith("受講生ごとの訪問先") and course[2].place.online is None
    assert course[5].place.mode == "mixed"
    assert course[0].place.venue.name == events["public-action-2020"].meta.venue.name
    [single] = occurrences(events["trial-studio-2020-10"])
    assert (single.number, single.count, single.label) == (None, 1, "")


def test_an_event_moved_online_has_no_venue_any_more(events: dict[str, Entry]) -> None:
    moved = events["mirai-link-forum-2021"]
    assert moved.meta.venue is not None
    assert place_of(moved.meta).mode == "online"


def test_upcoming_and_past_split_at_a_given_moment(events: dict[str, Entry]) -> None:
    timeline = split(events.values(), NOW)
    assert {entry.slug for entry in timeline.upcoming} == {slug for slug, e in events.items() if e.meta.end > NOW}
    starts = [next_occurrence(entry, NOW).start for entry in timeline.upcoming]
    assert starts == sorted(starts)
    # The labour course started on 30 January; its second session keeps it upcoming, first of the list.
    assert timeline.upcoming[0].slug == "npo-labor-2021"
    assert [entry.meta.start for entry in timeline.past] == sorted((e.meta.start for e in timeline.past), reverse=True)
    later = split(events.values(), at("2021-02-13T13:00"))
    assert "npo-labor-2021" in {entry.slug for entry in later.past}
    assert later.upcoming[0].slug == "open-dialogue-2021-02"


@pytest.mark.parametrize("moment, expected", [
    ("2021-01-20T12:00", ["受付中"]),
    ("2021-02-01T09:00", ["締切間近"]),
    ("2021-02-06T00:00", ["受付終了"]),
    ("2021-02-13T16:30", ["終了"]),
])
def test_registration_badges_turn_over_with_time(events: dict[str, Entry], moment: str, expected: list[str]) -> None:
    timed = [badge for badge in badges_of(events["open-dialogue-2021-02"]) if badge.key in
             ("open", "closing", "closed", "ended")]
    assert [badge.label for badge in timed if badge.shows_at(at(moment))] == expected


@pytest.mark.parametrize("slug, expected", [
    ("open-dialogue-2021-02", ["締切間近", "会場＋オンライン", "託児付き"]),
    ("trial-studio-2021-03", ["満席"]),
    ("caravan-mate-exchange-2021-02", ["延期"]),
    ("kite-mite-kiite-2020-04", ["中止", "託児付き"]),
    ("mirai-link-forum-2021", ["受付中", "オンライン"]),
    ("dementia-cafe-exchange-2021-03", ["受付中", "オンライン"]),
    ("npo-labor-2021", ["受付終了", "会場＋オンライン"]),
])
def test_badges_at_the_sample_now(events: dict[str, Entry], slug: str, expected: list[str]) -> None:
    assert [badge.label for badge in badges_of(events[slug]) if badge.shows_at(NOW)] == expected


def test_coming_up_lists_the_next_six_weeks_with_deadlines(events: dict[str, Entry]) -> None:
    coming = coming_up(events.values(), NOW)
    slugs = [item.occurrence.entry.slug for item in coming]
    assert slugs == ["npo-labor-2021", "open-dialogue-2021-02", "caravan-mate-exchange-2021-02",
                     "mirai-link-forum-2021", "machifushin-contest-2021-03", "trial-studio-2021-03",
                     "dementia-cafe-exchange-2021-03"]
    by_slug = {item.occurrence.entry.slug: item for item in coming}
    assert by_slug["npo-labor-2021"].occurrence.number == 2
    assert by_slug["mirai-link-forum-2021"].deadline == at("2021-02-24T23:59") and by_slug["mirai-link-forum-2021"].open
    assert not by_slug["trial-studio-2021-03"].open and not by_slug["caravan-mate-exchange-2021-02"].open
    assert not by_slug["npo-labor-2021"].open, "its deadline has passed"


def test_month_grid_starts_on_sunday_and_puts_each_occurrence_on_its_day(events: dict[str, Entry]) -> None:
    every = [item for entry in events.values() for item in occurrences(entry)]
    grid = month_grid(date(2021, 2, 1), every)
    assert grid.weeks[0][0].day == date(2021, 1, 31) and not grid.weeks[0][0].in_month
    assert all(len(week) == 7 and week[0].day.weekday() == 6 for week in grid.weeks)
    saturday = next(day for week in grid.weeks for day in week if day.day == date(2021, 2, 13))
    assert [item.key for item in saturday.occurrences] == ["npo-labor-2021.2", "open-dialogue-2021-02"]
    assert all(not day.occurrences for week in grid.weeks for day in week if not day.in_month)
    assert calendar_months(every, NOW) == [date(2021, 2, 1), date(2021, 3, 1)]


# --- iCalendar, from the engine ---------------------------------------------------------------

def _calendars(content: Content, settings: Settings, now: datetime) -> dict[str, Calendar]:
    outputs = generate(Site(content, now, settings))
    return {output.src_uri: Calendar.from_ical(output.data()) for output in outputs
            if isinstance(output, FileSpec) and output.src_uri.endswith(".ics")}


def test_uids_are_stable_and_dtstamp_is_the_builds_now(content: Content, settings: Settings) -> None:
    later = NOW + timedelta(days=30)
    first, second = (_calendars(content, settings, now)["events/calendar.ics"] for now in (NOW, later))
    assert [event["UID"] for event in first.events] == [event["UID"] for event in second.events]
    assert {event.DTSTAMP for event in first.events} == {NOW.astimezone(timezone.utc)}
    assert {event.DTSTAMP for event in second.events} == {later.astimezone(timezone.utc)}


def test_same_content_and_now_give_the_same_calendar_bytes(content: Content, settings: Settings) -> None:
    def files() -> dict[str, bytes]:
        return {o.src_uri: o.data() for o in generate(Site(content, NOW, settings)) if isinstance(o, FileSpec)}

    assert files() == files()


def test_a_recurring_item_for_other_collections(settings: Settings) -> None:
    """Cafes publish a monthly schedule: one VEVENT with an RRULE, and the same rule in the Google link."""
    item = CalendarItem(uid="cafe@example", summary="オレンジカフェ", start=at("2021-02-20T13:30"),
                        end=at("2021-02-20T15:30"), rrule={"FREQ": "MONTHLY", "BYDAY": "3SA"})
    calendar = Calendar.from_ical(calendar_bytes(CalendarInfo("cafes@example", "カフェ"), [item], NOW))
    [event] = calendar.events
    assert event["RRULE"]["FREQ"] == ["MONTHLY"] and event["RRULE"]["BYDAY"] == ["3SA"]
    assert event.DTSTART.astimezone(timezone.utc) == datetime(2021, 2, 20, 4, 30, tzinfo=timezone.utc)
    query = parse_qs(urlsplit(google_calendar_url(item)).query)
    assert query["recur"] == ["RRULE:FREQ=MONTHLY;BYDAY=3SA"]
    assert webcal_url("https://example.org/a/b.ics") == "webcal://example.org/a/b.ics"
    assert webcal_url("/events/calendar.ics") is None, "no site_url: no address an app could subscribe to"


def test_calendar_bytes_are_icalendars_own(settings: Settings) -> None:
    """Joined and folded by the hub, the bytes are those icalendar writes for the whole calendar."""
    items = [CalendarItem(uid=f"{number}@example", summary="オープンダイアログ" * number, start=at("2021-02-20T13:30"),
                          end=at("2021-02-20T15:30"), description="本文\\と；記号、" * 9 * number, location="西区",
                          categories=("講座",), rrule={"FREQ": "MONTHLY", "BYDAY": "3SA"} if number % 2 else None)
             for number in range(1, 5)]
    info = CalendarInfo("all@example", "すべての予定", "説明\n二行目", "https://example.org/events/")
    reference = vcalendar(info)
    reference.add_component(Timezone.from_tzid(TZID))
    for item in items:
        reference.add_component(vevent(item, NOW.astimezone(timezone.utc)))
    assert calendar_bytes(info, reversed(items), NOW) == reference.to_ical()


@pytest.mark.parametrize("seed", range(3))
def test_lines_fold_where_icalendar_folds_them(seed: int) -> None:
    """Octets are counted over the encoded line; a piece never ends inside a character or on an escape."""
    rng = random.Random(seed)
    alphabet = "ab\\^,;:é認あ😀"
    lines = ["a" * 73, "a" * 74, "a" * 75, "a" * 73 + "\\,", "あ" * 25, "a" * 72 + "😀"]
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 300))) for _ in range(300)]
    for line in lines:
        assert _folded(line) == Contentline(line).to_ical() + b"\r\n", line


# --- iCalendar, as built -----------------------------------------------------------------------

def test_every_calendar_file_parses_with_the_tokyo_timezone(site: Path) -> None:
    files = sorted((site / "events").rglob("*.ics"))
    assert len(files) > 20
    for path in files:
        raw = path.read_bytes()
        lines = raw.split(b"\r\n")
        assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b""), f"{path}: CRLF line ends only"
        assert max(len(line) for line in lines) <= 75, f"{path}: lines folded at 75 octets"
        calendar = Calendar.from_ical(raw)
        assert [tz["TZID"] for tz in calendar.timezones] == ["Asia/Tokyo"], path
        assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"] and calendar["UID"], path
        assert calendar.get("X-WR-TIMEZONE") == "Asia/Tokyo" and calendar.get("X-WR-CALNAME"), path
        for event in calendar.events:
            assert event["DTSTART"].params["TZID"] == "Asia/Tokyo", path
            assert event.DTSTART.utcoffset() == timedelta(hours=9) and event.DTEND > event.DTSTART, path
            assert event.DTSTAMP == NOW.astimezone(timezone.utc), path
            for key in ("UID", "SUMMARY", "URL", "DESCRIPTION", "LOCATION", "STATUS"):
                assert event.get(key), (path, key)


def test_two_pm_in_tokyo_is_five_am_utc(site: Path) -> None:
    [event] = ics(site, "events/npo-basics-2021-03.ics").events
    assert event.DTSTART.astimezone(timezone.utc) == datetime(2021, 3, 20, 5, 0, tzinfo=timezone.utc)
    assert event.DTEND.astimezone(timezone.utc) == datetime(2021, 3, 20, 7, 0, tzinfo=timezone.utc)
    assert b"DTSTART;TZID=Asia/Tokyo:20210320T140000" in (site / "events/npo-basics-2021-03.ics").read_bytes()


def test_one_vevent_per_session_with_unique_uids(site: Path, events: dict[str, Entry]) -> None:
    feed = ics(site, "events/calendar.ics")
    uids = [str(event["UID"]) for event in feed.events]
    assert len(uids) == len(set(uids)) == sum(len(occurrences(entry)) for entry in events.values())
    for slug, sessions in (("public-action-2020", 6), ("chiiki-zukuri-nishi-2020", 5), ("npo-accounting-2020", 3),
                           ("npo-labor-2021", 2), ("trial-studio-2021-03", 1)):
        course = ics(site, f"events/{slug}.ics").events
        assert len(course) == sessions, slug
        assert [str(event["UID"]) for event in course] == [
            f"{item.key}@hub.example.github.io" for item in occurrences(events[slug])]
    labour = ics(site, "events/npo-labor-2021.ics").events
    assert str(labour[1]["SUMMARY"]).endswith("第2回 社会保険・労働保険と、職場のルールづくり")
    assert str(labour[1]["URL"]) == SITE_URL + "events/npo-labor-2021/#session-2"


def test_statuses_in_the_calendar(site: Path, events: dict[str, Entry]) -> None:
    expected = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
    for slug, entry in events.items():
        for event in ics(site, f"events/{slug}.ics").events:
            assert str(event["STATUS"]) == expected.get(entry.meta.status, "CONFIRMED"), slug
    [cancelled] = ics(site, "events/kite-mite-kiite-2020-04.ics").events
    assert str(cancelled["SUMMARY"]).startswith("【中止】") and str(cancelled["TRANSP"]) == "TRANSPARENT"


def test_location_url_and_description_come_from_the_event(site: Path, events: dict[str, Entry]) -> None:
    forum = events["mirai-link-forum-2020"]
    [event] = ics(site, "events/mirai-link-forum-2020.ics").events
    location = str(event["LOCATION"])
    assert forum.meta.venue.name in location and forum.meta.venue.address in location
    assert "オンライン（YouTube Live）" in location
    assert str(event["URL"]) == SITE_URL + "events/mirai-link-forum-2020/"
    assert forum.meta.summary in str(event["DESCRIPTION"])
    assert "申込締切: 2020年9月22日（火）まで" in str(event["DESCRIPTION"])
    assert set(event["CATEGORIES"].cats) == {"フォーラム", "みらいリンクフォーラム"}


def test_series_feeds_hold_exactly_their_editions(site: Path, events: dict[str, Entry], content: Content) -> None:
    for term in content.vocabularies["event_series"].terms:
        feed = ics(site, f"events/series/{term.id}.ics")
        expected = {f"{item.key}@hub.example.github.io" for entry in events.values() if entry.meta.series == term.id
                    for item in occurrences(entry)}
        assert {str(event["UID"]) for event in feed.events} == expected, term.id
        assert term.label in str(feed["X-WR-CALNAME"])


def test_drafts_and_private_notes_stay_out_of_every_output(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".ics", ".json", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "CANARY-EVENT" not in text, path
    assert not (site / "events" / "tsudoi-forum-2021-03").exists()
    assert not (site / "events" / "tsudoi-forum-2021-03.ics").exists()


# --- pages -------------------------------------------------------------------------------------

def test_upcoming_page_lists_upcoming_events_by_month_soonest_first(site: Path, events: dict[str, Entry]) -> None:
    page = soup(site, "events/")
    timeline = split(events.values(), NOW)
    upcoming = page.select_one("[data-hub-upcoming]")
    titles = [a.get_text(strip=True) for a in upcoming.select(".hub-card__title a")]
    assert titles == [entry.title for entry in timeline.upcoming]
    assert [h2.get_text(strip=True) for h2 in upcoming.select("h2")] == ["2021年2月", "2021年3月"]
    ends = [card["data-hub-ends"] for card in upcoming.select(".hub-card")]
    assert ends == [iso(entry.meta.end) for entry in timeline.upcoming]
    recent = [a.get_text(strip=True) for a in page.select("[data-hub-ended] .hub-card__title a")]
    assert recent == [entry.title for entry in timeline.past[:3]]
    assert page.select_one("[data-hub-upcoming-empty]").has_attr("hidden")
    assert page.select_one('script[src$="assets/hub/javascripts/events.js"]') is not None


def test_badges_on_the_upcoming_page(site: Path) -> None:
    page = soup(site, "events/")
    cards = {card.select_one(".hub-card__title a")["href"].strip("./").split("/")[-1]: card
             for card in page.select("[data-hub-upcoming] .hub-card")}
    assert visible_badges(cards["open-dialogue-2021-02"]) == ["締切間近", "会場＋オンライン", "託児付き"]
    assert visible_badges(cards["trial-studio-2021-03"]) == ["満席"]
    assert visible_badges(cards["caravan-mate-exchange-2021-02"]) == ["延期"]
    assert visible_badges(cards["mirai-link-forum-2021"]) == ["受付中", "オンライン"]
    # Later phases are already in the page, hidden, for the visitor's clock to reveal.
    hidden = cards["mirai-link-forum-2021"].select(".hub-badge[hidden]")
    assert [badge.get_text() for badge in hidden] == ["締切間近", "受付終了", "終了"]
    assert hidden[0]["data-hub-from"] == "2021-02-17T23:59:00+09:00"


def test_past_page_groups_by_year_most_recent_first(site: Path, events: dict[str, Entry]) -> None:
    page = soup(site, "events/past/")
    timeline = split(events.values(), NOW)
    assert [h2.get_text(" ", strip=True) for h2 in page.select(".hub-year h2")] == [
        f"2021年 {sum(e.meta.start.year == 2021 for e in timeline.past)} 件",
        f"2020年 {sum(e.meta.start.year == 2020 for e in timeline.past)} 件"]
    titles = [a.get_text(strip=True) for a in page.select(".hub-card__title a")]
    assert titles == [entry.title for entry in timeline.past]
    kite = next(card for card in page.select(".hub-card") if "来て・見て・聞いての日" in card.get_text())
    assert visible_badges(kite) == ["中止", "託児付き"]


def test_the_split_follows_source_date_epoch(tmp_path: Path, events: dict[str, Entry]) -> None:
    earlier = at("2020-10-01T12:00")
    project = copy_project(tmp_path / "autumn")
    result = build(project, epoch=str(int(earlier.timestamp())))
    assert result.returncode == 0, result.stderr
    upcoming = soup(project / "site", "events/").select_one("[data-hub-upcoming]")
    titles = [a.get_text(strip=True) for a in upcoming.select(".hub-card__title a")]
    assert titles == [entry.title for entry in split(events.values(), earlier).upcoming]
    assert "西区地域づくり大学校 第9期（全5回）" in titles, "a course under way is upcoming"
    assert "みらいリンクフォーラム vol.1「協働のいま、これから」" not in titles
    past = soup(project / "site", "events/past/")
    assert "みらいリンクフォーラム vol.1「協働のいま、これから」" in past.get_text()


def _json_ld(page: BeautifulSoup) -> dict:
    [script] = page.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def test_json_ld_matches_the_front_matter_and_the_page(site: Path, events: dict[str, Entry], settings: Settings) -> None:
    default_organizer = settings.options["events"]["organizer"]["name"]
    for slug, entry in events.items():
        meta, page = entry.meta, soup(site, entry.url)
        data = _json_ld(page)
        assert (data["@context"], data["@type"]) == ("https://schema.org", "Event")
        assert data["name"] == meta.title == page.h1.get_text(strip=True)
        assert data["description"] == meta.summary and data["url"] == SITE_URL + entry.url
        assert datetime.fromisoformat(data["startDate"]) == meta.start and data["startDate"].endswith("+09:00")
        assert datetime.fromisoformat(data["endDate"]) == meta.end
        assert page.select_one(".hub-facts time")["datetime"] == data["startDate"]
        assert page.select_one("article.hub-event")["data-hub-ends"] == data["endDate"]
        assert data["eventStatus"] == "https://schema.org/" + STATUS[meta.status]
        _assert_location(data, meta, page)
        _assert_offers(data, meta, page)
        organizers = [party["name"] for party in data["organizer"]]
        assert organizers == [(meta.organizer.name if meta.organizer else default_organizer),
                              *(party.name for party in meta.co_organizers)]
        assert page.select_one(".hub-event__organizer").get_text(strip=True) == organizers[0]
        assert len(data.get("subEvent", [])) == (len(meta.sessions) if len(meta.sessions) > 1 else 0), slug


def _assert_location(data: dict, meta, page: BeautifulSoup) -> None:
    place = place_of(meta)
    assert data["eventAttendanceMode"] == "https://schema.org/" + MODE[place.mode]
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    kinds = [location["@type"] for location in locations]
    assert kinds == [kind for kind, there in (("Place", place.venue), ("VirtualLocation", place.online)) if there]
    if place.venue:
        assert locations[0]["name"] == place.venue.name
        assert page.select_one(".hub-event__venue-name").get_text(strip=True) == place.venue.name
        if place.venue.address:
            assert locations[0]["address"]["streetAddress"] == place.venue.address
    else:
        assert page.select_one(".hub-event__venue") is None
    if place.online:
        assert page.select_one(".hub-event__online").get_text().strip().startswith(place.online.platform)


def _assert_offers(data: dict, meta, page: BeautifulSoup) -> None:
    registration = meta.registration
    if registration is None:
        assert "offers" not in data
        return
    offers = data["offers"]
    availability = {"full": "SoldOut", "cancelled": "Discontinued"}.get(meta.status, "InStock")
    assert offers["availability"] == "https://schema.org/" + availability
    if registration.fee is not None:
        assert offers["price"] == registration.fee and offers["priceCurrency"] == "JPY"
        fee_text = page.select_one(".hub-event__fee").get_text(strip=True)
        assert fee_text.startswith("無料" if registration.fee == 0 else f"{registration.fee:,}円")
        assert data.get("isAccessibleForFree", False) == (registration.fee == 0)
    if registration.deadline:
        assert datetime.fromisoformat(offers["validThrough"]) == registration.deadline
        assert page.select_one(".hub-event__deadline time")["datetime"] == offers["validThrough"]
    if registration.capacity:
        assert page.select_one(".hub-event__capacity").get_text(strip=True) == f"{registration.capacity} 名"


def test_event_page_offers_its_calendar_file_google_link_and_feeds(site: Path, events: dict[str, Entry]) -> None:
    entry = events["open-dialogue-2021-02"]
    page = soup(site, entry.url)
    box = page.select_one(".hub-add-to-calendar")
    download = box.select_one('a[href$=".ics"][download]')
    assert (site / resolve(entry.url, download["href"])).is_file()
    assert resolve(entry.url, download["href"]) == "events/open-dialogue-2021-02.ics"
    google = urlsplit(box.select_one('a[href^="https://calendar.google.com/"]')["href"])
    query = parse_qs(google.query)
    assert query["action"] == ["TEMPLATE"] and query["text"] == [entry.title]
    assert query["dates"] == ["20210213T050000Z/20210213T073000Z"] and query["ctz"] == ["Asia/Tokyo"]
    assert entry.meta.venue.name in query["location"][0]
    feeds = [a["href"] for a in box.select('a[href^="webcal:"]')]
    assert feeds == ["webcal://example.github.io/hub/events/series/open-dialogue.ics",
                     "webcal://example.github.io/hub/events/calendar.ics"]
    apply = page.select_one(".hub-event__apply")
    assert apply["href"] == entry.meta.registration.url and apply["data-hub-until"] == "2021-02-05T23:59:00+09:00"


@pytest.mark.parametrize("slug, count", [("public-action-2020", 6), ("npo-labor-2021", 2)])
def test_a_course_page_lists_its_sessions_with_a_google_link_for_each_to_come(site: Path, events: dict[str, Entry],
                                                                               slug: str, count: int) -> None:
    entry = events[slug]
    rows = soup(site, entry.url).select(".hub-sessions tbody tr")
    assert [row["id"] for row in rows] == [f"session-{n}" for n in range(1, count + 1)]
    for row, item in zip(rows, occurrences(entry)):
        assert row.select_one("time")["datetime"] == item.start.isoformat()
        link = row.select_one('a[href^="https://calendar.google.com/"]')
        assert (link is not None) == (item.end > NOW), row["id"]
        if link is not None:
            dates = parse_qs(urlsplit(link["href"]).query)["dates"]
            assert dates[0].startswith(item.start.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "/")
            assert link["data-hub-until"] == item.end.isoformat(), "events.js hides it once the session is over"


def test_closed_registration_shows_no_apply_button(site: Path) -> None:
    page = soup(site, "events/npo-labor-2021/")
    assert page.select_one(".hub-event__apply") is None
    assert "申込の受付は終了しました" in page.select_one(".hub-event__registration").get_text()


def test_calendar_page_is_an_accessible_month_grid(site: Path, events: dict[str, Entry]) -> None:
    page = soup(site, "events/calendar/")
    tables = page.select("table.hub-cal")
    headings = [page.find(id=table["aria-labelledby"]).get_text(" ", strip=True) for table in tables]
    assert [heading.split()[0] for heading in headings] == ["2021年2月", "2021年3月"]
    every = [item for entry in events.values() for item in occurrences(entry)]
    for table, month in zip(tables, (date(2021, 2, 1), date(2021, 3, 1))):
        columns = table.select("thead th[scope=col]")
        assert [th.get_text() for th in columns] == list("日月火水木金土")
        assert columns[0]["abbr"] == "日曜日"
        assert all(len(row.select("td")) == 7 for row in table.select("tbody tr"))
        linked: dict[str, list[str]] = {}
        for cell in table.select("td.has-events"):
            day = cell.select_one("time")["datetime"]
            linked[day] = [resolve("events/calendar/", a["href"]) for a in cell.select("a")]
        expected: dict[str, list[str]] = {}
        for item in sorted(every, key=lambda item: (item.start, item.key)):
            if (item.start.year, item.start.month) == (month.year, month.month):
                expected.setdefault(item.start.date().isoformat(), []).append(item.entry.url)
        assert linked == expected, month
    today = page.select_one("td.is-today time")
    assert today["datetime"] == "2021-02-01"


def test_series_pages_list_every_edition(site: Path, events: dict[str, Entry], content: Content) -> None:
    overview = soup(site, "events/series/")
    for term in content.vocabularies["event_series"].terms:
        url = f"events/series/{term.id}/"
        page = soup(site, url)
        assert page.h1.get_text(strip=True) == term.label
        linked = {resolve(url, a["href"]) for a in page.select(".hub-card__title a")}
        assert linked == {entry.url for entry in events.values() if entry.meta.series == term.id}, term.id
        assert page.select_one('a[href^="webcal:"]')["href"] == webcal_url(SITE_URL + f"events/series/{term.id}.ics")
        listed = overview.find("a", string=term.label)
        assert (listed is not None) == bool(linked), term.id


def test_navigation_and_home_page_lead_to_events(site: Path) -> None:
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    links = {resolve("", a["href"]) for a in home.select(".md-content a[href]")}
    assert {"events/", "events/calendar/", "events/series/"} <= links
    nav = {resolve("events/", a["href"]) for a in soup(site, "events/").select("nav.md-nav--primary a[href]")}
    assert {"events/", "events/calendar/", "events/past/", "events/series/"} <= nav
    assert not any(path.startswith("events/") and path.count("/") == 2 and path not in
                   ("events/calendar/", "events/past/", "events/series/") for path in nav), "entries stay out of the nav"


def test_new_event_template_is_a_valid_draft(hub_project) -> None:
    from hub.cli import main

    assert main(["--root", str(hub_project.root), "new", "event", "オープンダイアログ vol.3"]) == 0
    [written] = (hub_project.root / "content" / "events").glob("*.md")
    text = written.read_text(encoding="utf-8")
    assert 'title: "オープンダイアログ vol.3"' in text and "draft: true" in text
    assert hub_project.load().drafts == 1
    written.write_text(text.replace("draft: true\n", ""), encoding="utf-8")
    assert {problem.key for problem in hub_project.problems()} == {"summary", "registration.url", "body"}
    written.write_text(text.replace("draft: true\n", "")
                       .replace("ここに要約を書きます。だれ向けに、何をする催しかを一文で。", "地域の課題を対話で考える会です。")
                       .replace("https://example.org/form", "https://www.city.yokohama.lg.jp/form")
                       .replace("どのような催しかを書きます。", "対話の会です。").replace("対象となる方を書きます。", "どなたでも。"),
                       encoding="utf-8")
    [entry] = hub_project.load()["events"]
    assert entry.meta.venue is not None and entry.meta.registration.fee == 0
