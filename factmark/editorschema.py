"""The annotation schema as editors' tools read it: written into the project, published with the site.

The check enforces the schema shipped in the package (``validate.py``), with the statuses of
mkdocs.yml. Editors' tools (yaml-language-server, VS Code's YAML extension) read whatever file the
first-line modeline of an annotation file names, so that file must exist in every repository, not
just in factmark's own, and must list the statuses this site configures: otherwise an editor marks a
configured ``misleading`` as an error that ``check`` accepts. ``factmark schema`` writes it to
``.factmark/`` at the project's root (a hidden folder: never published, never scanned as content),
the check reports a copy that no longer says what mkdocs.yml says (FM212) and a modeline that names
no file (FM213), and the build publishes the same schema at ``<site_url>schema/<name>`` with that
address as its ``$id``.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .atomicfile import replace_file
from .findings import Finding
from .settings import Settings, Status

FOLDER = ".factmark"  # in the project's root, beside mkdocs.yml
ANNOTATIONS = "annotations.schema.json"
NAMES = (ANNOTATIONS, "document.schema.json")
PUBLISHED = "schema"  # the site's folder: <site_url>schema/annotations.schema.json
HINT = "run 'factmark schema', which writes the editor schema and points each file's modeline to it"
_MODELINE = re.compile(r"#\s*yaml-language-server\s*:\s*\$schema=(\S*)")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # https:, file:... (a Windows drive letter would be one too)


@cache
def _shipped(name: str) -> dict[str, Any]:
    """The package's schema as written for editors (ECMA patterns, not ``validate.schema``'s translation)."""
    return json.loads(resources.files("factmark.schema").joinpath(name).read_text(encoding="utf-8"))


def schema(settings: Settings, name: str, site_url: str | None = None) -> dict[str, Any]:
    """Schema ``name`` for this site: its statuses in the enum, the descriptions and the snippets' choices.

    With ``site_url`` (the published copy) its ``$id`` is the address it is published at; the copy in
    the repository has none, because ``site_url`` often comes from the environment of the deploy
    (``!ENV``), and the copy must not change with it.
    """
    data = copy.deepcopy(_shipped(name))
    status = data.get("$defs", {}).get("status")
    if status is not None:  # before inlining: previous_status takes its copy of this definition
        status["enum"] = [s.key for s in settings.statuses]
        status["enumDescriptions"] = [s.description for s in settings.statuses]
        status["description"] = "The verdict, one of the statuses configured in mkdocs.yml: " + "; ".join(
            f"{s.key}: {s.description}" for s in settings.statuses)
        _choose_statuses(data, settings.statuses)
    data = _inline_refs(data, data.get("$defs", {}))
    if site_url is not None:
        data = {"$schema": data.pop("$schema"), "$id": f"{site_url}{PUBLISHED}/{name}", **data}
    return data


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """A ``$ref`` with other keywords beside it (``quote``: a ``lines`` of at most 2,000 characters) is
    replaced by the definition it names, merged with those keywords.

    yaml-language-server gives such a property no type, so its completion inserted ``quote``
    without ``: `` and its generated snippets left it out. Merging means what draft 2020-12 means
    (both apply) because beside a ``$ref`` the shipped schema only describes or lowers a
    ``maxLength``; anything else stays a ``$ref``.
    """
    if isinstance(node, list):
        return [_inline_refs(value, defs) for value in node]
    if not isinstance(node, dict):
        return node
    out = {key: _inline_refs(value, defs) for key, value in node.items()}
    ref = out.get("$ref")
    target = defs.get(ref.removeprefix("#/$defs/")) if isinstance(ref, str) else None
    extra = set(out) - {"$ref", "description", "title", "maxLength"}
    if target is None or len(out) == 1 or extra or "$ref" in json.dumps(target):
        return out
    merged = {**target, **{k: v for k, v in out.items() if k != "$ref"}}
    if "maxLength" in target and "maxLength" in out:
        merged["maxLength"] = min(target["maxLength"], out["maxLength"])
    return merged


def _choose_statuses(node: Any, statuses: tuple[Status, ...]) -> None:
    """Each snippet's status tab stop offers the configured statuses, the first by default."""
    choice = "${%s|" + ",".join(s.key for s in statuses) + "|}"
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "status" and isinstance(value, str) and (found := re.fullmatch(r"\$\{(\d+)\|.*\|\}", value)):
                node[key] = choice % found[1]
            else:
                _choose_statuses(value, statuses)
    elif isinstance(node, list):
        for value in node:
            _choose_statuses(value, statuses)


