"""Validate an annotation file against the JSON Schema and the project's rules.

The schema (factmark/schema/annotations.schema.json) is the single definition
of the format: editors get completion from it and this module enforces it with
the ``jsonschema`` library, turning its errors into positioned findings with
hints instead of jsonschema's generic wording.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import fastjsonschema
import jsonschema

from . import roundtrip
from .findings import Finding
from .model import Annotation, AnnotationFile, Correction, Source
from .settings import Settings
from .yamlstrict import Located, YAMLError, load

MAX_BYTES = 1_000_000
_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping", "integer": "a whole number"}


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in the package."""
    return json.loads(resources.files("factmark.schema").joinpath(name).read_text(encoding="utf-8"))


@cache
def _validator(name: str, statuses: tuple[str, ...] | None = None) -> jsonschema.protocols.Validator:
    data = copy.deepcopy(schema(name))
    if statuses is not None:
        # the configured statuses are checked by _check_status, with a better message
        del data["$defs"]["status"]["enum"]
    cls = jsonschema.validators.validator_for(data)
    return cls(data, format_checker=None)


def _draft7(node: Any) -> Any:
    """The same schema in draft 7, which fastjsonschema compiles (dependentRequired was `dependencies`)."""
    if isinstance(node, dict):
        out = {("dependencies" if k == "dependentRequired" else k): _draft7(v) for k, v in node.items()}
        if "$schema" in out:
            out["$schema"] = "http://json-schema.org/draft-07/schema#"
        if "$ref" in out and set(out) - {"$ref", "description", "title"}:
            out["allOf"] = [{"$ref": out.pop("$ref")}]  # draft 7 ignores whatever stands beside a $ref
        return out
    return [_draft7(v) for v in node] if isinstance(node, list) else node


@cache
def _gate(name: str, statuses: tuple[str, ...] | None = None) -> Any:
    """A compiled validator that answers "valid?" fast; jsonschema then explains the invalid files only."""
    data = _draft7(schema(name))
    if statuses is not None:
        del data["$defs"]["status"]["enum"]
    return fastjsonschema.compile(data)


