"""README.md stays a short, true front door; its links and those of the handbook in doc/ work.

The example of what `make build` prints at the end is compared with what `hub summary`
prints for the shared sample site (built once per test run, see conftest.py). That build
copies the project without node_modules/, so it has no Sveltia CMS bundle in admin/, which
`make build` (after `npm ci`) copies in: the totals are compared with the bundle added.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from sitebuild import PROJECT

from hub.editing.cms import BUNDLE_DIR, bundle_files

README = PROJECT / "README.md"
HANDBOOK = PROJECT / "doc"
MAX_README_BYTES = 10_240
MAX_IMAGE_BYTES = 150_000
HUB = Path(sys.executable).with_name("hub")
# The build messages tell editors to look here (「使える HTML は README「本文に書ける HTML」」).
HTML_SECTION = "本文に書ける HTML"

SUMMARY_BLOCK = re.compile(r"<!-- summary -->\n```\n(.*?)```\n<!-- /summary -->", re.S)
TOTALS = re.compile(r"^site/: (\d+) pages, (\d+) files, ([\d.]+) MB$")
FENCE = re.compile(r"^(```|~~~)")
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE_SPAN = re.compile(r"(`+).+?\1")


def handbook_pages() -> list[Path]:
    return [README, *sorted(HANDBOOK.glob("*.md"))]


def prose_lines(text: str) -> list[str]:
    """Lines outside fenced code blocks, with inline code removed: what Markdown renders as text."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        lines.append("" if fenced else CODE_SPAN.sub("", line))
    return lines


def github_anchors(path: Path) -> set[str]:
    """The ids GitHub gives a file's headings: lower case, punctuation dropped, spaces to hyphens."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if fenced or not heading:
            continue
        text = re.sub(r"[`*_]|<[^>]+>", "", heading.group(1)).lower()
        slug = "".join(ch for ch in text if ch in " -" or unicodedata.category(ch)[0] in "LMN"
                       or unicodedata.category(ch) == "Pc").replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def summary_example() -> str:
    found = SUMMARY_BLOCK.search(README.read_text(encoding="utf-8"))
    assert found, "README.md: the example of `make build`'s last lines sits between <!-- summary --> and <!-- /summary -->"
    return found.group(1)


def hub_summary(site: Path) -> str:
    result = subprocess.run([str(HUB), "summary", "--site-dir", str(site)], capture_output=True, text=True,
                            timeout=120, check=True)
    return result.stdout


def test_readme_is_at_most_10_kb() -> None:
    size = len(README.read_bytes())
    assert size <= MAX_README_BYTES, (
        f"README.md is {size} bytes; keep it a short front door and move details into doc/")


def test_readme_example_pages_match_the_sample_build(site: Path) -> None:
    """Page counts, overall and per section, do not depend on what npm installed."""
    example, printed = summary_example().splitlines(), hub_summary(site).splitlines()
    readme_totals, built_totals = TOTALS.match(example[0]), TOTALS.match(printed[0])
    assert readme_totals and built_totals, (example[0], printed[0])
    assert readme_totals.group(1) == built_totals.group(1), (
        f"README.md says {example[0]!r}; the sample site has {built_totals.group(1)} pages: `make build` and update the example")
    assert example[1:] == printed[1:], "README.md's per-section page counts differ from `hub summary` of the sample site"


def test_readme_example_totals_match_the_sample_build(site: Path) -> None:
    """Files and megabytes: the sample site plus the Sveltia CMS bundle that `make build` copies from npm."""
    bundle = bundle_files(PROJECT / BUNDLE_DIR)
    if not bundle:
        pytest.skip("node_modules/@sveltia/cms is not installed (npm ci): `make build` here would print fewer files")
    if not (site / "talents" / "guidebook.pdf").is_file():
        pytest.skip("the guidebook PDF was not made here (WeasyPrint or a Japanese font missing): totals differ")
    example = TOTALS.match(summary_example().splitlines()[0])
    built = TOTALS.match(hub_summary(site).splitlines()[0])
    assert example and built
    site_bytes = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    files = int(built.group(2)) + len(bundle)
    megabytes = (site_bytes + sum(path.stat().st_size for path in bundle)) / 1_000_000
    assert int(example.group(2)) == files, f"README.md says {example.group(2)} files; `make build` makes {files}"
    # The example rounds to 0.1 MB; admin/index.html is a few hundred bytes shorter with the bundle.
    assert abs(float(example.group(3)) - megabytes) <= 0.052, (
        f"README.md says {example.group(3)} MB; `make build` makes {megabytes:.2f} MB")


def test_readme_keeps_the_section_the_build_messages_point_to() -> None:
    headings = [line.lstrip("#").strip() for line in prose_lines(README.read_text(encoding="utf-8"))
                if line.startswith("#")]
    assert HTML_SECTION in headings, f"README.md needs a heading named exactly 「{HTML_SECTION}」"


@pytest.mark.parametrize("page", handbook_pages(), ids=lambda path: path.relative_to(PROJECT).as_posix())
def test_every_relative_link_points_at_an_existing_file(page: Path) -> None:
    broken = []
    for number, line in enumerate(prose_lines(page.read_text(encoding="utf-8")), start=1):
        for target in LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.\-]*:", target, re.I):
                continue  # https:, mailto: … are not files in this repository
            path_part, _, anchor = target.partition("#")
            destination = (page.parent / path_part).resolve() if path_part else page
            if not destination.exists():
                broken.append(f"{page.name}:{number}: {target} (no such file)")
            elif anchor and destination.suffix == ".md" and anchor not in github_anchors(destination):
                broken.append(f"{page.name}:{number}: {target} (no heading with that anchor)")
    assert not broken, "\n".join(broken)


def test_handbook_images_stay_small() -> None:
    large = [path.name for path in (HANDBOOK / "images").glob("*") if path.stat().st_size > MAX_IMAGE_BYTES]
    assert not large, f"doc/images/ over {MAX_IMAGE_BYTES} bytes: {large}"


def test_the_handbook_is_not_published() -> None:
    """doc/ is for maintainers: MkDocs publishes only docs_dir."""
    setting = re.search(r"^docs_dir:\s*(\S+)\s*$", (PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    docs_dir = (PROJECT / (setting.group(1) if setting else "docs")).resolve()
    assert not HANDBOOK.resolve().is_relative_to(docs_dir) and docs_dir != HANDBOOK.resolve()
