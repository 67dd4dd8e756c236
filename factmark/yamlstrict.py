"""Strict YAML reading for files written by strangers.

PyYAML's defaults are wrong for hand-edited data: duplicate keys silently win,
``no`` becomes ``False``, ``2025-12-08`` becomes a date and aliases allow
expansion bombs. This loader builds the data itself from the parser's event
stream, refuses aliases and duplicates, resolves only ``true``/``false``,
decimal integers and ``null``, and records the position of every key and value
for ``path:line:col`` messages.

It builds with an explicit stack, never by recursion, and stops at the first
node deeper than :data:`MAX_DEPTH`: PyYAML's composers recurse once per level
(libyaml's overflows the C stack and kills the process near 30,000 levels),
so a hostile file must never reach them. Every string, key or value, is also
refused when it holds a character no page, feed or terminal can carry
(:func:`unpublishable`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .findings import Finding

Path = tuple[str | int, ...]
MAX_DEPTH = 64
_INT = re.compile(r"[-+]?[0-9]+\Z")
_NULL = {"", "~", "null", "Null", "NULL"}
_YAML12_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
                            r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")  # the core schema's int and float
# characters a published page cannot carry: unpaired surrogates (UTF-8 cannot encode them), C0 controls but
# tab and line feed, DEL and C1 controls (XML 1.0 and terminals), and the Unicode noncharacters
_UNPUBLISHABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]")


def unpublishable(text: str) -> str:
    """Why ``text`` cannot be published, naming the first bad character as U+XXXX (never raw); or ""."""
    match = _UNPUBLISHABLE.search(text)
    if match is None:
        return ""
    code = ord(match[0])
    if 0xD800 <= code <= 0xDFFF:
        kind = "an unpaired surrogate"
    elif code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "a control character"
    else:
        kind = "a Unicode noncharacter"
    return f"U+{code:04X} ({kind}, at character {match.start() + 1:,}), which cannot be published"


# letters and symbols that render as nothing: Hangul fillers, the braille blank, Khmer inherent vowels
_BLANK_GRAPHICS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
_LINE_BREAK = re.compile("[\t\n\u2028\u2029]")
_ASCII_GRAPHIC = re.compile("[!-~]")  # most text shows one at once: no need to ask unicodedata


def shows_text(text: str) -> bool:
    """Whether ``text`` shows anything: a letter, digit, punctuation mark or symbol.

    Spaces of every kind, zero-width and bidi marks, and combining marks on their own do not count.
    """
    return _ASCII_GRAPHIC.search(text) is not None or any(
        unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_GRAPHICS for ch in text)


def one_line(text: str) -> bool:
    """Whether ``text`` fits on one line: no tab, line feed or Unicode line/paragraph separator."""
    return _LINE_BREAK.search(text) is None


def clip(value: Any, limit: int = 60) -> str:
    """A value as text short enough for a one-line message (a 5,000-digit number, a 1 MB key)."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def describe(path: tuple[str | int, ...]) -> str:
    """``('annotations', 2, 'sources', 0, 'url')`` → ``annotations[2].sources[0].url``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{clip(part)}" if out else clip(part))
    return out or "the file"


@dataclass
class Located:
    """Parsed YAML plus where each part of it was written (1-based line, column)."""

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # unquoted text that other YAML tools read as another type: "a date by YAML 1.1 tools" (PyYAML, MkDocs)
    surprises: dict[Path, str] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of the value at ``path`` (or of its key); falls back to the nearest parent."""
        table = self.keys if key else self.values
        while path not in table and path:
            path = path[:-1]
            table = self.values
        return table.get(path, (1, 1))


class YAMLError(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.format())
        self.finding = finding


