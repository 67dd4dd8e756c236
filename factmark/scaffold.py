"""``factmark init [DIR]``: a new site that builds and passes ``factmark check`` as soon as it is written.

A newsroom starts from files that already work: mkdocs.yml with the factmark theme and plugin, one short
example text with one annotation of each verdict (its sources are real pages about the tools the site
is built with, so no reader follows an invented link), a pull-request workflow, a pre-commit hook and
a README. Nothing existing is ever overwritten: when any file is in the way, nothing is written (FM430).
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import os
from pathlib import Path

from . import siteengine
from .findings import Finding, FindingsError

EXAMPLE = "texts/example.md"  # relative to content/

MKDOCS_YML = """\
site_name: Fact checks
site_description: Texts published word for word, with a verdict and sources for every checked passage.
# The published address: ids in the open data (annotations.jsonld, feed.xml, ClaimReview) are absolute.
# Replace it, or set FACTMARK_SITE_URL where the site is built.
site_url: !ENV [FACTMARK_SITE_URL, "https://factchecks.example/"]
docs_dir: content
site_dir: site
strict: true

theme:
  name: factmark
  locale: en

nav:
  - Home: index.md
  - Texts:
      - {example}
  - Claims: claims.md

validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn

plugins:
  - search
  - factmark:
      annotations_dir: annotations
      statuses:
        documented:
          label: Documented
          description: Reliable sources show that the statement is accurate as written.
          colour: "#c8ebc9"
          symbol: "✓"
        disputed:
          label: Disputed
          description: Reliable sources contradict the statement, or it is contested and the text does not say so.
          colour: "#ffd2c2"
          symbol: "✗"
        uncorroborated:
          label: Uncorroborated
          description: No reliable source confirms the statement; it rests on the author's word.
          colour: "#fbe7a1"
          symbol: "?"
"""

INDEX_MD = """\
---
title: Home
template: home.html
---

# Fact-checked texts

Each text below is published word for word. Passages that state a checkable fact are highlighted, and the
number after each highlight leads to the verdict and the sources behind it.
"""

CLAIMS_MD = """\
---
title: Claims
template: claims.html
---

# All checked claims

Every annotated passage on this site, grouped by verdict.
"""

EXAMPLE_MD = """\
---
title: An example text
kind: example
author: factmark init
date: "{today}"
language: en
provenance:
  - text: "Written by factmark init as an example. Replace it with the first text your newsroom checks."
---

# An example text

This page is an example that `factmark init` wrote, so that the site builds from its first minute.
Replace it with a text your newsroom checks, and its annotations with yours.

The site is built with MkDocs, a static site generator.
Its annotations are written in YAML, a markup language that people can read and edit.
Its open data follows the W3C Web Annotation Data Model, which every annotation tool on the web uses.
"""

EXAMPLE_YAML = """\
document: {example}
annotations:
  - id: built-with-mkdocs
    quote: "The site is built with MkDocs, a static site generator."
    status: documented
    summary: "MkDocs describes itself as a static site generator; factmark builds its sites with it."
    sources:
      - url: "https://pypi.org/project/mkdocs/"
        title: mkdocs
        publisher: Python Package Index (PyPI)
        excerpt: "MkDocs is a fast, simple and downright gorgeous static site generator that\u2019s geared towards \\
          building project documentation."
    reviewed: "{today}"

  - id: yaml-markup-language
    quote: "a markup language"
    status: disputed
    summary: "The YAML specification calls YAML a data language; its very name says that it is not a markup language."
    sources:
      - url: "https://yaml.org/spec/1.2.2/"
        title: YAML Ain\u2019t Markup Language (YAML™) version 1.2
        publisher: YAML Language Development Team
        date: "2021-10-01"
        excerpt: "It defines the YAML 1.2 data language."
        kind: primary
    reviewed: "{today}"

  - id: every-annotation-tool
    quote: "which every annotation tool on the web uses"
    status: uncorroborated
    summary: "The W3C Recommendation describes the model; it says nothing of how many tools use it, and the \\
      example cites no survey of annotation tools."
    sources:
      - url: "https://www.w3.org/TR/annotation-model/"
        title: Web Annotation Data Model
        publisher: W3C
        excerpt: "The Web Annotation Data Model specification describes a structured model and format to enable \\
          annotations to be shared and reused across different hardware and software platforms."
        kind: primary
    reviewed: "{today}"
