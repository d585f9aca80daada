"""`hub import cases export.csv`: kintone CSV exports (UTF-8 with BOM and Shift_JIS) into valid entries."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from sitebuild import PROJECT

from hub.cli import main
from hub.reading.frontmatter import read_source

SAMPLE = PROJECT / "data" / "samples" / "kintone-cases.csv"
MAPPING = PROJECT / "data" / "kintone-cases.yml"
PROBLEM = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<key>[\w.\-]+): (?P<message>.+?)(?: → (?P<hint>.+))?$")


@pytest.fixture
def project(hub_project):
    shutil.copy(MAPPING, hub_project.root / "data" / "kintone-cases.yml")
    return hub_project


def sample_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(SAMPLE.read_bytes().decode("utf-8-sig"), newline="")))


def write_csv(project, rows: list[list[str]], encoding: str = "utf-8-sig", name: str = "export.csv") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return project.write(name, buffer.getvalue().encode(encoding))


def edited(column: str, value: str, record: str = "101") -> list[list[str]]:
    """The sample with one cell of one record changed."""
    rows = sample_rows()
    index = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == record:
            row[index] = value
    return rows


def run(project, csv_path: Path, *extra: str) -> int:
    return main(["--root", str(project.root), "import", "cases", str(csv_path), *extra])


def problems(err: str) -> list[dict[str, str]]:
    lines = [line for line in err.splitlines() if not line.endswith("problem(s)）。")]
    matches = [PROBLEM.match(line) for line in lines]
    assert all(matches), lines
    return [match.groupdict() for match in matches if match]


def case_file(project, slug: str) -> Path:
    return project.root / "content" / "cases" / f"{slug}.md"


# --- both encodings ------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_sample_export_imports_into_entries_that_pass_check(project, encoding, capsys) -> None:
    path = write_csv(project, sample_rows(), encoding)
    if encoding == "cp932":
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    assert run(project, path) == 0
    assert "新規 3 件" in capsys.readouterr().out
    assert main(["--root", str(project.root), "check"]) == 0
    content = project.load()
    by_slug = {entry.slug: entry for entry in content["cases"]}
    assert set(by_slug) == {"minami-tabunka-nihongo", "case-102", "kanazawa-bousai-map"}
    first = by_slug["minami-tabunka-nihongo"].meta
    assert first.title == "商店街の多言語マップ（南区の留学生と商店会）"
    assert first.themes == ["multicultural", "community"]  # a checkbox with two values, one by vocabulary label
    assert first.sdgs == ["11", "10"]
    assert "\n" in first.summary  # a multi-line field stays multi-line
    second = by_slug["case-102"].meta
    assert str(second.updated) == "2021-01-20"  # 2021/1/20, as Excel re-saves it
    assert second.status == "completed" and second.period.end.isoformat() == "2020-12-31"
    assert by_slug["case-102"].body.startswith("## 取り組み\n\n毎週水曜日")


def test_the_shipped_sample_is_utf8_with_a_bom(project, capsys) -> None:
    assert SAMPLE.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run(project, SAMPLE) == 0


def test_record_number_and_hashes_are_kept_in_private(project) -> None:
    run(project, write_csv(project, sample_rows()))
    source = read_source(case_file(project, "case-102"), "case-102.md")
    stamp = source.meta["private"]["kintone"]
    assert stamp["record"] == 102
    assert stamp["hash"].startswith("sha256:") and stamp["body_hash"].startswith("sha256:")
    assert all(entry.meta.model_dump().get("private") is None for entry in project.load()["cases"])


# --- re-import -----------------------------------------------------------------------------

def test_reimport_of_the_same_export_changes_nothing(project, capsys) -> None:
    path = write_csv(project, sample_rows())
    run(project, path)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (project.root / "content" / "cases").glob("*.md")}
    capsys.readouterr()
    assert run(project, path) == 0
    assert "新規 0 件、更新 0 件、変更なし 3 件" in capsys.readouterr().out
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (project.root / "content" / "cases").glob("*.md")}
    assert after == before


def test_a_changed_record_updates_only_its_entry_and_keeps_the_editors_keys(project, capsys) -> None:
    run(project, write_csv(project, sample_rows()))
    path = case_file(project, "minami-tabunka-nihongo")
    text = path.read_text(encoding="utf-8").replace("private:\n", "draft: true\nprivate:\n  note: 写真は 2 月に差し替え\n")
    path.write_text(text, encoding="utf-8")
    untouched = case_file(project, "case-102").read_bytes()
    capsys.readouterr()
    assert run(project, write_csv(project, edited("進捗状況", "終了"))) == 0
    assert "新規 0 件、更新 1 件、変更なし 2 件" in capsys.readouterr().out
    meta = read_source(path, "x").meta
    assert meta["status"] == "completed"
    assert meta["draft"] is True and meta["private"]["note"] == "写真は 2 月に差し替え"
    assert case_file(project, "case-102").read_bytes() == untouched


def test_a_key_emptied_in_kintone_is_removed(project) -> None:
    run(project, write_csv(project, sample_rows()))
    run(project, write_csv(project, edited("終了日", "", record="102")))
    assert "end" not in read_source(case_file(project, "case-102"), "x").meta["period"]


def test_a_hand_edited_body_is_kept_unless_forced(project, capsys) -> None:
    run(project, write_csv(project, sample_rows()))
    path = case_file(project, "kanazawa-bousai-map")
    path.write_text(path.read_text(encoding="utf-8") + "\n## 追記\n\n担当者が書き足した段落。\n", encoding="utf-8")
    changed = write_csv(project, edited("本文", "## 背景\n\nkintone で直した本文。", record="103"))
    capsys.readouterr()
    assert run(project, changed) == 0
    out = capsys.readouterr().out
    assert "content/cases/kanazawa-bousai-map.md: 本文は手で編集されている" in out
    assert "担当者が書き足した段落" in path.read_text(encoding="utf-8")
    assert run(project, changed, "--force") == 0
    text = path.read_text(encoding="utf-8")
    assert "kintone で直した本文" in text and "担当者が書き足した段落" not in text
    assert main(["--root", str(project.root), "check"]) == 0


def test_a_body_changed_only_in_kintone_is_updated(project) -> None:
    run(project, write_csv(project, sample_rows()))
    run(project, write_csv(project, edited("本文", "## 新しい本文\n\n更新しました。", record="103")))
    assert "更新しました。" in case_file(project, "kanazawa-bousai-map").read_text(encoding="utf-8")


# --- rows that cannot be mapped ------------------------------------------------------------

def test_unknown_choice_names_the_row_the_key_and_the_mapping_to_extend(project, capsys) -> None:
    rows = edited("区", "西区\n横浜駅周辺", record="102")
    path = write_csv(project, rows)
    assert run(project, path) == 1
    captured = capsys.readouterr()
    [found] = problems(captured.err)
    # Record 101 has multi-line cells: record 102 starts on the line where its number is written.
    text = path.read_bytes().decode("utf-8-sig")
    line = text[:text.index('"102"')].count("\n") + 1
    assert line > 3
    assert found["path"] == "export.csv" and found["line"] == str(line) and found["key"] == "wards"
    assert "「区」の値「横浜駅周辺」" in found["message"]
    assert "labels.wards" in found["hint"]
    assert "新規 2 件" in captured.out  # the other rows are still imported
    assert not case_file(project, "case-102").exists()


@pytest.mark.parametrize(("column", "value", "key", "words"), [
    ("公開日", "2020-02-30", "date", "存在しない日付"),
    ("公開日", "令和2年", "date", "YYYY-MM-DD"),
    ("事例名", "", "title", "必須"),
    ("テーマ", "", "themes", "必須"),
    ("レコード番号", "", "private.kintone.record", "数字ではありません"),
    ("レコード番号", "A-1", "private.kintone.record", "数字ではありません"),
    ("URL名", "南区の地図", "slug", "使えません"),
])
def test_invalid_cells_are_reported_on_their_row(project, capsys, column, value, key, words) -> None:
    assert run(project, write_csv(project, edited(column, value))) == 1
    reported = problems(capsys.readouterr().err)
    assert [(p["line"], p["key"]) for p in reported] == [("2", key)]
    assert words in reported[0]["message"]
    assert main(["--root", str(project.root), "check"]) == 0  # nothing invalid was written


def test_the_invalid_url_name_falls_back_to_the_record_number(project, capsys) -> None:
    run(project, write_csv(project, edited("URL名", "南区の地図")))
    assert case_file(project, "case-101").is_file()


def test_a_record_exported_twice_is_reported(project, capsys) -> None:
    rows = sample_rows()
    rows.append(list(rows[3]))
    assert run(project, write_csv(project, rows)) == 1
    [found] = problems(capsys.readouterr().err)
    assert found["key"] == "private.kintone.record" and "duplicate record" in found["message"]


def test_a_url_name_taken_by_a_hand_written_case_is_reported(project, capsys) -> None:
    project.write_case("kanazawa-bousai-map")
    assert run(project, write_csv(project, sample_rows())) == 1
    [found] = problems(capsys.readouterr().err)
    assert found["key"] == "slug" and "content/cases/kanazawa-bousai-map.md" in found["message"]


# --- files that cannot be read -------------------------------------------------------------

def test_a_column_missing_from_the_export(project, capsys) -> None:
    rows = [row[:-3] + row[-2:] for row in sample_rows()]  # without 本文
    assert run(project, write_csv(project, rows)) == 1
    [found] = problems(capsys.readouterr().err)
    assert (found["line"], found["key"]) == ("1", "本文") and "CSV にありません" in found["message"]


def test_neither_utf8_nor_shift_jis(project, capsys) -> None:
    path = project.write("export.csv", b"\x80\x81\xff,\xfe\n")
    assert run(project, path) == 1
    [found] = problems(capsys.readouterr().err)
    assert found["key"] == "file" and "Shift_JIS" in found["message"]


def test_an_empty_export(project, capsys) -> None:
    assert run(project, project.write("export.csv", b"\xef\xbb\xbf")) == 1
    assert "見出しの行がありません" in capsys.readouterr().err


def test_missing_files(project, capsys) -> None:
    assert run(project, project.root / "nowhere.csv") == 1
    assert "CSV ファイルがありません" in capsys.readouterr().err
    assert run(project, write_csv(project, sample_rows()), "--map", str(project.root / "none.yml")) == 1
    [found] = problems(capsys.readouterr().err)
    assert found["path"] == "none.yml" and "対応表" in found["message"]


def test_mapping_errors_point_into_the_mapping_file(project, capsys) -> None:
    mapping = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    mapping["fields"]["venue"] = "会場"
    del mapping["record_number"]
    mapping["colums"] = {}
    project.write("bad-map.yml", yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False))
    assert run(project, write_csv(project, sample_rows()), "--map", str(project.root / "bad-map.yml")) == 1
    reported = problems(capsys.readouterr().err)
    assert {(p["path"], p["key"]) for p in reported} == {("bad-map.yml", "record_number"), ("bad-map.yml", "colums")}
    extra = next(p for p in reported if p["key"] == "colums")
    assert "使える項目" in extra["hint"] and "record_number" in extra["hint"]


def test_a_mapping_to_a_key_the_schema_does_not_have(project, capsys) -> None:
    mapping = MAPPING.read_text(encoding="utf-8").replace("  title: 事例名\n", "  title: 事例名\n  venue: 事例名\n")
    project.write("map.yml", mapping)
    assert run(project, write_csv(project, sample_rows()), "--map", str(project.root / "map.yml")) == 1
    reported = problems(capsys.readouterr().err)
    line = mapping[:mapping.index("  venue:")].count("\n") + 1
    assert [(p["path"], p["line"], p["key"]) for p in reported] == [("map.yml", str(line), "venue")]
    assert "使える項目" in reported[0]["hint"]


def test_yaml_errors_in_the_mapping(project, capsys) -> None:
    project.write("map.yml", "fields:\n  title: [事例名\n")
    assert run(project, write_csv(project, sample_rows()), "--map", str(project.root / "map.yml")) == 1
    [found] = problems(capsys.readouterr().err)
    assert found["path"] == "map.yml" and "YAML" in found["message"]


def test_a_mapping_for_another_collection_is_refused(project, capsys) -> None:
    project.write("map.yml", MAPPING.read_text(encoding="utf-8").replace("collection: cases", "collection: events"))
    assert run(project, write_csv(project, sample_rows()), "--map", str(project.root / "map.yml")) == 1
    [found] = problems(capsys.readouterr().err)
    assert found["key"] == "collection" and "events 用" in found["message"]
    assert not list((project.root / "content" / "cases").glob("*.md"))
