"""The editing UI (Sveltia CMS) in headless Chromium, with no network, as staff use it.

The sign-in screen is the published one: GitHub, signed in with a personal access token,
nothing deployed beside the site. The editing tests use Sveltia's test repository: the
browser's private file system holds a copy of content/, read the way the local-repository
mode of `make cms` reads a clone, and the saved file is put into the project that a real
`mkdocs serve` previews, where the local mode writes it. Requests may leave 127.0.0.1 only
for the UI's Japanese strings, which are answered from npm's copy of the same file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from browser import VIOLATION_LISTENER, violations
from serving import Preview, Response, serving
from sitebuild import PROJECT, copy_project

from hub.cli import main as hub

NODE_MODULES = PROJECT / "node_modules"
BUNDLE = NODE_MODULES / "@sveltia" / "cms" / "dist" / "sveltia-cms.js"
LOCALE = NODE_MODULES / "@sveltia" / "cms" / "locales" / "ja.json"
LOCALE_URL = re.compile(r"https://unpkg\.com/@sveltia/cms@[0-9.]+/locales/ja\.json")
TEST_REPO = "sveltia-cms-test"  # the folder of the browser's private file system Sveltia's test backend reads
# MkDocs' live-reload script, which it writes into every HTML file it serves, /admin/ included: the
# editing UI's policy refuses it, and should (a reload on every save would lose the editor's work).
LIVE_RELOAD = "script-src-elem inline"

SLUG = "nishi-cms-jirei"
TITLE = "編集画面から登録した西区の事例"
PHONE = "045-123-4567"
SUMMARY = f"電話 {PHONE} まで。商店街と大学が、編集画面から登録した事例です。"
NOTE = "スタッフだけのメモ：担当は受付の鈴木"
PROBLEMS = "内容に問題があるため、プレビューを更新できません"

SEED = """async ([folder, files]) => {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(folder, {recursive: true}).catch(() => {});
  const repository = await root.getDirectoryHandle(folder, {create: true});
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split("/");
    let directory = repository;
    for (const part of parts.slice(0, -1)) directory = await directory.getDirectoryHandle(part, {create: true});
    const writable = await (await directory.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(text);
    await writable.close();
  }
}"""
READ = """async ([folder, path]) => {
  let directory = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder);
  const parts = path.split("/");
  for (const part of parts.slice(0, -1)) directory = await directory.getDirectoryHandle(part);
  return await (await (await directory.getFileHandle(parts.at(-1))).getFile()).text();
}"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """`make cms` on a copy of the project: `mkdocs serve`, whose site has /admin/ (npm's bundle)."""
    if not (BUNDLE.is_file() and LOCALE.is_file()):
        message = "node_modules is missing: run npm ci (make test does)"
        pytest.fail(message) if os.environ.get("HUB_REQUIRE_BROWSER") else pytest.skip(message)
    project = copy_project(tmp_path_factory.mktemp("cms") / "project")
    (project / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    with serving(project, "admin/") as running:
        yield running


def _open(browser: Any, preview: Preview, test_repository: bool) -> tuple[Any, list[str], list[str]]:
    """A page on /admin/ with nothing reachable outside 127.0.0.1; its errors and outside requests."""
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1400, "height": 1000})
    context.add_init_script(VIOLATION_LISTENER)
    outside: list[str] = []
    config = _test_repository_config(preview) if test_repository else None

    def answer(route: Any) -> None:
        url = route.request.url
        if config is not None and url.split("?")[0] == preview.base + "admin/config.yml":
            route.fulfill(body=config, content_type="text/yaml")
        elif LOCALE_URL.fullmatch(url):
            route.fulfill(body=LOCALE.read_bytes(), content_type="application/json",
                          headers={"Access-Control-Allow-Origin": "*"})  # as the CDN answers
        elif url.startswith(preview.origin + "/"):
            route.continue_()
        else:
            outside.append(f"{route.request.resource_type} {url}")
            route.abort()

    context.route("**/*", answer)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(preview.base + "admin/", wait_until="domcontentloaded")
    return page, errors, outside