"""

WORKFLOW = """\
# Every pull request, and every push to main: factmark's check (findings appear inline on the diff),
# then a build of the site. Both must pass before a text or an annotation is merged.
name: factmark
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the check compares a drifted quote with the text as it was when it was annotated
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install factmark
        run: python -m pip install -r requirements.txt
      - name: Check
        env:
          BASE: ${{ github.event.pull_request.base.sha }}  # empty on a push: no published verdict to compare with
        run: factmark check --format github ${BASE:+--base "$BASE"}
      - name: What changes for readers
        if: github.event_name == 'pull_request'
        env:
          BASE: ${{ github.event.pull_request.base.sha }}
        run: factmark diff "$BASE" --format markdown >> "$GITHUB_STEP_SUMMARY"
      - name: Build
        run: factmark build
"""

VERIFY_WORKFLOW = """\
# Every Monday (and on demand): fetch every source and archived copy, politely, and record what changed.
# A source that died gets `status: dead`, one found with its excerpt a new `verified:` date: those edits
# arrive as a pull request, with the report in its description; problems without an edit (an excerpt no
# longer on its page) arrive as an issue. Settings > Actions > General must allow GitHub Actions to
# create pull requests. This is the only job that leaves the machine; the check and the build never do.
name: verify sources
on:
  schedule:
    - cron: "23 5 * * 1"
  workflow_dispatch:
permissions:
  contents: write
  pull-requests: write
  issues: write
concurrency:
  group: verify-sources
jobs:
  verify:
    runs-on: ubuntu-24.04
    timeout-minutes: 40
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install factmark
        run: {install}
      - name: Verify sources
        run: {factmark} sources verify --record --time-limit 1800 > report.txt 2> findings.txt || true
      - name: Open a pull request or an issue with what changed
        env:
          GH_TOKEN: ${{{{ github.token }}}}
        run: |
          day=$(date -u +%Y-%m-%d)
          {{ echo "factmark sources verify, $day"; echo; echo '```'; cat findings.txt report.txt; echo '```'; }} \\
            | head -c 60000 > body.md
          if ! git diff --quiet -- annotations/; then
            git switch -c "verify-sources/$day"
            git -c user.name="github-actions[bot]" -c user.email="github-actions[bot]@users.noreply.github.com" \\
              commit -qam "Sources verified $day: statuses and dates recorded by factmark sources verify"
            git push -q origin "verify-sources/$day"
            gh pr create --title "Sources verified $day" --body-file body.md
          elif grep -q " FM6" findings.txt; then
            gh issue create --title "Sources to look at, $day" --body-file body.md
          fi
"""

PRE_COMMIT = """\
# `pip install pre-commit && pre-commit install`: every commit is checked first, with the factmark
# installed in this environment (the same version as requirements.txt).
repos:
  - repo: local
    hooks:
      - id: factmark-check
        name: factmark check
        entry: factmark check
        language: system
        pass_filenames: false
        always_run: true  # the whole site on every commit, whatever its docs_dir
"""

GITIGNORE = """\
site/
.venv/
"""

README = """\
# Fact checks

This site was started with `factmark init`. Each text in `content/` is published word for word; each
file in `annotations/` gives the verdicts on its passages, with their sources.

```sh
python -m venv .venv && . .venv/bin/activate
pip install -r requirements.txt
factmark check     # every problem as path:line:col: CODE message (hint: ...); exit 1 if any
factmark build     # check, then build the site into site/
factmark serve     # live preview at http://127.0.0.1:8000
```

## First steps

1. Replace the example: `content/{example}` and `annotations/example.yaml` are there so that the site
   builds from the start. Their sources are real pages, but the text is only an example.
2. Set `site_name` and `site_url` in `mkdocs.yml` (`https://factchecks.example/` is a placeholder), or set
   `FACTMARK_SITE_URL` where the site is built.
3. Add a text: a Markdown file in `content/` with its front matter (title, kind, author, date, language,
   provenance), listed under `nav:` in `mkdocs.yml`.
4. Annotate it: `factmark new PATH "the exact words"` writes an annotation skeleton into `annotations/`;
   fill in the verdict, the summary and at least one source with the passage it supports.
5. `factmark rules` lists every check and what it means.

## Pull requests

