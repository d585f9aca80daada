"""`mkdocs gh-deploy` for those without GitHub Actions, pushed into a bare repository on disk."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from sitebuild import MKDOCS, SAMPLE_EPOCH, copy_project, tree_digest

GITIGNORE = (Path(__file__).resolve().parents[1] / ".gitignore").read_text(encoding="utf-8")  # the shipped one
# The machine's own git settings play no part: the repository's settings are all there is.
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def gh_deploy(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**GIT_ENV, "SOURCE_DATE_EPOCH": SAMPLE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([str(MKDOCS), "gh-deploy", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def published_tree(remote: Path, branch: str = "gh-pages") -> dict[str, bytes]:
    """Every file of the branch as GitHub Pages would serve it, read from a tar archive of it."""
    archive = subprocess.run(["git", "archive", "--format=tar", branch], cwd=remote, env=GIT_ENV,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers() if member.isfile()}


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def make_repository(folder: Path) -> tuple[Path, Path]:
    """A project committed to `main`, whose `origin` is an empty bare repository in the same folder."""
    project = copy_project(folder / "project")
    (project / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    remote = folder / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=folder)
    git("init", "--quiet", "-b", "main", cwd=project)
    git("config", "user.name", "Hub Maintainer", cwd=project)
    git("config", "user.email", "maintainer@example.org", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "Sample site", cwd=project)
    git("remote", "add", "origin", str(remote), cwd=project)
    return project, remote


@pytest.fixture()
def repository(tmp_path: Path) -> tuple[Path, Path]:
    return make_repository(tmp_path)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """The sample deployed once: the tests below read it, then the last one breaks it."""
    project, remote = make_repository(tmp_path_factory.mktemp("deployed"))
    return project, remote, gh_deploy(project)


def set_custom_domain(project: Path, domain: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("site_url: https://example.github.io/hub/",
                                                      f"site_url: https://{domain}/")
    config.write_text(text.replace("  hub:\n", f"  hub:\n    cname: {domain}\n", 1), encoding="utf-8")


def test_gh_pages_branch_carries_the_site_and_nojekyll(deployed) -> None:
    project, remote, result = deployed
    assert result.returncode == 0, result.stderr
    published = published_tree(remote)
    assert published.pop(".nojekyll") == b"", "GitHub Pages must not run Jekyll over the site"
    assert published == site_files(project / "site"), "the branch holds exactly the built site/"
    assert {"index.html", "404.html", "sitemap.xml", "robots.txt", "cases/index.html"} <= set(published)
    assert "CNAME" not in published
    assert not [path for path in project.glob(".site.*") if path.is_dir()], "no staging folder is left behind"
    assert git("status", "--porcelain", cwd=project) == "", "the working tree (main) is untouched"


def test_custom_domain_is_published_as_cname(repository: tuple[Path, Path]) -> None:
    project, remote = repository
    set_custom_domain(project, "hub.example.org")
    result = gh_deploy(project)
    assert result.returncode == 0, result.stderr
    published = published_tree(remote)
    assert published["CNAME"] == b"hub.example.org\n"
    assert b"Sitemap: https://hub.example.org/sitemap.xml" in published["robots.txt"]
    assert "hub.example.org" in result.stderr, "MkDocs reports where the site will be"


def test_a_failed_build_pushes_nothing(deployed) -> None:
    project, remote, first = deployed
    assert first.returncode == 0
    deployed = git("rev-parse", "gh-pages", cwd=remote)
    before = tree_digest(project / "site")
    case = sorted((project / "content" / "cases").glob("*.md"))[0]
    case.write_text(case.read_text(encoding="utf-8").replace("\ndate: ", "\ndate: 2020-02-30\nx_date: ", 1),
                    encoding="utf-8")
    result = gh_deploy(project)
    assert result.returncode != 0
    assert f"content/cases/{case.name}:" in result.stderr and "2020-02-30" in result.stderr
    assert git("rev-parse", "gh-pages", cwd=remote) == deployed, "the published branch did not move"
    assert tree_digest(project / "site") == before
