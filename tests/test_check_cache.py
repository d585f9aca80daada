"""The results `hub check` (and every build) keep in .cache/hub/check/ never go stale.

Each test runs `hub check` as a new process would (nothing kept in memory, only what the
folder holds) on a small project whose files are kept clean, changes one thing a file's
result depends on, and sees the problem on the next warm run; and the reverse. The
cross-file checks (group references) run over kept results every time.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

import hub
from hub.cli import main
from hub.guard import published_files
from hub.reading import loader, result_cache
from hub.reading.result_cache import CACHE_DIR, ResultCache, code_version

PHONE = "045-000-0000"
YOUTUBE = "https://www.youtube-nocookie.com/embed/"


@pytest.fixture
def check(hub_project, capsys, monkeypatch) -> Callable[[], str]:
    """`check()`: one run of `hub check` as a new process; what it printed (stdout, then stderr)."""
    def run() -> str:
        monkeypatch.setattr(loader, "_CACHE", ResultCache())
        monkeypatch.setattr(published_files, "_CACHE", ResultCache())
        main(["--root", str(hub_project.root), "check"])
        printed = capsys.readouterr()
        return printed.out + printed.err

    return run


def settings(hub_project, extra: str) -> None:
    """mkdocs.yml with more keys under extra.hub."""
    hub_project.write("mkdocs.yml", "site_name: t\nextra:\n  hub:\n" + extra)


def test_a_warm_run_loads_no_file_again(hub_project, check, monkeypatch) -> None:
    hub_project.write_case("example")
    assert "問題はありません" in check()
    monkeypatch.setattr(loader, "_load_file", lambda *args, **kwargs: pytest.fail("loaded again"))
    assert "問題はありません" in check()


def test_a_changed_file_is_checked_again_and_a_fixed_one_is_clean(hub_project, check) -> None:
    hub_project.write_case("example")
    assert "問題はありません" in check()
    hub_project.write_case("example", wards="[nishy]")
    assert "「nishy」は wards" in check()
    hub_project.write_case("example")
    assert "問題はありません" in check()


def test_a_term_removed_from_the_vocabularies(hub_project, check) -> None:
    hub_project.write_case("example")
    assert "問題はありません" in check()
    vocabularies = hub_project.root / "data" / "vocabularies.yml"
    text = vocabularies.read_text(encoding="utf-8")
    vocabularies.write_text(text.replace("    - {id: nishi, label: 西区}\n", ""), encoding="utf-8")
    assert "「nishi」は wards" in check()
    vocabularies.write_text(text, encoding="utf-8")
    assert "問題はありません" in check()


@pytest.mark.parametrize("allowing, body", [
    (f"    privacy:\n      allow:\n        - {PHONE}\n", f"会場の電話: {PHONE}\n"),
    (f"    html:\n      embeds:\n        - {YOUTUBE}\n", f'<iframe src="{YOUTUBE}abc" title="動画"></iframe>\n'),
], ids=["privacy-allow-list", "html-embeds"])
def test_a_setting_that_allowed_a_body_is_removed(hub_project, check, allowing: str, body: str) -> None:
    settings(hub_project, allowing)
    hub_project.write_case("example", body=body)
    assert "問題はありません" in check()
    settings(hub_project, "    content_dir: content\n")
    assert "content/cases/example.md" in check()
    settings(hub_project, allowing)
    assert "問題はありません" in check()


def test_a_linked_file_removed_from_docs(hub_project, check) -> None:
    hub_project.write_case("example", image="\n  src: assets/images/photo.svg\n  alt: 商店街のようす")
    photo = hub_project.write("docs/assets/images/photo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    assert "問題はありません" in check()
    photo.unlink()
    assert "ファイルが見つかりません: 「docs/assets/images/photo.svg」" in check()


def test_an_attachment_in_docs_is_scanned_again_when_its_bytes_or_the_allow_list_change(hub_project, check) -> None:
    settings(hub_project, f"    privacy:\n      allow:\n        - {PHONE}\n")
    attachment = hub_project.write("docs/files/note.txt", f"問い合わせ: {PHONE}\n")
    assert "問題はありません" in check()
    settings(hub_project, "    content_dir: content\n")
    assert "docs/files/note.txt" in check()
    attachment.write_text("問い合わせはセンターへ\n", encoding="utf-8")
    assert "問題はありません" in check()


def test_a_group_removed_shows_in_the_kept_file_that_names_it(hub_project, check) -> None:
    """Group references are checked across files on every run, over kept results."""
    group = hub_project.write("content/groups/nishi-net.md", "---\ntitle: 西区ネット\nkana: にしくねっと\nsummary: 西区の団体です。\n"
                              "themes: [community]\nwards: [nishi]\n---\n本文です。\n")
    hub_project.write_case("example", partners="\n  - group: nishi-net")
    assert "問題はありません" in check()
    group.unlink()
    assert "「nishi-net」という登録団体はありません" in check()


def test_results_of_another_code_version_are_not_read(hub_project, check, monkeypatch) -> None:
    hub_project.write_case("example")
    assert "問題はありません" in check()
    monkeypatch.setattr(loader, "code_version", lambda: "another version")
    monkeypatch.setattr(loader, "body_problems", lambda *args: [loader.Problem("content/cases/example.md", 12, "body",
                                                                                "新しい規則")])
    assert "新しい規則" in check()


def test_the_code_version_is_a_digest_of_the_packages_files(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "hub"
    (package / "templates").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    template = package / "templates" / "page.html"
    template.write_text("<p>1</p>", encoding="utf-8")
    monkeypatch.setattr(hub, "__file__", str(package / "__init__.py"))
    first = code_version.__wrapped__()
    template.write_text("<p>2</p>", encoding="utf-8")
    assert code_version.__wrapped__() != first


def test_an_unreadable_cache_file_is_ignored_and_written_again(hub_project, check) -> None:
    hub_project.write_case("example")
    assert "問題はありません" in check()
    [kept] = (hub_project.root / CACHE_DIR / "content").glob("*.pickle")
    kept.write_bytes(kept.read_bytes()[:100])
    hub_project.write_case("example", wards="[nishy]")
    assert "「nishy」は wards" in check()
    assert result_cache.load_kept(kept.parent, kept.stem)  # whole again


class _Runs:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return print, ("unpickled code ran",)


def test_a_cache_file_that_would_run_code_is_not_read(tmp_path: Path, capsys) -> None:
    folder, context = tmp_path / "kept", "c" * 40
    folder.mkdir()
    (folder / f"{context}.pickle").write_bytes(result_cache._header(context) + pickle.dumps({"key": (b"", _Runs())}))
    assert result_cache.load_kept(folder, context) == {}
    assert "ran" not in capsys.readouterr().out
