"""`check` predicts the build: the same findings, word for word, run the way an editor runs them.

Both commands run in a subprocess from the project folder with a relative ``-f``, as in a
terminal or CI job, so paths in the messages must come out the same in both: the build
reaches the findings through MkDocs, which resolves paths differently from the check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Site
from test_hostile import BODY, CORPUS, EXPECTED


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "factmark.cli", "-f", "mkdocs.yml", *args], cwd=root,
                          capture_output=True, text=True, timeout=300, check=False)


def corpus_project(root: Path) -> Site:
    """Every hostile annotation file of the corpus, each beside a text of its own, in one project."""
    site = Site(root)
    for name, data in CORPUS.items():
        site.write(f"content/{name}.md", "---\ntitle: t\n---\n" + BODY)
        site.write(f"annotations/{name}", data.replace(b"document: speech.md", f"document: {name}.md".encode()))
    return site


def test_build_refuses_with_exactly_the_findings_of_check(tmp_path: Path) -> None:
    corpus_project(tmp_path / "p")
    (tmp_path / "p" / "site").mkdir()
    (tmp_path / "p" / "site" / "index.html").write_text("the previous site", encoding="utf-8")
    check = run(tmp_path / "p", "check")
    build = run(tmp_path / "p", "build")
    findings = [line for line in check.stdout.splitlines() if line]
    assert check.returncode == 1 and build.returncode == 1
    assert len(findings) >= sum(map(len, EXPECTED.values()))
    # every line the check prints is a line of the build's refusal, and the build adds no finding of its own
    refused = [line for line in build.stderr.splitlines() if line.startswith(("annotations/", "content/"))]
    assert refused == findings
    assert "Traceback" not in check.stderr + build.stderr
    assert (tmp_path / "p" / "site" / "index.html").read_text(encoding="utf-8") == "the previous site"


@pytest.mark.parametrize("name", sorted(n for n, lines in EXPECTED.items() if not lines))
def test_a_file_check_passes_builds(tmp_path: Path, name: str) -> None:
    site = Site(tmp_path)
    site.doc(BODY)
    site.write(f"annotations/{name}", CORPUS[name])
    assert run(tmp_path, "check").returncode == 0
    build = run(tmp_path, "build")
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "site" / "speech" / "index.html").is_file()


def test_same_findings_through_a_symlinked_project_path(tmp_path: Path) -> None:
    """A checkout reached through a symlink (a home folder on another disk, say) reports the same paths."""
    site = Site(tmp_path / "real")
    site.doc(BODY)
    site.write("annotations/speech.yaml", CORPUS["42-quote-not-in-text.yaml"])
    (tmp_path / "link").symlink_to(tmp_path / "real")
    check, build = run(tmp_path / "link", "check"), run(tmp_path / "link", "build")
    findings = [line for line in check.stdout.splitlines() if line]
    assert check.returncode == build.returncode == 1
    expected = EXPECTED["42-quote-not-in-text.yaml"]
    assert findings == [line.replace("42-quote-not-in-text", "speech") for line in expected]
    assert [line for line in build.stderr.splitlines() if line.startswith("annotations/")] == findings


UNSAFE = {
    "hooks: [annotations/h.py]\n": "'hooks' would run Python files of the pull request at build time",
    "extra_javascript: [speech.md]\n": "extra_javascript entry 'speech.md' is not a file of the theme",
    "extra_javascript: ['javascript:alert(1)']\n": "extra_javascript entry 'javascript:alert(1)' is not a file",
    "extra_css: ['https://evil.example/x.css']\n": "extra_css entry 'https://evil.example/x.css' is not a file",
}


@pytest.mark.parametrize("setting", sorted(UNSAFE))
def test_settings_that_run_or_load_code_are_refused_before_mkdocs_starts(tmp_path: Path, setting: str) -> None:
    """A hook runs while MkDocs reads its configuration, before any plugin can refuse: check and build refuse first."""
    site = Site(tmp_path)
    site.doc(BODY)
    site.write("annotations/h.py", f"open({str(tmp_path / 'ran')!r}, 'w').close()\n")
    site.write("mkdocs.yml", (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") + setting)
    check, build = run(tmp_path, "check"), run(tmp_path, "build")
    assert check.returncode == build.returncode == 1
    assert UNSAFE[setting] in check.stdout and UNSAFE[setting] in build.stdout + build.stderr
    assert "Traceback" not in check.stderr + build.stderr
    assert not (tmp_path / "ran").exists() and not (tmp_path / "site").exists()


def test_a_configuration_without_the_plugin_is_refused_by_check_and_build(tmp_path: Path) -> None:
    site = Site(tmp_path)
    site.doc(BODY)
    site.write("mkdocs.yml", (tmp_path / "mkdocs.yml").read_text(encoding="utf-8").replace("  - factmark\n", ""))
    check, build = run(tmp_path, "check"), run(tmp_path, "build")
    assert check.returncode == build.returncode == 1
    assert "FM402 the factmark plugin is not in 'plugins'" in check.stdout
    assert "Traceback" not in check.stderr + build.stderr
