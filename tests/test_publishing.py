"""What a public site needs beyond its pages, read the way crawlers, social media and browsers read it.

OGP and Twitter meta, canonical URLs, the sitemap, robots.txt, the 404 page, the custom
domain, and links: broken links in bodies and in front matter stop the build.
"""

from __future__ import annotations

import functools
import os
import shutil
import struct
import subprocess
import sys
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
import yaml
from browser import chromium
from bs4 import BeautifulSoup
from conftest import front_matter
from sitebuild import PROJECT, build, copy_project

from hub.cli import main as hub_main
from hub.core.clock import resolve_now
from hub.core.content import Site
from hub.core.problems import ContentError, Problem
from hub.core.settings import Settings
from hub.output.publishing import cname_problems, github_annotations, publishing_files, require_publishable
from hub.output.site import generate
from hub.reading.frontmatter import read_source
from hub.reading.loader import Project, load_content

SITE_URL = Settings.find(PROJECT).site_url  # https://example.github.io/hub/
PREFIX = urlsplit(SITE_URL).path  # /hub/: GitHub Pages serves a project site under its name
PHOTO_CASE = "og-photo-case"
PHOTO = "assets/images/cases/og-photo-case.png"
# Quotes and ampersands must survive inside HTML attributes.
PHOTO_SUMMARY = '商店街と大学が空き店舗を"みんなの居場所"に変えた試み & その後'
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# What opens the site search on the 404 page: the hub's search button, or a label for Material's toggle.
SEARCH_OPENER = ".hub-notfound__search [data-hub-search-open], .hub-notfound__search label[for=__search]"


def case_text(title: str, body: str = "本文です。\n", **changes: str) -> str:
    return f"---\n{front_matter(title=title, **changes)}---\n\n{body}"


def write_photo_case(project: Path) -> None:
    """A case with its own PNG, a front-matter link to a page of this site and body links to others."""
    shutil.copy(PROJECT / "docs" / "assets" / "images" / "og-default.png", project / "docs" / PHOTO)
    links = f"\n  - title: センターについて\n    url: {SITE_URL}about/"
    image = f"\n  src: {PHOTO}\n  alt: 空き店舗を改装した居場所で話す商店街の人と学生"
    body = "## 関連\n\n[金沢区のリビングラボ](kanazawa-living-lab.md)と[センターについて](../about.md)も参照。\n"
    text = case_text("写真のある事例", body, summary=f"'{PHOTO_SUMMARY}'", image=image, links=links)
    (project / "content" / "cases" / f"{PHOTO_CASE}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("publishing"))
    write_photo_case(project)
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def html(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "lxml")


def meta(page: BeautifulSoup, name: str) -> str:
    tag = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
    assert tag is not None, name
    return tag["content"]


def site_path(url: str) -> str:
    """`cases/foo/index.html` for https://example.github.io/hub/cases/foo/."""
    assert url.startswith(SITE_URL), url
    path = url[len(SITE_URL):]
    return path + "index.html" if path.endswith("/") or not path else path


def sitemap_urls(site: Path) -> list[str]:
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    return [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]


def draft_urls() -> set[str]:
    found = set()
    for path in (PROJECT / "content").glob("*/**/*.md"):
        source = read_source(path, path.name)
        if source.meta.get("draft") is True:
            found.add(f"{SITE_URL}{path.relative_to(PROJECT / 'content').parts[0]}/{path.stem}/")
    return found


# --- OGP, Twitter cards, canonical URLs ------------------------------------------------------------


def test_case_page_shares_its_own_title_summary_and_picture(site: Path) -> None:
    page = html(site, f"cases/{PHOTO_CASE}/index.html")
    url = f"{SITE_URL}cases/{PHOTO_CASE}/"
    assert page.find("link", rel="canonical")["href"] == url
    assert meta(page, "og:url") == url
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == meta(page, "twitter:title") == "写真のある事例" == page.h1.get_text(strip=True)
    assert meta(page, "og:description") == meta(page, "twitter:description") == PHOTO_SUMMARY
    assert meta(page, "og:image") == meta(page, "twitter:image") == SITE_URL + PHOTO
    assert (site / site_path(meta(page, "og:image"))).read_bytes().startswith(b"\x89PNG")
    assert meta(page, "og:image:alt") == "空き店舗を改装した居場所で話す商店街の人と学生"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "article:published_time") == "2020-09-15"
    assert meta(page, "og:locale") == "ja_JP"


