"""Problems found in the input, reported as ``path:line:col: CODE message``.

Every check produces :class:`Finding` values instead of raising, so one run can
report every problem at once and callers decide how to print them.

Paths, messages and hints quote what strangers wrote (file names, YAML values),
so every printed form goes through :func:`visible` first: a value can never add
a line, move the cursor, retitle a terminal or reorder text with a bidi control,
and each finding stays exactly one line whatever its values hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .rules import severity

# C0, DEL and C1 controls (line breaks, ESC, BEL...), the Unicode line and paragraph separators,
# bidi marks, embeddings, overrides and isolates, and lone surrogates (unencodable as UTF-8)
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
# workflow commands: `%`, CR and LF end or corrupt the data; in properties `:` and `,` end the value too
_GITHUB_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_GITHUB_PROPERTY = {**_GITHUB_DATA, ":": "%3A", ",": "%2C"}
_SURROGATE = re.compile("[\ud800-\udfff]")  # alone, it has no UTF-8 form, and strict JSON parsers refuse it


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control, separator, bidi and surrogate character (but those in ``keep``)
    written as ``\\x1b``/``\\u2028``."""
    return _INVISIBLE.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def _github(text: str, table: dict[str, str]) -> str:
    """Workflow-command escaping: CR and LF are percent-encoded (GitHub decodes them back, so ``file=``
    names the real file); every other invisible character is shown, as in the human form."""
    return "".join(table.get(ch, ch) for ch in visible(text, keep="\r\n"))


def _exact(text: str) -> str:
    return _SURROGATE.sub(lambda m: _escape(m.group()), text)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at a 1-based line and column of a file."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""

    @property
    def severity(self) -> str:
        """``"error"`` or ``"warning"``, the rule's (:func:`rules.severity`)."""
        return severity(self.code)

    @property
    def _label(self) -> str:
        """What follows the code: nothing for an error (the form every tool already parses), ``warning:``."""
        return "" if self.severity == "error" else "warning: "

    def format(self) -> str:
        """The one-line form editors and CI parse (``path:line:col: CODE message``; a warning's message
        starts with ``warning:``)."""
        text = f"{visible(self.path)}:{self.line}:{self.col}: {self.code} {self._label}{visible(self.message)}"
        if self.hint:
            text += f" (hint: {visible(self.hint)})"
        return text

    def github(self) -> str:
        """One GitHub Actions ``::error`` (or ``::warning``) workflow command; no value can end it or start another."""
        text = f"{self.code} {self.message}" + (f" (hint: {self.hint})" if self.hint else "")
        return (f"::{self.severity} file={_github(self.path, _GITHUB_PROPERTY)},line={self.line},col={self.col},"
                f"title={_github(self.code, _GITHUB_PROPERTY)}::{_github(text, _GITHUB_DATA)}")

    def as_json(self) -> dict[str, Any]:
        """The object of ``--format json``: exact strings, but a lone surrogate is written ``\\ud800``.

        Print it with ``ensure_ascii``: JSON's own escapes then carry every other character
        as ASCII, exactly and inert on a terminal.
        """
        return {"path": _exact(self.path), "line": self.line, "column": self.col, "code": self.code,
                "severity": self.severity, "message": _exact(self.message), "hint": _exact(self.hint)}


MAX_PER_FILE = 100  # findings listed per file: a hostile file can make one per line, and a reader needs the first


def capped(found: list[Finding], limit: int = MAX_PER_FILE) -> list[Finding]:
    """The first ``limit`` findings of each file in ``found`` (sorted), then one FM004 where the rest begin.

    A 1 MB file of ``- {}`` entries has 840,000 problems; printing them helps no one and costs
    gigabytes. The checks that could find that many stop early too (validate.schema_findings),
    so how many were left out is not known: the line says that more exist, not how many.
    """
    out: list[Finding] = []
    shown: dict[str, int] = {}
    for finding in found:
        count = shown[finding.path] = shown.get(finding.path, 0) + 1
        if count <= limit:
            out.append(finding)
        elif count == limit + 1:
            out.append(Finding(finding.path, finding.line, finding.col, "FM004",
                               f"more problems in this file are not shown; the check lists the first {limit} of each "
                               "file", "fix those above and run the check again"))
    return out


class FindingsError(Exception):
    """Raised where a caller cannot go on; carries every finding collected so far."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(f.format() for f in findings))
        self.findings = findings
