"""The command line as a newsroom meets it: `factmark --version`, `-q`, `-f` anywhere, mkdocs.yml found from a
subfolder, `check PATH...`, and the pre-commit hook run by the real `pre-commit` in a throw-away repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import DOC, MKDOCS_YML, REPO, Site, annotation, annotations_file, made_once, shared_folder

from factmark import cli

FACTMARK = Path(sys.executable).parent / "factmark"  # the console script `make setup` installs


def _script(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FACTMARK), *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, **(env or {})})


def _two_texts(site: Site) -> Site:
    """Two texts, each with one quote that is not in it: every check reports two FM301 findings."""
    site.doc("The minister said the budget grew.\n", "a.md")
    site.doc("The mayor opened the bridge.\n", "b.md")
    site.write("annotations/a.yaml", annotations_file(annotation("the budget shrank"), document="a.md"))
    site.write("annotations/b.yaml", annotations_file(annotation("the bridge closed"), document="b.md"))
    return site


def test_version_names_the_package_and_its_engine(tmp_path: Path) -> None:
    done = _script("--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"factmark {version('factmark')} (mkdocs {version('mkdocs')})"


@pytest.mark.parametrize("order", ["before", "after"])
def test_config_file_and_quiet_go_before_or_after_the_command(site: Site, tmp_path_factory: pytest.TempPathFactory,
                                                              order: str) -> None:
    _two_texts(site)
    options = ["-q", "-f", str(site.root / "mkdocs.yml")]
    done = _script(*([*options, "check"] if order == "before" else ["check", *options]),
                   cwd=tmp_path_factory.mktemp("elsewhere"))
    assert done.returncode == 1
    assert [line.split(": FM")[0] for line in done.stdout.splitlines()] == ["annotations/a.yaml:4:12", "",
                                                                            "annotations/b.yaml:4:12"]
    assert done.stderr == ""  # -q: no "2 problem(s) in 2 file(s)"


def test_without_quiet_the_summary_is_on_stderr(site: Site, tmp_path: Path) -> None:
    _two_texts(site)
    done = _script("check", "-f", str(site.root / "mkdocs.yml"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "2 problem(s) in 2 file(s)\n"


def test_mkdocs_yml_is_found_from_a_subfolder(site: Site, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _two_texts(site)
    (site.root / ".git").mkdir()  # the top of the repository, where the search would stop
    monkeypatch.chdir(site.write("content/deep/er/x.png", b"").parent)
    assert cli.main(["check"]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 3  # two findings, a blank line between the files


def test_mkdocs_yaml_spelling_is_found_too(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    (site.root / "mkdocs.yml").rename(site.root / "mkdocs.yaml")
    site.doc("The mayor opened the bridge.\n")
    monkeypatch.chdir(site.root / "content")
    assert cli.main(["check"]) == 0


def test_the_search_stops_at_the_repository_top(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A mkdocs.yml above the repository belongs to another project: never checked or built by mistake."""
    Site(tmp_path)
    inner = tmp_path / "newsroom"
    (inner / ".git").mkdir(parents=True)
    (inner / "notes").mkdir()
    monkeypatch.chdir(inner / "notes")
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"factmark: no mkdocs.yml or mkdocs.yaml in {inner / 'notes'} or a folder above it")
    assert "give the file with -f" in err


