"""The text a reader sees, built from markdown-it-py's token stream.

Quotes are matched against rendered text, not Markdown source: emphasis markers,
link syntax, escapes and entities are gone, soft line breaks are spaces. Each
block (paragraph, heading, list item paragraph, table cell) is one ``inline``
token; its children are the pieces of text we may later wrap in highlights.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from markdown_it.token import Token

BLOCK_SEPARATOR = "\n\n"
_BREAKS = {"softbreak": " ", "hardbreak": "\n"}


@dataclass(frozen=True)
class Piece:
    """A child token that contributes ``text[start:end]`` of its block."""

    child: int
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    token: int  # index of the inline token in the block stream
    line: int  # 1-based source line where the block starts
    start: int  # offset of the block's text in the document text
    text: str
    pieces: tuple[Piece, ...]
    breaks: tuple[int, ...]  # block offsets of line breaks, to turn offsets into source lines

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def source_line(self, offset: int) -> int:
        """Source line of a block-relative offset (one bisection: a paragraph may have 100,000 lines)."""
        return self.line + bisect.bisect_left(self.breaks, offset)


@dataclass(frozen=True)
class DocumentText:
    """All blocks' text, joined by blank lines, as W3C selectors would see the page."""

    text: str
    blocks: tuple[Block, ...]

    def block_at(self, offset: int) -> Block | None:
        lo, hi = 0, len(self.blocks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.blocks[mid].end < offset:
                lo = mid + 1
            else:
                hi = mid
        return self.blocks[lo] if lo < len(self.blocks) and self.blocks[lo].start <= offset else None


def child_text(token: Token) -> str | None:
    """What a reader sees of one inline child, or None when it shows no text."""
    if token.type in ("text", "code_inline"):
        return token.content
    return _BREAKS.get(token.type)


def build(tokens: list[Token]) -> DocumentText:
    """Collect every inline block's visible text, in document order."""
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.children is None:
            continue
        pieces: list[Piece] = []
        breaks: list[int] = []
        chunks: list[str] = []
        pos = 0
        for c, child in enumerate(token.children):
            text = child_text(child)
            if not text:
                continue
            if child.type in _BREAKS:
                breaks.append(pos)
            pieces.append(Piece(c, pos, pos + len(text)))
            chunks.append(text)
            pos += len(text)
        text = "".join(chunks)
        if not text.strip():
            continue
        if blocks:
            offset += len(BLOCK_SEPARATOR)
            parts.append(BLOCK_SEPARATOR)
        line = token.map[0] + 1 if token.map else 1
        blocks.append(Block(index, line, offset, text, tuple(pieces), tuple(breaks)))
        parts.append(text)
        offset += len(text)
    return DocumentText("".join(parts), tuple(blocks))


_SENTENCE_END = re.compile(
    "(?<=[.!?\u2026])"  # a full stop, question or exclamation mark, ellipsis
    "[\"\u201d\u2019)]*\\s+"  # closing quotes or brackets, then space
    "(?=[\"\u201c\u2018(]?[A-Z0-9\u00c1\u00c9\u00cd\u00d3\u00da\u00d1])")  # before a capital or digit
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|No|vs)|\b[A-Z]|U\.S|U\.N)\.$")


def sentences(doc: DocumentText) -> list[tuple[int, int]]:
    """Sentence spans (document-text offsets): a block splits after . ! ? before a capital."""
    spans = []
    for block in doc.blocks:
        start = 0
        for match in _SENTENCE_END.finditer(block.text):
            # the longest abbreviation is four characters; \b still sees the text before the window
            if _ABBREVIATION.search(block.text, max(0, match.start() - 8), match.start()):
                continue
            spans.append((block.start + start, block.start + match.start()))
            start = match.end()
        spans.append((block.start + start, block.end))
    return [(s, e) for s, e in spans if e > s]


def coverage(doc: DocumentText, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """How many sentences the text has, and how many the (start, end) spans touch (one bisection each)."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(itertools.accumulate((e for _, e in ordered), max))  # furthest end among the first k
    found = sentences(doc)
    touched = 0
    for s, e in found:
        k = bisect.bisect_left(starts, e)  # spans starting before the sentence ends
        touched += k > 0 and reach[k - 1] > s
    return len(found), touched
