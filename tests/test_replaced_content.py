"""A newsroom replaces our texts with its own: the repository's tests must still pass.

The tests about the reference site's content read whatever `content/` and `annotations/` hold
(`conftest.REFERENCE`); this runs them in a copy of the repository whose content is a newsroom's
first text (`tests/fixtures/newsroom/`), as a newsroom's own pull-request gate would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHARED, SHARED_ENV, shared_folder

NEWSROOM = REPO / "tests" / "fixtures" / "newsroom"
# every test module that reads the repository's own site or content (the guard below keeps this list whole)
CONTENT_TESTS = ["test_browser.py", "test_claims_pages.py", "test_content.py", "test_editor_support.py",
                 "test_opendata.py", "test_properdocs.py", "test_selectors_in_browser.py", "test_site.py"]
READS_CONTENT = re.compile(r'built_site|REFERENCE|most_annotated|REPO / "(?:content|annotations|mkdocs\.yml)"')
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", ".site.*", "test-output", "__pycache__",
                                    ".pytest_cache", ".ruff_cache", "*.egg-info")
NAV = """nav:
  - Home: index.md
  - Statements:
      - statements/budget-address-2026.md
  - Claims: claims.md
"""


def newsroom_copy(dest: Path) -> Path:
    """This repository with its content and annotations replaced by the newsroom's, and the nav to match."""
    shutil.copytree(REPO, dest, ignore=NOT_COPIED)
    (dest / "node_modules").symlink_to(REPO / "node_modules")  # the browser tests' npm packages
    if SHARED.is_dir():  # the W3C test suite beside the repository, as in this checkout
        (dest.parent / "shared").symlink_to(SHARED)
    for folder in ("content", "annotations"):
        shutil.rmtree(dest / folder)
        shutil.copytree(NEWSROOM / folder, dest / folder)
    config = dest / "mkdocs.yml"
    text, count = re.subn(r"^nav:\n(?:[ -].*\n)+", NAV, config.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1, "mkdocs.yml has one nav block"
    config.write_text(text, encoding="utf-8")
    return dest


def test_the_content_tests_pass_on_a_newsrooms_own_text(tmp_path: Path,
                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    copy = newsroom_copy(tmp_path / "repo")
    env = {k: v for k, v in os.environ.items()  # a newsroom has no seeds; the copy's run has its own workers
           if k != "FACTMARK_REQUIRE_SEEDS" and not k.startswith("PYTEST_XDIST")}
    env[SHARED_ENV] = str(shared_folder(tmp_path_factory))  # the wheel and venvs of this run: the same package
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
                             "--dist", "loadgroup", *(f"tests/{name}" for name in CONTENT_TESTS)],
                            cwd=copy, env=env, capture_output=True, text=True, timeout=900, check=False)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary and "error" not in summary, summary


def test_the_copy_is_the_newsrooms_site(tmp_path: Path) -> None:
    copy = newsroom_copy(tmp_path / "repo")
    assert sorted(p.relative_to(copy / "content").as_posix() for p in (copy / "content").rglob("*.md")) == [
        "claims.md", "index.md", "statements/budget-address-2026.md"]
    assert not list((copy / "annotations").glob("alcala*"))


def test_every_module_that_reads_the_reference_content_is_run_on_the_newsrooms() -> None:
    reading = sorted(p.name for p in (REPO / "tests").glob("test_*.py")
                     if p.name != Path(__file__).name and READS_CONTENT.search(p.read_text(encoding="utf-8")))
    assert reading == CONTENT_TESTS