def test_an_svg_picture_gives_way_to_the_site_picture(site: Path) -> None:
    page = html(site, "cases/kanazawa-living-lab/index.html")
    assert "svg" in page.select_one(".hub-figure img")["src"], "the page itself shows its SVG"
    assert meta(page, "og:image") == SITE_URL + "assets/images/og-default.png"
    assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"


def test_every_page_has_share_meta_and_a_canonical_url(site: Path) -> None:
    for url in sitemap_urls(site):
        page = html(site, site_path(url))
        assert page.find("link", rel="canonical")["href"] == url
        assert meta(page, "og:url") == url
        for key in ("title", "description", "image"):
            assert meta(page, f"og:{key}").strip() and meta(page, f"og:{key}") == meta(page, f"twitter:{key}"), url
        assert (site / site_path(meta(page, "og:image"))).is_file(), url
    home = html(site, "index.html")
    assert meta(home, "og:title") == "よこはま市民協働ハブ" and meta(home, "og:type") == "website"


def test_default_picture_is_a_1200_by_630_png(site: Path) -> None:
    data = (site / "assets" / "images" / "og-default.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (1200, 630)


# --- sitemap and robots.txt -------------------------------------------------------------------------


def test_sitemap_lists_exactly_the_published_pages(site: Path) -> None:
    urls = sitemap_urls(site)
    assert len(urls) == len(set(urls))
    canonical = {page.find("link", rel="canonical")["href"]
                 for page in (html(site, path.relative_to(site).as_posix()) for path in site.rglob("index.html"))
                 if page.find("link", rel="canonical")}
    assert set(urls) == canonical
    drafts = draft_urls()
    assert drafts, "the sample has drafts to leave out"
    assert not drafts & set(urls)
    assert f"{SITE_URL}cases/{PHOTO_CASE}/" in urls
    assert not any("404" in url for url in urls)


def test_robots_txt_allows_crawling_and_names_the_sitemap(site: Path) -> None:
    robots = RobotFileParser()
    robots.parse((site / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert robots.can_fetch("*", SITE_URL + "cases/kanazawa-living-lab/")
    assert robots.site_maps() == [SITE_URL + "sitemap.xml"]


def test_robots_txt_without_site_url_or_with_one_in_docs(hub_project) -> None:
    settings = Settings.find(hub_project.root)
    [robots] = [spec for spec in publishing_files(_site(settings)) if spec.src_uri == "robots.txt"]
    assert b"Sitemap" not in robots.content and b"User-agent: *" in robots.content
    hub_project.write("docs/robots.txt", "User-agent: *\nDisallow: /\n")
    assert not [spec for spec in publishing_files(_site(settings)) if spec.src_uri == "robots.txt"]


def _site(settings: Settings) -> Site:
    return Site(load_content(Project.from_settings(settings)), resolve_now(), settings)


# --- links --------------------------------------------------------------------------------------------


def test_body_and_front_matter_links_to_site_pages_resolve(site: Path) -> None:
    page = html(site, f"cases/{PHOTO_CASE}/index.html")
    body_links = {a.get_text(): a["href"] for a in page.select(".hub-body a[href]:not(.headerlink)")}
    assert body_links == {"金沢区のリビングラボ": "../kanazawa-living-lab/", "センターについて": "../../about/"}
    related = {a.get_text(): a["href"] for a in page.select(".hub-links a[href]")}
    assert related == {"センターについて": f"{SITE_URL}about/"}


def test_broken_body_links_fail_the_build_naming_the_page_and_the_link(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    body = "[ない事例](no-such-case.md)と[下書きの事例](tsurumi-draft-coop-market.md)\n"
    (project / "content" / "cases" / "body-links.md").write_text(case_text("本文のリンク", body), encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    warnings = [line for line in result.stderr.splitlines() if "cases/body-links.md" in line]
    assert any("'no-such-case.md'" in line for line in warnings), result.stderr
    assert any("'tsurumi-draft-coop-market.md'" in line for line in warnings), "a draft is not published"
    assert not (project / "site").exists() and not [path for path in project.glob(".site.*") if path.is_dir()]


def test_front_matter_link_to_a_missing_page_fails_the_build_with_file_line_and_link(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    url = f"{SITE_URL}cases/no-such-case/"
    text = case_text("リンク切れの事例", links=f"\n  - title: ない事例\n    url: {url}")
    path = project / "content" / "cases" / "fm-link.md"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"    url: {url}") + 1
    result = build(project)
    assert result.returncode != 0
    assert f"content/cases/fm-link.md:{line}: links.url: このサイトのページ「{url}」は公開されていません" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def with_site_url(hub_project) -> None:
    hub_project.write("mkdocs.yml", f"site_name: t\nsite_url: {SITE_URL}\nextra:\n  hub:\n"
                                    "    content_dir: content\n    vocabularies: data/vocabularies.yml\n")


def test_hub_check_finds_front_matter_links_to_drafts(hub_project, capsys) -> None:
    with_site_url(hub_project)
    hub_project.write_case("hidden-case", draft="true")
    hub_project.write_case("shown-case")
    links = (f"\n  - title: 公開中\n    url: http://example.github.io/hub/cases/shown-case"
             f"\n  - title: 下書き\n    url: {SITE_URL}cases/hidden-case/#top")
    hub_project.write_case("linking-case", links=links)
    assert hub_main(["--root", str(hub_project.root), "check"]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[0].startswith("content/cases/linking-case.md:14: links.url: このサイトのページ")
    assert "hidden-case" in errors[0] and errors[1].startswith("1 件の問題")


def test_build_checks_every_site_link_and_hub_check_the_links_to_entries(hub_project) -> None:
    with_site_url(hub_project)
    links = (f"\n  - title: テーマ\n    url: {SITE_URL}cases/themes/community/"
             f"\n  - title: ない語\n    url: {SITE_URL}cases/themes/no-such-theme/")
    hub_project.write_case("linking-case", links=links)
    site = _site(Settings.find(hub_project.root))
    require_publishable(site)  # hub check: term pages are not generated, so not judged
    with pytest.raises(ContentError) as raised:
        require_publishable(site, generate(site))
    [problem] = raised.value.problems
    assert (problem.path, problem.line, problem.key) == ("content/cases/linking-case.md", 14, "links.url")
    assert "no-such-theme" in problem.message


def test_hub_check_prints_github_annotations(hub_project, capsys) -> None:
    hub_project.write_case("bad-date", date="2020-02-30")
    assert hub_main(["--root", str(hub_project.root), "check", "--format", "github"]) == 1
    annotations = capsys.readouterr().out.splitlines()
    assert annotations == ["::error file=content/cases/bad-date.md,line=3,title=date::"
                           "存在しない日付です: 「2020-02-30」 → 月と日を確かめてください（2 月は 28 日、うるう年は 29 日まで）"]


def test_github_annotations_escape_what_workflow_commands_reserve() -> None:
    problem = Problem("content/a,b.md", 7, "links.url", "100% 誤り\n次の行", "a:b")
    assert github_annotations([problem]) == ("::error file=content/a%2Cb.md,line=7,title=links.url::"
                                             "100%25 誤り%0A次の行 → a:b")


# --- custom domain ------------------------------------------------------------------------------------


def _config(hub_project, site_url: str, cname: str) -> Settings:
    hub_project.write("mkdocs.yml", f"site_name: t\nsite_url: {site_url}\nextra:\n  hub:\n"
                                    f"    content_dir: content\n    cname: {cname}\n")
    return Settings.find(hub_project.root)


def test_cname_must_be_a_host_name_on_which_site_url_lives(hub_project) -> None:
    assert cname_problems(_config(hub_project, "https://hub.example.org/", "hub.example.org")) == []
    [wrong_form] = cname_problems(_config(hub_project, "https://hub.example.org/", "https://hub.example.org/"))
    assert (wrong_form.path, wrong_form.line, wrong_form.key) == ("mkdocs.yml", 6, "extra.hub.cname")
    assert "ホスト名だけ" in wrong_form.message
    [elsewhere] = cname_problems(_config(hub_project, SITE_URL, "hub.example.org"))
    assert "example.github.io" in elsewhere.message and "https://hub.example.org/" in elsewhere.hint


def test_cname_file_is_written_when_configured(hub_project) -> None:
    settings = _config(hub_project, "https://hub.example.org/", "hub.example.org")
    files = {spec.src_uri: spec.data() for spec in publishing_files(_site(settings))}
    assert files["CNAME"] == b"hub.example.org\n"
    assert b"Sitemap: https://hub.example.org/sitemap.xml" in files["robots.txt"]


# --- the 404 page -------------------------------------------------------------------------------------


def nav_titles() -> list[str]:
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return [next(iter(item)) for item in config["nav"]]


def test_404_page_offers_search_and_the_main_sections(site: Path) -> None:
    page = html(site, "404.html")
    assert page.html["lang"] == "ja"
    assert page.title.get_text(strip=True) == "ページが見つかりません - よこはま市民協働ハブ"
    assert page.h1.get_text(strip=True) == "ページが見つかりません"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.select_one(SEARCH_OPENER) is not None
    sections = page.select(".hub-notfound__sections a")
    assert [a.get_text(strip=True) for a in sections] == nav_titles()
    for link in sections:
        href = link["href"]
        assert href.startswith(PREFIX), "absolute paths: the page is served at any depth"
        assert (site / href.removeprefix(PREFIX) / "index.html").is_file(), href
    assert page.find("link", rel="canonical") is None


class _PagesHandler(SimpleHTTPRequestHandler):
    """GitHub Pages in miniature: the site under its site_url path and 404.html, with status 404, for the rest."""

    not_found: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def pages_server(site: Path, root: Path) -> Iterator[str]:
    mount = root / PREFIX.strip("/")
    mount.parent.mkdir(parents=True, exist_ok=True)
    mount.symlink_to(site, target_is_directory=True)
    handler = type("Handler", (_PagesHandler,), {"not_found": site / "404.html"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


def test_404_page_in_a_browser_links_and_searches(site: Path, tmp_path: Path) -> None:
    with pages_server(site, tmp_path / "www") as base, chromium() as browser:
        page = browser.new_page()
        response = page.goto(base + "cases/2020/no-such-page/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "ページが見つかりません"
        page.locator(".hub-notfound__sections a", has_text="協働事例").click()
        assert page.url == base + "cases/" and page.locator("h1").inner_text() == "協働事例"
        page.go_back()
        page.locator(SEARCH_OPENER).click()
        field = page.locator(".md-search__input")
        assert field.is_visible()
        field.fill("リビングラボ")
        result = page.locator(".md-search-result__list a[href*='kanazawa-living-lab']").first
        result.wait_for()
        result.click()
        assert urlsplit(page.url).path == f"{PREFIX}cases/kanazawa-living-lab/"
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(base + "no-such-page/")
        assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        heights = phone.locator(".hub-notfound__sections a").evaluate_all("links => links.map(a => a.offsetHeight)")
        assert min(heights) >= 44, "touch targets"
        without_script = browser.new_context(java_script_enabled=False).new_page()
        without_script.goto(base + "no-such-page/")
        assert not without_script.locator(".hub-notfound__search").is_visible(), "search needs JavaScript"
        assert without_script.locator(".hub-notfound__sections a").count() == len(nav_titles())


# --- make linkcheck ---------------------------------------------------------------------------------------


def test_linkcheck_reports_broken_external_links_and_skips_the_site_itself(hub_project) -> None:
    pytest.importorskip("linkcheck", reason="LinkChecker is installed by `make linkcheck` only")
    outside = hub_project.root / "outside"
    outside.mkdir()
    (outside / "ok.html").write_text("<!doctype html><title>ok</title>", encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(outside))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    other = f"http://127.0.0.1:{server.server_address[1]}"
    hub_project.write("mkdocs.yml", f"site_name: t\nsite_url: {SITE_URL}\n")
    page = ('<!doctype html><html lang="ja"><title>t</title>'
            f'<a href="{other}/ok.html">ok</a> <a href="{SITE_URL}not-yet-deployed/">self</a> {{}}</html>')
    hub_project.write("site/index.html", page.format(f'<a href="{other}/gone.html">gone</a>'))
    try:
        failing = _linkcheck(hub_project.root)
        assert failing.returncode == 1
        assert f"{other}/gone.html" in failing.stdout and "404" in failing.stdout
        assert "1 error" in failing.stdout, "the site's own address is not fetched"
        hub_project.write("site/index.html", page.format(""))
        passing = _linkcheck(hub_project.root)
        assert passing.returncode == 0, passing.stdout
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _linkcheck(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, str(PROJECT / "scripts" / "linkcheck.py")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)