def text(settings: Settings, name: str, site_url: str | None = None) -> str:
    """The schema as a file: one layout, so two writes (and two builds) are byte-identical."""
    return json.dumps(schema(settings, name, site_url), indent=2, ensure_ascii=False) + "\n"


def folder(settings: Settings) -> Path:
    return settings.root / FOLDER


def write_schema(settings: Settings, target: Path | None = None) -> list[Path]:
    """Write every editor schema into ``target`` (the project's ``.factmark/``); return the files written.

    Each file is replaced whole or not at all (a new file beside it, renamed over it). Raises
    ``OSError`` when a file cannot be written; the caller reports it (FM503).
    """
    out = target or folder(settings)
    if out.is_symlink():
        raise OSError(0, f"{out} is a symbolic link, which factmark does not write through")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in NAMES:
        replace_file(out / name, text(settings, name).encode("utf-8"))
        written.append(out / name)
    return written


def publish(settings: Settings, site_dir: Path, site_url: str | None) -> None:
    """Write the schemas into the built site at ``schema/<name>`` (``$id`` = that address when site_url is set)."""
    out = site_dir / PUBLISHED
    out.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        (out / name).write_text(text(settings, name, site_url), encoding="utf-8")


def modeline(settings: Settings, annotation_file: Path) -> str:
    """The first line of ``annotation_file``: the yaml-language-server modeline naming the project's schema."""
    relative = os.path.relpath(folder(settings) / ANNOTATIONS, annotation_file.parent).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={relative}\n"


def modeline_at(text: str) -> tuple[int, int, str] | None:
    """(line, column, value) of the schema modeline among the comments that open ``text``, if any."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            return None  # yaml-language-server reads the modeline from the comments above the data
        found = _MODELINE.match(stripped)
        if found:
            return number, len(line) - len(stripped) + found.start(1) + 1, found[1]
    return None


def modeline_findings(path: Path, display: str, text: str, settings: Settings) -> list[Finding]:
    """FM213 when the file's modeline names a schema file that does not exist (an editor then checks nothing,
    or shows an error on the first line); addresses (``https://…``) are the editor's to fetch."""
    found = modeline_at(text)
    if found is None or _URL.match(found[2]):
        return []
    line, col, value = found
    target = path.parent / value
    if value and target.is_file() and not target.is_symlink():
        return []
    expected = modeline(settings, path).split("=", 1)[1].strip()
    return [Finding(display, line, col, "FM213", f"the schema modeline names {value!r}, which is not a file "
                    "of this repository, so editors get no completion and no checks",
                    f"{HINT} ($schema={expected})")]


def stale_findings(settings: Settings, display: Any) -> list[Finding]:
    """FM212 for each written schema that no longer says what this site's configuration and factmark say.

    A project that never wrote one (no ``.factmark/``) has nothing to keep current; a missing
    file a modeline names is FM213.
    """
    out = []
    for name in NAMES:
        path = folder(settings) / name
        if path.is_symlink() or not path.is_file():
            continue
        try:
            written = path.read_text(encoding="utf-8")
            current = json.loads(written) == schema(settings, name)
        except (OSError, UnicodeDecodeError, ValueError):
            written, current = "", False
        if not current:
            out.append(_stale(settings, display(path), name, written))
    return out


def _stale(settings: Settings, shown: str, name: str, written: str) -> Finding:
    """FM212 at the first line where the written schema differs from the one this configuration gives."""
    lines = written.splitlines()
    try:
        enum = json.loads(written)["$defs"]["status"]["enum"]
    except (ValueError, KeyError, TypeError):
        enum = None
    configured = [s.key for s in settings.statuses]
    if name == ANNOTATIONS and isinstance(enum, list) and enum != configured:
        message = (f"the editor schema lists the statuses {', '.join(map(str, enum))}; "
                   f"{settings.config_file} configures {', '.join(configured)}")
        line = _line_of(lines, '"status": {', '"enum": [')
    else:
        message = "the editor schema is not the one this configuration and this factmark write"
        matcher = difflib.SequenceMatcher(None, lines, text(settings, name).splitlines(), autojunk=False)
        first = next((op for op in matcher.get_opcodes() if op[0] != "equal"), None)
        line = min(first[1], len(lines) - 1) + 1 if first is not None and lines else 1
    return Finding(shown, line, 1, "FM212", message + "; editors would flag valid files or miss errors",
                   "run 'factmark schema' to write it again")


def _line_of(lines: list[str], within: str, wanted: str) -> int:
    """The 1-based line of the first ``wanted`` after the first ``within`` (stripped lines), or 1."""
    stripped = [line.strip() for line in lines]
    start = stripped.index(within) if within in stripped else 0
    return next((n + 1 for n in range(start, len(stripped)) if stripped[n] == wanted), 1)