class _Refused(Exception):
    """Raised while building: a finding at an event's mark (the line offset is added by :func:`load`)."""

    def __init__(self, event: yaml.Event, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.pos, self.code, self.message, self.hint = _pos(event), code, message, hint


def _pos(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


_YAML11 = yaml.resolver.Resolver()
_MEANINGS = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:int": "a number",
}


def _scalar(event: yaml.ScalarEvent, path: Path, out: Located) -> Any:
    """Quoted and block scalars are text; plain ones may be null, true/false or an integer.

    An integer longer than Python converts (``sys.get_int_max_str_digits``) stays text, flagged
    as a number like the other YAML 1.1 surprises: no annotation field takes a number anyway.
    """
    value = event.value
    if event.style:  # quoted or block: None (Python parser) or "" (libyaml) means plain
        return value
    if value in _NULL:
        return None
    if value in ("true", "false"):
        return value == "true"
    limit = sys.get_int_max_str_digits()
    if _INT.match(value) and not (limit and len(value.lstrip("+-")) > limit):
        return int(value)
    meaning = _MEANINGS.get(_YAML11.resolve(yaml.ScalarNode, value, (True, False)))
    if meaning or _INT.match(value):
        out.surprises[path] = f"{meaning or 'a number'} by YAML 1.1 tools"
    elif _YAML12_NUMBER.fullmatch(value):  # ruamel.yaml (`factmark fix`) and YAML 1.2 editors: 1e400 is .inf
        out.surprises[path] = "a number by YAML 1.2 tools"
    return value


def _text(event: yaml.ScalarEvent, path: Path, *, key: bool = False) -> None:
    """FM003 when a key (at ``path``'s mapping) or a value (at ``path``) cannot be published."""
    problem = unpublishable(event.value)
    if problem:
        what = f"a key in {describe(path)}" if key else describe(path)
        raise _Refused(event, "FM003", f"{what} contains {problem}",
                       "remove it; a \\u escape must name a whole character, e.g. \\U0001F600 rather than two halves")


@dataclass
class _Open:
    """A mapping or sequence being built; a mapping remembers the key waiting for its value."""

    path: Path
    value: dict[str, Any] | list[Any]
    key: str | None = None


def _build(text: str, loader: type, out: Located, line_offset: int = 0) -> None:
    """Build ``out.data`` from ``loader``'s parser events, with an explicit stack (see the module docstring).

    A string can only hold an unpublishable character that the text holds raw, or one written
    as a backslash escape: other files skip the check of each string. ``line_offset`` is added
    to the lines messages quote (a front matter's first line is the file's second).

    This loop runs once per key and value of every annotation file (a hundred thousand per
    thousand texts), so it dispatches on the event's exact class and keeps the common case, a
    key or a scalar in a mapping, inline; the rarer cases and every refusal are the helpers'.
    """
    check = "\\" in text or _MAYBE_UNPUBLISHABLE.search(text) is not None
    parser = loader(text)
    next_event = parser.get_event
    values, keys = out.values, out.keys
    stack: list[_Open] = []
    documents = 0
    try:
        while (event := next_event()) is not None:
            kind = type(event)
            if kind is _SCALAR or kind is _MAPPING or kind is _SEQUENCE:
                if event.tag is not None:
                    _untagged(event)
                parent = stack[-1] if stack else None
                mark = event.start_mark
                if parent is not None and parent.key is None and type(parent.value) is dict:
                    if kind is not _SCALAR:
                        raise _Refused(event, "FM101", "mapping keys must be plain text")
                    if check:
                        _text(event, parent.path, key=True)
                    key = event.value
                    if key in parent.value:
                        _duplicate(event, parent, out, line_offset)
                    keys[(*parent.path, key)] = (mark.line + 1, mark.column + 1)
                    parent.key = key
                    continue
                if len(stack) > MAX_DEPTH:
                    raise _Refused(event, "FM104", f"nesting deeper than {MAX_DEPTH} levels")
                if parent is None:
                    path: Path = ()
                elif parent.key is not None:
                    path = (*parent.path, parent.key)
                else:
                    path = (*parent.path, len(parent.value))
                values[path] = (mark.line + 1, mark.column + 1)
                value: Any
                if kind is _SCALAR:
                    if check:
                        _text(event, path)
                    value = event.value if event.style else _scalar(event, path, out)
                else:
                    value = {} if kind is _MAPPING else []
                    stack.append(_Open(path, value))
                if parent is None:
                    out.data = value
                elif parent.key is not None:
                    parent.value[parent.key] = value  # type: ignore[call-overload]
                    parent.key = None
                else:
                    parent.value.append(value)  # type: ignore[union-attr]
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                stack.pop()
            elif kind is yaml.AliasEvent:
                raise _Refused(event, "FM103", "aliases (*name) are not allowed")
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Refused(event, "FM101", "the file holds more than one YAML document",
                                   _yaml_hint("more than one YAML document"))
    finally:
        parser.dispose()


_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
# a cheap test for whether a text may hold an unpublishable character: every character _UNPUBLISHABLE
# names lies in its Basic Multilingual Plane ranges or beyond that plane; searching for any character
# beyond it (an emoji) is a single range, five times faster than naming the 32 noncharacters there.
# Written as the complement of the characters that are surely fine (tab, newline, printable ASCII and the
# rest of the plane): the same set (tests/test_fastload.py checks every code point), but the regex engine
# skips ordinary text about a quarter faster, and this search runs over every byte of every file
_MAYBE_UNPUBLISHABLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]")


def _untagged(event: yaml.NodeEvent) -> None:
    """FM107 for a node with an explicit tag (``!!binary``, ``!foo``, ``!!python/object``, ``!!str``, ``!``).

    Other readers give a tag a meaning this loader would not (PyYAML decodes ``!!binary``, MkDocs'
    loader constructs ``!!python/...`` objects; ``!!str`` on a mapping is a contradiction), so a
    tagged value is refused rather than read as plain text. YAML 1.2 obliges no application to
    accept any tag: its core schema's tags (``!!str``, ``!!int``...) only restate what quoting or
    the plain form already says, and the non-specific ``!`` only what quoting says. So none is kept.
    """
    tag = getattr(event, "tag", None)
    if tag is not None:
        shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
        raise _Refused(event, "FM107", f"the YAML tag {clip(shown)!r} is not read; values are plain text, "
                       "numbers, true/false, lists and mappings", "remove the tag; quote the value if it is text")


