"""`hub check --format github`: GitHub Actions annotations that land on the editor's line in a pull request."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
