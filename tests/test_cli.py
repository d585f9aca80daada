"""The `hub` command line: `hub check` and `hub new`."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hub.cli import main

PROBLEM_LINE = re.compile(r"^[^:]+:\d+: [\w.\-]+: .+")
TITLE = "SDGsで つながる NPO と企業"
# 2020-09-14 20:00 UTC is already 2020-09-15 in Tokyo: the slug must use the Tokyo date.
EPOCH = int(datetime(2020, 9, 14, 20, 0, tzinfo=timezone.utc).timestamp())
TOKYO_DAY = "2020-09-15"


def hub(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


# --- hub check -----------------------------------------------------------------------------

def test_check_on_valid_content_says_no_problems_and_exits_0(hub_project, capsys):
    hub_project.write_case("example")
    hub_project.write_case("unfinished", draft="true")
    assert hub(hub_project.root, "check") == 0
    out, err = capsys.readouterr()
    assert out.startswith("問題はありません")
    assert "協働事例 1 件" in out and "下書き 1 件" in out
    assert err == ""


def test_check_on_an_empty_project_is_fine(hub_project, capsys):
    assert hub(hub_project.root, "check") == 0
    assert capsys.readouterr().out.startswith("問題はありません")


def test_check_from_a_sub_folder_shows_paths_from_the_project_root(hub_project, capsys):
    hub_project.write_case("example", wards="[nishiku]")
    assert hub(hub_project.root / "content" / "cases", "check") == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("content/cases/example.md:7: wards: ")
    assert "nishi（西区）" in first


def console_script(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("hub")
    return subprocess.run([str(script), *args], capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_console_script_flushes_its_whole_output_before_it_ends(hub_project):
    """The process ends without the interpreter's teardown (hub.launcher): what it printed into
    a pipe, still in its buffer, must reach the reader, as must argparse's own exits."""
    hub_project.write_case("example")
    result = console_script("--root", str(hub_project.root), "check")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("問題はありません") and result.stdout.endswith(" s]\n")
    helped = console_script("--help")
    assert helped.returncode == 0 and "hub check" not in helped.stderr and "{check," in helped.stdout
    refused = console_script("nosuch")
    assert refused.returncode == 2 and "invalid choice: 'nosuch'" in refused.stderr


def test_check_leaves_the_cycle_collector_as_it_found_it(hub_project):
    hub_project.write_case("example", date="2020-02-30")
    assert gc.isenabled()
    assert hub(hub_project.root, "check") == 1
    assert gc.isenabled()


def test_console_script_exits_1_with_path_and_line_on_stderr(hub_project):
    hub_project.write_case("example", date="2020-02-30")
    script = Path(sys.executable).with_name("hub")
    result = subprocess.run([str(script), "--root", str(hub_project.root), "check"],
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert PROBLEM_LINE.match(lines[0])
    assert lines[0].startswith("content/cases/example.md:3: date: 存在しない日付です")
    assert result.stdout == ""


# --- hub new -------------------------------------------------------------------------------

@pytest.fixture
def pinned_now(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def test_new_case_is_named_after_the_tokyo_date_and_the_ascii_words(hub_project, pinned_now, capsys):
    assert hub(hub_project.root, "new", "case", TITLE) == 0
    path = hub_project.root / "content" / "cases" / f"{TOKYO_DAY}-sdgs-npo.md"
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    assert f"content/cases/{TOKYO_DAY}-sdgs-npo.md" in capsys.readouterr().out


def test_new_case_passes_check_and_is_a_draft(hub_project, pinned_now, capsys):
    hub(hub_project.root, "new", "case", TITLE)
    capsys.readouterr()
    assert hub(hub_project.root, "check") == 0
    assert capsys.readouterr().out.startswith("問題はありません")
    content = hub_project.load()
    assert content["cases"] == []
    assert content.drafts == 1


def test_new_case_text_has_the_title_the_date_and_japanese_comments(hub_project, pinned_now):
    hub(hub_project.root, "new", "case", TITLE)
    text = (hub_project.root / "content" / "cases" / f"{TOKYO_DAY}-sdgs-npo.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert f'title: "{TITLE}"' in text
    assert f"date: {TOKYO_DAY}" in text
    assert "draft: true" in text
    comments = [line for line in text.splitlines() if line.startswith("#") and not line.startswith("##")]
    assert comments and all(re.search(r"[ぁ-んァ-ン一-龥]", line) for line in comments[:3])


def test_second_new_case_with_the_same_title_gets_a_number(hub_project, pinned_now):
    hub(hub_project.root, "new", "case", TITLE)
    hub(hub_project.root, "new", "cases", TITLE)
    names = sorted(path.name for path in (hub_project.root / "content" / "cases").iterdir())
    assert names == [f"{TOKYO_DAY}-sdgs-npo-2.md", f"{TOKYO_DAY}-sdgs-npo.md"]
    assert hub(hub_project.root, "check") == 0


def test_new_case_with_a_japanese_only_title_is_named_by_date(hub_project, pinned_now):
    hub(hub_project.root, "new", "case", "西区のまちづくり")
    assert (hub_project.root / "content" / "cases" / f"{TOKYO_DAY}.md").is_file()
    assert hub(hub_project.root, "check") == 0