def _test_repository_config(preview: Preview) -> str:
    """The site's admin/config.yml with Sveltia's test backend in place of GitHub."""
    config = preview.get("admin/config.yml").text
    return re.sub(r"^backend:\n(?:  .*\n)+", "backend:\n  name: test-repo\n", config, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def editor(browser: Any, preview: Preview) -> Iterator[tuple[Any, list[str]]]:
    """Signed in to the test repository, which holds the sample's content/; the cases listed."""
    page, errors, _ = _open(browser, preview, test_repository=True)
    files = {path.relative_to(preview.project).as_posix(): path.read_text(encoding="utf-8")
             for path in sorted((preview.project / "content").rglob("*.md"))}
    page.evaluate(SEED, [TEST_REPO, files])
    page.get_by_role("button", name="テストリポジトリで作業").click()
    page.get_by_text("新規作成", exact=True).wait_for()
    yield page, errors
    page.context.close()


def test_signing_in_needs_only_a_token_and_no_outside_script(browser: Any, preview: Preview) -> None:
    """The published /admin/: no OAuth server to run, so the only way in is a GitHub token."""
    page, errors, outside = _open(browser, preview, test_repository=False)
    page.get_by_role("button", name=re.compile("アクセストークンを使用してログイン")).wait_for()
    assert page.get_by_role("button", name=re.compile("GitHub にログイン")).count() == 0
    assert page.locator("html").get_attribute("lang") == "ja"
    assert errors == []
    assert set(violations(page)) <= {LIVE_RELOAD}
    assert [request for request in outside if request.startswith("script ")] == []
    page.context.close()


def test_the_list_marks_drafts_and_existing_choices_show_as_stored(editor: tuple[Any, list[str]]) -> None:
    page, _ = editor
    draft = page.get_by_text(re.compile("^【下書き】"))
    draft.first.wait_for()  # the list fills in after the 新規作成 button shows
    assert draft.count() == 1 and "運河沿いの朝市" in draft.inner_text()
    page.get_by_text("空き店舗を多世代の居場所に", exact=False).first.click()
    page.get_by_role("combobox", name=re.compile("^SDGs")).wait_for()
    # The file holds numbers (sdgs: [11, 17, 3, 4]); the form shows each as chosen, by its label.
    form = page.inner_text("body")  # the main document: the preview is a frame of its own
    for label in ("11. 住み続けられるまちづくりを", "17. パートナーシップで目標を達成しよう"):
        assert label in form, label
    page.evaluate("location.hash = '#/collections/cases'")
    page.get_by_text("新規作成", exact=True).wait_for()


def _choose(page: Any, label: str, option: str) -> None:
    page.get_by_role("combobox", name=re.compile(f"^{label}")).click()
    page.get_by_role("option", name=option, exact=True).click()


def _preview_frame(page: Any) -> Any:
    for _ in range(100):
        frames = [frame for frame in page.frames if frame.url.startswith("blob:")]
        if frames and frames[0].locator("section[data-key-path='title']").count():
            return frames[0]
        page.wait_for_timeout(100)
    raise AssertionError("the preview pane never showed the entry")


def test_a_new_case_previews_in_the_site_styles_without_the_staff_note(editor: tuple[Any, list[str]]) -> None:
    page, _ = editor
    page.get_by_text("新規作成", exact=True).click()
    _preview_frame(page)  # the new entry is set up (its form then its preview) before anything is typed
    page.get_by_role("textbox", name=re.compile("^タイトル")).fill(TITLE)
    page.get_by_role("textbox", name=re.compile("^スラッグ")).fill(SLUG)
    page.get_by_label(re.compile("^公開日")).fill("2021-01-20")
    page.get_by_role("textbox", name=re.compile("^要約")).fill(SUMMARY)
    for label, option in [("テーマ", "地域づくり"), ("主体", "NPO法人"), ("区", "西区"),
                          ("SDGs", "11. 住み続けられるまちづくりを")]:
        _choose(page, label, option)
    page.get_by_role("radio", name="進行中").check()
    page.get_by_role("checkbox", name=re.compile("スタッフ用メモ")).check()
    page.get_by_role("textbox", name=re.compile("^メモ")).fill(NOTE)

    frame = _preview_frame(page)
    frame.get_by_text("進行中", exact=True).wait_for()
    shown = frame.locator("body").inner_text()
    assert TITLE in shown and "西区" in shown and "地域づくり" in shown
    assert "nishi" not in shown and "community" not in shown and "active" not in shown  # labels, never ids
    assert "スタッフだけのメモ" not in shown and "スタッフ用メモ" not in shown
    sizes = frame.evaluate("""() => Object.fromEntries(["title", "summary", "wards"].map((key) => [key,
        parseFloat(getComputedStyle(document.querySelector(`section[data-key-path='${key}'] p`)).fontSize)]))""")
    assert sizes["title"] > sizes["summary"] > sizes["wards"] >= 16, sizes  # the page's heading, lead, text
    links = frame.eval_on_selector_all("link[rel=stylesheet]", "links => links.map((link) => link.href)")
    assert any("/assets/hub/stylesheets/hub.css" in link for link in links) and links[-1].endswith("/admin/preview.css")


def test_the_saved_file_keeps_the_templates_order_and_numbers(editor: tuple[Any, list[str]], preview: Preview) -> None:
    page, errors = editor
    page.get_by_role("button", name=re.compile("^保存")).click()
    page.get_by_text(re.compile("エントリーが保存")).first.wait_for()
    text = page.evaluate(READ, [TEST_REPO, f"content/cases/{SLUG}.md"])
    front = yaml.safe_load(text.split("---\n")[1])
    assert list(front)[:8] == ["title", "date", "summary", "themes", "sectors", "wards", "sdgs", "status"]
    assert front["sdgs"] == [11] and front["wards"] == ["nishi"] and front["private"] == {"note": NOTE}
    assert errors == [] and set(violations(page)) <= {LIVE_RELOAD}
    (preview.project / "content" / "cases" / f"{SLUG}.md").write_text(text, encoding="utf-8")


def test_a_phone_number_fails_where_the_editor_looks(editor: tuple[Any, list[str]], preview: Preview,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Saved into the previewed project, the phone number turns the preview into the list of
    problems; `hub check` (which CI runs on the pull request) names the same file, line and key."""
    page, _ = editor
    where = f"content/cases/{SLUG}.md:4"
    preview.wait_for(f"cases/{SLUG}/", lambda response: PROBLEMS in response.text)  # the rebuild after the save
    shown = page.context.new_page()
    shown.goto(preview.base + f"cases/{SLUG}/")
    shown.get_by_role("heading", name=PROBLEMS).wait_for()
    body = shown.locator("main").inner_text()
    assert where in body and "summary" in body and "電話番号" in body and PHONE not in body
    shown.close()

    assert hub(["--root", str(preview.project), "check"]) == 1
    reported = capsys.readouterr().err
    assert where in reported and PHONE not in reported


def test_once_fixed_the_case_is_published_without_the_staff_note(preview: Preview) -> None:
    source = preview.project / "content" / "cases" / f"{SLUG}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(f"電話 {PHONE} まで。", ""), encoding="utf-8")
    page = preview.wait_for(f"cases/{SLUG}/", lambda response: _is_entry(response), timeout=180)
    assert NOTE not in page.text and "スタッフだけのメモ" not in page.text


def _is_entry(response: Response) -> bool:
    heading = response.soup().h1
    return heading is not None and heading.get_text(strip=True) == TITLE
