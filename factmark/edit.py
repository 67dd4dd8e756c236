"""``factmark fix`` and ``factmark new``: the two commands that write annotation files.

Both go through :mod:`factmark.roundtrip`, so comments, key order and quoting
survive, and both print exactly what they changed.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import contentfiles, drift, editorschema, roundtrip
from .anchor import MAX_OCCURRENCES, FoldedText, closest, disambiguate
from .atomicfile import replace_file
from .findings import Finding
from .normalize import fold_quote
from .project import Project


def write(path: Path, data: Any, display: str) -> Finding | None:
    """Replace ``path`` with ``data`` in the canonical layout (:func:`_write_bytes`)."""
    return _write_bytes(path, roundtrip.dump(data).encode("utf-8"), display)


def _write_bytes(path: Path, data: bytes, display: str) -> Finding | None:
    """Replace ``path`` whole or not at all (:func:`atomicfile.replace_file`): a full disk or a read-only
    folder leaves the old file (FM503). A hard-linked file gets a new inode, so no other name changes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError as err:
        return Finding(display, 1, 1, "FM503", f"cannot write the file: {err.strerror or err}; it is unchanged",
                       "free disk space, or make the file and its folder writable, then run the command again")
    return None


@dataclass
class Rewrite:
    """What ``fix`` would write to one annotation file, and the lines that say why."""

    path: Path
    display: str
    after: str
    changes: list[str] = field(default_factory=list)

    def before(self) -> str:
        """The file as it is now (bytes that are not UTF-8 shown as U+FFFD; the check reported them)."""
        return self.path.read_bytes().decode("utf-8", errors="replace")


def plan(project: Project) -> list[Rewrite]:
    """What ``fix`` would write: unique, high-scoring quote candidates (FM306) and the canonical layout
    (FM105), one rewrite per file, nothing written. ``fix`` writes it; ``fix --diff`` shows it."""
    rewrites: dict[Path, Rewrite] = {}
    by_file: dict[Path, list[drift.Candidate]] = defaultdict(list)
    for path, candidate in project.candidates:
        by_file[path].append(candidate)
    for path, candidates in sorted(by_file.items()):
        data = roundtrip.load(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
        entries = {e.get("id"): e for e in data.get("annotations") or [] if hasattr(e, "get")}
        display = project.display(path)
        changes = []
        for c in candidates:
            ident = c.annotation.id
            if not (c.unique and c.score >= drift.FIX_AT):
                why = "it occurs more than once" if not c.unique else f"it is only {c.score:.0f}% similar"
                changes.append(f"{display}: '{ident}' left for a human: the candidate \"{c.text}\" is not applied "
                               f"because {why}")
                continue
            entry = entries[ident]
            entry["quote"] = roundtrip.restyle(entry["quote"], c.text)
            for key in ("prefix", "suffix"):
                entry.pop(key, None)  # the new quote is unique on its own
            changes.append(f"{display}: '{ident}' quote changed from \"{c.annotation.quote}\" to \"{c.text}\" "
                           f"({c.score:.0f}% similar, by {c.method})")
        rewrites[path] = Rewrite(path, display, roundtrip.dump(data), changes)
    for finding in project.findings:
        if finding.code == "FM105":
            path = project.settings.root / finding.path
            if path not in rewrites:  # a file rewritten for its quotes is written in the canonical layout too
                text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
                rewrites[path] = Rewrite(path, finding.path, roundtrip.dump(roundtrip.load(text)))
            rewrites[path].changes.append(f"{finding.path}: rewritten in the canonical layout")
    return list(rewrites.values())


def fix(project: Project) -> tuple[list[str], list[Finding]]:
    """Write what :func:`plan` finds; returns what changed, and an FM503 finding for each file not written."""
    report: list[str] = []
    failed: list[Finding] = []
    for rewrite in plan(project):
        _record(_write_bytes(rewrite.path, rewrite.after.encode("utf-8"), rewrite.display), rewrite.changes,
                report, failed)
    return report, failed


def diff(project: Project) -> list[str]:
    """``fix --diff``: what :func:`plan` would change, as a unified diff per file; nothing is written."""
    lines: list[str] = []
    for rewrite in plan(project):
        lines += difflib.unified_diff(rewrite.before().splitlines(keepends=True),
                                      rewrite.after.splitlines(keepends=True),
                                      f"a/{rewrite.display}", f"b/{rewrite.display}")
    return lines


def _record(problem: Finding | None, changes: list[str], report: list[str], failed: list[Finding]) -> None:
    """A file's changes are reported only once it is written; otherwise its FM503 is."""
    if problem is None:
        report += changes
    else:
        failed.append(problem)


def _slug(text: str, taken: set[str]) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)[:6] or ["annotation"]
    base = "-".join(words)[:48].strip("-")
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def _annotation_file(project: Project, document: str) -> Path:
    """The file that annotates ``document``, whatever its name, or a new name no file has.

    A file named after the document's stem may annotate another document
    (``letters/x.md`` and ``news/x.md``), so a name is only ever reused by content.
    """
    if document in project.annotation_paths:
        return project.annotation_paths[document]
    folder = project.settings.annotations_dir
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        if contentfiles.refused(path, "") is not None:  # a link is neither read nor written through
            continue
        try:
            data = roundtrip.load(path.read_text(encoding="utf-8-sig"))
        except Exception:  # a broken file is simply not the one we look for
            continue
        target = data.get("document") if isinstance(data, dict) else None
        if isinstance(target, str) and PurePosixPath(target).as_posix() == document:
            return path
    base, n = Path(document).stem, 2
    if os.path.lexists(folder / f"{base}.yaml") and contentfiles.refused(folder / f"{base}.yaml", "") is not None:
        return folder / f"{base}.yaml"  # a link in its place: unreadable, so refused by name rather than avoided
    while any(os.path.lexists(folder / f"{base}{ext}") for ext in (".yaml", ".yml")):
        base, n = f"{Path(document).stem}-{n}", n + 1
    return folder / f"{base}.yaml"


