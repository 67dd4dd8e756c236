"""Which rules a run reports: ``select`` and ``ignore``, as ruff chooses its rules.

A newsroom may turn rules off (``ignore: [FM106]``) or report only some (``select: [FM3]``), in the
factmark plugin's options of mkdocs.yml and on the command line (``--select``/``--ignore``). Each names
rule codes or prefixes of them. The command line is a layer over the configuration: its ``--select``
replaces the configured selection (select and ignore), its ``--ignore`` adds to what is configured.
Within one layer the more specific name wins (``select: [FM3], ignore: [FM301]`` keeps FM3xx but
FM301; ``select: [FM301], ignore: [FM3]`` keeps FM301); at equal length ``ignore`` wins. Only the rules
of :data:`rules.SELECTABLE` can be turned off; the others guard the build and always apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .findings import Finding
from .rules import RULES, selectable

_NAME = re.compile(r"FM[0-9]{0,3}\Z")
ALL = "ALL"  # as in ruff: every rule


@dataclass(frozen=True)
class Layer:
    """One source of selection: ``select`` None keeps what the layers below chose."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    """The layers of a run, the configuration's first; :meth:`keep` filters findings with them."""

    layers: tuple[Layer, ...] = field(default_factory=tuple)

    def over(self, layer: Layer) -> Selection:
        """This selection with ``layer`` (the command line's) on top."""
        return Selection((*self.layers, layer))

    def enabled(self, code: str) -> bool:
        """Whether a finding of ``code`` is reported."""
        if not selectable(code):
            return True
        on = True
        for layer in self.layers:
            picked = _specificity(code, layer.select) if layer.select is not None else -1
            if layer.select is not None:
                on = picked >= 0
            dropped = _specificity(code, layer.ignore)
            if dropped >= 0 and dropped >= picked:
                on = False
        return on

    def keep(self, found: Iterable[Finding]) -> list[Finding]:
        """The findings of enabled rules (FM004, the cap, is counted after this)."""
        return [f for f in found if self.enabled(f.code)]


def _specificity(code: str, names: Iterable[str]) -> int:
    """The length of the longest of ``names`` that covers ``code`` (``ALL`` covers all, at 0); -1 for none."""
    best = -1
    for name in names:
        if name == ALL:
            best = max(best, 0)
        elif code.startswith(name):
            best = max(best, len(name))
    return best


def problems(names: Any, *, ignoring: bool) -> list[tuple[int | None, str, str, str]]:
    """What is wrong with a list of names: (index or None for the whole value, code, message, hint) each.

    An unknown name is FM440 (a typo must not silently select nothing); an ignore that covers no rule
    that can be turned off is FM441 (it would change nothing, and the reader would think it did).
    """
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return [(None, "FM440", "must be a list of rule codes or prefixes, such as [FM105, FM3]", "")]
    out: list[tuple[int | None, str, str, str]] = []
    for index, name in enumerate(names):
        covered = [code for code in RULES if name == ALL or code.startswith(name)]
        if not (name == ALL or _NAME.match(name)) or not covered:
            out.append((index, "FM440", f"'{name}' is not a rule code or a prefix of one",
                        "`factmark rules` lists every code; a prefix such as FM3 names a group"))
        elif ignoring and not any(selectable(code) for code in covered):
            out.append((index, "FM441", f"'{name}' names only rules that guard the build; they cannot be ignored",
                        "only FM1xx-FM3xx can be turned off; FM409-FM411 follow mkdocs.yml's validation: levels"))
    return out


def from_command_line(select: list[str] | None, ignore: list[str] | None) -> tuple[Layer | None, list[Finding]]:
    """The command line's layer (``--select A,B`` may be repeated), or its problems, each at ``--select``."""
    chosen = [n.strip() for arg in select for n in arg.split(",") if n.strip()] if select is not None else None
    dropped = [n.strip() for arg in ignore or [] for n in arg.split(",") if n.strip()]
    found = []
    for option, names, ignoring in (("--select", chosen, False), ("--ignore", dropped, True)):
        for _, code, message, hint in problems(names or [], ignoring=ignoring):
            found.append(Finding(option, 1, 1, code, message, hint))
    if select is not None and not chosen:
        found.append(Finding("--select", 1, 1, "FM440", "names no rule", "give codes or prefixes: --select FM3"))
    if found:
        return None, found
    if chosen is None and not dropped:
        return None, []
    return Layer(tuple(chosen) if chosen is not None else None, tuple(dropped)), []
