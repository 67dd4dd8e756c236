"""The repository's workflow files, pre-commit hook and contributor guide stay true."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from factmark.rules import RULES

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ONLINE = "verify-sources.yml"  # fetches every source and opens pull requests: never run by a test (test_sources_verify)


def steps(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["jobs"], path
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def run_commands() -> list[str]:
    """The commands of the offline workflows, which a test may run here."""
    return [str(s["run"]) for path in WORKFLOWS if path.name != ONLINE for s in steps(path) if "run" in s]


def step_env(command: str) -> dict[str, str]:
    """The ``env:`` of the step that runs ``command``: a pull request's base commit (``${{ ... base.sha }}``)
    stands for ``HEAD``, the one revision every clone has; other ``${{ ... }}`` values are GitHub's alone."""
    env = next(s.get("env") or {} for path in WORKFLOWS for s in steps(path) if s.get("run") == command)
    return {str(k): "HEAD" if "base.sha" in str(v) else str(v) for k, v in env.items()
            if "${{" not in str(v) or "base.sha" in str(v)}


def test_workflows_parse_and_have_the_expected_triggers() -> None:
    triggers = {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))[True] for p in WORKFLOWS}  # `on:` is True
    assert "pull_request" in triggers["pull-request.yml"]
    assert triggers["deploy.yml"]["push"]["branches"] == ["main"]
    assert triggers[ONLINE]["schedule"]
    uses = [str(s["uses"]) for p in WORKFLOWS for s in steps(p) if "uses" in s]
    assert "actions/deploy-pages@v4" in uses


def test_pull_requests_run_the_check_in_github_format_and_the_tests() -> None:
    commands = run_commands()
    assert '.venv/bin/python build.py check --format github --base "$BASE"' in commands
    assert '.venv/bin/python build.py diff "$BASE" --format markdown >> "$GITHUB_STEP_SUMMARY"' in commands
    assert "make test" in commands  # the README's test command; this very suite is its run


@pytest.mark.parametrize("command", sorted(set(run_commands()) - {"make test"}))
def test_workflow_command_runs(command: str, tmp_path: Path) -> None:
    """Each command as the runner's shell runs it, with its step's env and a job summary file."""
    summary = tmp_path / "summary.md"
    env = {**os.environ, **step_env(command), "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=600,
                            check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    if "GITHUB_STEP_SUMMARY" in command:
        assert summary.read_text(encoding="utf-8").startswith("### What this changes for readers\n")


def test_pre_commit_hook_runs_the_check() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "factmark-check"
    assert hook["pass_filenames"] is False
    executable = REPO / ".venv" / "bin" / hook["entry"].split()[0]
    if not executable.exists():  # installed as a console script of the package
        pytest.fail(f"{executable} is missing: the package must declare the '{hook['entry'].split()[0]}' script")
    result = subprocess.run([str(executable), *hook["entry"].split()[1:]], cwd=REPO, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_contributing_explains_every_rule() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert [code for code in RULES if f"| {code} |" not in guide] == []
