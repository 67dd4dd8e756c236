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
MAX_OCCURRENCES = 1000  # occurrences counted before a message says "at least"; bounds 'a' in 'aaaa...'
SHOWN = 5  # occurrences listed in a message
FULL_SEARCH = 20_000_000  # quote length x text length up to which a fuzzy search compares every alignment
ANCHOR_WORDS = 8  # beyond it, the quote's longest words each propose where it may lie...
ANCHOR_PLACES = 25  # ...at their first places in the text
MAX_SEARCHES = 50  # fuzzy searches per text (closest passage, drift); more missing quotes are not searched
LIMITED = "search limited to passages that share a word with the quote"


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
        self.searches = 0  # fuzzy searches made so far, see search()

    def occurrences(self, quote: str, prefix: str | None = None, suffix: str | None = None,
                    limit: int = MAX_OCCURRENCES) -> list[tuple[int, int]]:
        """The first ``limit`` (start, end) of ``quote`` (folded offsets) with ``prefix``/``suffix`` next to it.

        Folding leaves at most one space between words, so a prefix sits right before the quote
        or one space before it, and likewise a suffix: each combination is one fast substring
        search over the text (never a test of every occurrence of a one-letter quote).
        """
        lefts = [prefix, prefix + " "] if prefix else [""]
        rights = [suffix, " " + suffix] if suffix else [""]
        starts: set[int] = set()
        for left in lefts:
            for right in rights:
                needle, at, found = left + quote + right, -1, 0
                while found < limit and (at := self.folded.find(needle, at + 1)) >= 0:
                    starts.add(at + len(left))
                    found += 1
        return [(s, s + len(quote)) for s in sorted(starts)[:limit]]

    def original(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


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
    fitting = text.occurrences(quote, prefix, suffix) if prefix or suffix else found
    if not fitting:
        return None, finding(
            "FM303",
            f"prefix/suffix of '{annotation.id}' do not sit next to the quote, found at {_places(text, found)} "
            f"of {document}",
            "prefix must end right before the quote and suffix start right after it")
    if len(fitting) > 1:
        options = "; ".join(f"{where(text, s, e)}: {_suggest(text, s, e, prefix, suffix)}" for s, e in fitting[:SHOWN])
        return None, finding(
            "FM302",
            f"quote of '{annotation.id}' occurs {_times(fitting)} in {document}",
            f"add a prefix or suffix to pick one — {options}")
    start, end = text.original(*fitting[0])
    block = text.doc.block_at(start)
    if block is None or end > block.end:
        return None, finding(
            "FM304", f"quote of '{annotation.id}' runs across two blocks of {document}",
            "a quote lies within one paragraph, heading, list item or table cell; split it into two annotations")
    return Anchor(annotation, start, end, block), []


def _times(found: list[tuple[int, int]]) -> str:
    return f"at least {len(found):,} times" if len(found) >= MAX_OCCURRENCES else f"{len(found)} times"


def _places(text: FoldedText, found: list[tuple[int, int]]) -> str:
    """Where the first occurrences are, and how many more there are."""
    lines = ", ".join(where(text, s, e) for s, e in found[:SHOWN])
    more = len(found) - SHOWN
    return lines if more <= 0 else f"{lines} and {'at least ' if len(found) >= MAX_OCCURRENCES else ''}{more:,} more"


def reading_order(anchors: list[Anchor]) -> list[Anchor]:
    """Document order; where two start together the enclosing span comes first."""
    return sorted(anchors, key=lambda a: (a.start, -a.end, a.annotation.id))


def where(text: FoldedText, start: int, end: int) -> str:
    begin = text.original(start, end)[0]
    block = text.doc.block_at(begin)
    return f"line {block.source_line(begin - block.start)}" if block else "?"


def disambiguate(text: FoldedText, start: int, end: int, prefix: str | None = None,
                 suffix: str | None = None) -> tuple[str, str] | None:
    """The fewest words of prefix or suffix that single out one occurrence in the whole text: (key, words).

    A suggested prefix keeps the annotation's suffix and the other way round; each candidate is
    checked by a search of the text that stops at the second match.
    """
    quote = text.folded[start:end]
    before = text.folded[max(0, start - 4 * CONTEXT):start].split()
    after = text.folded[end:end + 4 * CONTEXT].split()
    for k in range(1, 9):
        for key, words in (("prefix", before[-k:]), ("suffix", after[:k])):
            if len(words) < k:
                continue
            context = " ".join(words)
            pre, suf = (context, suffix) if key == "prefix" else (prefix, context)
            if text.occurrences(quote, pre, suf, limit=2) == [(start, end)]:
                return key, context
    return None


def _suggest(text: FoldedText, start: int, end: int, prefix: str | None, suffix: str | None) -> str:
    found = disambiguate(text, start, end, prefix, suffix)
    return f'{found[0]}: "{found[1]}"' if found else "quote a longer passage"


def widen(folded: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to whole words, so a suggested passage never starts or ends mid-word."""
    while start > 0 and folded[start - 1].isalnum() and folded[start].isalnum():
        start -= 1
    while end < len(folded) and folded[end - 1].isalnum() and folded[end].isalnum():
        end += 1
    return start, end


@dataclass(frozen=True)
class Passage:
    """The most similar passage a fuzzy search found: folded offsets, similarity 0-100."""

    start: int
    end: int
    score: float
    limited: bool  # only some places were compared (the text is long); a better passage may exist


def search(quote: str, text: FoldedText) -> Passage | None:
    """The passage most similar to ``quote``, in bounded time; None when this text's searches are spent.

    Up to :data:`FULL_SEARCH` every alignment is compared (rapidfuzz's partial ratio, the exact
    best). Beyond it, that costs seconds per quote, so the quote is compared only where one of its
    longest words occurs, aligned on that word, and the result says the search was limited.
    """
    from rapidfuzz import fuzz

    if text.searches >= MAX_SEARCHES:
        return None
    text.searches += 1
    folded = text.folded
    if len(quote) * len(folded) <= FULL_SEARCH:
        match = fuzz.partial_ratio_alignment(quote, folded)
        return Passage(match.dest_start, match.dest_end, match.score, False) if match else None
    words = sorted({m.group(): m.start() for m in re.finditer(r"\w+", quote)}.items(), key=lambda w: -len(w[0]))
    starts: set[int] = set()
    for word, offset in words[:ANCHOR_WORDS]:
        at = -1
        for _ in range(ANCHOR_PLACES):
            if (at := folded.find(word, at + 1)) < 0:
                break
            starts.add(max(0, at - offset))
    best = max(((fuzz.ratio(quote, folded[s:s + len(quote)]), s) for s in starts), default=None)
    if best is None:
        return Passage(0, 0, 0.0, True)
    return Passage(best[1], min(len(folded), best[1] + len(quote)), best[0], True)


def closest(quote: str, text: FoldedText) -> str:
    """The most similar passage, for the message; never used to place anything."""
    if not quote or not text.folded:
        return ""
    match = search(quote, text)
    if match is None:
        return (f"no search for a similar passage: more than {MAX_SEARCHES} quotes of this text are missing; "
                "check the document path and the quotes")
    limited = f"; {LIMITED}" if match.limited else ""
    if match.score < 50:
        return f"no similar passage found{limited}; check the document path and the quote"
    start, end = widen(text.folded, match.start, match.end)
    passage = text.folded[start:end].strip()
    return (f'closest passage ({where(text, match.start, match.end)}, {match.score:.0f}% similar{limited}): '
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
