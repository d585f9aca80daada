"""`hub`: the command line for editors and the newsletter editor.

  hub check                 validate every content file, print every problem, exit 1 if any
                            (--format github: as annotations on the pull request's lines, and as
                            the job summary when GITHUB_STEP_SUMMARY names its file)
  hub new case "タイトル"    write a new entry from the collection's template (as a draft)
  hub import cases x.csv    import a kintone CSV export (--map map.yml, --force)
  hub docs contributing     print CONTRIBUTING.md, generated from the schemas
  hub summary               what the last build put into site/
  hub photos [--strip] [PATH…]   photos that carry a GPS position or a person's name (content/, docs/);
                            --strip removes EXIF/XMP/IPTC without re-encoding the picture
  hub digest --date 2021-02-01 [--out DIR]   one newsletter issue's mail files and a summary
                            (--send-test ADDRESS --smtp HOST:PORT: send it to a preview address)
  hub print --issue mini-2021-01 [--out DIR]   one paper edition's PDF for the printer
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from hub.collections import COLLECTIONS
from hub.core.clock import resolve_now
from hub.core.collector import collector_paused
from hub.core.problems import ContentError, Problem, display_path
from hub.core.settings import Settings
from hub.core.vocab import Vocabularies
from hub.digest.command import run_digest
from hub.digest.newsletter import prepare as prepare_newsletter
from hub.digest.periods import issue_date
from hub.editing.contributing import contributing
from hub.editing.kintone import run_import
from hub.editing.scaffold import new_entry_text
from hub.guard.photos import images, photo_problems, strip_files
from hub.output.publishing import github_annotations, github_step_summary, require_publishable
from hub.output.site import make_site
from hub.paper.command import run_print
from hub.paper.outputs import prepare as prepare_paper
from hub.reading.loader import Project

# Editors may say "case" or "cases"; files live under the plural.
COLLECTION_ALIASES = {name.rstrip("s"): name for name in COLLECTIONS} | {name: name for name in COLLECTIONS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hub", description="よこはま市民協働ハブのコンテンツ操作")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    check_command = commands.add_parser("check", help="内容を検証する（validate content）")
    check_command.add_argument("--format", choices=("text", "github"), default="text",
                               help="github: 問題を GitHub Actions の注釈として出力（annotations on pull requests）")
    new = commands.add_parser("new", help="新しい記事のひな形を作る（new entry from template）")
    new.add_argument("collection", choices=sorted(COLLECTION_ALIASES))
    new.add_argument("title")
    importer = commands.add_parser("import", help="kintone の CSV を取り込む（import a kintone CSV export）")
    importer.add_argument("collection", choices=sorted(COLLECTION_ALIASES))
    importer.add_argument("csv", type=Path)
    importer.add_argument("--map", type=Path, default=None, help="対応表 YAML（default: data/kintone-<collection>.yml）")
    importer.add_argument("--force", action="store_true", help="手で編集された本文も kintone の内容で上書きする")
    docs = commands.add_parser("docs", help="編集者向けの文書を生成する（generate docs for editors）")
    docs.add_argument("document", choices=("contributing",))
    photos = commands.add_parser("photos", help="写真の位置情報・撮影者情報を調べる／取り除く（photo metadata）")
    photos.add_argument("--strip", action="store_true", help="メタデータを取り除いて上書きする（画質は変わりません）")
    photos.add_argument("paths", nargs="*", type=Path, help="ファイルかフォルダ（default: content/ と docs/）")
    summary = commands.add_parser("summary", help="site/ の内容を集計する（summarise the built site）")
    summary.add_argument("--site-dir", type=Path, default=None)
    digest = commands.add_parser("digest", help="ニュースレターの号を作る（newsletter issue）")
    digest.add_argument("--date", type=issue_date, default=None,
                        help="号の日付 YYYY-MM-DD（1 日か 16 日。省略すると今日以降で最初の号）")
    digest.add_argument("--out", type=Path, default=None, help="書き出し先（default: newsletter-<date>/）")
    digest.add_argument("--send-test", metavar="ADDRESS", default=None, help="試し送信の宛先")
    digest.add_argument("--smtp", metavar="HOST:PORT", default="localhost:25", help="試し送信に使う SMTP サーバー")
    printing = commands.add_parser("print", help="情報紙の号の印刷用 PDF を作る（paper edition PDF）")
    printing.add_argument("--issue", required=True, help="号の id（content/print/ のファイル名。例: mini-2021-01）")
    printing.add_argument("--out", type=Path, default=None, help="書き出し先のフォルダ（default: ここ）")
    args = parser.parse_args(argv)
    settings = Settings.find(args.root.resolve())
    try:
        return _run(args, settings)
    except ContentError as error:  # raised before any content is read: a setting or SOURCE_DATE_EPOCH
        print(error.report(), file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """The chosen command; each reports its own content problems."""
    if args.command == "check":
        return check(settings, args.format)
    if args.command == "new":
        return new_entry(settings, COLLECTION_ALIASES[args.collection], args.title)
    if args.command == "import":
        return run_import(settings, COLLECTION_ALIASES[args.collection], args.csv, args.map, args.force)
    if args.command == "digest":
        return run_digest(settings, args.date, args.out, args.send_test, args.smtp)
    if args.command == "print":
        return run_print(settings, args.issue, args.out)
    if args.command == "photos":
        return photos_command(settings, args.paths, args.strip)
    if args.command == "docs":
        print(contributing(settings), end="")
        return 0
    return summarise(args.site_dir or settings.root / "site")


def check(settings: Settings, output_format: str = "text") -> int:
    """Everything the build would refuse: content errors and front-matter links to unpublished pages."""
    started = time.perf_counter()
    with collector_paused():  # a million results read and none freed: see hub.core.collector
        return _check(settings, output_format, started)


def _check(settings: Settings, output_format: str, started: float) -> int:
    try:
        site = make_site(settings)
        content = site.content
        require_publishable(site)
        prepare_newsletter(site)  # the newsletter's settings and intros (content/newsletters/)
        prepare_paper(site)  # the paper editions' issues (content/print/)
    except ContentError as error:
        if output_format == "github":
            print(github_annotations(error.problems))
            write_step_summary(error.problems)
        print(error.report(), file=sys.stderr)
        return 1
    if output_format == "github":
        write_step_summary([])
    elapsed = time.perf_counter() - started
    counts = "、".join(f"{COLLECTIONS[name].label} {len(entries)} 件" for name, entries in content.entries.items())
    print(f"問題はありません（OK）: {counts}（下書き {content.drafts} 件は公開されません）[{elapsed:.2f} s]")
    return 0


def write_step_summary(problems: list[Problem]) -> None:
    """On GitHub Actions, the job's summary (the file GITHUB_STEP_SUMMARY names) lists every
    problem on the pull request's checks page; elsewhere the variable is not set."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as output:
            output.write(github_step_summary(problems))


