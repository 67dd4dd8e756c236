"""Reviewing a pull request: ``factmark diff`` and the corrections gate of ``check --base``.

Both load the published version (a git revision, read by :mod:`gitrev`) with the same
:class:`~factmark.project.Project` code as the work tree, then compare what each publishes
(:mod:`verdictdiff`). The work tree's project is the one ``check`` has already loaded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from . import corrections, diffreport, gitrev, verdictdiff
from . import settings as settings_mod
from .findings import Finding, FindingsError
from .project import Project
from .verdictdiff import Snapshot

FORMATS = ("human", "markdown", "json")


def snapshot_at(config: Path, rev: str) -> Snapshot:
    """What the site of ``config`` published at ``rev`` (nothing, when it had no such configuration yet)."""
    root = config.absolute().parent
    with gitrev.tree_at(root, rev) as tree:
        copy = tree / config.name
        if not copy.is_file():
            return Snapshot()
        try:
            settings = settings_mod.load(copy)
        except FindingsError as err:
            raise gitrev.RevisionError(f"the site at {rev} cannot be read: {err.findings[0].format()}") from None
        project = Project(settings)
        project.load()  # what it published: a version with findings could not have been built, but is compared
        return verdictdiff.snapshot(project)


def base_findings(config: Path, project: Project, base: str) -> list[Finding]:
    """FM220-FM223: published verdicts the work tree changes without a correction (``check --base``)."""
    published = snapshot_at(config, base)
    return corrections.findings(published, verdictdiff.snapshot(project), base, project.settings.config_file)


def diff(config: Path, settings: settings_mod.Settings, base: str | None, head: str | None, form: str) -> str:
    """``factmark diff``'s output: from ``base`` (default: the merge base with the default branch) to ``head``
    (default: the work tree)."""
    root = config.absolute().parent
    base_name = base
    base = base or gitrev.default_base(root)
    old = snapshot_at(config, base)
    if head is None:
        project = Project(settings)
        if project.load():
            print("factmark diff: the work tree has problems; `factmark check` lists them (the diff shows what "
                  "loads)", file=sys.stderr)
        new = verdictdiff.snapshot(project)
    else:
        new = snapshot_at(config, head)
    changes = verdictdiff.compare(old, new)
    if form == "json":
        return diffreport.as_json(changes, _side(root, base_name, base), _side(root, head, head))
    commit = gitrev.resolve(root, base)[:10]
    base_label = f"{base_name} ({commit})" if base_name else f"the merge base {commit}"
    render = diffreport.markdown if form == "markdown" else diffreport.human
    return render(changes, base_label, head or "the work tree")


def _side(root: Path, given: str | None, rev: str | None) -> dict[str, Any]:
    """A side of the comparison in the JSON: the revision as given (null when defaulted) and its commit (both
    null for the work tree)."""
    return {"revision": given, "commit": gitrev.resolve(root, rev) if rev is not None else None}
