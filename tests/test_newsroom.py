"""What a newsroom does, from outside this repository: install factmark from a wheel, start a site, grow it.

A wheel of the checkout is built (with build isolation, as pip builds any package) and installed into a
fresh venv; every command then runs there through the console script, in a folder outside the checkout,
with no PYTHONPATH: nothing of this repository is read but what the wheel ships. The venv is made once
per test run (`conftest.engine_venv`; pip may use PyPI, with the project's pinned constraints).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, engine_venv
from conftest import outside as _run

SECOND_TEXT = """\
---
title: Council approves the harbour budget
kind: news article
author: A. Reporter
date: "2026-03-04"
language: en
provenance:
  - text: "Written for this test; no newsroom published it."
---

# Council approves the harbour budget

The council approved the harbour budget on Tuesday by nine votes to two.
The mayor said the new quay would open before the summer.
"""

SECOND_ANNOTATIONS = """\
document: texts/harbour-budget.md
annotations:
  - id: nine-votes-to-two
    quote: "by nine votes to two"
    status: documented
    summary: "The council's minutes record nine votes for the budget and two against."
    sources:
      - url: "https://council.example/minutes/2026-03-03"
        publisher: The council
        date: "2026-03-03"
        excerpt: "Carried, nine in favour, two against."
    reviewed: "2026-03-05"
"""


@pytest.fixture(scope="session")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with factmark installed from a wheel of this checkout; returns its bin folder."""
    return engine_venv(tmp_path_factory, "mkdocs") / "bin"


def test_the_wheel_ships_the_theme_and_the_schema(venv: Path, tmp_path: Path) -> None:
    probe = _run([str(venv / "python"), "-c", "import factmark, factmark.theme, importlib.metadata as m; "
                  "print(factmark.__file__); print(factmark.theme.THEME_DIR); "
                  "print(sorted(e.name for e in m.entry_points(group='mkdocs.themes')))"], tmp_path)
    assert probe.returncode == 0, probe.stderr
    package, theme, themes = probe.stdout.splitlines()
    assert str(REPO) not in package and str(REPO) not in theme  # the installed copy, not the checkout
    assert "'factmark'" in themes
    for rel in ("main.html", "home.html", "claims.html", "factmark/annotations.html", "assets/factmark.css",
                "mkdocs_theme.yml"):
        assert (Path(theme) / rel).is_file(), rel
    assert (Path(package).parent / "schema" / "annotations.schema.json").is_file()


def test_a_newsroom_starts_a_site_and_adds_a_text(venv: Path, tmp_path: Path) -> None:
    factmark = str(venv / "factmark")
    started = _run([factmark, "init", "fact-checks"], tmp_path)
    assert started.returncode == 0, started.stdout + started.stderr
    site = tmp_path / "fact-checks"
    for rel in ("mkdocs.yml", "README.md", ".pre-commit-config.yaml", ".github/workflows/factmark.yml",
                "requirements.txt", "content/texts/example.md", "annotations/example.yaml"):
        assert (site / rel).is_file(), rel
    assert "theme:\n  name: factmark" in (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert not (site / "templates").exists()  # the theme comes from the package

    checked = _run([factmark, "check"], site)
    assert (checked.returncode, checked.stdout.strip()) == (0, ""), checked.stdout + checked.stderr
    built = _run([factmark, "build"], site)
    assert built.returncode == 0, built.stdout + built.stderr
    example = (site / "site" / "texts" / "example" / "index.html").read_text(encoding="utf-8")
    assert {"documented", "disputed", "uncorroborated"} <= set(re.findall(r'class="fm-hl fm-([a-z]+)"', example))
    assert "factmark.css" in example and "Traceback" not in built.stderr

    (site / "content" / "texts" / "harbour-budget.md").write_text(SECOND_TEXT, encoding="utf-8")
    (site / "annotations" / "harbour-budget.yaml").write_text(SECOND_ANNOTATIONS, encoding="utf-8")
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    entry = "      - texts/example.md\n"
    assert entry in config
    (site / "mkdocs.yml").write_text(config.replace(entry, entry + "      - texts/harbour-budget.md\n"),
                                     encoding="utf-8")

    checked = _run([factmark, "check"], site)
    assert (checked.returncode, checked.stdout.strip()) == (0, ""), checked.stdout + checked.stderr
    built = _run([factmark, "build"], site)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (site / "site" / "texts" / "harbour-budget" / "index.html").read_text(encoding="utf-8")
    highlight = re.search(r'<mark[^>]*class="fm-hl fm-documented"[^>]*>(.*?)</mark>', page, re.S)
    assert highlight is not None and "by nine votes to two" in highlight[1]
    assert 'id="fm-nine-votes-to-two"' in page  # its entry, the permalink's target
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "Council approves the harbour budget" in home and "An example text" in home


def test_a_broken_quote_fails_the_check_and_the_build_alike(venv: Path, tmp_path: Path) -> None:
    factmark = str(venv / "factmark")
    assert _run([factmark, "init", "."], tmp_path).returncode == 0
    annotations = tmp_path / "annotations" / "example.yaml"
    text = annotations.read_text(encoding="utf-8")
    annotations.write_text(text.replace('quote: "a markup language"', 'quote: "a markdown language"'),
                           encoding="utf-8")
    checked = _run([factmark, "check"], tmp_path)
    finding = next(line for line in checked.stdout.splitlines() if " FM301 " in line)
    assert checked.returncode == 1 and finding.startswith("annotations/example.yaml:")
    built = _run([factmark, "build"], tmp_path)
    assert built.returncode == 1 and finding in built.stdout + built.stderr
    assert "Traceback" not in built.stdout + built.stderr and not (tmp_path / "site").exists()
