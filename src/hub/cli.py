"""`hub`: the command line for editors and the newsletter editor.

  hub check                 validate every content file, print every problem, exit 1 if any
  hub new case "タイトル"    write a new entry from the collection's template (as a draft)
  hub summary               what the last build put into site/
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from hub.clock import resolve_now
from hub.collections import COLLECTIONS
from hub.loader import Project, load_content
from hub.problems import ContentError
from hub.settings import Settings
from hub.vocab import Vocabularies

# Editors may say "case" or "cases"; files live under the plural.
COLLECTION_ALIASES = {name.rstrip("s"): name for name in COLLECTIONS} | {name: name for name in COLLECTIONS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hub", description="よこはま市民協働ハブのコンテンツ操作")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="内容を検証する（validate content）")
    new = commands.add_parser("new", help="新しい記事のひな形を作る（new entry from template）")
    new.add_argument("collection", choices=sorted(COLLECTION_ALIASES))
    new.add_argument("title")
    summary = commands.add_parser("summary", help="site/ の内容を集計する（summarise the built site）")
    summary.add_argument("--site-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = Settings.find(args.root.resolve())
    if args.command == "check":
        return check(settings)
    if args.command == "new":
        return new_entry(settings, COLLECTION_ALIASES[args.collection], args.title)
    return summarise(args.site_dir or settings.root / "site")


def check(settings: Settings) -> int:
    started = time.perf_counter()
    try:
        content = load_content(Project.from_settings(settings))
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    counts = "、".join(f"{COLLECTIONS[name].label} {len(entries)} 件" for name, entries in content.entries.items())
    print(f"問題はありません（OK）: {counts}（下書き {content.drafts} 件は公開されません）[{elapsed:.2f} s]")
    return 0


def new_entry(settings: Settings, collection: str, title: str) -> int:
    project = Project.from_settings(settings)
    vocabularies = Vocabularies.load(project.vocabularies_file, project.shown(project.vocabularies_file))
    today = resolve_now().date()
    folder = project.content_dir / collection
    path = folder / f"{free_slug(folder, today.isoformat(), title)}.md"
    environment = Environment(loader=PackageLoader("hub", "templates/new"), undefined=StrictUndefined,
                              keep_trailing_newline=True)
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
    text = environment.get_template(f"{collection}.md").render(title=title, today=today.isoformat(),
                                                               vocabularies=vocabularies)
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
