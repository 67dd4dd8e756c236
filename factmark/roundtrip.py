"""Rewrite annotation files without losing what editors wrote.

``fix`` and ``new`` edit YAML that people maintain by hand, so they go through
ruamel.yaml's round-trip mode: comments, key order, quoting and block scalars
survive. Its output style is the one canonical layout, which the check also
enforces; that is what makes a load-and-dump of any checked file byte-stable.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

from .findings import Finding
from .yamlstrict import Located


class Plain(str):
    """An unquoted scalar that is not text (a number, date, boolean or null), kept as the text written.

    Re-serializing the value would change what editors wrote: ``1e400`` would come
    back as ``.inf``, ``+1`` as ``1``, ``~`` as nothing, ``TRUE`` as ``true``. Nothing
    in ``fix`` or ``new`` computes with these values, so they stay text and are
    written back verbatim.
    """


class _Constructor(RoundTripConstructor):
    """Every plain scalar the YAML 1.2 resolver would type becomes a :class:`Plain` of its exact text."""

    def construct_plain(self, node: ScalarNode) -> Any:
        return Plain(node.value)


for _tag in ("null", "bool", "int", "float", "timestamp"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _Constructor.construct_plain)


class _Representer(RoundTripRepresenter):
    """Writes a :class:`Plain` unquoted, with the tag its text resolves to, so the emitter keeps it plain."""

    def represent_plain(self, data: Plain) -> Any:
        tag = self.dumper.resolver.resolve(ScalarNode, str(data), (True, False))
        return self.represent_scalar(tag, str(data))


_Representer.add_representer(Plain, _Representer.represent_plain)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip, YAML 1.2: `no` stays text
    yaml.Constructor = _Constructor
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long quotes
    return yaml


def load(text: str) -> Any:
    return _yaml().load(text)


def dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def layout_finding(display: str, text: str, located: Located) -> Finding | None:
    """FM105 when the file is not in the canonical layout (what ``fix`` would write).

    A round trip through ruamel.yaml costs a tenth of a second per file, too much
    for a check over thousands of files, so the layout is checked from the
    positions the strict loader recorded: LF line ends, a final newline, keys at
    column 1 + 4 per enclosing list item ("  - key" for annotations, "      - key"
    for sources), and one space between a key's colon and its value. Files that
    pass are exactly those ruamel.yaml writes back unchanged (tests/test_edit.py).
    """
    fix = "run 'factmark fix' to rewrite it"
    if "\r" in text:
        return Finding(display, 1, 1, "FM105", "the file uses CRLF line endings; the canonical layout uses LF", fix)
    if text and not text.endswith("\n"):
        return Finding(display, text.count("\n") + 1, 1, "FM105", "the file does not end with a newline", fix)
    problems = []  # (line, col, message); usually none, so nothing is sorted
    depths: dict[tuple[str | int, ...], int] = {}  # list items above each parent mapping
    for path, (line, col) in located.keys.items():
        parent = path[:-1]
        depth = depths.get(parent)
        if depth is None:
            depth = depths[parent] = sum(isinstance(p, int) for p in parent)
        want = 1 + 4 * depth
        if col != want:
            problems.append((line, col, f"'{path[-1]}' starts at column {col}; the canonical layout puts it "
                             f"at column {want}"))
            continue
        value = located.values.get(path)
        if value and value[0] == line and value[1] != col + len(str(path[-1])) + 2:
            problems.append((line, col, f"'{path[-1]}:' must be followed by exactly one space"))
    if problems:
        line, col, message = min(problems)
        return Finding(display, line, col, "FM105", message, fix)
    return None


def restyle(old: Any, new: str) -> Any:
    """Keep a scalar's quoting style when its text changes."""
    return type(old)(new) if isinstance(old, str) and type(old) is not str else new


def skeleton(ident: str, quote: str, prefix: str | None, suffix: str | None, statuses: list[str]) -> CommentedMap:
    """A new annotation whose placeholders the check refuses until they are filled in; the status
    placeholder names the site's configured ``statuses``."""
    item = CommentedMap()
    item["id"] = ident
    item["quote"] = Quoted(quote)
    if prefix:
        item["prefix"] = Quoted(prefix)
    if suffix:
        item["suffix"] = Quoted(suffix)
    choices = ", ".join(statuses[:-1]) + f" or {statuses[-1]}" if len(statuses) > 1 else "".join(statuses)
    item["status"] = Quoted(f"TODO: {choices}")
    item["summary"] = Quoted("TODO: the verdict in one neutral sentence")
    source = CommentedMap()
    source["url"] = Quoted("TODO: https://the primary publisher's address")
    source["title"] = Quoted("TODO: title as published, or remove this line")
    source["publisher"] = Quoted("TODO: who published it")
    source["date"] = Quoted("TODO: YYYY-MM-DD")
    source["excerpt"] = Quoted("TODO: the passage that supports the verdict, copied verbatim")
    item["sources"] = CommentedSeq([source])
    item["reviewed"] = Quoted("TODO: YYYY-MM-DD")
    return item


def new_file(document: str, modeline: str) -> CommentedMap:
    """An empty annotation file for ``document`` that opens with ``modeline``, the comment naming the schema
    editors use (:func:`factmark.editorschema.modeline`)."""
    return load(modeline + dump({"document": document, "annotations": []}))
