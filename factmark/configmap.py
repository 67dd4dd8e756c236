"""Where each setting of mkdocs.yml is written, across an ``INHERIT`` chain.

MkDocs merges the chain into one mapping and names a bad setting by its key only; a finding
needs the file, line and column an editor can open. Every file of the chain is read again with
PyYAML's composer, which records a position for every key and value, and a setting is placed in
the file that sets it: the one closest to mkdocs.yml wins, as in the merge.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import yaml

from . import yamlstrict
from .findings import Finding

Where = tuple[str | int, ...]


@dataclass(frozen=True)
class Source:
    """One file of the chain: its name as findings show it, and its text."""

    name: str
    text: str


class Origins:
    """Positions of the settings of an ``INHERIT`` chain (mkdocs.yml first, then each file it inherits)."""

    def __init__(self, chain: list[Source]) -> None:
        self.chain = chain
        self.files = [(source.name, _positions(source)) for source in chain]

    def place(self, where: Where, *, key: bool = False) -> tuple[str, int, int]:
        """The file, line and column of the setting ``where`` (``("plugins", "factmark", "statuses")`` names a
        plugin by name); of its key with ``key`` (an unknown name), else of its value (a wrong value).

        A setting that no file writes (a default MkDocs refuses) is placed where its nearest parent is written.
        """
        best: tuple[int, str, tuple[int, int]] = (0, self.chain[0].name if self.chain else "mkdocs.yml", (1, 1))
        for name, located in self.files:
            if located is None:
                continue
            path = _concrete(located.data, where)
            depth = next((n for n in range(len(path), 0, -1) if path[:n] in located.keys or path[:n] in located.values),
                         0)
            if depth > best[0]:
                found = path[:depth]
                exact = key and depth == len(path)
                spot = located.keys.get(found) if exact else located.values.get(found, located.keys.get(found))
                best = (depth, name, spot or (1, 1))
        return best[1], *best[2]

    def finding(self, where: Where, code: str, message: str, hint: str = "", *, key: bool = False) -> Finding:
        """A finding at the setting ``where`` (see :meth:`place`)."""
        return Finding(*self.place(where, key=key), code, message, hint)

    def env_values(self) -> list[str]:
        """The values of the environment variables that ``!ENV`` tags of the chain name, longest first.

        MkDocs' messages quote the values they refuse; a finding never shows one (it may be a secret).
        """
        names: list[str] = []
        for source in self.chain:
            names += _env_names(source.text)
        values = {os.environ[n] for n in names if os.environ.get(n)}
        return sorted(values, key=len, reverse=True)


def _positions(source: Source) -> yamlstrict.Located | None:
    """Where each key and value of the file is written (the last of a repeated key, which is the one MkDocs keeps);
    None when the file is not YAML (MkDocs' own error is then placed at 1:1).

    From the composed nodes, not the strict loader: a value it refuses (an alias, a control character) is still
    a value MkDocs reads, and its finding belongs at its line. Walked with a stack and a seen-set (aliases may
    make a node contain itself); the caller has refused files nested too deeply for the composer.
    """
    try:
        root = _compose(source.text)
    except yaml.YAMLError:
        return None
    located = yamlstrict.Located(data=_shape(root))
    stack: list[tuple[Where, yaml.Node]] = [((), root)] if root is not None else []
    seen: set[int] = set()
    while stack:
        path, node = stack.pop()
        located.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):  # pushed last to first: a repeated key's last value is placed last
            for key, value in reversed(node.value):
                if isinstance(key, yaml.ScalarNode):
                    located.keys.setdefault((*path, key.value), (key.start_mark.line + 1, key.start_mark.column + 1))
                    stack.append(((*path, key.value), value))
        elif isinstance(node, yaml.SequenceNode):
            stack += [((*path, index), item) for index, item in enumerate(node.value)]
    return located


def _compose(text: str) -> yaml.Node | None:
    """The file's node tree; libyaml is fast, but refuses a ``"\\ud800"`` escape that PyYAML (and so MkDocs) reads
    and the FM003 check then refuses at its line."""
    if yaml.__with_libyaml__:
        try:
            return yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _shape(root: yaml.Node | None) -> Any:
    """The top level of the file as far as :func:`_concrete` needs it: each ``plugins`` entry's name."""
    if not isinstance(root, yaml.MappingNode):
        return None
    plugins = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "plugins"), None)
    if not isinstance(plugins, yaml.SequenceNode):
        return {}
    entries: list[Any] = []
    for entry in plugins.value:
        if isinstance(entry, yaml.ScalarNode):
            entries.append(entry.value)
        elif isinstance(entry, yaml.MappingNode):
            entries.append({k.value: None for k, _ in entry.value if isinstance(k, yaml.ScalarNode)})
        else:
            entries.append(None)
    return {"plugins": entries}


def _concrete(data: Any, where: Where) -> Where:
    """``where`` with a plugin named as in the file: ``("plugins", "factmark", ...)`` is ``("plugins", 2,
    "factmark", ...)`` when ``plugins`` is a list whose third entry is factmark's."""
    if len(where) < 2 or where[0] != "plugins" or not isinstance(data, dict):
        return where
    plugins = data.get("plugins")
    if not isinstance(plugins, list):
        return where
    for index, entry in enumerate(plugins):
        if entry == where[1] or (isinstance(entry, dict) and where[1] in entry):
            return ("plugins", index, *where[1:])
    return where[:1]


def _env_names(text: str) -> list[str]:
    """The variable names of every ``!ENV`` tag in ``text`` (``!ENV NAME``, ``!ENV [A, B, default]``)."""
    names: list[str] = []
    inside = False
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.ScalarEvent) and (inside or event.tag == "!ENV"):
                names.append(event.value)
            elif isinstance(event, yaml.SequenceStartEvent):
                inside = event.tag == "!ENV"
            elif isinstance(event, yaml.CollectionEndEvent):
                inside = False
    except yaml.YAMLError:
        return names
    return names
