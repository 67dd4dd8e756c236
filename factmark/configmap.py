"""Where each setting of mkdocs.yml is written, across an ``INHERIT`` chain.

MkDocs merges the chain into one mapping and names a bad setting by its key only; a finding
needs the file, line and column an editor can open. Every file of the chain is read again with
the strict loader (:mod:`yamlstrict`), which records a position for every key and value, and a
setting is placed in the file that sets it: the one closest to mkdocs.yml wins, as in the merge.
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
    """The strict loader's positions; None for a file it refuses (an alias, a repeated key): findings there are
    placed at 1:1."""
    try:
        return yamlstrict.load(source.text, source.name)
    except yamlstrict.YAMLError:
        return None


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
