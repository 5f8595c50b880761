"""The GitHub Actions workflows: audited by two tools, and checked for what only this project knows.

What a broken workflow costs: a pull request that is never checked, a deploy that fails on
main, or a token left where an artifact can carry it off. Two tools from PyPI run here as
subprocesses, offline, so a later edit cannot reintroduce what they find:

- `check-jsonschema --builtin-schema vendor.github-workflows`: the workflow schema (unknown
  keys, a job without `runs-on`, a step that neither `uses` nor `run`s, permission scopes);
- `zizmor --offline`: security audit (actions pinned as `.github/zizmor.yml` says, no
  credentials persisted by `actions/checkout`, template injection, excessive permissions...).

The hand-written tests below check only what neither tool can know: the same commands as
the README and `.ci/run`, deploy after build, full history for the notes' git dates,
step references, read-only defaults, GitHub's Node 24 majors.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
# The first major version of each action that runs on Node 24 (GitHub retires Node 20 from
# its runners in 2026); an older pin would start failing without any change here.
NODE24_MAJOR = {"actions/checkout": 6, "actions/setup-python": 6, "actions/upload-artifact": 6,
                "actions/configure-pages": 6, "actions/upload-pages-artifact": 5, "actions/deploy-pages": 5}
MAJOR_TAG = re.compile(r"^actions/[A-Za-z0-9_.-]+@v\d+$")
STEP_REF = re.compile(r"\bsteps\.([A-Za-z_][\w-]*)\.")


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


@pytest.fixture(scope="module", params=["ci.yml", "pages.yml"])
def workflow(request) -> dict[str, Any]:
    return load(request.param)


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return load("ci.yml")


@pytest.fixture(scope="module")
def pages() -> dict[str, Any]:
    return load("pages.yml")


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def runs(job: dict[str, Any]) -> list[str]:
    return [s["run"].strip() for s in steps(job) if "run" in s]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"expected one {action} step, found {len(found)}"
    return found[0]


def step_running(job: dict[str, Any], command: str) -> dict[str, Any]:
    found = [s for s in steps(job) if s.get("run", "").strip() == command]
    assert len(found) == 1, f"expected one step running {command!r}, found {len(found)}"
    return found[0]


def readme_test_command() -> str:
    """The second of the README's two set-up commands, without its comment."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:bash|sh|console)?\n(.*?)```", text, re.DOTALL)
    assert block, "README has no command block"
    commands = [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    return commands[1]


def mkdocs_env_names() -> set[str]:
    """Environment variables mkdocs.yml reads through `!ENV [NAME, default]` or `!ENV [NAME]`."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    return set(re.findall(r"!ENV\s*\[\s*([A-Z_][A-Z0-9_]*)", text))


# -- the audits ------------------------------------------------------------------------------

def tool(name: str) -> str:
    """A console script installed by requirements-test.txt, next to this Python first."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.is_file() else shutil.which(name)
    assert found, f"{name} is not installed: pip install -r requirements-test.txt"
    return found


def run_audit(*command: str) -> subprocess.CompletedProcess[str]:
    # No token in the environment: both tools must work offline, as they do in CI's tests.
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_CONFIG")}
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_zizmor_finds_nothing():
    # The policy in .github/zizmor.yml is found by zizmor itself, as when anyone runs this command.
    result = run_audit(tool("zizmor"), "--offline", "--no-progress", ".github/workflows/")
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "No findings to report" in report, report


def test_workflows_match_github_schema():
    names = sorted(str(p.relative_to(REPO)) for p in WORKFLOWS.glob("*.y*ml"))
    assert {".github/workflows/ci.yml", ".github/workflows/pages.yml"} <= set(names)
    result = run_audit(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *names)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_policy_pins_third_party_actions_by_hash():
    policy = yaml.safe_load((REPO / ".github" / "zizmor.yml").read_text(encoding="utf-8"))
    assert policy["rules"]["unpinned-uses"]["config"]["policies"] == {"actions/*": "ref-pin", "*": "hash-pin"}


# -- what the tools cannot know, for both workflows ---------------------------------------

def test_first_party_actions_are_pinned_to_a_node24_major_tag(workflow):
    # zizmor's `ref-pin` for actions/* accepts any ref, a branch too; this wants a major tag.
    used = [s["uses"] for job in workflow["jobs"].values() for s in steps(job) if "uses" in s]
    assert used
    for uses in used:
        if not uses.startswith("actions/"):
            continue  # anything else must be hash-pinned, which zizmor checks
        assert MAJOR_TAG.match(uses), f"{uses}: pin GitHub's action to a major version, e.g. @v6"
        action, major = uses.split("@v")
        assert action in NODE24_MAJOR, f"{action}: a new action; add its first Node 24 major to NODE24_MAJOR"
        assert int(major) >= NODE24_MAJOR[action], f"{uses} runs on Node 20; use @v{NODE24_MAJOR[action]} or later"


def test_checkout_fetches_the_full_history(workflow):
    # The notes' "added" and "updated" dates come from git; a shallow clone would date
    # every entry to the last commit.
    checkouts = [s for job in workflow["jobs"].values() for s in steps(job) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step["with"]["fetch-depth"] == 0, step


def test_every_job_has_a_timeout(workflow):
    for name, job in workflow["jobs"].items():
        assert job.get("runs-on") == "ubuntu-latest", name
        assert isinstance(job.get("timeout-minutes"), int), f"{name}: a hung job should not burn six hours"


def test_with_only_on_an_action(workflow):
    # The schema accepts `with:` on a `run:` step, where GitHub silently ignores it.
    for job in workflow["jobs"].values():
        for step in steps(job):
            if "with" in step:
                assert "uses" in step, f"`with:` only applies to an action: {step}"


def test_step_references_point_at_earlier_steps_of_the_same_job(workflow):
    for name, job in workflow["jobs"].items():
        seen: set[str] = set()
        for step in steps(job):
            text = yaml.safe_dump({k: v for k, v in step.items() if k != "id"})
            for ref in STEP_REF.findall(text):
                assert ref in seen, f"{name}: step refers to steps.{ref}, which is not an earlier step"
            if "id" in step:
                assert step["id"] not in seen, f"{name}: duplicate step id {step['id']}"
                seen.add(step["id"])
        env = yaml.safe_dump(job.get("environment", {}))
        for ref in STEP_REF.findall(env):
            assert ref in seen, f"{name}: environment url refers to a missing step {ref}"


def test_needs_name_existing_jobs(workflow):
    for job in workflow["jobs"].values():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            assert need in workflow["jobs"]


def test_top_level_permissions_are_read_only(workflow):
    # zizmor's default persona accepts a workflow-wide `contents: write`; we do not.
    assert workflow["permissions"] == {"contents": "read"}


def test_python_is_311_with_a_pip_cache_keyed_on_the_requirements(workflow):
    for job in workflow["jobs"].values():
        if not any(s.get("uses", "").startswith("actions/setup-python@") for s in steps(job)):
            continue
        setup = step_using(job, "actions/setup-python")["with"]
        assert setup["python-version"] == "3.11"  # a string: YAML reads 3.10 as 3.1
        assert setup["cache"] == "pip"
        keyed_on = setup["cache-dependency-path"].split()
        assert "requirements.txt" in keyed_on
        for path in keyed_on:
            assert (REPO / path).is_file(), f"cache key names a missing file {path}"
        installs = [r for r in runs(job) if r.startswith("pip install -r ")]
        for install in installs:
            assert install.split()[-1] in keyed_on, f"{install}: its requirements file is not in the cache key"


def test_checkout_comes_first(workflow):
    for name, job in workflow["jobs"].items():
        uses = [s.get("uses", "") for s in steps(job)]
        if any(u.startswith("actions/checkout@") for u in uses):
            assert uses[0].startswith("actions/checkout@"), name


def test_site_is_built_strictly(workflow):
    built = [job for job in workflow["jobs"].values() if "mkdocs build --strict" in runs(job)]
    assert len(built) == 1
    assert not any("mkdocs build" in r and "--strict" not in r for job in workflow["jobs"].values() for r in runs(job))


# -- the pull-request workflow --------------------------------------------------------------

def test_ci_runs_on_pull_requests_and_branch_pushes_but_not_main(ci):
    assert "pull_request" in ci["on"]
    assert ci["on"]["push"] == {"branches-ignore": ["main"]}


def test_ci_runs_the_readme_test_command(ci):
    command = readme_test_command()
    assert command == "pip install -r requirements-test.txt && python -m pytest"
    (job,) = ci["jobs"].values()
    parts = [p.strip() for p in command.split("&&")]
    commands = runs(job)
    positions = [commands.index(p) for p in parts]
    assert positions == sorted(positions), "the README's commands run in its order"
    assert job["env"]["PAPERNOTES_REQUIRE_BROWSER"] == "1"


def test_ci_runs_every_check_of_ci_run(ci):
    # .ci/run is what CI means on a fresh machine; the workflow must not quietly do less.
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    checks = [line.strip() for line in script.splitlines() if re.match(r"\s*(mkdocs|ruff|python -m) ", line)]
    assert "mkdocs build --strict" in checks and "ruff check ." in checks
    (job,) = ci["jobs"].values()
    for command in checks:
        assert command in runs(job), f"{command!r} runs in .ci/run but not in ci.yml"


def test_ci_installs_chromium_before_the_tests(ci):
    (job,) = ci["jobs"].values()
    commands = runs(job)
    chromium = [i for i, r in enumerate(commands) if "apt-get install" in r and re.search(r"\bchromium\b", r)]
    assert chromium and chromium[0] < commands.index("python -m pytest")
    assert "sudo apt-get install" in commands[chromium[0]]


def test_ci_annotates_the_pull_request_and_builds_even_when_a_test_fails(ci):
    (job,) = ci["jobs"].values()
    commands = runs(job)
    assert commands.index("pip install -r requirements-test.txt") < commands.index("papernotes check --format github")
    install = step_running(job, "pip install -r requirements-test.txt")
    for command in ("papernotes check --format github", "mkdocs build --strict"):
        condition = step_running(job, command).get("if", "")
        assert "!cancelled()" in condition and f"steps.{install['id']}.outcome == 'success'" in condition, command


def test_ci_uploads_the_built_site_as_a_preview(ci):
    from mkdocs.config import load_config

    (job,) = ci["jobs"].values()
    upload = step_using(job, "actions/upload-artifact")
    build = step_running(job, "mkdocs build --strict")
    assert steps(job).index(upload) > steps(job).index(build)
    assert f"steps.{build['id']}.outcome == 'success'" in upload["if"]
    site_dir = Path(load_config(config_file=str(REPO / "mkdocs.yml")).site_dir)
    assert (REPO / upload["with"]["path"]).resolve() == site_dir.resolve()
    assert upload["with"]["if-no-files-found"] == "error"
    # docs/contributing.md and the pull-request template tell contributors to download it by this name.
    assert upload["with"]["name"] == "site-preview"


# -- the deploy workflow --------------------------------------------------------------------

def test_pages_deploys_from_main_and_on_demand(pages):
    assert pages["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in pages["on"]
    assert "pull_request" not in pages["on"]


def test_pages_deployments_queue_instead_of_cancelling(pages):
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_pages_build_job_uploads_the_strict_build(pages):
    build = pages["jobs"]["build"]
    assert "permissions" not in build, "the build job needs no more than the read-only default"
    order = [s.get("uses", "").split("@")[0] or s["run"].strip() for s in steps(build)]
    configure, build_site = order.index("actions/configure-pages"), order.index("mkdocs build --strict")
    assert configure < build_site < order.index("actions/upload-pages-artifact")
    assert step_using(build, "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"


def test_pages_build_fills_in_every_url_mkdocs_yml_reads_from_the_environment(pages):
    names = mkdocs_env_names()
    assert names == {"SITE_URL", "REPO_URL", "REPO_NAME"}
    env = step_running(pages["jobs"]["build"], "mkdocs build --strict")["env"]
    assert set(env) == names
    configure = step_using(pages["jobs"]["build"], "actions/configure-pages")
    assert env["SITE_URL"] == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}/"
    assert env["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"


def test_pages_deploy_job_has_exactly_the_permissions_it_needs(pages):
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    step = step_using(deploy, "actions/deploy-pages")
    assert deploy["environment"] == {"name": "github-pages", "url": f"${{{{ steps.{step['id']}.outputs.page_url }}}}"}
    assert not any(s.get("uses", "").startswith("actions/checkout@") for s in steps(deploy)), "deploy needs no source"


def test_only_the_deploy_job_can_write(ci, pages):
    writers = [(wf, name) for wf, data in (("ci", ci), ("pages", pages)) for name, job in data["jobs"].items()
               if "write" in (job.get("permissions") or {}).values()]
    assert writers == [("pages", "deploy")]


# -- the pull-request template --------------------------------------------------------------

def test_pull_request_template_points_at_the_guide_with_a_checklist():
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(\.\./blob/main/([^)#]+)\)", text)
    assert links == ["docs/contributing.md"]
    assert all((REPO / link).is_file() for link in links)
    items = re.findall(r"^- \[ \] (.+)$", text, re.MULTILINE)
    assert len(items) >= 5
    guide = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
    for command in re.findall(r"`((?:papernotes|mkdocs) [^`]+)`", " ".join(items)):
        assert command in guide, f"the checklist names {command!r}, which the guide does not explain"
    assert "site-preview" in text and "site-preview" in guide


def test_readme_says_how_to_turn_pages_on_and_what_to_change():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploy to GitHub Pages", 1)[1]
    assert "**Settings → Pages**" in section and "**Source: GitHub Actions**" in section
    for name in mkdocs_env_names():
        assert f"!ENV [{name}" in section, f"README does not show how to change {name}"
    # site_url comes from SITE_URL only: no default that moves `mkdocs serve` under a path prefix.
    assert "site_url: !ENV [SITE_URL]\n" in section
    mkdocs_yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "edit_uri: edit/main/docs/" in section and "edit_uri: edit/main/docs/" in mkdocs_yml


def test_checkout_fetches_full_history(workflow):
    """Entries are dated by the git history of their notes: a shallow clone would date them all today."""
    for job in workflow["jobs"].values():
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("fetch-depth") == 0
