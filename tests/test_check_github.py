"""`hub check --format github`: GitHub Actions annotations that land on the editor's line in a pull request."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from markdown import markdown as markdown_to_html

from hub.cli import main

ANNOTATION = re.compile(r"^::error (?P<properties>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    """How the runner reads workflow command values."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def annotations(out: str) -> list[dict[str, str]]:
    found = []
    for line in out.splitlines():
        match = ANNOTATION.match(line)
        if match:
            properties = dict(part.split("=", 1) for part in match["properties"].split(","))
            found.append({key: unescape(value) for key, value in properties.items()} | {"message": unescape(match["message"])})
    return found


def test_annotations_match_the_text_report_line_for_line(hub_project, capsys) -> None:
    hub_project.write_case("bad", date="2020-02-30", wards="[西区]")
    hub_project.write_case("worse", summary='"100%: 大成功, 50,000 人"', status="done")
    assert main(["--root", str(hub_project.root), "check"]) == 1
    text = [line for line in capsys.readouterr().err.splitlines() if line.startswith("content/")]
    assert main(["--root", str(hub_project.root), "check", "--format", "github"]) == 1
    found = annotations(capsys.readouterr().out)
    assert [f"{a['file']}:{a['line']}: {a['title']}: {a['message']}" for a in found] == text
    assert {(a["file"], a["line"], a["title"]) for a in found} == {
        ("content/cases/bad.md", "3", "date"), ("content/cases/bad.md", "7", "wards"),
        ("content/cases/worse.md", "9", "status")}


def test_console_script_exits_1_and_prints_annotations_on_stdout(hub_project) -> None:
    hub_project.write_case("bad", themes="[みどり]")
    script = Path(sys.executable).with_name("hub")
    result = subprocess.run([str(script), "--root", str(hub_project.root), "check", "--format", "github"],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 1
    [found] = annotations(result.stdout)
    assert found["file"] == "content/cases/bad.md" and found["line"] == "5" and found["title"] == "themes"
    assert "themes（テーマ）の語彙にありません" in found["message"]


def test_valid_content_prints_no_annotation(hub_project, capsys) -> None:
    hub_project.write_case("good")
    assert main(["--root", str(hub_project.root), "check", "--format", "github"]) == 0
    assert annotations(capsys.readouterr().out) == []


# --- the job summary ----------------------------------------------------------------------------

def summary_table(markdown: str) -> BeautifulSoup:
    """The summary as a Markdown reader shows it (Python-Markdown's tables, close to GitHub's)."""
    return BeautifulSoup(markdown_to_html(markdown, extensions=["tables"]), "lxml")


def summary_rows(markdown: str) -> list[list[str]]:
    return [[cell.get_text() for cell in row.find_all("td")] for row in summary_table(markdown).select("tbody tr")]


def test_the_job_summary_lists_every_problem_as_the_annotations_do(hub_project, capsys, tmp_path, monkeypatch) -> None:
    hub_project.write_case("bad", date="2020-02-30", wards="[西区]")
    hub_project.write_case("worse", summary='"100%: 大成功, 50,000 人"', status="done")
    summary = tmp_path / "runner" / "summary.md"
    summary.parent.mkdir()
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["--root", str(hub_project.root), "check", "--format", "github"]) == 1
    found = annotations(capsys.readouterr().out)
    markdown = summary.read_text(encoding="utf-8")
    assert markdown.startswith("earlier step\n")  # appended to, as every step's summary is
    assert "3 件の問題があります" in markdown
    assert summary_rows(markdown) == [[f"{a['file']}:{a['line']}", a["title"], *a["message"].split(" → ", 1)]
                                      for a in found]
    assert len(found) == 3


def test_a_quoted_value_is_text_in_the_job_summary(hub_project, tmp_path, monkeypatch) -> None:
    value = "<img src=x> | [a](https://example.com) **b** `c`"
    hub_project.write_case("bad", status=f'"{value}"')
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["--root", str(hub_project.root), "check", "--format", "github"]) == 1
    table = summary_table(summary.read_text(encoding="utf-8"))
    assert table.select("td img, td a, td strong, td code") == []
    [row] = summary_rows(summary.read_text(encoding="utf-8"))
    assert len(row) == 4 and f"「{value}」" in row[2]


def test_the_job_summary_says_so_when_there_is_no_problem(hub_project, tmp_path, monkeypatch) -> None:
    hub_project.write_case("good")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["--root", str(hub_project.root), "check", "--format", "github"]) == 0
    assert "問題はありません" in summary.read_text(encoding="utf-8")


def test_without_the_variable_nothing_is_written(hub_project, monkeypatch) -> None:
    hub_project.write_case("bad", themes="[みどり]")
    monkeypatch.chdir(hub_project.root)
    kept = hub_project.root / ".cache"  # what hub check keeps for its next run (hub.reading.result_cache)
    before = sorted(hub_project.root.rglob("*"))
    assert main(["--root", str(hub_project.root), "check", "--format", "github"]) == 1
    assert [path for path in sorted(hub_project.root.rglob("*")) if not path.is_relative_to(kept)] == before
