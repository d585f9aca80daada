"""`hub print --issue <id> [--out DIR]`: one issue's PDF for the printer, without building the site.

Staff take the file to the print shop or the centre's copier; the summary says how many
pages it has and which items did not fit (they are on the web edition, whose QR code the
sheet prints in their place).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from hub.core.problems import ContentError
from hub.core.settings import Settings
from hub.output.pdf import pdf_unavailable
from hub.output.site import make_site
from hub.paper.edition import Edition
from hub.paper.layout import Layout, lay_out_edition
from hub.paper.outputs import prepare


def run_print(settings: Settings, issue_id: str, out: Path | None) -> int:
    try:
        site = make_site(settings)
        paper = prepare(site)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    edition = paper.find(issue_id) if paper else None
    if edition is None:
        known = ", ".join(edition.id for edition in paper.editions) if paper else ""
        print(f"「{issue_id}」という号は content/print/ にありません（unknown issue）"
              + (f"。ある号: {known}" if known else "。mkdocs.yml に extra.hub.print の設定もありません"), file=sys.stderr)
        return 1
    missing = pdf_unavailable()
    if missing:
        print(f"PDF を作れません（cannot make the PDF）: {missing}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    layout = lay_out_edition(edition, site.settings)
    target = (out or Path.cwd()) / f"{edition.id}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(layout.pdf)
    print(summary(edition, layout, target, time.perf_counter() - started))
    return 0


def summary(edition: Edition, layout: Layout, target: Path, seconds: float) -> str:
    lines = [f"{target}: {edition.title}、{edition.publication.format_label} {layout.pages} ページ、"
             f"{len(layout.pdf) / 1000:.0f} kB（{seconds:.1f} 秒）",
             f"  紙面のお知らせ {layout.shown} 件"]
    kept = edition.kept(layout.shown)
    left = [item for item in edition.items if item not in kept]
    if left:
        lines.append(f"  ほか {len(left)} 件はウェブ版だけに載せました: " + "、".join(item.entry.title for item in left))
    return "\n".join(lines)
