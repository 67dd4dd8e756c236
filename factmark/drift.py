"""Find where a quote that no longer matches has probably gone.

When a text is corrected after it was annotated, a quote can stop matching.
The best evidence of where it went is the text as it was when the annotation
was last changed (from git): the quote's old position is carried through a
diff of the old and new text. Without that, a fuzzy search proposes the most
similar passage. Either way the result is only a *candidate*, reported to a
human (and applied by ``build.py fix`` only on request): a highlight is never
moved silently, the flaw that makes Hypothesis annotations land on the wrong
passage.
"""

from __future__ import annotations

import bisect
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from . import textmodel
from .anchor import FoldedText, anchor, char_diff, where, widen
from .findings import Finding
from .model import Annotation
from .normalize import fold_quote

REPORT_AT = 80  # similarity (0-100) from which a candidate is worth showing
FIX_AT = 90  # similarity from which `fix` may apply a unique candidate


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


def _map(opcodes: list[tuple[str, int, int, int, int]], pos: int, *, end: bool) -> int:
    for tag, s1, s2, d1, d2 in opcodes:
        if s1 <= pos < s2 or (end and pos == s2):
            return d1 + (pos - s1) if tag == "equal" else (d2 if end else d1)
    return opcodes[-1][4] if opcodes else 0


def find(annotation: Annotation, new: FoldedText, md: MarkdownIt, root: Path,
         annotation_file: Path, document: Path) -> Candidate | None:
    """The best candidate for a quote that is not in ``new``, or None."""
    quote = fold_quote(annotation.quote)
    span, method = None, "fuzzy search"
    old = _old_document(root, annotation_file, document)
    if old is not None:
        commit, old_source = old
        old_text = FoldedText(textmodel.build(md.parse(old_source, {})))
        placed, _ = anchor(annotation, old_text, "")
        if placed is not None:
            folded_start = bisect.bisect_left(old_text.origin, placed.start)
            folded_end = folded_start + len(quote)
            ops = [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
                   for op in Levenshtein.opcodes(old_text.folded, new.folded)]
            span = (_map(ops, folded_start, end=False), _map(ops, folded_end, end=True))
            method = f"diff against {commit[:10]}"
    if span is None:
        match = fuzz.partial_ratio_alignment(quote, new.folded)
        if match is None:
            return None
        span = widen(new.folded, match.dest_start, match.dest_end)
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
                     unique=len(new.occurrences(candidate)) == 1)


def finding(candidate: Candidate, new: FoldedText, document: str) -> Finding:
    """FM306: the quote moved or changed; show the candidate, its score and the difference."""
    ann = candidate.annotation
    start = bisect.bisect_left(new.origin, candidate.start)
    at = where(new, start, start + 1)
    action = ("run 'python build.py fix' to apply it" if candidate.unique and candidate.score >= FIX_AT
              else "check it and edit the quote by hand")
    return Finding(ann.file, ann.quote_line, ann.quote_col, "FM306",
                   f"quote of '{ann.id}' no longer matches {document}; candidate ({at}, {candidate.score:.0f}% "
                   f'similar, by {candidate.method}): "{candidate.text}"',
                   f"the difference: {char_diff(fold_quote(ann.quote), fold_quote(candidate.text))}; {action}")