def describe(path: tuple[str | int, ...]) -> str:
    """``('annotations', 2, 'sources', 0, 'url')`` → ``annotations[2].sources[0].url``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


Positioned = tuple[tuple[str | int, ...], Finding]


def schema_findings(file: str, located: Located, schema_name: str,
                    statuses: tuple[str, ...] | None = None) -> list[Positioned]:
    """Every schema violation in ``located``, with the data path it concerns."""
    try:
        _gate(schema_name, statuses)(located.data)
        return _surprises(file, located, set())
    except fastjsonschema.JsonSchemaException:
        pass  # invalid: let jsonschema find and explain every error
    errors = sorted(_validator(schema_name, statuses).iter_errors(located.data),
                    key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    found = list(dict.fromkeys(  # minLength and pattern can both reject an empty string
        (tuple(err.absolute_path), f) for err in errors for f in _explain(file, located, err)))
    return found + _surprises(file, located, {p for p, _ in found})


def _surprises(file: str, located: Located, reported: set[tuple[str | int, ...]]) -> list[Positioned]:
    """Unquoted ``no``, ``on``, dates and decimals: text here, but not for other YAML readers."""
    out = []
    for path, meaning in sorted(located.surprises.items(), key=lambda kv: located.values[kv[0]]):
        if path in reported:
            continue
        line, col = located.values[path]
        value = _get(located.data, path)
        out.append((path, Finding(file, line, col, "FM203",
                                  f"{describe(path)}: unquoted {value} is read as {meaning} by YAML 1.1 tools",
                                  f'quote it: "{value}"')))
    return out


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _explain(file: str, located: Located, err: jsonschema.ValidationError) -> list[Finding]:
    path = tuple(err.absolute_path)
    name = describe(path)
    line, col = located.where(path)
    kind = err.validator
    if kind == "required":
        match = re.match(r"'(.+)' is a required property", err.message)
        key = match[1] if match else "?"
        return [Finding(file, line, col, "FM201", f"{name} is missing required key '{key}'", _required_hint(key))]
    if kind == "dependentRequired":
        match = re.match(r"'(.+)' is a dependency of '(.+)'", err.message)
        if match:
            return [Finding(file, line, col, "FM201", f"{name} is missing required key '{match[1]}'",
                            f"required when '{match[2]}' is given")]
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        out = []
        for key in sorted(set(err.instance) - set(allowed), key=str):
            kl, kc = located.where((*path, key), key=True)
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
            out.append(Finding(file, kl, kc, "FM202", f"unknown key '{key}' in {name}", hint))
        return out
    if kind == "type":
        expected = _TYPE_NAMES.get(str(err.validator_value), str(err.validator_value))
        hint = ""
        if expected == "text" and err.instance is not None and not isinstance(err.instance, (list, dict)):
            shown = str(err.instance).lower() if isinstance(err.instance, bool) else err.instance
            hint = f'quote it: "{shown}"'
        elif err.instance is None:
            hint = "give a value or remove the key"
        return [Finding(file, line, col, "FM203", f"{name} must be {expected}, got {_kind(err.instance)}", hint)]
    if kind == "maxLength":
        return [Finding(file, line, col, "FM204", f"{name} is {len(err.instance):,} characters long; "
                        f"the limit is {err.validator_value:,}")]
    if kind in ("minLength", "minItems") or (kind == "pattern" and err.validator_value == "\\S"):
        what = "at least one item" if kind == "minItems" else "text"
        return [Finding(file, line, col, "FM205", f"{name} is empty; it needs {what}")]
    if kind == "pattern" and err.schema.get("format") == "uri":
        return [Finding(file, line, col, "FM207", f"{name} {err.instance!r} is not an http(s) URL",
                        "use an absolute address starting with https:// or http://")]
    description = err.schema.get("description", "")
    return [Finding(file, line, col, "FM204", f"{name} {err.instance!r} is not valid", description)]


def _required_hint(key: str) -> str:
    return {
        "sources": "every annotation needs at least one source with url, title, publisher, date and excerpt",
        "reviewed": 'the date of the last review, quoted: reviewed: "2025-12-08"',
        "excerpt": "copy the passage that supports the verdict, verbatim, from the source",
    }.get(key, "")


def _placeholders(file: str, located: Located) -> list[Positioned]:
    """Values still reading TODO, as ``python build.py new`` leaves them."""
    out = []
    for path, (line, col) in sorted(located.values.items(), key=lambda kv: kv[1]):
        value = _get(located.data, path)
        if isinstance(value, str) and value.startswith("TODO"):
            out.append((path, Finding(file, line, col, "FM106", f"{describe(path)} is still a placeholder",
                                      value.removeprefix("TODO").lstrip(": ") or "fill it in")))
    return out


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _check_status(file: str, located: Located, settings: Settings) -> list[Positioned]:
    out = []
    for i, ann in enumerate(_listed(located.data.get("annotations"))):
        if not isinstance(ann, dict) or not isinstance(ann.get("status"), str):
            continue
        status = ann["status"]
        if settings.status(status) is None:
            line, col = located.where(("annotations", i, "status"))
            keys = settings.status_keys
            close = difflib.get_close_matches(status, keys, n=1)
            hint = (f"did you mean '{close[0]}'? " if close else "") + f"allowed: {', '.join(keys)}"
            out.append((("annotations", i), Finding(file, line, col, "FM206", f"unknown status '{status}'", hint)))
    return out


def _check_urls(file: str, located: Located) -> list[Positioned]:
    """Catch what the schema pattern lets through: bad hosts, spaces, credentials."""
    out = []
    for i, ann in enumerate(_listed(located.data.get("annotations"))):
        for j, src in enumerate(_listed(ann.get("sources")) if isinstance(ann, dict) else []):
            for key in ("url", "via"):
                url = src.get(key) if isinstance(src, dict) else None
                if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                    continue
                problem = _url_problem(url)
                if problem:
                    line, col = located.where(("annotations", i, "sources", j, key))
                    name = describe(("annotations", i, "sources", j, key))
                    out.append((("annotations", i), Finding(
                        file, line, col, "FM207", f"{name} {url!r} is malformed: {problem}")))
    return out


def _url_problem(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a non-numeric port
    except ValueError as err:
        return str(err)
    del port
    if parts.username or parts.password:
        return "it must not contain a user name or password"
    host = parts.hostname or ""
    if not host or any(ch in host for ch in " <>\"'`\\") or host.startswith(".") or ".." in host:
        return "the host name is not valid"
    return ""


def _check_ids(file: str, located: Located) -> list[Positioned]:
    seen: dict[str, int] = {}
    out = []
    for i, ann in enumerate(_listed(located.data.get("annotations"))):
        ident = ann.get("id") if isinstance(ann, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            line, col = located.where(("annotations", i, "id"))
            out.append((("annotations", i), Finding(
                file, line, col, "FM208", f"duplicate annotation id '{ident}'",
                f"first used at line {seen[ident]}; ids must be unique in the file")))
        else:
            seen[ident] = located.where(("annotations", i, "id"))[0]
    return out


def read_text(path: Path, display: str, limit: int = MAX_BYTES) -> tuple[str | None, list[Finding]]:
    """Read a UTF-8 file (a leading BOM is allowed) or say exactly where it is not."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [Finding(display, 1, 1, "FM002", f"file is {size:,} bytes; the limit is {limit:,}")]
        raw = path.read_bytes()
    except OSError as err:
        return None, [Finding(display, 1, 1, "FM001", f"cannot read file: {err.strerror}")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Finding(display, line, col, "FM001",
                              f"byte 0x{raw[err.start]:02x} is not valid UTF-8", "save the file as UTF-8")]


