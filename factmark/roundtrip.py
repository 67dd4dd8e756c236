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
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

from .findings import Finding

MODELINE = "# yaml-language-server: $schema=../factmark/schema/annotations.schema.json\n"


def _yaml() -> YAML:
    yaml = YAML()  # round-trip, YAML 1.2: `no` stays text
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


def layout_finding(display: str, text: str) -> Finding | None:
    """FM105 when the file is not in the canonical layout (what ``fix`` would write)."""
    if "\r" in text:
        return Finding(display, 1, 1, "FM105", "the file uses CRLF line endings; the canonical layout uses LF",
                       "run 'python build.py fix' to rewrite it")
    try:
        canonical = dump(load(text))
    except YAMLError:
        return None  # the strict loader has reported it already
    if canonical == text:
        return None
    mine, theirs = text.splitlines(), canonical.splitlines()
    line = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b), min(len(mine), len(theirs)))
    expected = theirs[line] if line < len(theirs) else "(end of file)"
    return Finding(display, line + 1, 1, "FM105", f"the file is not in the canonical layout; line {line + 1} "
                   f"would read: {expected.strip()!r}", "run 'python build.py fix' to rewrite it")


def restyle(old: Any, new: str) -> Any:
    """Keep a scalar's quoting style when its text changes."""
    return type(old)(new) if isinstance(old, str) and type(old) is not str else new


def skeleton(ident: str, quote: str, prefix: str | None, suffix: str | None) -> CommentedMap:
    """A new annotation whose placeholders the check refuses until they are filled in."""
    item = CommentedMap()
    item["id"] = ident
    item["quote"] = Quoted(quote)
    if prefix:
        item["prefix"] = Quoted(prefix)
    if suffix:
        item["suffix"] = Quoted(suffix)
    item["status"] = Quoted("TODO: documented, disputed or uncorroborated")
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


def new_file(document: str) -> CommentedMap:
    data = CommentedMap()
    data["document"] = document
    data["annotations"] = CommentedSeq()
    return data
