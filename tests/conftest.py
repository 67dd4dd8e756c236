"""Shared helpers: small throw-away projects written into tmp_path."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from factmark import cli, project, settings

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
SHARED = REPO.parent / "shared"


def shared(relative: str) -> Path:
    """A path in ../shared; the project's CI (FACTMARK_REQUIRE_SEEDS=1) fails without it, elsewhere it skips."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is missing: the shared folder sits beside the repository"
        if os.environ.get("FACTMARK_REQUIRE_SEEDS"):
            pytest.fail(message)
        pytest.skip(message)
    return path

MKDOCS_YML = """\
site_name: test
docs_dir: content
theme:
  name: null
  custom_dir: templates
  static_templates: [404.html, search.html]
plugins:
  - search
  - factmark
"""

DOC = """\
---
title: A speech
kind: speech
author: A. Speaker
date: "2025-12-08"
language: en
provenance:
  - text: Delivered in a test.
---

"""


class Site:
    """A project folder with helpers to write files and run the check.

    The theme is copied in: a theme folder outside the project is refused (FM405).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.write("mkdocs.yml", MKDOCS_YML)
        shutil.copytree(TEMPLATES, root / "templates")

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def doc(self, body: str, name: str = "speech.md") -> None:
        self.write(f"content/{name}", DOC + body)

    def settings(self) -> settings.Settings:
        return settings.load(self.root / "mkdocs.yml")

    def load(self) -> tuple[project.Project, list[str]]:
        proj = project.Project(self.settings())
        return proj, [f.format() for f in proj.load()]

    def check(self, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
        code = cli.main(["-f", str(self.root / "mkdocs.yml"), "check", *extra])
        out = capsys.readouterr().out
        return code, [line.replace(str(self.root) + "/", "") for line in out.splitlines()]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("built") / "site"
    assert cli.main(["-f", str(REPO / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    return out


PAGED = 5  # claims per page in `paged_site`: every verdict's list of the real site runs over several pages


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own project with ``claims_per_page: 5``, built once: the numbered claims pages."""
    root = tmp_path_factory.mktemp("paged")
    for folder in ("content", "annotations", "templates", ".factmark"):  # .factmark: the modelines name it
        shutil.copytree(REPO / folder, root / folder)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    option = "      annotations_dir: annotations\n"
    assert option in config
    (root / "mkdocs.yml").write_text(config.replace(option, option + f"      claims_per_page: {PAGED}\n"),
                                     encoding="utf-8")
    assert cli.main(["-f", str(root / "mkdocs.yml"), "build", "-d", str(root / "site")]) == 0
    return root / "site"


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


def annotation(quote: str, *, id: str = "a1", status: str = "documented", extra: str = "") -> str:
    """One valid annotation entry in YAML, for composing test files."""
    return f"""\
  - id: {id}
    quote: "{quote}"
    status: {status}
    summary: "One sentence."
    sources:
      - url: "https://example.org/report"
        title: A report
        publisher: Example Agency
        date: "2025-01-02"
        excerpt: "The passage."
    reviewed: "2025-12-09"
{extra}"""


def annotations_file(*entries: str, document: str = "speech.md") -> str:
    return f"document: {document}\nannotations:\n" + "".join(entries)


# Hostile input: `build.py` in a child process, bounded in time and memory, reporting the child's own peak
ADDRESS_SPACE = 3 * 1024**3  # bytes of virtual memory a child may map (the 4.3 MB table needed 4.45 GB resident)
SECONDS = 45  # per subprocess; the slowest case takes about 8 s on the shared machine
# Peak memory is VmHWM, the high-water mark of this process's own memory: getrusage's ru_maxrss survives
# exec, so a child started from a pytest process of 400 MB would report 400 MB whatever it used itself.
PEAK_KB = ("max([int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:')]"
           " + [resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss])")
RUNNER = f"""\
import json, resource, sys
from factmark import cli
try:
    code = cli.main(sys.argv[2:])
finally:
    peak = {PEAK_KB}
    with open(sys.argv[1], "w") as out:
        json.dump({{"peak_kb": peak}}, out)
sys.exit(code)
"""


@dataclass
class Run:
    code: int
    lines: list[str]
    output: str
    seconds: float
    peak_mb: float


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(site: Site, *args: str) -> Run:
    """``build.py -f mkdocs.yml ARGS`` in a child process, bounded in time and memory."""
    report = site.root / ".peak.json"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(report), "-f", str(site.root / "mkdocs.yml"), *args],
        capture_output=True, text=True, timeout=SECONDS, check=False, preexec_fn=_limit_memory,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    seconds = time.monotonic() - started
    peak = json.loads(report.read_text())["peak_kb"] / 1024 if report.exists() else float("inf")
    output = result.stdout + result.stderr
    lines = [line.replace(str(site.root) + "/", "") for line in result.stdout.splitlines() if line.strip()]
    return Run(result.returncode, lines, output, seconds, peak)
