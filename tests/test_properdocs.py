"""factmark under either site engine, MkDocs 1.6 or ProperDocs 1.6.7, each alone in a fresh venv.

A newsroom installs ``factmark[mkdocs]`` or ``factmark[properdocs]`` from a wheel of this checkout;
the venv then holds that engine only (the other is not importable), ``factmark build`` and the
engine's own ``build`` make the site, Pagefind (installed with factmark) indexes it, and the theme's
search page finds a word of an annotated text in Chromium.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from conftest import REPO, Site, annotation, annotations_file, engine_venv, served
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
    assert (tmp_path / "site" / "search" / "pagefind.js").is_file()
    assert not (tmp_path / "site" / "search" / "search_index.json").exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_engines_own_build_writes_the_pagefind_index(venvs: functools.partial[Path], engine: str,
                                                         tmp_path: Path) -> None:
    """`mkdocs build` / `properdocs build`, strict, with the plugin as the engine loads it: the venv's Pagefind
    (installed with factmark) indexes the site, and the engine's search plugin adds no lunr script."""
    _newsroom(tmp_path)
    done = _run(venvs(engine) / "bin" / engine, "build", "--strict", "-f", "mkdocs.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    _assert_pagefind_only(tmp_path / "site")


def _assert_pagefind_only(site: Path) -> None:
    search = site / "search"
    assert (search / "pagefind.js").is_file() and (search / "pagefind-entry.json").is_file()
    assert not [name for name in ("main.js", "lunr.js", "worker.js", "search_index.json") if (search / name).exists()]
    assert "search/main.js" not in (site / "search.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", ENGINES)
def test_search_finds_a_word_of_the_annotated_page(venvs: functools.partial[Path], engine: str, tmp_path: Path,
                                                   browser: Browser) -> None:
    _newsroom(tmp_path)
    done = _run(venvs(engine) / "bin" / "factmark", "build", "-q", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    with served(tmp_path / "site") as base, closing(browser.new_context()) as context:
        page = context.new_page()
        page.goto(base + "search.html?q=lighthouse")
        page.wait_for_selector("#fm-search-results .fm-result", timeout=15000)
        links = page.eval_on_selector_all(".fm-result-title a", "els => els.map(a => a.getAttribute('href'))")
        assert any(link.rstrip("/").endswith("news/harbour") for link in links), links
        page.fill("#fm-search-q", "zeppelin")  # a word of no page
        page.wait_for_selector("#fm-search-summary >> text=No page matches", timeout=15000)
        page.goto(base + "search.html?q=harbour&status=documented")  # the verdict filter, from the URL
        page.wait_for_selector("#fm-search-results .fm-passage", timeout=15000)
        badges = page.locator("#fm-search-results .fm-passage .fm-badge").all_inner_texts()
        assert badges and all(badge.strip().endswith("Documented") for badge in badges), badges


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
        _assert_pagefind_only(tmp_path / f"out-{engine}")