def new(project: Project, document: str, quote: str, occurrence: int) -> tuple[bool, list[str]]:
    """Append an annotation skeleton for ``quote``; refuse a quote that is not in the text."""
    closed = project.refused_folders.get("annotations_dir")
    if closed is not None:
        return False, [closed.format()]  # a refused folder is neither read nor written
    doc = project.documents.get(document)
    if doc is None:
        known = ", ".join(sorted(p for p, d in project.documents.items() if d.is_document)) or "none"
        folder = project.display(project.settings.docs_dir)
        return False, [f"no document '{document}' in {folder}/ (documents: {known})"]
    text = FoldedText(doc.text)
    found = text.occurrences(fold_quote(quote), limit=max(occurrence, MAX_OCCURRENCES))
    if not found:
        return False, [f"the quote is not in {doc.display}; {closest(fold_quote(quote), text)}"]
    if not 1 <= occurrence <= len(found):
        return False, [f"the quote occurs {len(found)} time(s); --occurrence must be 1 to {len(found)}"]
    start, end = found[occurrence - 1]
    context = disambiguate(text, start, end) if len(found) > 1 else None
    orig = text.original(start, end)
    path = _annotation_file(project, document)
    refused = contentfiles.refused(path, project.display(path)) if os.path.lexists(path) else None
    if refused is not None:
        return False, [refused.format()]
    creating = not path.exists()
    data = (roundtrip.load(path.read_text(encoding="utf-8-sig")) if path.exists()
            else roundtrip.new_file(document, editorschema.modeline(project.settings, path)))
    entries = data["annotations"]
    ident = _slug(quote, {e.get("id") for e in entries if hasattr(e, "get")})
    prefix = context[1] if context and context[0] == "prefix" else None
    suffix = context[1] if context and context[0] == "suffix" else None
    entries.append(roundtrip.skeleton(ident, doc.text.text[orig[0]:orig[1]], prefix, suffix,
                                      project.settings.status_keys))
    problem = write(path, data, project.display(path))
    if problem:
        return False, [problem.format()]
    note = [f"the quote occurs {len(found)} times; occurrence {occurrence} is pinned with its {context[0]}"] \
        if context else []
    added = [f"{project.display(path)}: added '{ident}'; fill in every TODO, then run 'factmark check'", *note]
    if not creating or (editorschema.folder(project.settings) / editorschema.ANNOTATIONS).is_file():
        return True, added
    wrote, failed = _write_schema(project)  # the new file's modeline names it; the annotation is written first
    return not failed, [*added, *wrote, *(f.format() for f in failed)]


def schema(project: Project) -> tuple[list[str], list[Finding]]:
    """``factmark schema``: write the editor schema, then point every modeline that names no file (FM213) to it.

    Only that one line of a file changes, byte for byte; the rest stays as written.
    """
    report, failed = _write_schema(project)
    if failed:
        return report, failed
    for finding in project.findings:
        if finding.code != "FM213":
            continue
        path = project.settings.root / finding.path
        raw = path.read_bytes().decode("utf-8")
        lines = raw.splitlines(keepends=True)
        line, col, value = editorschema.modeline_at(raw.removeprefix("\ufeff")) or (0, 0, "")
        if not line:
            continue
        target = editorschema.modeline(project.settings, path).split("=", 1)[1].strip()
        start = col - 1 + (1 if line == 1 and raw.startswith("\ufeff") else 0)
        lines[line - 1] = lines[line - 1][:start] + target + lines[line - 1][start + len(value):]
        _record(_write_bytes(path, "".join(lines).encode("utf-8"), finding.path),
                [f"{finding.path}: the modeline now names {target}"], report, failed)
    return report, failed


def _write_schema(project: Project) -> tuple[list[str], list[Finding]]:
    """Write the editor schema files (:func:`editorschema.write_schema`); an FM503 when one cannot be written."""
    try:
        written = editorschema.write_schema(project.settings)
    except OSError as err:
        shown = project.display(editorschema.folder(project.settings))
        return [], [Finding(shown, 1, 1, "FM503", f"cannot write the editor schema: {err.strerror or err}; "
                            "the old one is unchanged", "free disk space, or make the folder writable, then run "
                            "the command again")]
    return [f"{project.display(path)}: written for the statuses of {project.settings.config_file}"
            for path in written], []
