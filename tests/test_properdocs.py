"""factmark under either site engine, MkDocs 1.6 or ProperDocs 1.6.7, each alone in a fresh venv.

A newsroom installs ``factmark[mkdocs]`` or ``factmark[properdocs]`` from a wheel of this checkout;
the venv then holds that engine only (the other is not importable), ``factmark build`` and the
engine's own ``build`` make the site, and the theme's search page finds a word of an annotated
text in Chromium: the page's ids are those the engine's own search script looks up.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, Site, annotation, annotations_file, engine_venv
from playwright.sync_api import Browser

ENGINES = ("mkdocs", "properdocs")
PAGE = """\
---
title: Harbour council
kind: news
author: A. Reporter
date: "2025-12-08"
language: en
provenance:
  - text: Written for a test.
---

The council approved the harbour budget on Tuesday, after a long debate about the lighthouse.
"""


def _run(*args: str | Path, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.fixture(scope="session")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[functools.partial[Path]]:
    """A venv per engine with factmark from a wheel of this checkout, made once per test run."""
    yield functools.partial(engine_venv, tmp_path_factory)


def _newsroom(root: Path) -> Site:
    site = Site(root)
    site.write("content/news/harbour.md", PAGE)
    site.write("annotations/harbour.yaml", annotations_file(annotation("The council approved the harbour budget"),
                                                            document="news/harbour.md"))
    return site


@pytest.mark.parametrize("engine", ENGINES)
def test_the_venv_holds_that_engine_only(venvs: functools.partial[Path], engine: str) -> None:
    python = venvs(engine) / "bin" / "python"
    other = next(e for e in ENGINES if e != engine)
    done = _run(python, "-c", f"import importlib.util as u; print(u.find_spec({engine!r}) is not None, "
                              f"u.find_spec({other!r}) is not None)")
    assert done.stdout.split() == ["True", "False"], done.stderr
    version = _run(venvs(engine) / "bin" / "factmark", "--version")
    assert re.fullmatch(rf"factmark \S+ \({engine} 1\.6\.\d+\)\n", version.stdout), version.stdout + version.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_the_reference_site_builds(venvs: functools.partial[Path], engine: str, tmp_path: Path) -> None:
    """This repository's own site, whatever its content, with each engine and no warning."""
    for folder in ("content", "annotations", "templates", ".factmark"):  # .factmark: the modelines name it
        shutil.copytree(REPO / folder, tmp_path / folder)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    done = _run(venvs(engine) / "bin" / "factmark", "build", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "site" / "search" / "search_index.json").is_file()


def _search_ids(site: Path) -> tuple[set[str], set[str]]:
    """The ids the engine's search script looks up, and the ids the theme's search page has."""
    script = (site / "search" / "main.js").read_text(encoding="utf-8")
    wanted = set(re.findall(r"getElementById\(\s*[\"']([^\"']+)[\"']\s*\)", script))
    page = (site / "search.html").read_text(encoding="utf-8")
    return wanted, set(re.findall(r'\bid="([^"]+)"', page))


@pytest.mark.parametrize("engine", ENGINES)
def test_the_engines_own_build_has_the_ids_its_search_reads(venvs: functools.partial[Path], engine: str,
                                                            tmp_path: Path) -> None:
    """`mkdocs build` / `properdocs build`, strict, with the plugin as the engine loads it."""
    _newsroom(tmp_path)
    done = _run(venvs(engine) / "bin" / engine, "build", "--strict", "-f", "mkdocs.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    wanted, present = _search_ids(tmp_path / "site")
    assert wanted == {f"{engine}-search-results", f"{engine}-search-query"}
    assert wanted <= present


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.mark.parametrize("engine", ENGINES)
def test_search_finds_a_word_of_the_annotated_page(venvs: functools.partial[Path], engine: str, tmp_path: Path,
                                                   browser: Browser) -> None:
    _newsroom(tmp_path)
    done = _run(venvs(engine) / "bin" / "factmark", "build", "-q", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    server, base = _serve(tmp_path / "site")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "search.html?q=lighthouse")
        results = f"#{engine}-search-results article"
        page.wait_for_selector(results, timeout=15000)
        links = page.eval_on_selector_all(f"{results} h3 a", "els => els.map(a => a.getAttribute('href'))")
        assert any(link.rstrip("/").endswith("news/harbour") for link in links), links
        page.fill(f"#{engine}-search-query", "zeppelin")  # a word of no page: the script's own "no results"
        page.press(f"#{engine}-search-query", "End")  # the script searches on keyup
        page.wait_for_selector(f"#{engine}-search-results >> text=No page contains these words.", timeout=15000)
        page.goto(base + "search.html?q=harbour&status=Documented")  # factmark's verdict filter over either script
        page.wait_for_selector(results, timeout=15000)
        titles = page.locator(f"{results} h3").all_inner_texts()
        assert titles and all(title.startswith("Documented:") for title in titles), titles
    finally:
        context.close()
        server.shutdown()


@pytest.mark.parametrize("engine", ENGINES)
def test_asking_for_the_missing_engine_is_one_line_and_exit_2(venvs: functools.partial[Path], engine: str,
                                                              tmp_path: Path) -> None:
    _newsroom(tmp_path)
    other = next(e for e in ENGINES if e != engine)
    done = subprocess.run([venvs(engine) / "bin" / "factmark", "build"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "FACTMARK_ENGINE": other})
    assert done.returncode == 2
    assert done.stderr == (f"factmark: FACTMARK_ENGINE={other!r}, but {other} is not installed (hint: pip install "
                           "'factmark[mkdocs]' or 'factmark[properdocs]')\n")
    assert not (tmp_path / "site").exists()


def test_with_both_engines_each_cli_builds_with_its_own_and_factmark_prefers_properdocs(
        venvs: functools.partial[Path], tmp_path: Path) -> None:
    """Material for MkDocs brings MkDocs along: a site that chose ProperDocs may have both installed."""
    bin_ = venvs("mkdocs,properdocs") / "bin"
    assert "(properdocs 1.6." in _run(bin_ / "factmark", "--version").stdout
    chosen = subprocess.run([bin_ / "factmark", "--version"], capture_output=True, text=True, timeout=60, check=False,
                            env={**os.environ, "FACTMARK_ENGINE": "mkdocs"})
    assert "(mkdocs 1.6." in chosen.stdout
    _newsroom(tmp_path)
    for engine in ENGINES:
        done = _run(bin_ / engine, "build", "--strict", "-f", "mkdocs.yml", "-d", f"out-{engine}", cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        wanted, present = _search_ids(tmp_path / f"out-{engine}")
        assert wanted == {f"{engine}-search-results", f"{engine}-search-query"} and wanted <= present
