"""Fold text so that quotes match what a reader sees, whatever was typed.

Editors copy quotes from browsers, PDFs and word processors: curly or straight
quotes, en or em dashes, non-breaking spaces, line breaks. Folding maps each of
those to one canonical character while remembering, for every folded character,
where it came from, so a match in folded text maps back to exact offsets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import overload

_CHARS = {
    # single quotes, apostrophes, primes, backtick, acute accent
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032`\u00b4", "'"),
    # double quotes, double prime, guillemets
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    # hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    "\u2026": "...",
    # invisible characters: soft hyphen, zero-width space/joiners, word joiner, BOM
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
}


# a single plain space is already folded; any other whitespace run becomes one space
_SPECIAL = re.compile(r" \s+|[^\S ]\s*|[" + re.escape("".join(_CHARS)) + "]")


class Origins(Sequence[int]):
    """Per folded character, its index in the original text; one more item maps the end.

    Folding copies long runs unchanged, so the mapping is kept per run (its folded
    start, original start, and whether it was copied or is a replacement) rather than
    as one integer per character: a tenth of the time and memory on long texts.
    """

    __slots__ = ("_copied", "_length", "_sources", "_starts")

    def __init__(self, runs: list[tuple[int, int, bool]], length: int) -> None:
        self._starts = [r[0] for r in runs]
        self._sources = [r[1] for r in runs]
        self._copied = [r[2] for r in runs]
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        k = bisect.bisect_right(self._starts, index) - 1
        return self._sources[k] + (index - self._starts[k] if self._copied[k] else 0)


def _replacement(match: re.Match[str]) -> str:
    ch = match.group()[0]
    return " " if ch.isspace() else _CHARS[ch]


def fold(text: str) -> tuple[str, Origins]:
    """Return the folded text and where each folded character came from in ``text``."""
    out: list[str] = []
    runs: list[tuple[int, int, bool]] = []  # (folded start, original start, copied)
    pos = length = 0
    for match in _SPECIAL.finditer(text):  # ordinary characters are copied a run at a time
        start, end = match.span()
        if start > pos:
            runs.append((length, pos, True))
            out.append(text[pos:start])
            length += start - pos
        repl = _replacement(match)
        if repl:
            runs.append((length, start, False))
            out.append(repl)
            length += len(repl)
        pos = end
    if pos < len(text):
        runs.append((length, pos, True))
        out.append(text[pos:])
        length += len(text) - pos
    runs.append((length, len(text), True))  # the end of the folded text maps to the end of the text
    return "".join(out), Origins(runs, length + 1)


def fold_quote(text: str) -> str:
    """Folded form of a selector string (quote, prefix or suffix), trimmed."""
    return _SPECIAL.sub(_replacement, text).strip()
