"""Shared helpers: small throw-away projects written into tmp_path."""

from __future__ import annotations

import fcntl
import functools
import gzip
import http.server
import json
import os
import resource
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, sync_playwright

from factmark import cli, project, settings

REPO = Path(__file__).resolve().parent.parent
# Real-browser tests: Debian's Chromium (`make test` installs it), never a browser a test tool downloads
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
TEMPLATES = REPO / "templates"
SHARED = REPO.parent / "shared"


def search_pages(site: Path) -> dict[str, dict[str, Any]]:
    """The pages Pagefind indexed in a built site, by URL: each fragment is gzip, a signature, then JSON."""
    fragments = (json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
                 for path in sorted((site / "search" / "fragment").iterdir()))
    return {fragment["url"]: fragment for fragment in fragments}


# What the slowest tests share, made once per test run (see `made_once`)
SHARED_ENV = "FACTMARK_TEST_SHARED"  # set by tests/test_replaced_content.py for the run in a newsroom's copy
SHIPPED = ("pyproject.toml", "README.md", "factmark", "templates")  # what the wheel is built from
INSTALL_SECONDS = 900  # pip may download the dependencies once; a warm cache takes well under a minute
# Modules whose fixtures build sites or bundles per module: each runs on one pytest-xdist worker
# (`make test` runs `pytest -n 3 --dist loadgroup`), so the fixtures are not built once per worker
GROUPED = ("test_other_themes.py", "test_other_themes_browser.py", "test_selectors_in_browser.py")
# The longest tests start first, so no worker is still busy with one of them when the others are done
FIRST = ("test_replaced_content.py", "test_properdocs.py", "test_newsroom.py", "test_cli.py", "test_other_themes.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in GROUPED:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
    items.sort(key=lambda item: FIRST.index(item.path.name) if item.path.name in FIRST else len(FIRST))


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the whole test run: shared by pytest-xdist's workers and by the run in a newsroom's copy.

    Under xdist each worker has its own base temp inside the run's; their parent is the run's own
    folder, so nothing made by an earlier run is ever reused.
    """
    if os.environ.get(SHARED_ENV):
        return Path(os.environ[SHARED_ENV])
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "made-once"
    folder.mkdir(exist_ok=True)
    return folder


def made_once(path: Path, make: Callable[[Path], None]) -> Path:
    """The folder ``path``, filled by ``make`` unless a process of this run did it already.

    A lock file orders the processes asking at once; a ``make`` that failed leaves no mark, so the next
    asker starts again from an empty folder and reports the failure itself.
    """
    with open(path.parent / f"{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (path / ".made").exists():
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir()
            make(path)
            (path / ".made").touch()
    return path


def outside(args: list[str | Path], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """A command as a newsroom runs it: outside the checkout, without this repository on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _build_wheel(folder: Path) -> None:
    source = folder / "source"  # a copy: building in the checkout would leave build/ and egg-info there
    source.mkdir()
    for name in SHIPPED:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    built = outside([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                     "--wheel-dir", folder / "dist", source], folder, INSTALL_SECONDS)
    assert built.returncode == 0, built.stdout + built.stderr


def factmark_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this checkout, built with build isolation as pip builds any package (once per run)."""
    (wheel,) = (made_once(shared_folder(tmp_path_factory) / "wheel", _build_wheel) / "dist").glob("factmark-*.whl")
    return wheel


def engine_venv(tmp_path_factory: pytest.TempPathFactory, extras: str) -> Path:
    """A fresh venv with factmark from its wheel and ``extras`` (pinned by constraints.txt), once per run."""
    wheel = factmark_wheel(tmp_path_factory)

    def install(venv: Path) -> None:
        made = outside([sys.executable, "-m", "venv", venv], venv)
        assert made.returncode == 0, made.stderr
        done = outside([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-c", REPO / "constraints.txt", f"{wheel}[{extras}]"], venv, INSTALL_SECONDS)
        assert done.returncode == 0, done.stdout + done.stderr

    return made_once(shared_folder(tmp_path_factory) / f"venv-{extras}", install)


def shared(relative: str) -> Path:
    """A path in ../shared; the project's CI (FACTMARK_REQUIRE_SEEDS=1) fails without it, elsewhere it skips."""
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is missing: the shared folder sits beside the repository"
        if os.environ.get("FACTMARK_REQUIRE_SEEDS"):
            pytest.fail(message)
        pytest.skip(message)
    return path

def reference_annotations() -> dict[str, list[dict[str, Any]]]:
    """The repository site's annotations by document, read from whatever annotation files exist.

    Tests about the reference site's content are parametrised over this, never over our two sample
    texts by name: a newsroom that replaces ``content/`` and ``annotations/`` keeps ``make test`` green
    (``tests/test_replaced_content.py`` does exactly that in a copy).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((REPO / "annotations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[data["document"]] = data["annotations"]
    return out


REFERENCE = reference_annotations()


def page_url(document: str) -> str:
    """The site-relative URL of a text's page (the reference site uses directory URLs)."""
    return document.removesuffix(".md") + "/"


def content_pages() -> list[str]:
    """The URL of every page of the repository's content/ (``x/index.md`` and ``x.md`` are both ``x/``)."""
    content = REPO / "content"
    paths = (p.relative_to(content).as_posix().removesuffix("index.md") for p in content.rglob("*.md"))
    return sorted({page_url(path) if path and not path.endswith("/") else path for path in paths})


def most_annotated() -> str:
    """The reference text with the most annotations, for tests that need one rich page."""
    return max(sorted(REFERENCE), key=lambda d: len(REFERENCE[d]))


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


PAGED = 5  # claims per page in `paged_site`
PAGED_COUNTS = {"documented": 23, "disputed": 11, "uncorroborated": 6}  # 5, 3 and 2 numbered pages


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of its own with ``claims_per_page: 5`` and enough claims of each verdict for several pages.

    It makes its own text, so the pagination is tested whatever the repository's content holds.
    """
    project = Site(tmp_path_factory.mktemp("paged"))
    project.write("mkdocs.yml", MKDOCS_YML.replace("  - factmark\n",
                                                   f"  - factmark:\n      claims_per_page: {PAGED}\n"))
    project.write("content/index.md", "---\ntitle: Home\ntemplate: home.html\n---\n\n# Texts\n")
    project.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n\n# All claims\n")
    claims = [(status, n) for status, count in PAGED_COUNTS.items() for n in range(count)]
    project.doc("".join(f"Witness {i} said the {status} thing number {n} happened.\n\n"
                        for i, (status, n) in enumerate(claims)))
    project.write("annotations/speech.yaml", annotations_file(*(
        annotation(f"the {status} thing number {n} happened", id=f"{status}-{n}", status=status)
        for status, n in claims)))
    assert cli.main(["-f", str(project.root / "mkdocs.yml"), "build", "-d", str(project.root / "site")]) == 0
    return project.root / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` as a static site on 127.0.0.1, at a free port, for the browser; its address until the block ends."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, launched once per test module: a missing browser fails the test, never skips it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


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