def test_check_paths_keep_only_their_findings(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """A text brings its annotation file and an annotation file its text; the other file's problem is left out."""
    _two_texts(site)
    code, lines = site.check(capsys, str(site.root / "content/a.md"))
    assert code == 1
    assert [line.split(":")[0] for line in lines] == ["annotations/a.yaml"]
    code, lines = site.check(capsys, str(site.root / "annotations/b.yaml"))
    assert (code, [line.split(":")[0] for line in lines]) == (1, ["annotations/b.yaml"])
    code, lines = site.check(capsys, str(site.root / "annotations"))
    assert (code, len([line for line in lines if line])) == (1, 2)


def test_check_path_of_a_clean_text_passes(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    _two_texts(site)
    site.doc("A text nobody annotated.\n", "c.md")
    assert site.check(capsys, str(site.root / "content/c.md")) == (0, [])


def test_check_paths_relative_to_the_current_folder(site: Site, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _two_texts(site)
    monkeypatch.chdir(site.root / "content")
    assert cli.main(["check", "b.md"]) == 1
    assert capsys.readouterr().out.startswith("annotations/b.yaml:4:12: FM301 ")


@pytest.mark.parametrize(("name", "message"), [
    ("annotations/typo.yaml", "FM435 no such file"),
    ("mkdocs.yml", "FM435 neither an annotation file nor a content file of the site of mkdocs.yml"),
    ("annotations", None),  # a folder of the site: fine
])
def test_check_path_of_no_site_file_is_a_usage_error(site: Site, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch, name: str,
                                                     message: str | None) -> None:
    """A typo in a hook or CI script must not pass as "no problems"."""
    site.doc("The mayor opened the bridge.\n")
    site.write("annotations/speech.yaml", annotations_file(annotation("The mayor opened")))
    monkeypatch.chdir(site.root)
    code = cli.main(["check", name])
    out = capsys.readouterr().out
    if message is None:
        assert (code, out) == (0, "")
        return
    assert code == 2
    assert out == (f"{name}:1:1: {message} (hint: name an annotation file (.yaml) or a text in annotations/ "
                   "or content/)\n")


def test_a_site_in_a_subfolder_is_reported_from_where_the_command_runs(tmp_path: Path) -> None:
    """`check -f site/mkdocs.yml` at a repository's top (pre-commit, CI) names files as the repository does."""
    _two_texts(Site(tmp_path / "site"))
    done = _script("check", "-f", "site/mkdocs.yml", "--format", "github", cwd=tmp_path)
    assert done.returncode == 1
    assert [re.sub(r",line.*", "", line) for line in done.stdout.splitlines()] == [
        "::error file=site/annotations/a.yaml", "::error file=site/annotations/b.yaml"]


def test_no_engine_is_one_line_and_exit_2(site: Site, tmp_path: Path) -> None:
    site.doc("The mayor opened the bridge.\n")
    before = sorted(p.name for p in site.root.iterdir())
    done = _script("build", "-f", str(site.root / "mkdocs.yml"), cwd=tmp_path, env={"FACTMARK_ENGINE": "hugo"})
    assert done.returncode == 2
    assert done.stderr == "factmark: FACTMARK_ENGINE='hugo' names no site engine (hint: use mkdocs or properdocs)\n"
    assert sorted(p.name for p in site.root.iterdir()) == before  # nothing built, nothing removed


def test_every_hint_and_doc_of_the_package_names_the_console_script() -> None:
    """`python build.py` exists only in this repository; a newsroom has `factmark`."""
    shipped = [*sorted((REPO / "factmark").rglob("*.py")), *sorted((REPO / "templates").rglob("*.*")),
               REPO / "README.md", REPO / "CONTRIBUTING.md", REPO / ".pre-commit-hooks.yaml"]
    stale = [f"{p.relative_to(REPO)}:{n}" for p in shipped if p.suffix in (".py", ".html", ".md", ".yaml", ".js")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"python build\.py (check|fix|new|rules|serve)|`build\.py (check|fix|new)", line)]
    assert stale == []


# The pre-commit hook, through the real pre-commit: a repository holding this checkout's hook definition
# at a tag, and a newsroom's repository that uses it. pre-commit installs factmark into its own environment.

def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=900, check=False, env=env)


def _hook_repo(folder: Path) -> None:
    repo = folder / "factmark"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("factmark", "templates"):
        shutil.copytree(REPO / name, repo / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, repo / name)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "factmark"], ["tag", "v0.0.0-test"]):
        assert _git(repo, *args).returncode == 0


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's package and hook definition, committed and tagged in a repository of its own."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return made_once(shared_folder(tmp_path_factory) / "hook", _hook_repo) / "factmark"


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the run: the hook's environment is installed once (pre-commit locks its store)."""
    home = shared_folder(tmp_path_factory) / "pre-commit-home"
    home.mkdir(exist_ok=True)
    return home


def _newsroom(root: Path, hook_repo: Path, site: str, args: str) -> Path:
    """A newsroom's repository: MkDocs' default docs_dir (docs), the site at the top or in folder ``site``."""
    repo = root / "newsroom"
    project = Site(repo / site)
    project.write("mkdocs.yml", MKDOCS_YML.replace("docs_dir: content", "docs_dir: docs"))
    project.write("docs/council.md", DOC + "The council approved the budget.\n")
    project.write("annotations/council.yaml", annotations_file(annotation("The council approved"),
                                                               document="council.md"))
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo.as_uri()}\n    rev: v0.0.0-test\n    hooks:\n      - id: factmark-check\n{args}",
        encoding="utf-8")
    assert _git(repo, "init", "-q").returncode == 0
    return repo


def _commit(repo: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    env_home = {"PRE_COMMIT_HOME": str(home), "PIP_CONSTRAINT": str(REPO / "constraints.txt")}
    os.environ.update(env_home)
    try:
        assert _git(repo, "add", "-A").returncode == 0
        return _git(repo, "commit", "-qm", message)
    finally:
        for key in env_home:
            os.environ.pop(key)


def _commits(repo: Path) -> int:
    done = _git(repo, "rev-list", "--count", "HEAD")
    return int(done.stdout) if done.returncode == 0 else 0


@pytest.mark.parametrize(("site", "args"), [("", ""), ("sub", "        args: [-f, sub/mkdocs.yml]\n")],
                         ids=["docs-dir-docs", "config-in-a-subfolder"])
def test_pre_commit_stops_a_broken_quote(tmp_path: Path, hook_repo: Path, pre_commit_home: Path,
                                         site: str, args: str) -> None:
    repo = _newsroom(tmp_path, hook_repo, site, args)
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, capture_output=True,
                               text=True, timeout=120, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    first = _commit(repo, pre_commit_home, "a text and its annotation")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "factmark check" in first.stdout + first.stderr and "Passed" in first.stdout + first.stderr
    assert "mutable reference" not in first.stdout + first.stderr  # a version tag, as CONTRIBUTING recommends
    prefix = f"{site}/" if site else ""
    note = repo / prefix / "annotations/council.yaml"
    note.write_text(note.read_text(encoding="utf-8").replace("The council approved", "The council rejected"),
                    encoding="utf-8")
    broken = _commit(repo, pre_commit_home, "a quote that is not in the text")
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, output
    assert f"{prefix}annotations/council.yaml:4:12: FM301 quote of 'a1' is not in docs/council.md" in output, output
    assert "Traceback" not in output
    assert _commits(repo) == 1  # the broken quote was not committed