def _duplicate(event: yaml.ScalarEvent, parent: _Open, out: Located, line_offset: int) -> None:
    first = out.keys[(*parent.path, event.value)]
    raise _Refused(event, "FM102", f"duplicate key '{clip(event.value)}' (first at line {first[0] + line_offset})",
                   "remove one of them; YAML would silently keep only the last")


_FAST = yaml.CSafeLoader if yaml.__with_libyaml__ else None  # libyaml: the same events and marks, much faster


def load(text: str, file: str, *, line_offset: int = 0) -> Located:
    """Parse one YAML document; raise :class:`YAMLError` with a positioned finding."""
    separator = line_separator(text, file, line_offset)
    if separator is not None:
        raise YAMLError(separator)
    located = Located(data=None)
    try:
        try:
            if _FAST is None:
                raise yaml.YAMLError("no libyaml")
            _build(text, _FAST, located, line_offset)
        except yaml.YAMLError:  # the Python parser names the problem precisely
            located = Located(data=None)
            _build(text, yaml.SafeLoader, located, line_offset)
    except _Refused as err:
        line, col = err.pos
        raise YAMLError(Finding(file, line + line_offset, col, err.code, err.message, err.hint)) from None
    except yaml.YAMLError as err:
        raise YAMLError(_syntax_finding(err, text, file, line_offset)) from None
    if line_offset:
        located.values = {k: (ln + line_offset, c) for k, (ln, c) in located.values.items()}
        located.keys = {k: (ln + line_offset, c) for k, (ln, c) in located.keys.items()}
    return located


# line breaks to PyYAML (YAML 1.1) that YAML 1.2 readers, Git, GitHub's diff and most editors do not break at
_ODD_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_BREAK_NAMES = {"\r": "a carriage return without a line feed", "\x85": "U+0085 (next line, NEL)",
                "\u2028": "U+2028 (line separator)", "\u2029": "U+2029 (paragraph separator)"}


def line_separator(text: str, file: str, line_offset: int = 0) -> Finding | None:
    """FM108 at the first character PyYAML reads as a line break and other tools do not (lone CR, NEL, LS, PS).

    PyYAML would count lines, fold quoted text and read keys across what a reviewer's diff shows
    as one line, so every position reported would be wrong and values would differ between tools:
    such a file is refused. Lines and columns are counted by line feeds, as the diff counts them.
    """
    if "\r" not in text and "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return None  # four scans for one character each are far faster than the pattern's one
    match = _ODD_BREAK.search(text)
    if match is None:
        return None
    before = text[: match.start()]
    line, col = before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
    return Finding(file, line + line_offset, col, "FM108", f"{_BREAK_NAMES[match[0]]} is a line break to some YAML "
                   "readers and not to others", "end lines with a line feed (LF); inside a double-quoted text write "
                   "the character as an escape such as \\u2028")


def _syntax_finding(err: yaml.YAMLError, text: str, file: str, line_offset: int) -> Finding:
    """The Python parser's error as a finding at its position."""
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = err.problem or err.context or "invalid YAML"
        return Finding(file, line + line_offset, col, "FM101", problem, _yaml_hint(problem))
    if isinstance(err, yaml.reader.ReaderError):
        before = text[: err.position]
        line, col = before.count("\n") + 1, err.position - (before.rfind("\n") + 1) + 1
        return Finding(file, line + line_offset, col, "FM101", f"character U+{err.character:04X} is not allowed "
                       "in YAML", "remove the control character")
    return Finding(file, 1 + line_offset, 1, "FM101", str(err).splitlines()[0])  # anything else PyYAML raises


def nesting_problem(text: str, file: str) -> Finding | None:
    """FM104 where ``text`` nests deeper than :data:`MAX_DEPTH`, reading only as far as that depth.

    For YAML read by other loaders (mkdocs.yml), which recurse once per level: run this first.
    Malformed YAML is left to that loader to report.
    """
    depth = 0  # open mappings and sequences, counted as :func:`_node` counts them
    try:
        for event in yaml.parse(text, Loader=_FAST or yaml.SafeLoader):
            if isinstance(event, yaml.NodeEvent) and depth > MAX_DEPTH:
                line, col = _pos(event)
                return Finding(file, line, col, "FM104", f"nesting deeper than {MAX_DEPTH} levels")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if "more than one YAML document" in problem:
        return "an annotation file is one YAML document: remove the '---' line"
    if "but found '<scalar>'" in problem:
        return "a quoted value above may be missing its closing quote, or a line is indented wrongly"
    if "<stream end>" in problem:
        return "the file ends too early: a bracket, brace or quote is not closed"
    if "could not find expected ':'" in problem:
        return "each line inside a mapping needs 'key: value'"
    return ""
