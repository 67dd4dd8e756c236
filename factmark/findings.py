"""Problems found in the input, reported as ``path:line:col: CODE message``.

Every check produces :class:`Finding` values instead of raising, so one run can
report every problem at once and callers decide how to print them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at a 1-based line and column of a file."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """The one-line form editors and CI parse (``path:line:col: CODE message``)."""
        text = f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class FindingsError(Exception):
    """Raised where a caller cannot go on; carries every finding collected so far."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(f.format() for f in findings))
        self.findings = findings
