"""Fold text so that quotes match what a reader sees, whatever was typed.

Editors copy quotes from browsers, PDFs and word processors: curly or straight
quotes, en or em dashes, non-breaking spaces, line breaks. Folding maps each of
those to one canonical character while remembering, for every folded character,
where it came from, so a match in folded text maps back to exact offsets.
"""

from __future__ import annotations

import re

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


_SPECIAL = re.compile(r"\s+|[" + re.escape("".join(_CHARS)) + "]")


def fold(text: str) -> tuple[str, list[int]]:
    """Return the folded text and, per folded character, its index in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for match in _SPECIAL.finditer(text):  # ordinary characters are copied a run at a time
        start, end = match.span()
        if start > pos:
            out.append(text[pos:start])
            origin.extend(range(pos, start))
        repl = " " if text[start].isspace() else _CHARS[text[start]]
        out.append(repl)
        origin.extend([start] * len(repl))
        pos = end
    out.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return "".join(out), origin


def fold_quote(text: str) -> str:
    """Folded form of a selector string (quote, prefix or suffix), trimmed."""
    return fold(text)[0].strip()
