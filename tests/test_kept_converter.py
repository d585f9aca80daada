"""One Markdown converter per process, reset between pages: every page converts exactly as with
MkDocs' own new converter a page, whatever the page before it left behind."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hub.build import kept_converter
from hub.reading.frontmatter import read_source

REPO = Path(__file__).resolve().parents[1]

# Each one leaves state a careless reuse would carry into the next: link references, heading ids
# taken, stashed raw HTML, attribute lists, Markdown inside HTML, a title from the first heading.
TRICKY = [
    "# 題\n\n[参照][r] と [他のページ](b.md#節)\n\n[r]: https://example.org/r\n",
    "[参照][r] はこのページでは定義されていない\n\n## 題\n\n## 題\n",
    "<div markdown>\n**中** の <b>HTML</b>\n</div>\n\n<script>alert(1)</script>\n\n<!-- コメント -->\n",
    "## 見出し { #自分で #x .c onclick=alert(1) }\n\n!!! note \"注意\"\n    本文 [a](a.md#見出し)\n",
    "",
    "本文だけ、見出しなし。<span id=\"raw\">生の</span>\n",
    "# 題\n\n## 題\n\n### 題\n\n[同じページ](#題_1) [ない](#nothing)\n",
]


def _sources() -> list[str]:
    paths = sorted([*(REPO / "content").rglob("*.md"), *(REPO / "docs").rglob("*.md")])
    bodies = [read_source(path, path.name).body for path in paths]
    return [body for pair in zip(bodies, TRICKY * (len(bodies) // len(TRICKY) + 1)) for body in pair]


def _converted(page: Page) -> tuple[object, ...]:
    toc = [(item.id, item.title, item.level, [(child.id, child.title) for child in item.children]) for item in page.toc]
    links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
    return page.content, toc, page._title_from_render, page.present_anchor_ids, links


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
def test_every_page_converts_as_with_a_new_converter(tmp_path: Path, level: int,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(level, logger="mkdocs.structure.pages")
    docs = tmp_path / "docs"
    docs.mkdir()
    config = load_config(config_file=str(REPO / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in ("a.md", "b.md", "cases/c.md")])
    sources = _sources()
    assert len(sources) > 100
    built, reused = kept_converter.KEPT.built, kept_converter.KEPT.reused
    for number, source in enumerate(sources):
        results = []
        for render in (Page.render, kept_converter.render):
            page = Page(None, files.documentation_pages()[number % 3], config)
            page.markdown = source
            render(page, config, files)
            results.append(_converted(page))
        assert results[0] == results[1], source[:200]
    assert kept_converter.KEPT.built - built <= 1  # one converter for all of them
    assert kept_converter.KEPT.reused - reused >= len(sources) - 1


def test_other_options_get_a_converter_of_their_own(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    file = File("a.md", str(docs), str(tmp_path / "site"), True)
    contents = []
    for extensions in (["toc"], ["toc", "attr_list"], ["toc"]):
        config = load_config(config_file=None, docs_dir=str(docs), site_dir=str(tmp_path / "site"),
                             markdown_extensions=extensions)
        page = Page(None, file, config)
        page.markdown = "## 見出し { #x }\n"
        kept_converter.render(page, config, Files([file]))
        contents.append(page.content)
    assert contents[0] == contents[2] != contents[1]
