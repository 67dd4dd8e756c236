"""Validate an annotation file against the JSON Schema and the project's rules.

The schema (factmark/schema/annotations.schema.json) is the single definition
of the format: editors get completion from it and this module enforces it with
the ``jsonschema`` library, turning its errors into positioned findings with
hints instead of jsonschema's generic wording.
"""

from __future__ import annotations

import calendar
import copy
import datetime
import difflib
import itertools
import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import fastjsonschema
import jsonschema

from . import archives, editorschema, roundtrip, themefiles
from .findings import MAX_PER_FILE, Finding
from .highlight import entry_id
from .model import Annotation, AnnotationFile, Correction, Snapshot, Source, Withdrawal
from .settings import Settings
from .yamlstrict import Located, YAMLError, clip, describe, load, one_line, shows_text

MAX_BYTES = 1_000_000
_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping", "integer": "a whole number"}


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in the package, its patterns translated for Python (:func:`python_patterns`)."""
    return python_patterns(json.loads(resources.files("factmark.schema").joinpath(name).read_text(encoding="utf-8")))


def python_patterns(node: Any) -> Any:
    r"""The schema with every ``pattern`` meaning in Python's ``re.search`` what it means in ECMA 262.

    The schema files are written for editors (ECMA regular expressions), where ``$`` matches only
    at the end of the text; both validators here use Python's ``re.search``, where ``$`` also
    matches before a final newline, so ``id: "a1\n"`` would pass ``^[a-z0-9]+$``. Each ``$``
    anchor becomes ``\Z``, which Python reads the way ECMA reads ``$``.
    """
    if isinstance(node, dict):
        return {k: _end_anchor(v) if k == "pattern" and isinstance(v, str) else python_patterns(v)
                for k, v in node.items()}
    return [python_patterns(v) for v in node] if isinstance(node, list) else node


def _end_anchor(pattern: str) -> str:
    r"""``$`` outside brackets and escapes becomes ``\Z``."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        in_class = (in_class and ch != "]") or (not in_class and ch == "[")
        out.append("\\Z" if ch == "$" and not in_class else ch)
        i += 1
    return "".join(out)


_DATE_SHAPE = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")
_NONSPACE = re.compile(r"\S")


def _real_date(value: Any) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` that exists in the calendar (year 1 at the earliest).

    Other shapes, and a month or day beyond 12 or 31, pass here: the pattern beside this format reports them.
    """
    if not isinstance(value, str) or not _DATE_SHAPE.fullmatch(value):
        return True
    try:
        datetime.date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        return False
    return True


def _why_not_a_date(value: str) -> str:
    """Why a date of the right shape is not in the calendar: its year is 0, or its month has fewer days."""
    parts = [int(part) for part in value.split("-")]  # the format fails only dates of the right shape
    if parts[0] == 0:
        return ": there is no year 0"
    year, month = parts[:2]  # a year or a month of a year that is not 0 always exists
    days = calendar.monthrange(year, month)[1]
    return f": {calendar.month_name[month]} {year} has {days} days"


def _blank(value: str) -> bool:
    """Empty or whitespace only: the schema's ``\\S`` pattern reports it, so the formats pass it."""
    return _NONSPACE.search(value) is None


# A well-formed BCP 47 language tag (RFC 5646 langtag, or private use): language, extlang, script, region,
# variants, extensions. The 4- to 8-letter language subtags the syntax reserves are refused (none is in use,
# and "spanish" would pass as one); whether the other subtags are registered is not checked.
LANGUAGE_TAG = re.compile(
    r"[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?|[Xx](?:-[A-Za-z0-9]{1,8})+")

# the schema's own formats: both validators check them, with the same functions
FORMATS: dict[str, Callable[[Any], bool]] = {
    "factmark-line": lambda v: not isinstance(v, str) or (one_line(v) and shows_text(v)) or _blank(v),
    "factmark-lines": lambda v: not isinstance(v, str) or shows_text(v) or _blank(v),
    "factmark-date": _real_date,
    "factmark-language": lambda v: not isinstance(v, str) or _blank(v) or LANGUAGE_TAG.fullmatch(v) is not None,
}


@cache
def _validator(name: str, statuses: tuple[str, ...] | None = None) -> jsonschema.protocols.Validator:
    data = copy.deepcopy(schema(name))
    if statuses is not None:
        # the configured statuses are checked by _check_status, with a better message
        del data["$defs"]["status"]["enum"]
    cls = jsonschema.validators.validator_for(data)
    checker = jsonschema.FormatChecker(formats=())
    for format_name, check in FORMATS.items():
        checker.checks(format_name)(check)
    return cls(data, format_checker=checker)


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
    return fastjsonschema.compile(data, formats=FORMATS)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {clip(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


Positioned = tuple[tuple[str | int, ...], Finding]


def schema_findings(file: str, located: Located, schema_name: str,
                    statuses: tuple[str, ...] | None = None) -> list[Positioned]:
    """Every schema violation in ``located`` (the first ones, see :func:`checked_schema`), with its data path."""
    return checked_schema(file, located, schema_name, statuses)[0]


def checked_schema(file: str, located: Located, schema_name: str,
                   statuses: tuple[str, ...] | None = None) -> tuple[list[Positioned], bool]:
    """Schema violations with their data paths, and whether the whole document was validated.

    Validation stops after ``MAX_PER_FILE + 1`` errors: a file of 140,000 empty entries has 840,000,
    and the output lists only the first of each file (findings.capped). Past that point nothing
    is known to be valid, so a caller must not type what lies there.
    """
    try:
        _gate(schema_name, statuses)(located.data)
        return _surprises(file, located, set()), True
    except fastjsonschema.JsonSchemaException:
        pass  # invalid: let jsonschema find and explain the errors
    first = list(itertools.islice(_validator(schema_name, statuses).iter_errors(located.data), MAX_PER_FILE + 1))
    errors = sorted(first, key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    found = list(dict.fromkeys(  # minLength and pattern can both reject an empty string
        (tuple(err.absolute_path), f) for err in errors for f in _explain(file, located, err)))
    return found + _surprises(file, located, {p for p, _ in found}), len(first) <= MAX_PER_FILE


def _surprises(file: str, located: Located, reported: set[tuple[str | int, ...]]) -> list[Positioned]:
    """Unquoted ``no``, ``on``, dates and numbers: text here, but not for other YAML readers."""
    out = []
    for path, meaning in sorted(located.surprises.items(), key=lambda kv: located.values[kv[0]]):
        if path in reported:
            continue
        line, col = located.values[path]
        value = _get(located.data, path)
        out.append((path, Finding(file, line, col, "FM203",
                                  f"{describe(path)}: unquoted {clip(value)} is read as {meaning}",
                                  f'quote it: "{clip(value)}"')))
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
            out.append(Finding(file, kl, kc, "FM202", f"unknown key {clip(key)!r} in {name}", hint))
        return out
    if kind == "type":
        expected = _TYPE_NAMES.get(str(err.validator_value), str(err.validator_value))
        hint = ""
        if expected == "text" and err.instance is not None and not isinstance(err.instance, (list, dict)):
            shown = str(err.instance).lower() if isinstance(err.instance, bool) else err.instance
            hint = f'quote it: "{clip(shown)}"'
        elif err.instance is None:
            hint = "give a value or remove the key"
        return [Finding(file, line, col, "FM203", f"{name} must be {expected}, got {_kind(err.instance)}", hint)]
    if kind == "maxLength":
        return [Finding(file, line, col, "FM204", f"{name} is {len(err.instance):,} characters long; "
                        f"the limit is {err.validator_value:,}")]
    if kind in ("minLength", "minItems") or (kind == "pattern" and err.validator_value == "\\S"):
        what = "at least one item" if kind == "minItems" else "text"
        return [Finding(file, line, col, "FM205", f"{name} is empty; it needs {what}")]
    if kind == "format" and err.validator_value in ("factmark-line", "factmark-lines"):
        if not shows_text(err.instance):
            return [Finding(file, line, col, "FM205", f"{name} has no visible character; it needs text",
                            "spaces, zero-width and bidi marks or combining marks alone show nothing")]
        return [Finding(file, line, col, "FM204", f"{name} must be one line, without line breaks or tabs",
                        "write it on one line; YAML folds a plain or '>' value's lines into spaces")]
    if kind == "format" and err.validator_value == "factmark-date":
        return [Finding(file, line, col, "FM204", f"{name} {clip(err.instance)!r} is not a date in the calendar"
                        f"{_why_not_a_date(err.instance)}",
                        "check the day and month: \"YYYY-MM-DD\", or \"YYYY-MM\" when only the month is known")]
    if kind == "format" and err.validator_value == "factmark-language":
        return [Finding(file, line, col, "FM260", f"{name} {clip(err.instance)!r} is not a BCP 47 language tag",
                        "write the language's code, with a region if it matters: es, en, pt-BR, zh-Hant")]
    if kind == "pattern" and err.schema.get("format") == "uri":
        return [Finding(file, line, col, "FM207", f"{name} {clip(err.instance)!r} is not an http(s) URL",
                        "use an absolute address starting with https:// or http://")]
    description = err.schema.get("description", "")
    return [Finding(file, line, col, "FM204", f"{name} {clip(err.instance)!r} is not valid", description)]


def _required_hint(key: str) -> str:
    return {
        "sources": "every annotation needs at least one source with url, title, publisher, date and excerpt",
        "reviewed": 'the date of the last review, quoted: reviewed: "2025-12-08"',
        "excerpt": "copy the passage that supports the verdict, verbatim, from the source",
    }.get(key, "")


def _placeholders(file: str, located: Located, text: str) -> list[Positioned]:
    """Values still reading TODO, as ``factmark new`` leaves them.

    A value can only start with TODO if the file's ``text`` holds those letters, or writes them
    with a backslash escape; most files hold neither, and need no look at each of their values.
    """
    if "TODO" not in text and "\\" not in text:
        return []
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
            out.append((("annotations", i),
                        Finding(file, line, col, "FM206", f"unknown status '{clip(status)}'", hint)))
    return out


def _check_urls(file: str, located: Located) -> list[Positioned]:
    """Catch what the schema pattern lets through: bad hosts, spaces, credentials."""
    out = []
    for i, ann in enumerate(_listed(located.data.get("annotations"))):
        for j, src in enumerate(_listed(ann.get("sources")) if isinstance(ann, dict) else []):
            if not isinstance(src, dict):
                continue
            urls: list[tuple[tuple[str | int, ...], Any]] = [((key,), src.get(key)) for key in ("url", "via")]
            urls += [(("archived", k, "url"), s.get("url") if isinstance(s, dict) else None)
                     for k, s in enumerate(_listed(src.get("archived")))]
            for key, url in urls:
                if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                    continue
                problem = _url_problem(url)
                if problem:
                    line, col = located.where(("annotations", i, "sources", j, *key))
                    name = describe(("annotations", i, "sources", j, *key))
                    out.append((("annotations", i), Finding(
                        file, line, col, "FM207", f"{name} {clip(url)!r} is malformed: {problem}")))
    return out


def _check_archived(file: str, located: Located, settings: Settings) -> list[Positioned]:
    """Snapshots that are not evidence: outside a configured archive (FM240), on archive.today (FM241), a
    Wayback-style address whose timestamp is not its ``date`` (FM242) or whose original is not the source's
    ``url`` (FM243); and a usurped source without a snapshot, which the page could not link (FM244)."""
    out = []
    for i, ann in enumerate(_listed(located.data.get("annotations"))):
        for j, src in enumerate(_listed(ann.get("sources")) if isinstance(ann, dict) else []):
            if not isinstance(src, dict):
                continue
            at = ("annotations", i, "sources", j)
            out += [((*at[:2],), f) for f in _snapshot_findings(file, located, settings, at, src)]
            if src.get("status") == "usurped" and not src.get("archived"):
                line, col = located.where((*at, "status"))
                out.append(((*at[:2],), Finding(
                    file, line, col, "FM244", f"{describe(at)} is usurped but has no archived copy; the page "
                    "must not link the original address, so it would have no link at all",
                    "add an 'archived' snapshot taken before the address changed hands (factmark sources archive "
                    "finds one in the Internet Archive)")))
    return out


def _snapshot_findings(file: str, located: Located, settings: Settings, at: tuple[str | int, ...],
                       src: dict[str, Any]) -> list[Finding]:
    found = []
    for k, snap in enumerate(_listed(src.get("archived"))):
        url = snap.get("url") if isinstance(snap, dict) else None
        if not isinstance(url, str) or not url.startswith(("http://", "https://")) or _url_problem(url):
            continue  # the schema and _check_urls' FM207 report it
        where = (*at, "archived", k)
        line, col = located.where((*where, "url"))
        archive = archives.archive_of(url, settings.archives)
        if archive is None and archives.refused_host(url):
            found.append(Finding(file, line, col, "FM241", f"{describe(where)} {clip(url)!r}: "
                                 f"{archives.REFUSED_REASON}",
                                 "take a snapshot in the Internet Archive or perma.cc instead (factmark sources "
                                 "archive); a site that accepts it anyway lists it under the plugin's 'archives'"))
            continue
        if archive is None:
            names = ", ".join(a.name for a in settings.archives)
            found.append(Finding(file, line, col, "FM240", f"{describe(where)} {clip(url)!r} is not in a configured "
                                 f"archive ({names})", "use a snapshot of one of them, or add the archive's address "
                                 "prefix under the factmark plugin's 'archives' option in mkdocs.yml"))
            continue
        found += _stamp_findings(file, located, where, archive, snap, src.get("url"))
    return found


def _stamp_findings(file: str, located: Located, where: tuple[str | int, ...], archive: archives.Archive,
                    snap: dict[str, Any], source_url: Any) -> list[Finding]:
    """What a timestamped archive's address says must agree with the snapshot's date and the source's url."""
    if not archive.timestamped:
        return []
    url = snap["url"]
    line, col = located.where((*where, "url"))
    stamp = archives.stamped(url, archive)
    if stamp is None or len(stamp.timestamp) != 14 or not _real_date(stamp.day):
        return [Finding(file, line, col, "FM242", f"{describe(where)} {clip(url)!r} does not carry a 14-digit "
                        f"timestamp after {archive.prefix}", f"{archive.name} addresses read "
                        f"{archive.prefix}YYYYMMDDhhmmss/<the source's url>; copy the snapshot's full address")]
    found = []
    date = snap.get("date")
    if isinstance(date, str) and date != stamp.day:
        dline, dcol = located.where((*where, "date"))
        found.append(Finding(file, dline, dcol, "FM242", f"{describe((*where, 'date'))} {date!r} is not the day "
                             f"of the snapshot's timestamp {stamp.timestamp} ({stamp.day})", f'date: "{stamp.day}"'))
    if isinstance(source_url, str) and not archives.same_address(stamp.original, source_url):
        found.append(Finding(file, line, col, "FM243", f"{describe(where)} is a snapshot of {clip(stamp.original)!r}, "
                             f"not of the source's url {clip(source_url)!r}",
                             "archive the source's own address, or correct the source's url"))
    return found


# an address whose host is dot-separated letters, digits and hyphens, with no port, user or password, then
# printable ASCII: _url_problem finds nothing wrong with it, and nearly every source's address is one
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?:[/?#][!-~]*)?\Z")


def _url_problem(url: str) -> str:
    if _PLAIN_URL.match(url):
        return ""
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
                file, line, col, "FM208", f"duplicate annotation id '{clip(ident)}'",
                f"first used at line {seen[ident]}; ids must be unique in the file")))
        else:
            seen[ident] = located.where(("annotations", i, "id"))[0]
    for i, record in enumerate(_listed(located.data.get("withdrawn"))):  # its permalink must lead to it alone
        ident = record.get("id") if isinstance(record, dict) else None
        if not isinstance(ident, str):
            continue
        line, col = located.where(("withdrawn", i, "id"))
        if ident in seen:
            out.append((("withdrawn", i), Finding(
                file, line, col, "FM224", f"withdrawn id '{clip(ident)}' is also used at line {seen[ident]}",
                "a withdrawn annotation keeps its id; give the annotation on the text another one")))
        else:
            seen[ident] = line
    return out


_ID_ATTR = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_OWN_IDS = ("entry_id(", "span_id(")  # the template globals that make ids from an annotation's id


@cache
def page_ids(theme_dirs: tuple[Path, ...]) -> tuple[list[tuple[str, str]], re.Pattern[str]]:
    """Every HTML id the theme writes itself, as (template, id as written), and one pattern matching
    the annotation entry ids (``fm-<id>``) that would collide with them: group ``t<n>`` for the n-th.
    ``templates_dir`` is None when the theme folder was refused (FM405): nothing is read then.

    The templates are the one place these ids are defined, so they are read rather than listed again
    here; an expression such as ``{{ s.key }}`` can become anything. An annotation owns ``fm-<id>`` and
    ``fm-<id>--…`` (its ids hold no ``--``), so a page id collides when its part before any ``--`` is
    ``fm-<id>``. Ids the templates make from an annotation's id are its own and are left out, and so
    are ids that start with an expression (``id="{{ path }}"`` in Material's navigation): they say nothing
    of what they start with, and would otherwise collide with every annotation of the site.
    The templates read are those MkDocs renders: for each name, the first theme folder's file.
    """
    written: list[tuple[str, str]] = []
    for rel, path in sorted(themefiles.effective(theme_dirs).items()):
        if not rel.endswith(".html") or path.is_symlink() or not path.is_file():
            continue  # never read through a link or from a pipe; the theme's own checks report them
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # an unreadable theme fails the build on its own
        written += [(rel, ident) for match in _ID_ATTR.finditer(text)
                    if not any(own in (ident := match[1] if match[1] is not None else match[2]) for own in _OWN_IDS)
                    and not _EXPRESSION.match(ident)]
    alternatives = (".+".join(map(re.escape, _EXPRESSION.split(ident.split("--", 1)[0]))) for _, ident in written)
    return written, re.compile("|".join(f"(?P<t{n}>{regex})" for n, regex in enumerate(alternatives)) or "(?!)")


def _check_page_ids(file: str, located: Located, settings: Settings) -> list[Positioned]:
    """Annotation ids whose HTML ids (``fm-<id>``, ``fm-<id>--…``) the page already gives to its own parts.

    Headings cannot collide: their ids never start with ``fm-`` (:func:`factmark.markdown.slugify`).
    """
    written, collides = page_ids(settings.theme_dirs)
    out = []
    for i, ann in enumerate(_listed(located.data.get("annotations"))):
        ident = ann.get("id") if isinstance(ann, dict) else None
        match = collides.fullmatch(entry_id(ident)) if isinstance(ident, str) else None
        if match is None or match.lastgroup is None:
            continue
        template, page_id = written[int(match.lastgroup[1:])]
        line, col = located.where(("annotations", i, "id"))
        out.append((("annotations", i, "id"), Finding(
            file, line, col, "FM211", f"annotation id '{clip(ident)}' would give the HTML id "
            f"'{clip(entry_id(str(ident)))}', which the page uses for its own id=\"{page_id}\" ({template})",
            "choose another id: the permalink #fm-<id> must lead to this annotation and nothing else")))
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
    placeholders = _placeholders(display, located, text)
    filled = {p for p, _ in placeholders}
    pairs, complete = checked_schema(display, located, "annotations.schema.json", tuple(settings.status_keys))
    pairs += _check_status(display, located, settings)
    pairs += _check_urls(display, located)
    pairs += _check_archived(display, located, settings)
    pairs = [(p, f) for p, f in pairs if p not in filled and not (f.code == "FM206" and (*p, "status") in filled)]
    pairs += placeholders + _check_ids(display, located) + _check_page_ids(display, located, settings)
    findings = [f for _, f in pairs]
    if not findings and (layout := roundtrip.layout_finding(display, text, located)):
        findings.append(layout)
    findings += editorschema.modeline_findings(path, display, text, settings)
    bad = {p[1] for p, _ in pairs if len(p) > 1 and p[0] == "annotations"}
    document = located.data.get("document")
    if not complete or not isinstance(document, str) or any(p[:1] == ("document",) for p, _ in pairs):
        return None, findings  # not validated to the end (too many problems): nothing of it is typed
    annotations = tuple(
        _annotation(raw, display, located, i)
        for i, raw in enumerate(_listed(located.data.get("annotations")))
        if i not in bad and isinstance(raw, dict))
    line, col = located.where(("document",))
    refused = {p[1] for p, _ in pairs if len(p) > 1 and p[0] == "withdrawn"}
    withdrawn = tuple(Withdrawal(**raw, line=located.where(("withdrawn", i))[0], col=located.where(("withdrawn", i))[1])
                      for i, raw in enumerate(_listed(located.data.get("withdrawn")))
                      if i not in refused and isinstance(raw, dict))
    return AnnotationFile(display, document, line, col, annotations, withdrawn), findings


def _annotation(raw: dict[str, Any], file: str, located: Located, i: int) -> Annotation:
    line, col = located.where(("annotations", i))
    qline, qcol = located.where(("annotations", i, "quote"))
    return Annotation(
        id=raw["id"], quote=raw["quote"], status=raw["status"], summary=raw["summary"],
        sources=tuple(_source(s) for s in raw["sources"]), reviewed=raw["reviewed"],
        prefix=raw.get("prefix"), suffix=raw.get("suffix"), note=raw.get("note"),
        corrections=tuple(Correction(**c) for c in raw.get("corrections") or ()),
        file=file, line=line, col=col, quote_line=qline, quote_col=qcol,
    )


def _source(raw: dict[str, Any]) -> Source:
    snapshots = tuple(Snapshot(**s) for s in raw.get("archived") or ())
    return Source(**{**raw, "archived": snapshots})
