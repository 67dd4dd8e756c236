"""Place each annotation's quote in the document text, exactly once, or say why not.

W3C TextQuoteSelector semantics: ``quote`` is the exact text, ``prefix`` and
``suffix`` the text right before and after it, used only to choose among
occurrences. Matching tolerates whitespace and typographic variants (see
:mod:`factmark.normalize`) and nothing else: a quote that is not found is an
error that shows the closest passage, never a silently moved highlight.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .findings import Finding
from .model import Annotation
from .normalize import fold, fold_quote
from .textmodel import Block, DocumentText

_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
CONTEXT = 32  # characters of prefix/suffix suggested to disambiguate, as Hypothesis stores


@dataclass(frozen=True)
class Anchor:
    """Where an annotation's quote lies, as offsets in the document text."""

    annotation: Annotation
    start: int
    end: int
    block: Block


class FoldedText:
    """The document text folded once, shared by every quote of the document."""

    def __init__(self, doc: DocumentText) -> None:
        self.doc = doc
        self.folded, self.origin = fold(doc.text)

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Every (start, end) of ``quote`` in folded-text offsets."""
        found, at = [], self.folded.find(quote)
        while at >= 0:
            found.append((at, at + len(quote)))
            at = self.folded.find(quote, at + 1)
        return found

    def original(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def _fits(folded: str, start: int, end: int, prefix: str | None, suffix: str | None) -> bool:
    # folding leaves at most one space between words, so a window of len + 1 suffices
    if prefix and not folded[max(0, start - len(prefix) - 1):start].rstrip().endswith(prefix):
        return False
    return not (suffix and not folded[end:end + len(suffix) + 1].lstrip().startswith(suffix))


def anchor(annotation: Annotation, text: FoldedText, document: str) -> tuple[Anchor | None, list[Finding]]:
    """Anchor one annotation; a finding (at the quote in the YAML) when it cannot be."""
    quote = fold_quote(annotation.quote)
    prefix = fold_quote(annotation.prefix) if annotation.prefix else None
    suffix = fold_quote(annotation.suffix) if annotation.suffix else None
    found = text.occurrences(quote)

    def finding(code: str, message: str, hint: str = "") -> list[Finding]:
        return [Finding(annotation.file, annotation.quote_line, annotation.quote_col, code, message, hint)]

    if not found:
        return None, finding("FM301", f"quote of '{annotation.id}' is not in {document}", closest(quote, text))
    fitting = [(s, e) for s, e in found if _fits(text.folded, s, e, prefix, suffix)]
    if not fitting:
        lines = ", ".join(where(text, s, e) for s, e in found)
        return None, finding(
            "FM303",
            f"prefix/suffix of '{annotation.id}' do not sit next to the quote, found at {lines} of {document}",
            "prefix must end right before the quote and suffix start right after it")
    if len(fitting) > 1:
        options = "; ".join(f"{where(text, s, e)}: {_suggest(text, s, e, fitting)}" for s, e in fitting[:5])
        return None, finding(
            "FM302",
            f"quote of '{annotation.id}' occurs {len(fitting)} times in {document}",
            f"add a prefix or suffix to pick one — {options}")
    start, end = text.original(*fitting[0])
    block = text.doc.block_at(start)
    if block is None or end > block.end:
        return None, finding(
            "FM304", f"quote of '{annotation.id}' runs across two blocks of {document}",
            "a quote lies within one paragraph, heading, list item or table cell; split it into two annotations")
    return Anchor(annotation, start, end, block), []


def reading_order(anchors: list[Anchor]) -> list[Anchor]:
    """Document order; where two start together the enclosing span comes first."""
    return sorted(anchors, key=lambda a: (a.start, -a.end, a.annotation.id))


def where(text: FoldedText, start: int, end: int) -> str:
    begin = text.original(start, end)[0]
    block = text.doc.block_at(begin)
    return f"line {block.source_line(begin - block.start)}" if block else "?"


def disambiguate(text: FoldedText, start: int, end: int, others: list[tuple[int, int]]) -> tuple[str, str] | None:
    """The fewest words of prefix or suffix that single out one occurrence: (key, words)."""
    before = text.folded[max(0, start - 4 * CONTEXT):start].split()
    after = text.folded[end:end + 4 * CONTEXT].split()
    for k in range(1, 9):
        for key, words in (("prefix", before[-k:]), ("suffix", after[:k])):
            if len(words) < k:
                continue
            context = " ".join(words)
            pre, suf = (context, None) if key == "prefix" else (None, context)
            if sum(_fits(text.folded, s, e, pre, suf) for s, e in others) == 1:
                return key, context
    return None


def _suggest(text: FoldedText, start: int, end: int, others: list[tuple[int, int]]) -> str:
    found = disambiguate(text, start, end, others)
    return f'{found[0]}: "{found[1]}"' if found else "quote a longer passage"


def widen(folded: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to whole words, so a suggested passage never starts or ends mid-word."""
    while start > 0 and folded[start - 1].isalnum() and folded[start].isalnum():
        start -= 1
    while end < len(folded) and folded[end - 1].isalnum() and folded[end].isalnum():
        end += 1
    return start, end


def closest(quote: str, text: FoldedText) -> str:
    """The most similar passage, for the message; never used to place anything."""
    from rapidfuzz import fuzz

    if not quote or not text.folded:
        return ""
    match = fuzz.partial_ratio_alignment(quote, text.folded)
    if match is None or match.score < 50:
        return "no similar passage found; check the document path and the quote"
    start, end = widen(text.folded, match.dest_start, match.dest_end)
    passage = text.folded[start:end].strip()
    return (f'closest passage ({where(text, match.dest_start, match.dest_end)}, {match.score:.0f}% similar): '
            f'"{passage}"; the difference: {char_diff(quote, passage)}')


def char_diff(old: str, new: str) -> str:
    """``grew by [-5-]{+4+} percent``: what to change in the quote to match the text."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[a1:a2]))
            continue
        if a2 > a1:
            out.append(f"[-{''.join(a[a1:a2])}-]")
        if b2 > b1:
            out.append(f"{{+{''.join(b[b1:b2])}+}}")
    return "".join(out)


def identical_spans(anchors: list[Anchor]) -> list[Finding]:
    """Two verdicts on the very same words confuse readers; one of them must go or change."""
    first: dict[tuple[int, int], Annotation] = {}
    out = []
    for a in anchors:
        other = first.setdefault((a.start, a.end), a.annotation)
        if other is not a.annotation:
            ann = a.annotation
            out.append(Finding(ann.file, ann.quote_line, ann.quote_col, "FM305",
                               f"'{ann.id}' highlights the same span as '{other.id}'",
                               "merge the two annotations, or quote different words"))
    return out
