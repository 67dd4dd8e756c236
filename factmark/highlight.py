"""Wrap anchored quotes in highlight elements and add numbered markers.

Highlights are inserted only around leaf text, so they nest correctly inside
emphasis, links and code: a quote crossing ``*emphasis*`` becomes several
``<mark>`` segments. Overlapping and nested annotations are handled by cutting
text at every annotation boundary and opening, per piece, one mark for each
annotation covering it (outermost first). Markers follow the end of their quote
but never land inside a link.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from markdown_it.token import Token

from .anchor import Anchor, reading_order
from .textmodel import Block, Piece


@dataclass(frozen=True)
class Numbered:
    """An anchor with its number on the page (document order)."""

    anchor: Anchor
    number: int

    @property
    def id(self) -> str:
        return self.anchor.annotation.id


def number(anchors: list[Anchor]) -> list[Numbered]:
    """Number annotations in reading order; on ties the enclosing span comes first."""
    return [Numbered(a, i) for i, a in enumerate(reading_order(anchors), 1)]


def span_id(annotation_id: str) -> str:
    """Id of a highlight's first segment (the entry's back-link target)."""
    return f"fm-{annotation_id}--text"


def entry_id(annotation_id: str) -> str:
    """Id of the annotation's entry: its permalink fragment."""
    return f"fm-{annotation_id}"


def permalink(page_url: str, annotation_id: str) -> str:
    """The address of an annotation's entry on its page."""
    return f"{page_url}#{entry_id(annotation_id)}"


def _mark_open(item: Numbered, first: bool) -> Token:
    ann = item.anchor.annotation
    attrs: dict[str, str | int | float] = {"class": f"fm-hl fm-{ann.status}", "data-fm": ann.id}
    if first:
        attrs = {"id": span_id(ann.id), **attrs}
    return Token("fm_mark_open", "mark", 1, attrs=attrs)


def _marker(item: Numbered) -> Token:
    return Token("fm_marker", "", 0, meta={"number": item.number, "annotation": item.anchor.annotation})


def apply(tokens: list[Token], numbered: list[Numbered]) -> None:
    """Rewrite the inline children of every block that holds an anchor."""
    by_block: dict[int, list[Numbered]] = {}
    for item in numbered:
        by_block.setdefault(item.anchor.block.token, []).append(item)
    for index, items in by_block.items():
        block = items[0].anchor.block
        inline = tokens[index]
        assert inline.children is not None
        inline.children = _rewrite(inline.children, block, items)


def _rewrite(children: list[Token], block: Block, items: list[Numbered]) -> list[Token]:
    spans = sorted(((n.anchor.start - block.start, n.anchor.end - block.start, n) for n in items),
                   key=lambda span: (span[0], span[1]))
    cuts = sorted({p for s, e, _ in spans for p in (s, e)})
    covering = _covering(spans, cuts)
    ending: dict[int, list[Numbered]] = {}
    for n in sorted(items, key=lambda n: n.number):
        ending.setdefault(n.anchor.end - block.start, []).append(n)
    starts = [s for s, _, _ in spans]
    reach = list(itertools.accumulate((e for _, e, _ in spans), max))  # furthest end among the first k spans
    pieces = {p.child: p for p in block.pieces}
    opened: set[str] = set()
    pending: list[Token] = []  # markers waiting for the end of a link
    link_depth = 0
    out: list[Token] = []
    for c, child in enumerate(children):
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        piece = pieces.get(c)
        k = bisect.bisect_left(starts, piece.end) if piece is not None else 0  # spans starting before it ends
        if piece is None or not (k > 0 and reach[k - 1] > piece.start):
            out.append(child)
        else:
            pending += _split(child, piece, cuts, covering, ending, opened, out, defer=link_depth > 0)
        if child.type == "link_close" and link_depth == 0 and pending:
            out += pending
            pending = []
    return out + pending


def _covering(spans: list[tuple[int, int, Numbered]], cuts: list[int]) -> list[list[Numbered]]:
    """Per cut, the annotations covering the text from it to the next cut, outermost first (one sweep)."""
    opening: dict[int, list[tuple[int, int, Numbered]]] = {}
    for span in spans:
        opening.setdefault(span[0], []).append(span)
    active: dict[str, tuple[int, int, str, Numbered]] = {}
    out = []
    for cut in cuts:
        active = {key: a for key, a in active.items() if -a[1] > cut}
        active.update((n.id, (s, -e, n.id, n)) for s, e, n in opening.get(cut, ()))
        out.append([a[-1] for a in sorted(active.values())])
    return out


def _split(child: Token, piece: Piece, cuts: list[int], covering: list[list[Numbered]],
           ending: dict[int, list[Numbered]], opened: set[str], out: list[Token], *, defer: bool) -> list[Token]:
    """Emit ``child`` cut at annotation boundaries.

    Markers of quotes ending here follow their quote, except inside a link or
    code span: those are returned, to be placed after the link or code closes.
    """
    start, end = piece.start, piece.end
    bounds = [start, *(p for p in cuts if start < p < end), end]
    is_code = child.type == "code_inline"
    if is_code:
        out.append(Token("fm_code_open", "code", 1))
    markers: list[Token] = []
    for a, b in itertools.pairwise(bounds):
        k = bisect.bisect_right(cuts, a) - 1  # the cut interval [a, b) lies in
        active = covering[k] if k >= 0 else []
        for n in active:
            out.append(_mark_open(n, n.id not in opened))
            opened.add(n.id)
        if child.type in ("text", "code_inline"):
            out.append(Token("text", "", 0, content=child.content[a - start:b - start]))
        else:
            out.append(child)  # a line break inside a highlight
        out.extend(Token("fm_mark_close", "mark", -1) for _ in active)
        ends = [_marker(n) for n in ending.get(b, ())]
        if is_code or defer:
            markers += ends
        else:
            out += ends
    if is_code:
        out.append(Token("fm_code_close", "code", -1))
        if not defer:
            out += markers
            return []
    return markers
