"""The GitHub Actions workflows, read as YAML: triggers, permissions, steps and what they run.

actionlint is not used: its PyPI package downloads a binary at install time. These tests
check the structure GitHub relies on and what this project needs from each workflow.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
import yaml

from sitebuild import PROJECT

WORKFLOWS = PROJECT / ".github" / "workflows"
PINNED_ACTION = re.compile(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}")
# A tag can be moved to other code; a commit cannot. The comment keeps the version readable
# and is what Dependabot rewrites together with the SHA.
PINNED_LINE = re.compile(r"\s*(?:- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+")
DEPENDABOT = PROJECT / ".github" / "dependabot.yml"
# What the build needs to make /admin/ (npm installs Sveltia CMS) and the guidebook PDF (WeasyPrint: Pango, a Japanese font).
BUILD_PACKAGES = {"nodejs", "npm", "fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0"}
EXPRESSION_STEP = re.compile(r"steps\.([\w-]+)\.outputs")
ALLOWED_PERMISSIONS = {("contents", "read"), ("pages", "read"), ("pages", "write"), ("id-token", "write")}


def load(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


@pytest.fixture(scope="module")
def test_workflow() -> dict[str, Any]:
    return load("test.yml")


@pytest.fixture(scope="module")
def publish() -> dict[str, Any]:
    return load("publish.yml")


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def commands(job: dict[str, Any]) -> list[str]:
    return [line.strip() for step in steps(job) if "run" in step for line in step["run"].splitlines() if line.strip()]


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def apt_packages(job: dict[str, Any]) -> set[str]:
    """The Debian packages a job's `apt-get install` lines name."""
    packages: set[str] = set()
    for command in commands(job):
        if "apt-get install" in command:
            words = command.split("apt-get install", 1)[1].split(">")[0].split()
            packages |= {word for word in words if not word.startswith("-")}
    return packages


def make_targets(job: dict[str, Any]) -> list[str]:
    return [word for command in commands(job) if command.startswith("make ") for word in command.split()[1:]]


