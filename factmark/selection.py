"""``factmark check PATH…``: which findings belong to the files a user named.

The whole project is still loaded (a quote is found in its text, a link in another page), and
then only the findings in the named files are kept. A text and its annotation file go together:
naming either checks both, since a quote's finding sits in the annotation file but follows from
the text. A folder of the content or annotations folder names every file in it. Anything else
(a missing file, a file of neither folder) is FM435 and a usage error: a typo in a pre-commit
hook or a CI script must not pass as "no problems".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding
from .project import Project


@dataclass
class Selection:
    """Display paths (as findings name them) of the chosen files, and folders whose files are all chosen."""

    everything: bool = True
    files: set[str] = field(default_factory=set)
    folders: list[str] = field(default_factory=list)
    unknown: list[Finding] = field(default_factory=list)

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        if self.everything:
            return list(findings)
        return [f for f in findings if f.path in self.files or f.path.startswith(tuple(self.folders))]


def _absolute(arg: str) -> Path:
    """The named path with its folders resolved as the project's root is (a linked /tmp), not the file."""
    path = Path(os.path.abspath(arg))
    return path.parent.resolve() / path.name


def _within(path: Path, folder: Path) -> str | None:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return None


def chosen(project: Project, args: list[str]) -> Selection:
    """The selection ``args`` names; with no arguments, everything."""
    picked = Selection(everything=not args)
    documents = {path: doc for doc, path in project.annotation_paths.items()}
    docs, notes = project.settings.docs_dir, project.settings.annotations_dir
    for arg in args:
        path = _absolute(arg)
        text, note = _within(path, docs), _within(path, notes)
        if path.is_dir() and (text is not None or note is not None):
            picked.folders.append(project.display(path).rstrip("/") + "/")
        elif text is not None and (path.exists() or path.is_symlink()):
            picked.files.add(project.display(path))
            if text in project.annotation_paths:
                picked.files.add(project.display(project.annotation_paths[text]))
        elif note is not None and path.suffix in (".yaml", ".yml") and (path.exists() or path.is_symlink()):
            picked.files.add(project.display(path))
            if path in documents:
                picked.files.add(project.display(docs / documents[path]))
        else:
            picked.unknown.append(_unknown(project, arg, path))
    return picked


def _unknown(project: Project, arg: str, path: Path) -> Finding:
    where = f"{project.display(project.settings.annotations_dir)}/ or {project.display(project.settings.docs_dir)}/"
    if not (path.exists() or path.is_symlink()):
        return Finding(arg, 1, 1, "FM435", "no such file", f"name an annotation file (.yaml) or a text in {where}")
    return Finding(arg, 1, 1, "FM435", f"neither an annotation file nor a content file of the site of "
                   f"{project.settings.config_file}", f"name an annotation file (.yaml) or a text in {where}")
