"""Find where a quote that no longer matches has probably gone.

When a text is corrected after it was annotated, a quote can stop matching.
The best evidence of where it went is the text as it was when the annotation
was last changed (from git): the quote's old position is carried through a
diff of the old and new text. Without that, a fuzzy search proposes the most
similar passage. Either way the result is only a *candidate*, reported to a
human (and applied by ``factmark fix`` only on request): a highlight is never
moved silently, the flaw that makes Hypothesis annotations land on the wrong
passage.
"""

from __future__ import annotations

import bisect
import subprocess
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from rapidfuzz.distance import Levenshtein

from . import textmodel
from .anchor import LIMITED, FoldedText, anchor, char_diff, search, where, widen
from .findings import Finding
from .markdown import TooComplex
from .model import Annotation
from .normalize import fold_quote

REPORT_AT = 80  # similarity (0-100) from which a candidate is worth showing
FIX_AT = 90  # similarity from which `fix` may apply a unique candidate
MAX_DIFF = 4_000_000_000  # changed old x new characters the diff compares (about a second); beyond, fuzzy search


@dataclass(frozen=True)
class Candidate:
    """Where the quote probably is now, in original document-text offsets."""

    annotation: Annotation
    start: int
    end: int
    text: str
    score: float
    method: str  # "diff against <commit>" or "fuzzy search"
    unique: bool


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False,
                                timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


@cache
def _old_document(root: Path, annotation_file: Path, document: Path) -> tuple[str, str] | None:
    """(commit, text) of the document when the annotation file was last committed."""
    commit = (_git(root, "log", "-1", "--format=%H", "--", str(annotation_file)) or "").strip()
    top = (_git(root, "rev-parse", "--show-toplevel") or "").strip()
    if not commit or not top:
        return None
    rel = document.resolve().relative_to(Path(top).resolve()).as_posix()
    text = _git(root, "show", f"{commit}:{rel}")
    return (commit, text) if text is not None else None


def carry(ops: list[tuple[str, int, int, int, int]], pos: int, *, end: bool) -> int:
    """Where offset ``pos`` of the old text lies in the new one (``end``: as a span's end), through :func:`opcodes`."""
    for tag, s1, s2, d1, d2 in ops:
        if s1 <= pos < s2 or (end and pos == s2):
            return d1 + (pos - s1) if tag == "equal" else (d2 if end else d1)
    return ops[-1][4] if ops else 0


@lru_cache(maxsize=8)
def _old_text(md: MarkdownIt, source: str) -> FoldedText | None:
    """The old version's text, parsed once for all its quotes (None if it is too complex to parse)."""
    try:
        return FoldedText(textmodel.build(md.parse(source, {})))
    except TooComplex:
        return None


@lru_cache(maxsize=8)
def opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]] | None:
    """Edit operations from ``old`` to ``new``; None when the changed middle is too large to compare.

    Corrections are local, so the common beginning and end are set aside first and only the
    middle is compared (its cost grows with the product of the two lengths).
    """
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    a, b = old[head:len(old) - tail], new[head:len(new) - tail]
    if len(a) * len(b) > MAX_DIFF:
        return None
    middle = [(op.tag, head + op.src_start, head + op.src_end, head + op.dest_start, head + op.dest_end)
              for op in Levenshtein.opcodes(a, b)]
    return [("equal", 0, head, 0, head), *middle,
            ("equal", len(old) - tail, len(old), len(new) - tail, len(new))]


def _diffed(annotation: Annotation, quote: str, new: FoldedText, md: MarkdownIt, root: Path,
            annotation_file: Path, document: Path) -> tuple[tuple[int, int], str] | None:
    """The quote's old position carried through a diff to the new text, and the method; None if not possible."""
    old = _old_document(root, annotation_file, document)
    old_text = _old_text(md, old[1]) if old is not None else None
    if old is None or old_text is None:
        return None
    placed, _ = anchor(annotation, old_text, "")
    ops = opcodes(old_text.folded, new.folded) if placed is not None else None
    if placed is None or ops is None:
        return None
    folded_start = bisect.bisect_left(old_text.origin, placed.start)
    span = (carry(ops, folded_start, end=False), carry(ops, folded_start + len(quote), end=True))
    return span, f"diff against {old[0][:10]}"


def find(annotation: Annotation, new: FoldedText, md: MarkdownIt, root: Path,
         annotation_file: Path, document: Path) -> Candidate | None:
    """The best candidate for a quote that is not in ``new``, or None."""
    quote = fold_quote(annotation.quote)
    diffed = _diffed(annotation, quote, new, md, root, annotation_file, document)
    if diffed is not None:
        span, method = diffed
    else:
        match = search(quote, new)
        if match is None:
            return None
        span, method = widen(new.folded, match.start, match.end), f"fuzzy search, {LIMITED}" if match.limited \
            else "fuzzy search"
    start, end = span
    while start < end and new.folded[start] == " ":
        start += 1
    while end > start and new.folded[end - 1] == " ":
        end -= 1
    if end <= start:
        return None
    candidate = new.folded[start:end]
    score = 100 * Levenshtein.normalized_similarity(quote, candidate)
    orig_start, orig_end = new.original(start, end)
    return Candidate(annotation, orig_start, orig_end, new.doc.text[orig_start:orig_end], score, method,
                     unique=len(new.occurrences(candidate, limit=2)) == 1)


def finding(candidate: Candidate, new: FoldedText, document: str) -> Finding:
    """FM306: the quote moved or changed; show the candidate, its score and the difference."""
    ann = candidate.annotation
    start = bisect.bisect_left(new.origin, candidate.start)
    at = where(new, start, start + 1)
    action = ("run 'factmark fix' to apply it" if candidate.unique and candidate.score >= FIX_AT
              else "check it and edit the quote by hand")
    return Finding(ann.file, ann.quote_line, ann.quote_col, "FM306",
                   f"quote of '{ann.id}' no longer matches {document}; candidate ({at}, {candidate.score:.0f}% "
                   f'similar, by {candidate.method}): "{candidate.text}"',
                   f"the difference: {char_diff(fold_quote(ann.quote), fold_quote(candidate.text))}; {action}")