@pytest.mark.parametrize("name", ["test.yml", "publish.yml"])
def test_every_job_is_well_formed(name: str) -> None:
    workflow = load(name)
    assert workflow["name"] and workflow["on"] and workflow["jobs"]
    for job_id, job in workflow["jobs"].items():
        assert job["runs-on"] == "ubuntu-latest", job_id
        assert isinstance(job.get("timeout-minutes"), int), f"{job_id}: a stuck job must not run for hours"
        for need in [job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", []):
            assert need in workflow["jobs"], (job_id, need)
        ids = {step.get("id") for step in steps(job)}
        for step in steps(job):
            assert ("uses" in step) != ("run" in step), (job_id, step)
            if "uses" in step:
                assert PINNED_ACTION.fullmatch(step["uses"]), f"{step['uses']}: pin the commit (@<40-hex SHA>)"
        for referenced in EXPRESSION_STEP.findall(yaml.safe_dump(job)):
            assert referenced in ids, (job_id, referenced)


@pytest.mark.parametrize("name", ["test.yml", "publish.yml"])
def test_permissions_are_the_least_needed(name: str) -> None:
    workflow = load(name)
    assert workflow["permissions"] == {"contents": "read"}, "default for every job: read the repository only"
    for job_id, job in workflow["jobs"].items():
        granted = set(job.get("permissions", workflow["permissions"]).items())
        assert granted <= ALLOWED_PERMISSIONS, (job_id, granted - ALLOWED_PERMISSIONS)


@pytest.mark.parametrize("name", ["test.yml", "publish.yml"])
def test_pip_cache_is_keyed_on_the_lock_file(name: str) -> None:
    for job_id, job in load(name)["jobs"].items():
        if "actions/checkout" not in uses(job):
            continue
        caches = [step["with"] for step in steps(job) if step.get("uses", "").startswith("actions/cache@")]
        assert caches, job_id
        assert any("pip" in cache["path"] and "hashFiles('requirements.lock')" in cache["key"] for cache in caches)


@pytest.mark.parametrize("name", ["test.yml", "publish.yml"])
def test_make_targets_named_in_workflows_exist(name: str) -> None:
    for job in load(name)["jobs"].values():
        for target in make_targets(job):
            result = subprocess.run(["make", "-n", "-C", str(PROJECT), target], capture_output=True, text=True)
            assert result.returncode == 0, f"make {target}: {result.stderr}"


def test_pull_requests_run_the_check_and_every_test(test_workflow: dict[str, Any]) -> None:
    assert set(test_workflow["on"]) == {"pull_request"}
    job = test_workflow["jobs"]["test"]
    assert "make test" in commands(job)
    assert ".venv/bin/hub check --format github" in commands(job)
    assert job["env"]["HUB_REQUIRE_BROWSER"] == "1", "browser tests must run, not skip"
    assert any("chromium" in command and "fonts-noto-cjk" in command for command in commands(job))
    assert test_workflow["concurrency"]["cancel-in-progress"] is True, "an outdated test run may stop"


def test_publish_runs_on_push_to_main_daily_and_by_hand(publish: dict[str, Any]) -> None:
    triggers = publish["on"]
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    [schedule] = triggers["schedule"]
    minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"]
    jst_hour = (int(hour) + 9) % 24
    assert 3 <= jst_hour <= 6, f"{schedule['cron']} is {jst_hour}:{minute} JST, not early morning"
    cron_line = next(line for line in (WORKFLOWS / "publish.yml").read_text(encoding="utf-8").splitlines()
                     if "cron:" in line)
    comment = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8").split(cron_line)[0].splitlines()[-1]
    assert f"{jst_hour}:{int(minute):02d}" in comment and "日本時間" in comment and "UTC" in comment


def test_the_kept_files_folder_carries_over_between_builds(publish: dict[str, Any]) -> None:
    """Every run saves under a new key and restores the newest earlier one (the cache is keyed
    inside by the digest of each file's inputs, so an outdated file is never used)."""
    caches = [step["with"] for step in steps(publish["jobs"]["build"]) if step.get("uses", "").startswith("actions/cache@")]
    kept = next(cache for cache in caches if cache["path"] == ".cache/hub")
    assert "github.run_id" in kept["key"] and kept["key"].startswith(kept["restore-keys"])


def test_the_checks_kept_results_carry_over_between_pull_request_runs(test_workflow: dict[str, Any]) -> None:
    """As the kept files do: a new key each run, the newest earlier one restored (results are keyed
    inside by everything they depend on, so an outdated one is never used), before `hub check`."""
    steps_ = steps(test_workflow["jobs"]["test"])
    kept = next(index for index, step in enumerate(steps_) if step.get("with", {}).get("path") == ".cache/hub/check")
    cache = steps_[kept]["with"]
    assert "github.run_id" in cache["key"] and cache["key"].startswith(cache["restore-keys"])
    assert "hub check" in "".join(step.get("run", "") for step in steps_[kept:])


def test_a_deploy_in_progress_is_never_cancelled(publish: dict[str, Any]) -> None:
    assert publish["concurrency"]["group"]
    assert publish["concurrency"]["cancel-in-progress"] is False


def test_build_is_strict_and_uploads_the_site(publish: dict[str, Any]) -> None:
    build = publish["jobs"]["build"]
    assert uses(build) == ["actions/checkout", "actions/cache", "actions/cache", "actions/configure-pages",
                           "actions/upload-pages-artifact"]
    assert make_targets(build) == ["build"]
    dry_run = subprocess.run(["make", "-n", "-C", str(PROJECT), "build"], capture_output=True, text=True)
    assert "mkdocs build --strict" in dry_run.stdout
    order = [step.get("uses", "").split("@")[0] or step["run"] for step in steps(build)]
    assert order.index("actions/configure-pages") < order.index("make build") < order.index(
        "actions/upload-pages-artifact")
    upload = next(step for step in steps(build) if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert build["permissions"] == {"contents": "read", "pages": "read"}


def test_only_the_deploy_job_may_write_to_pages(publish: dict[str, Any]) -> None:
    deploy = publish["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert uses(deploy) == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    writers = [job_id for job_id, job in publish["jobs"].items()
               if "write" in job.get("permissions", publish["permissions"]).values()]
    assert writers == ["deploy"]


@pytest.mark.parametrize("name", ["test.yml", "publish.yml"])
def test_jobs_run_where_ci_runs(name: str) -> None:
    """Debian bookworm with Python 3.11, as .ci/run: what is tested is what is published."""
    for job_id, job in load(name)["jobs"].items():
        if "actions/checkout" in uses(job):
            assert job["container"] == "python:3.11-bookworm", job_id


@pytest.mark.parametrize("name", ["test.yml", "publish.yml"])
def test_every_action_is_pinned_by_commit_with_its_version_in_a_comment(name: str) -> None:
    lines = [line for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines()
             if re.match(r"\s*(?:- )?uses:", line)]
    assert lines
    for line in lines:
        assert PINNED_LINE.fullmatch(line), f"{line.strip()}: uses: owner/action@<40-hex SHA> # vX.Y.Z"


def test_publish_installs_what_admin_and_the_pdf_need_as_the_tests_do(test_workflow: dict[str, Any],
                                                                       publish: dict[str, Any]) -> None:
    """Without npm /admin/ is the "not prepared" page; without Pango and a Japanese font there is no PDF."""
    build = publish["jobs"]["build"]
    installed = apt_packages(build)
    assert BUILD_PACKAGES <= installed, BUILD_PACKAGES - installed
    assert installed <= apt_packages(test_workflow["jobs"]["test"]), "what is published is what the tests ran with"
    order = [step.get("uses", "").split("@")[0] or step["run"] for step in steps(build)]
    install = next(index for index, step in enumerate(order) if "apt-get install" in step)
    assert install < order.index("make build")
    checks = [command for command in commands(build) if command.startswith("test -s site/")]
    assert checks == ["test -s site/admin/sveltia-cms.js", "test -s site/talents/guidebook.pdf"]
    assert install < order.index("make build") < next(index for index, step in enumerate(order) if "test -s" in step)


def test_ci_installs_pango_for_the_pdf_as_the_workflows_do() -> None:
    script = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    for package in BUILD_PACKAGES:
        assert package in script, package


def test_dependabot_keeps_the_pinned_actions_current() -> None:
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert updates["github-actions"]["directory"] == "/" and updates["github-actions"]["schedule"]["interval"]
    assert updates["npm"]["directory"] == "/", "Sveltia CMS is published under /admin/"
