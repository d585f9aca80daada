"""The body HTML policy: the check refuses what would run, at its line; the sanitiser removes it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from hub.build.mkdocs_adapter import HubPlugin
from hub.cli import main
from hub.core.problems import Problem
from hub.guard.html_policy import BodyPolicy, sanitise

YOUTUBE = "https://www.youtube-nocookie.com/embed/"


def line_of(path: Path, text: str) -> int:
    """The line of the file on which `text` is written."""
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
                if text in line)


def body_problems(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.key == "body"]


REFUSED = [
    ("<script>alert(1)</script>", "<script>"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<script>"),
    ("<style>body{display:none}</style>", "<style>"),
    ('<iframe src="https://evil.example/"></iframe>', "iframe"),
    ('<object data="x.swf"></object>', "<object>"),
    ('<embed src="x.swf">', "<embed>"),
    ('<form action="https://evil.example/"><input name="q"></form>', "<form>"),
    ('<img src="a.png" onerror="alert(1)">', "onerror"),
    ('<p OnMouseOver="alert(1)">x</p>', "onmouseover"),
    ('<svg onload="alert(1)"><circle r="1"/></svg>', "<svg>"),
    ('<a href="javascript:alert(1)">x</a>', "javascript"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "javascript"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "javascript"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">', "data"),
    ("[x](javascript:alert(1))", "javascript"),
    ("![x](data:text/html,hi)", "data"),
    ("[x][r]\n\n[r]: javascript:alert(1)", "javascript"),
    ("## Heading { onclick=\"alert(1)\" }", "onclick"),
    ('<div style="background:url(x)">x</div>', "style"),
]


@pytest.mark.parametrize(("written", "named"), REFUSED)
def test_the_check_refuses_what_would_run_at_its_line(hub_project, written: str, named: str) -> None:
    body = f"## 背景\n\n本文です。\n\n{written}\n\nおわり。\n"
    path = hub_project.write_case("hostile-body", body=body)
    problems = body_problems(hub_project.problems())
    line = line_of(path, written.split("\n")[-1])
    assert {(problem.path, problem.line) for problem in problems} == {("content/cases/hostile-body.md", line)}
    assert any(named in problem.message for problem in problems), problems
    assert all(problem.hint for problem in problems)


ALLOWED = """\
## 表と折りたたみ

<table>
<caption>日程</caption>
<thead><tr><th scope="col">日</th><th>内容</th></tr></thead>
<tbody><tr><td colspan="2">説明会<br>（オンライン）</td></tr></tbody>
</table>

<details markdown="1">
<summary>くわしく</summary>

- 一つめ
- 二つめ
</details>

<figure><img src="../assets/images/ok.svg" alt="図" width="300"><figcaption>図の説明</figcaption></figure>

<small>注記</small> <ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby> <kbd>Ctrl</kbd>

