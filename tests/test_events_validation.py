"""Every mistake in an event file is reported as `path:line: key: message → hint`.

Each test writes the valid baseline event (see conftest.py: 2 title, 3 start, 4 end,
5 summary, 6 category, 7 venue, added keys from line 8) with one thing changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hub.cli import main
from hub.core.problems import Problem

EVENT = "content/events/example.md"
ADDED = 8  # the first key added to the baseline


def single_problem(hub_project, **changes) -> Problem:
    hub_project.write_event("example", **changes)
    problems = hub_project.problems()
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


def assert_problem(problem: Problem, *, line: int, key: str, message: str, hint: str = "") -> None:
    assert (problem.path, problem.line, problem.key) == (EVENT, line, key), problem.format()
    assert message in problem.message, problem.format()
    assert hint in problem.hint, problem.format()


def test_baseline_event_is_valid_and_times_are_tokyo(hub_project):
    hub_project.write_event("example")
    [entry] = hub_project.load()["events"]
    assert entry.meta.start.utcoffset() == timedelta(hours=9)
    assert entry.meta.start.astimezone(timezone.utc) == datetime(2020, 11, 14, 5, 0, tzinfo=timezone.utc)
    assert entry.meta.status == "scheduled"
    assert entry.url == "events/example/"


def test_a_written_offset_is_kept(hub_project):
    hub_project.write_event("example", start="2020-11-14 05:00+00:00", end="2020-11-14 07:30+00:00")
    [entry] = hub_project.load()["events"]
    assert entry.meta.start.astimezone(timezone(timedelta(hours=9))).hour == 14


def test_end_before_start(hub_project):
    problem = single_problem(hub_project, end="2020-11-14 13:00")
    assert_problem(problem, line=4, key="end", message="終了 2020-11-14 13:00 が開始 2020-11-14 14:00 より前",
                   hint="start と end を入れ替えて")


def test_a_session_ending_before_it_starts(hub_project):
    sessions = "\n  - start: 2020-11-14 15:00\n    end: 2020-11-14 14:30"
    problem = single_problem(hub_project, sessions=sessions)
    assert_problem(problem, line=ADDED + 2, key="sessions.end", message="より前か同じです")


def test_sessions_outside_the_course_span_point_at_their_own_lines(hub_project):
    sessions = ("\n  - start: 2020-11-14 14:00\n    end: 2020-11-14 15:00"
                "\n  - start: 2020-11-14 13:00\n    end: 2020-11-14 17:00")
    hub_project.write_event("example", sessions=sessions)
    early, late = hub_project.problems()
    assert_problem(early, line=ADDED + 3, key="sessions.start",
                   message="第2回の開始 2020-11-14 13:00 が講座の期間 2020-11-14 14:00〜2020-11-14 16:30 の外です",
                   hint="講座全体の start / end")
    assert_problem(late, line=ADDED + 4, key="sessions.end", message="第2回の終了 2020-11-14 17:00 が講座の期間")


def test_registration_deadline_after_start(hub_project):
    registration = "\n  url: https://example.org/form\n  deadline: 2020-11-20"
    problem = single_problem(hub_project, registration=registration)
    assert_problem(problem, line=ADDED + 2, key="registration.deadline",
                   message="申込の締切 2020-11-20 23:59 が開始 2020-11-14 14:00 より後です",
                   hint="開始より前の日時に")


def test_a_deadline_written_as_a_date_means_the_end_of_that_day(hub_project):
    hub_project.write_event("example", registration="\n  deadline: 2020-11-13\n  url: https://example.org/apply")
    [entry] = hub_project.load()["events"]
    assert (entry.meta.registration.deadline.hour, entry.meta.registration.deadline.minute) == (23, 59)


def test_childcare_deadline_after_start(hub_project):
    problem = single_problem(hub_project, childcare="\n  deadline: 2020-11-14 15:00")
    assert_problem(problem, line=ADDED + 1, key="childcare.deadline", message="託児の申込の締切")


def test_unknown_series_suggests_the_closest_one(hub_project):
    problem = single_problem(hub_project, series="mirai-link")
    assert_problem(problem, line=ADDED, key="series", message="「mirai-link」は event_series（シリーズ）の語彙にありません",
                   hint="もしかして mirai-link-forum（みらいリンクフォーラム）？")


def test_series_written_in_japanese_points_at_its_id(hub_project):
    problem = single_problem(hub_project, series="オープンダイアログ")
    assert_problem(problem, line=ADDED, key="series", message="語彙にありません", hint="open-dialogue")


def test_no_place_at_all(hub_project):
    problem = single_problem(hub_project, venue=None)
    assert_problem(problem, line=1, key="venue", message="開催場所がありません（venue も online もありません）",
                   hint="online: の下に platform:")


def test_online_only_is_a_place(hub_project):
    hub_project.write_event("example", venue=None, online="\n  platform: Zoom")
    [entry] = hub_project.load()["events"]
    assert entry.meta.venue is None and entry.meta.online.platform == "Zoom"


@pytest.mark.parametrize("changes, line, key", [
    pytest.param({"registration": "\n  url: example.org/form"}, ADDED + 1, "registration.url", id="registration"),
    pytest.param({"online": "\n  platform: YouTube\n  url: https://youtube com/live"}, ADDED + 2, "online.url",
                 id="online-with-a-space"),
    pytest.param({"venue": "\n  name: 会場\n  url: htps://example.org/"}, 7 + 2, "venue.url", id="venue"),
    pytest.param({"links": "\n  - title: チラシ\n    url: ftp://example.org/flyer.pdf"}, ADDED + 2, "links.url",
                 id="link"),
])
def test_malformed_urls(hub_project, changes, line, key):
    problem = single_problem(hub_project, **changes)
    assert_problem(problem, line=line, key=key, message="URL", hint="")
    assert "https://" in problem.hint or "空白" in problem.hint


def test_a_bad_online_url_is_not_also_reported_as_no_place(hub_project):
    problem = single_problem(hub_project, venue=None, online="\n  platform: Zoom\n  url: zoom")
    assert problem.key == "online.url"


def test_unknown_status_lists_the_statuses(hub_project):
    problem = single_problem(hub_project, status="canceled")
    assert_problem(problem, line=ADDED, key="status", message="「canceled」は status に使えません",
                   hint="cancelled（中止）")


def test_status_written_in_japanese_points_at_its_id(hub_project):
    problem = single_problem(hub_project, status="中止")
    assert_problem(problem, line=ADDED, key="status", message="使えません", hint="もしかして cancelled（中止）？")


def test_moved_online_needs_an_online_place(hub_project):
    problem = single_problem(hub_project, status="moved-online")
    assert_problem(problem, line=ADDED, key="status", message="online がありません", hint="platform")


@pytest.mark.parametrize("written, amount", [("0", 0), ("無料", 0), ("1,000円", 1000), ("¥500", 500), ("１５００", 1500)])
def test_fees_editors_write_are_understood(hub_project, written, amount):
    hub_project.write_event("example", registration=f"\n  fee: {written}")
    [entry] = hub_project.load()["events"]
    assert entry.meta.registration.fee == amount


def test_a_fee_in_words_is_refused(hub_project):
    problem = single_problem(hub_project, registration="\n  fee: 千円")
    assert_problem(problem, line=ADDED + 1, key="registration.fee", message="参加費は円の金額（数字）で",
                   hint="無料なら 0")


def test_unknown_key_suggests_the_right_one(hub_project):
    problem = single_problem(hub_project, registration="\n  dead_line: 2020-11-10")
    assert_problem(problem, line=ADDED + 1, key="registration.dead_line", message="使えません",
                   hint="もしかして deadline？")


def test_impossible_time(hub_project):
    problem = single_problem(hub_project, start="2020-11-14 25:00")
    assert_problem(problem, line=3, key="start", message="存在しない時刻です")


def test_reserved_slug(hub_project):
    hub_project.write_event("calendar")
    [problem] = hub_project.problems()
    assert (problem.path, problem.key) == ("content/events/calendar.md", "file")
    assert "reserved name" in problem.message


def test_hub_check_prints_each_problem_on_one_line(hub_project, capsys):
    hub_project.write_event("example", end="2020-11-14 13:00", series="nope")
    assert main(["--root", str(hub_project.root), "check"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{EVENT}:4: end: 終了 2020-11-14 13:00 が開始") and " → " in lines[0]
    assert lines[1].startswith(f"{EVENT}:{ADDED}: series: 「nope」は event_series") and " → " in lines[1]
    assert "Traceback" not in "\n".join(lines)


def test_a_draft_with_mistakes_is_still_checked_but_never_published(hub_project):
    hub_project.write_event("example", draft="true")
    content = hub_project.load()
    assert content["events"] == [] and content.drafts == 1
