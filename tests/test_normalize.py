"""Folding for quote matching: the fast run-at-a-time fold equals the obvious per-character one."""

from __future__ import annotations

import random

from factmark.normalize import _CHARS, fold, fold_quote


def reference(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    origin: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                origin.append(i)
            in_space = True
            continue
        in_space = False
        repl = _CHARS.get(ch, ch)
        out.append(repl)
        origin.extend([i] * len(repl))
    return "".join(out), origin


def test_fold_matches_the_reference_on_random_text() -> None:
    rng = random.Random(3)
    alphabet = "ab \n\t\u00a0\u2019\u201c\u2014\u2026\u00ad\u200bxyz."
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        folded, origins = fold(text)
        expected, origin = reference(text)
        assert (folded, list(origins)) == (expected, [*origin, len(text)]), repr(text)
        assert fold_quote(text) == expected.strip(), repr(text)


def test_fold_examples() -> None:
    assert fold("a\u2019b  \u2014c\u2026")[0] == "a'b -c..."
    assert fold("\u201cwe\u2019ll\u00a0win\u201d")[0] == '"we\'ll win"'