[センターのサイト](https://www.city.yokohama.lg.jp/){ .md-button } [ページ内](#top)

!!! note "お知らせ"
    admonition の中も **Markdown** です。

`<script>` はコードとして書けます。

```html
<script>alert("example")</script>
```
"""


def test_the_html_editors_need_passes_the_check(hub_project) -> None:
    hub_project.write_case("safe-body", body=ALLOWED)
    assert hub_project.load().entries["cases"]


def test_an_iframe_passes_only_from_a_listed_embed_origin(hub_project) -> None:
    hub_project.write("mkdocs.yml", hub_project.root.joinpath("mkdocs.yml").read_text(encoding="utf-8")
                      + f"    html:\n      embeds:\n        - {YOUTUBE}\n")
    hub_project.write_case("video", body=f'<iframe src="{YOUTUBE}abc" title="動画" allowfullscreen></iframe>\n')
    assert hub_project.load().entries["cases"]
    path = hub_project.write_case("video", body='<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>\n')
    [problem] = body_problems(hub_project.problems())
    assert problem.line == line_of(path, "<iframe")
    assert "extra.hub.html.embeds" in problem.hint


def test_an_embed_origin_without_a_path_is_a_settings_problem(hub_project) -> None:
    hub_project.write("mkdocs.yml", hub_project.root.joinpath("mkdocs.yml").read_text(encoding="utf-8")
                      + "    html:\n      embeds:\n        - https://www.youtube-nocookie.com\n")
    [problem] = hub_project.problems()
    assert (problem.path, problem.key) == ("mkdocs.yml", "extra.hub.html.embeds")


def test_hand_written_pages_are_checked_too(hub_project) -> None:
    page = hub_project.write("docs/about.md", "---\ntitle: について\n---\n\n# について\n\n<img src=x onerror=alert(1)>\n")
    [problem] = body_problems(hub_project.problems())
    assert (problem.path, problem.line) == ("docs/about.md", line_of(page, "onerror"))


def test_hub_check_prints_the_body_problem_with_path_and_line(hub_project, capsys) -> None:
    path = hub_project.write_case("hostile-body", body="本文です。\n\n<script>alert(1)</script>\n")
    assert main(["--root", str(hub_project.root), "check"]) == 1
    written = capsys.readouterr()
    assert f"content/cases/hostile-body.md:{line_of(path, '<script>')}: body: " in written.out + written.err


# --- the sanitiser ------------------------------------------------------------------------------

HOSTILE_HTML = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<IMG SRC=x OnErRoR=alert(1)>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="x"></object><embed src="x">',
    '<form action="https://evil.example/"><input autofocus onfocus="alert(1)"></form>',
    '<p><b>unclosed <i>nested <img src=x onerror=alert(1)',
    '<div><p title="</p><img src=x onerror=alert(1)>">x</p></div>',
    '<style>*{x:expression(alert(1))}</style><p style="x:expression(alert(1))">x</p>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<!--<img src=x onerror=alert(1)>--><p>after</p>',
]


@pytest.mark.parametrize("hostile", HOSTILE_HTML)
def test_the_sanitiser_leaves_nothing_that_runs(hostile: str) -> None:
    cleaned = BeautifulSoup(sanitise(f"<p>前</p>{hostile}<p>後</p>"), "lxml")
    for element in cleaned.find_all(True):
        assert element.name not in {"script", "style", "iframe", "object", "embed", "form", "input", "svg", "math"}
        assert not any(name.startswith("on") or name == "style" for name in element.attrs), element
        for name in ("href", "src"):
            assert not element.get(name, "").strip().lower().startswith(("javascript", "vbscript", "data")), element
    assert cleaned.get_text().startswith("前")


def test_clean_html_comes_back_byte_for_byte() -> None:
    rendered = ('<h2 id="x">見出し<a class="headerlink" href="#x" title="この見出しへのリンク">&para;</a></h2>\n'
                '<div class="admonition note">\n<p class="admonition-title">注</p>\n<p>A &amp; B<br />'
                '<img alt="図" src="../a.png" /></p>\n</div>\n<p><a class="md-button" href="../cases/">事例</a></p>')
    assert sanitise(rendered) == rendered


def test_an_iframe_survives_only_from_a_listed_origin() -> None:
    policy = BodyPolicy((YOUTUBE,))
    kept = BeautifulSoup(sanitise(f'<iframe src="{YOUTUBE}abc" title="動画"></iframe>', policy), "lxml")
    assert kept.iframe["src"] == f"{YOUTUBE}abc"
    other = BeautifulSoup(sanitise('<iframe src="https://evil.example/embed/"></iframe>', policy), "lxml")
    assert other.iframe is None or not other.iframe.get("src")
    assert BeautifulSoup(sanitise(f'<iframe src="{YOUTUBE}abc"></iframe>'), "lxml").iframe is None


def test_the_adapter_sanitises_every_page_body() -> None:
    page = SimpleNamespace(title=Markup("題"))
    output = HubPlugin().on_page_content('<p>本文<img src=x onerror="alert(1)"></p>', page, None, None)
    assert BeautifulSoup(output, "lxml").img.attrs == {"src": "x"}