`.github/workflows/factmark.yml` runs `factmark check` (findings appear inline on the diff; a verdict that
main published changes only with a `corrections:` entry, and is removed only with a `withdrawn:` record),
writes what the pull request changes for readers (`factmark diff`) to the job summary, and builds the site
on every pull request; `.github/workflows/verify-sources.yml` fetches every source each Monday and opens
a pull request with what changed (`factmark sources verify --record`). `.pre-commit-config.yaml` runs the
same check before each commit (`pip install pre-commit && pre-commit install`). `requirements.txt` says
which factmark is installed;
{requirement_note}
"""


def requirement() -> tuple[str, str]:
    """(the requirements.txt line for the factmark that runs now, what the README says of it).

    Installed from a git URL, pip records the repository and commit (PEP 610 ``direct_url.json``), which
    CI then installs exactly. Otherwise the line names the version, and the README asks for the URL.
    """
    dist = importlib.metadata.distribution("factmark")
    name = f"factmark[{siteengine.NAME or 'mkdocs'}]"  # the engine this site is built with (an extra)
    try:
        direct = json.loads(dist.read_text("direct_url.json") or "{}")
    except ValueError:
        direct = {}
    vcs = direct.get("vcs_info") if isinstance(direct, dict) else None
    url = direct.get("url", "") if isinstance(direct, dict) else ""
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and url.startswith("https://") and vcs.get("commit_id"):
        return (f"{name} @ git+{url}@{vcs['commit_id']}",
                "it is the commit this site was started with; raise it to a newer release tag when you update.")
    return (f"{name}=={dist.version}",
            "replace that line with the address you install factmark from, such as\n"
            f"`{name} @ git+https://github.com/OWNER/factmark@v{dist.version}`, so that CI installs the same.")


def files(today: str) -> dict[str, str]:
    """Every file ``init`` writes, relative to the new site's folder."""
    line, note = requirement()
    return {
        "mkdocs.yml": MKDOCS_YML.format(example=EXAMPLE),
        "content/index.md": INDEX_MD,
        "content/claims.md": CLAIMS_MD,
        f"content/{EXAMPLE}": EXAMPLE_MD.format(today=today),
        "annotations/example.yaml": EXAMPLE_YAML.format(example=EXAMPLE, today=today),
        ".github/workflows/factmark.yml": WORKFLOW,
        ".github/workflows/verify-sources.yml": VERIFY_WORKFLOW.format(
            install="python -m pip install -r requirements.txt", factmark="factmark"),
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".gitignore": GITIGNORE,
        "requirements.txt": f"# the factmark this site is built with (pip install -r requirements.txt)\n{line}\n",
        "README.md": README.format(example=EXAMPLE, requirement_note=note),
    }


def init(folder: Path, today: datetime.date | None = None) -> list[str]:
    """Write a new site into ``folder`` (made if missing); return what to tell the user.

    Raises :class:`FindingsError` (FM430) when any file it would write exists, or is a link or a folder,
    and FM432 when the folder cannot be written; then nothing is left behind.
    """
    planned = files((today or datetime.date.today()).isoformat())
    shown = {rel: (folder / rel).as_posix() for rel in planned}
    if folder.exists() and not folder.is_dir():
        raise FindingsError([Finding(folder.as_posix(), 1, 1, "FM430", f"{folder.as_posix()} is a file, not a folder",
                                     "name a new or empty folder: factmark init my-site")])
    in_the_way = [rel for rel in planned if os.path.lexists(folder / rel) or _blocked(folder, rel)]
    if in_the_way:
        raise FindingsError([Finding(shown[rel], 1, 1, "FM430", "the file exists; factmark init writes over "
                                     "nothing, so it wrote no file", "run it in a new or empty folder, or move "
                                     "this file away") for rel in in_the_way])
    written: list[Path] = []
    try:
        for rel, text in planned.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as out:  # never through a link, never over a file
                written.append(path)
                out.write(text)
    except OSError as err:
        for path in reversed(written):
            path.unlink(missing_ok=True)
        raise FindingsError([Finding(shown[rel], 1, 1, "FM432", f"cannot write {shown[rel]}: {err.strerror or err}",
                                     "make the folder writable and free disk space, then run it again")]) from None
    where = folder.as_posix()
    return [f"wrote {shown[rel]}" for rel in planned] + [
        f"Next: cd {where}; factmark check; factmark build (the site appears in {where}/site)"]


def _blocked(folder: Path, rel: str) -> bool:
    """Whether a folder on the way to ``rel`` is a file or a link (writing would fail, or leave the site)."""
    parent = (folder / rel).parent
    return any(os.path.lexists(p) and (p.is_symlink() or not p.is_dir())
               for p in [parent, *parent.parents] if p.is_relative_to(folder) and p != folder)