def read_annotation_file(path: Path, display: str, settings: Settings) -> tuple[AnnotationFile | None, list[Finding]]:
    """Load, validate and type one annotation file; invalid annotations are left out."""
    text, findings = read_text(path, display)
    if text is None:
        return None, findings
    try:
        located = load(text, display)
    except YAMLError as err:
        return None, [err.finding]
    if not isinstance(located.data, dict):
        what = "empty" if located.data is None else f"{_kind(located.data)}"
        return None, [Finding(display, 1, 1, "FM203",
                              f"the file is {what}; it must be a mapping with 'document' and 'annotations'")]
    placeholders = _placeholders(display, located)
    filled = {p for p, _ in placeholders}
    pairs = schema_findings(display, located, "annotations.schema.json", tuple(settings.status_keys))
    pairs += _check_status(display, located, settings)
    pairs += _check_urls(display, located)
    pairs = [(p, f) for p, f in pairs if p not in filled and not (f.code == "FM206" and (*p, "status") in filled)]
    pairs += placeholders + _check_ids(display, located)
    findings = [f for _, f in pairs]
    if not findings and (layout := roundtrip.layout_finding(display, text, located)):
        findings.append(layout)
    bad = {p[1] for p, _ in pairs if len(p) > 1 and p[0] == "annotations"}
    document = located.data.get("document")
    if not isinstance(document, str) or any(p[:1] == ("document",) for p, _ in pairs):
        return None, findings
    annotations = tuple(
        _annotation(raw, display, located, i)
        for i, raw in enumerate(_listed(located.data.get("annotations")))
        if i not in bad and isinstance(raw, dict))
    line, col = located.where(("document",))
    return AnnotationFile(display, document, line, col, annotations), findings


def _annotation(raw: dict[str, Any], file: str, located: Located, i: int) -> Annotation:
    line, col = located.where(("annotations", i))
    qline, qcol = located.where(("annotations", i, "quote"))
    return Annotation(
        id=raw["id"], quote=raw["quote"], status=raw["status"], summary=raw["summary"],
        sources=tuple(Source(**s) for s in raw["sources"]), reviewed=raw["reviewed"],
        prefix=raw.get("prefix"), suffix=raw.get("suffix"), note=raw.get("note"),
        corrections=tuple(Correction(**c) for c in raw.get("corrections") or ()),
        file=file, line=line, col=col, quote_line=qline, quote_col=qcol,
    )