def photos_command(settings: Settings, paths: list[Path], strip: bool) -> int:
    """List the photos the build would refuse, or strip them; exit 1 while any is left."""
    paths = paths or [settings.root / settings.content_dir, settings.root / settings.docs_dir]
    for path in strip_files(paths) if strip else []:
        print(f"{display_path(path, settings.root)}: メタデータを取り除きました（stripped）")
    problems = [problem for path in images(paths) for problem in photo_problems(path, display_path(path, settings.root))]
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    return 1 if problems else 0


def new_entry(settings: Settings, collection: str, title: str) -> int:
    project = Project.from_settings(settings)
    vocabularies = Vocabularies.load(project.vocabularies_file, project.shown(project.vocabularies_file))
    today = resolve_now(settings.now, settings.root).date()
    folder = project.content_dir / collection
    path = folder / f"{free_slug(folder, today.isoformat(), title)}.md"
    text = new_entry_text(COLLECTIONS[collection], title, today, vocabularies, project.docs_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"{project.shown(path)} を作りました（下書き）。内容を書いたら draft: true の行を削除してください。")
    return 0


def free_slug(folder: Path, day: str, title: str) -> str:
    """Date-based slug plus any ASCII words of the title: 「SDGs で NPO と企業」 → 2020-09-15-sdgs-npo.

    Japanese titles are not romanised: readings of kanji are ambiguous, and a date is
    unique enough, short, and tells readers when the entry was written.
    """
    words = re.findall(r"[a-z0-9]+", title.lower())[:4]
    base = "-".join([day, *words])
    existing = {path.stem for path in folder.rglob("*.md")} if folder.is_dir() else set()
    slug, number = base, 2
    while slug in existing:
        slug, number = f"{base}-{number}", number + 1
    return slug


def summarise(site_dir: Path) -> int:
    if not site_dir.is_dir():
        print(f"{site_dir} がありません。先に make build を実行してください（no site yet）", file=sys.stderr)
        return 1
    files = [path for path in site_dir.rglob("*") if path.is_file()]
    pages = [path for path in files if path.name == "index.html"]
    sections: dict[str, int] = {}
    for page in pages:
        parts = page.relative_to(site_dir).parts
        section = parts[0] if len(parts) > 1 else "(home)"
        sections[section] = sections.get(section, 0) + 1
    total = sum(path.stat().st_size for path in files)
    print(f"site/: {len(pages)} pages, {len(files)} files, {total / 1_000_000:.1f} MB")
    for section, count in sorted(sections.items()):
        print(f"  /{section}/: {count} pages" if section != "(home)" else f"  /: {count} page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
