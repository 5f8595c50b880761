"""The GitHub Actions workflows: audited by two tools, and checked for what only this project knows.

What a broken workflow costs: a pull request that is never checked, a deploy that fails on
main, or a token left where an artifact can carry it off. Two tools from PyPI run here as
subprocesses, offline, so a later edit cannot reintroduce what they find:

- `check-jsonschema --builtin-schema vendor.github-workflows`: the workflow schema (unknown
  keys, a job without `runs-on`, a step that neither `uses` nor `run`s, permission scopes);
- `zizmor --offline`: security audit (actions pinned as `.github/zizmor.yml` says, no
  credentials persisted by `actions/checkout`, template injection, excessive permissions...).

The hand-written tests below check only what neither tool can know: the same commands as
the README and `.ci/run`, the pull-request check's two jobs (notes on every pull request, with
`papernotes diff` in the job summary; code when the change needs it, as `.ci/code_changed.py`
decides), deploy after build, full history for the notes' git dates, step references,
read-only defaults, GitHub's Node 24 majors.
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
from support.paths import REPO

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
def notes_job(ci) -> dict[str, Any]:
    return ci["jobs"]["notes"]


@pytest.fixture(scope="module")
def code_job(ci) -> dict[str, Any]:
    return ci["jobs"]["code"]


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


def test_ci_has_a_notes_job_and_a_code_job_that_both_report_on_every_pull_request(ci):
    # A workflow skipped by a `paths:` filter leaves a required check pending: the code job
    # decides inside itself which steps to run, and neither job is skipped as a whole.
    assert set(ci["jobs"]) == {"notes", "code"}
    assert ci["on"]["pull_request"] is None, "no paths / paths-ignore filter on pull requests"
    for name, job in ci["jobs"].items():
        assert "if" not in job and "needs" not in job, f"{name} must report on every pull request"


def test_ci_runs_the_readme_test_command(code_job):
    command = readme_test_command()
    assert command == "pip install -r requirements-test.txt && python -m pytest"
    parts = [p.strip() for p in command.split("&&")]
    commands = runs(code_job)
    positions = [commands.index(p) for p in parts]
    assert positions == sorted(positions), "the README's commands run in its order"
    assert code_job["env"]["PAPERNOTES_REQUIRE_BROWSER"] == "1"


def test_ci_runs_every_check_of_ci_run(ci):
    # .ci/run is what CI means on a fresh machine; the workflow must not quietly do less.
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_test_command() in script.splitlines(), ".ci/run runs the README's test command verbatim"
    checks = [line.strip() for line in script.splitlines() if re.match(r"\s*(mkdocs|ruff|python -m) ", line)]
    assert {"mkdocs build --strict", "ruff check .", "python -m mypy"} <= set(checks)
    everything = [command for job in ci["jobs"].values() for command in runs(job)]
    for command in checks:
        assert command in everything, f"{command!r} runs in .ci/run but not in ci.yml"


def test_ci_installs_chromium_before_the_tests(code_job):
    commands = runs(code_job)
    chromium = [i for i, r in enumerate(commands) if "apt-get install" in r and re.search(r"\bchromium\b", r)]
    assert chromium and chromium[0] < commands.index("python -m pytest")
    assert "sudo apt-get install" in commands[chromium[0]]


def test_the_browser_tests_get_chromiums_path_from_the_environment(code_job, tmp_path):
    """The Chromium step exports PAPERNOTES_CHROMIUM, the path of the Chromium it found, for the test step."""
    step = next(s for s in steps(code_job) if re.search(r"\bchromium\b", s.get("run", "")))
    assert steps(code_job).index(step) < steps(code_job).index(step_running(code_job, "python -m pytest"))
    bin_dir = tmp_path / "elsewhere" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "chromium").write_text("#!/bin/sh\n", encoding="utf-8")
    (bin_dir / "chromium").chmod(0o755)
    github_env = tmp_path / "github_env"
    env = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "GITHUB_ENV": str(github_env)}
    subprocess.run(["bash", "-e", "-c", step["run"]], env=env, check=True, capture_output=True, timeout=60)
    assert github_env.read_text(encoding="utf-8") == f"PAPERNOTES_CHROMIUM={bin_dir / 'chromium'}\n"
    # ... which the browser tests drive (Debian's /usr/bin/chromium when it is unset).
    read = "import sys; sys.path[:0] = ['tests']; from browser import conftest; print(conftest.CHROMIUM)"
    for value, expected in ((str(bin_dir / "chromium"), str(bin_dir / "chromium")), ("", "/usr/bin/chromium")):
        result = subprocess.run([sys.executable, "-c", read], cwd=REPO, env={**os.environ, "PAPERNOTES_CHROMIUM": value},
                                capture_output=True, text=True, timeout=120, check=True)
        assert result.stdout.strip() == expected


def test_notes_job_annotates_the_pull_request_and_builds_even_when_the_check_fails(notes_job):
    commands = runs(notes_job)
    assert commands.index("pip install -r requirements.txt") < commands.index("papernotes check --format github")
    install = step_running(notes_job, "pip install -r requirements.txt")
    for command in ("papernotes check --format github", "mkdocs build --strict"):
        condition = step_running(notes_job, command).get("if", "")
        assert "!cancelled()" in condition and f"steps.{install['id']}.outcome == 'success'" in condition, command


def test_notes_job_has_the_site_dependencies_only(notes_job):
    # A contributor's verdict in minutes: no test dependencies, no browser, no test run.
    installs = [r for r in runs(notes_job) if "pip install" in r]
    assert installs == ["pip install -r requirements.txt"]
    requirements = (REPO / "requirements.txt").read_text(encoding="utf-8")
    assert "requirements-test" not in requirements and "pytest" not in requirements
    text = yaml.safe_dump(notes_job)
    for word in ("pytest", "requirements-test", "chromium", "PAPERNOTES_REQUIRE_BROWSER", "steps.changes"):
        assert word not in text, f"the notes job mentions {word}"
    keyed_on = step_using(notes_job, "actions/setup-python")["with"]["cache-dependency-path"].split()
    assert "requirements-test.txt" not in keyed_on


def test_code_job_steps_run_only_when_the_change_needs_them(code_job):
    """After the step that decides, every step runs only on its `code=true`, directly or through the install."""
    order = steps(code_job)
    assert order[0]["uses"].startswith("actions/checkout@")
    decide = order[1]
    assert decide["id"] == "changes" and decide["run"].strip() == 'python3 .ci/code_changed.py "$BASE"'
    assert decide["env"] == {"BASE": "${{ github.event.pull_request.base.sha }}"}
    assert "if" not in decide
    install = step_running(code_job, "pip install -r requirements-test.txt")
    gated = {"steps.changes.outputs.code == 'true'", f"steps.{install['id']}.outcome == 'success'"}
    for step in order[2:]:
        condition = step.get("if", "")
        assert any(g in condition for g in gated), f"step runs whatever changed: {step.get('name') or step.get('uses')}"
        if "outcome" in condition:
            assert "changes.outputs.code" in install["if"]
    assert "python -m mypy" in runs(code_job) and "ruff check ." in runs(code_job)


def test_summary_step_writes_papernotes_diff_to_the_job_summary(notes_job):
    step = step_running(notes_job, 'papernotes diff "$BASE" >> "$GITHUB_STEP_SUMMARY"')
    # The base comes through the environment: an expression inside `run:` is template injection.
    assert step["env"] == {"BASE": "${{ github.event.pull_request.base.sha }}"}
    assert "${{" not in step["run"]
    assert "!cancelled()" in step["if"] and "github.event_name == 'pull_request'" in step["if"]
    install = step_running(notes_job, "pip install -r requirements.txt")
    assert steps(notes_job).index(step) > steps(notes_job).index(install)


def test_summary_step_runs_as_written(notes_job, tmp_path):
    """The step's own command on a repository with a pull request's worth of change: the summary gets the report."""
    from support.gitrepo import commit, git, write

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - papernotes\n", encoding="utf-8")
    write(root / "docs" / "a.md", "### [CVPR 2023] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)\n_A. Kirillov_\n")
    commit(root, "2024-01-01T00:00:00+00:00", "base")
    base = git(root, "rev-parse", "HEAD").strip()
    write(root / "docs" / "b.md", "### [ICCV 2023] A New Paper\n_Ada Lovelace_\n")
    commit(root, "2024-01-02T00:00:00+00:00", "a pull request")
    shim = tmp_path / "bin" / "papernotes"  # the console script, for this checkout's plugin
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m papernotes "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}", "BASE": base, "GITHUB_STEP_SUMMARY": str(summary)}
    subprocess.run(["bash", "-e", "-c", step_running(notes_job, 'papernotes diff "$BASE" >> "$GITHUB_STEP_SUMMARY"')["run"]],
                   cwd=root, env=env, check=True, capture_output=True, timeout=120)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## What this change does to the library\n")  # appended, as GitHub wants
    assert "### Papers added (1)\n\n- **A New Paper** (`docs/b.md:3`)\n" in text


def _code_changed():
    import importlib.util

    spec = importlib.util.spec_from_file_location("code_changed", REPO / ".ci" / "code_changed.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("paths", "needed"), [
    (["docs/blog_generative_models.md"], False),
    (["docs/new_topic.md", "assets/fig_new_topic/1.png", "aliases.yml"], False),
    (["docs/sub/deep.md", "docs/img/figure.PNG"], False),
    ([], False),
    (["plugins/papernotes/notes/grammar.py"], True),
    (["docs/note.md", "tests/unit/notes/test_grammar.py"], True),
    (["requirements.txt"], True),
    (["requirements-test.txt"], True),
    (["plugins/pyproject.toml"], True),
    ([".github/workflows/ci.yml"], True),
    ([".github/zizmor.yml"], True),
    ([".ci/run"], True),
    (["mkdocs.yml"], True),
    (["docs/contributing.md"], True),  # its examples and rule table are tests
    (["docs/extra.js"], True),
    (["overrides/partials/source.html"], True),
    (["LICENSE"], True),  # a file no rule names runs the code job
])
def test_code_job_decision_on_sample_changes(paths, needed):
    assert _code_changed().needs_code_job(paths) is needed


def test_code_job_decision_on_a_real_pull_request(tmp_path):
    from support.gitrepo import commit, git

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "docs").mkdir()
    (root / "docs" / "a.md").write_text("# A\n", encoding="utf-8")
    commit(root, "2024-01-01T00:00:00+00:00", "base")
    git(root, "switch", "-q", "-c", "notes-only")
    (root / "docs" / "b.md").write_text("# B\n", encoding="utf-8")
    commit(root, "2024-01-02T00:00:00+00:00", "a note")
    git(root, "switch", "-q", "-c", "moves-code", "main")
    (root / "plugins").mkdir()
    git(root, "mv", "docs/a.md", "plugins/a.py")  # a rename counts as both its paths
    commit(root, "2024-01-03T00:00:00+00:00", "a note becomes code")

    def decide(branch: str, base: str) -> str:
        git(root, "switch", "-q", branch)
        output = tmp_path / f"output-{len(list(tmp_path.glob('output-*')))}"  # as GitHub gives each step its own
        result = subprocess.run([sys.executable, str(REPO / ".ci" / "code_changed.py"), base], cwd=root,
                                env={**os.environ, "GITHUB_OUTPUT": str(output)}, capture_output=True, text=True, check=True)
        assert output.read_text(encoding="utf-8") == result.stdout.splitlines()[-1] + "\n"
        return result.stdout.splitlines()[-1]

    main = git(root, "rev-parse", "main").strip()
    assert decide("notes-only", main) == "code=false"
    assert decide("moves-code", main) == "code=true"
    assert decide("notes-only", "") == "code=true"  # a push: no base
    assert decide("notes-only", "0" * 40) == "code=true"  # a new branch's push
    assert decide("notes-only", "no-such-ref") == "code=true"  # cannot compare: better run it


def test_ci_uploads_the_built_site_as_a_preview(notes_job):
    from mkdocs.config import load_config

    upload = step_using(notes_job, "actions/upload-artifact")
    build = step_running(notes_job, "mkdocs build --strict")
    assert steps(notes_job).index(upload) > steps(notes_job).index(build)
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
