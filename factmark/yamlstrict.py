"""Strict YAML reading for files written by strangers.

PyYAML's defaults are wrong for hand-edited data: duplicate keys silently win,
``no`` becomes ``False``, ``2025-12-08`` becomes a date and aliases allow
expansion bombs. This loader composes the node graph itself, refuses aliases and
duplicates, resolves only ``true``/``false``, decimal integers and ``null``, and
records the position of every key and value for ``path:line:col`` messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Finding

Path = tuple[str | int, ...]
MAX_DEPTH = 64
_INT = re.compile(r"[-+]?[0-9]+\Z")
_NULL = {"", "~", "null", "Null", "NULL"}


class _Loader(yaml.SafeLoader):
    """A composer that refuses aliases; construction is done by :func:`_build`."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


@dataclass
class Located:
    """Parsed YAML plus where each part of it was written (1-based line, column)."""

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # unquoted text that YAML 1.1 tools (PyYAML, many editors, MkDocs) read as another type
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


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_YAML11 = yaml.resolver.Resolver()
_MEANINGS = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:int": "a number",
}


def _scalar(node: ScalarNode, path: Path, out: Located) -> Any:
    """Quoted and block scalars are text; plain ones may be null, true/false or an integer."""
    value = node.value
    if node.style:  # quoted or block: None (Python composer) or "" (libyaml) means plain
        return value
    if value in _NULL:
        return None
    if value in ("true", "false"):
        return value == "true"
    if _INT.match(value):
        return int(value)
    meaning = _MEANINGS.get(_YAML11.resolve(ScalarNode, value, (True, False)))
    if meaning:
        out.surprises[path] = meaning
    return value


def _build(node: Node, path: Path, out: Located, file: str, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        line, col = _pos(node)
        raise YAMLError(Finding(file, line, col, "FM104", f"nesting deeper than {MAX_DEPTH} levels"))
    out.values[path] = _pos(node)
    if isinstance(node, ScalarNode):
        return _scalar(node, path, out)
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, i), out, file, depth + 1) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            line, col = _pos(key_node)
            raise YAMLError(Finding(file, line, col, "FM101", "mapping keys must be plain text"))
        key = key_node.value
        if key in result:
            line, col = _pos(key_node)
            first = out.keys[(*path, key)]
            raise YAMLError(Finding(
                file, line, col, "FM102", f"duplicate key '{key}' (first at line {first[0]})",
                "remove one of them; YAML would silently keep only the last"))
        out.keys[(*path, key)] = _pos(key_node)
        result[key] = _build(value_node, (*path, key), out, file, depth + 1)
    return result


class _Untagged(yaml.resolver.BaseResolver):
    """Resolves nothing: :func:`_scalar` decides what a plain scalar means, so PyYAML's
    regex resolver, which the composer would run on every scalar, is skipped."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return ""


_FAST: type | None = None
if yaml.__with_libyaml__:  # libyaml: the same nodes and marks, many times faster
    from yaml.cyaml import CParser

    class _FastLoader(CParser, yaml.constructor.BaseConstructor, _Untagged):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.BaseConstructor.__init__(self)
            _Untagged.__init__(self)

    _FAST = _FastLoader


def _compose_fast(text: str) -> Node | None:
    """Compose with libyaml; None when it cannot (then the Python composer gives the exact error)."""
    if _FAST is None:
        raise yaml.YAMLError("no libyaml")
    if "*" in text and any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=_FAST)):
        raise yaml.YAMLError("alias")  # refused with its position by the Python composer
    return yaml.compose(text, Loader=_FAST)


def load(text: str, file: str, *, line_offset: int = 0) -> Located:
    """Parse one YAML document; raise :class:`YAMLError` with a positioned finding."""
    try:
        node = _compose_fast(text)
    except (yaml.YAMLError, RecursionError):
        node = _compose(text, file, line_offset)
    located = Located(data=None)
    if node is not None:
        located.data = _build(node, (), located, file)
    if line_offset:
        located.values = {k: (ln + line_offset, c) for k, (ln, c) in located.values.items()}
        located.keys = {k: (ln + line_offset, c) for k, (ln, c) in located.keys.items()}
    return located


def _compose(text: str, file: str, line_offset: int) -> Node | None:
    """The pure-Python composer: slower, but its errors name the problem precisely."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = err.problem or err.context or "invalid YAML"
        if problem == "but found another document":
            problem = "the file holds more than one YAML document"
        code = "FM103" if "aliases" in problem else "FM101"
        hint = _yaml_hint(problem)
        raise YAMLError(Finding(file, line + line_offset, col, code, problem, hint)) from None
    except yaml.reader.ReaderError as err:
        before = text[: err.position]
        line, col = before.count("\n") + 1, err.position - (before.rfind("\n") + 1) + 1
        raise YAMLError(Finding(file, line + line_offset, col, "FM101",
                                f"character U+{err.character:04X} is not allowed in YAML",
                                "remove the control character")) from None
    except yaml.YAMLError as err:  # anything else PyYAML can raise
        raise YAMLError(Finding(file, 1 + line_offset, 1, "FM101", str(err).splitlines()[0])) from None
    except RecursionError:
        raise YAMLError(Finding(file, 1 + line_offset, 1, "FM104", "nesting is too deep to read")) from None


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
