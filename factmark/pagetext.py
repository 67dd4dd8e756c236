"""Where each highlight lies in the text a browser sees of the page: what W3C selectors count.

A W3C client (Hypothesis, Apache Annotator, dom-anchor-text-quote) anchors a
TextPositionSelector or TextQuoteSelector over the ``textContent`` of the element
a CssSelector names, not over factmark's own text model (whose blocks are joined
by blank lines and whose line breaks are spaces). So the selectors are read off
the rendered HTML of that element itself. Markers and note cards add no text to
it (render.py draws their words from attributes), so the text between a quote's
first and last highlight is the quote as the page shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape

from .anchor import CONTEXT

CONTAINER_ID = "fm--text"  # annotation ids never hold "--", headings never start "fm-" (markdown.slugify)
CONTAINER = f"#{CONTAINER_ID}"  # the CssSelector value
_TAG = re.compile(r"<(/?)mark\b([^>]*)>|<[^>]*>")  # our own HTML: attribute values never hold a raw ">"
_ANNOTATION = re.compile(r'\sdata-fm="([^"]*)"')


@dataclass(frozen=True)
class PageQuote:
    """A TextQuoteSelector and a TextPositionSelector of one highlight, over the container's text."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def container(body: str, language: str) -> str:
    """Wrap the rendered text in the element the exported CssSelector names, in the text's language."""
    return f'<div class="fm-text" id="{CONTAINER_ID}" lang="{escape(language)}">{body}</div>\n'


def text_content(html: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The ``textContent`` of ``html`` and, per annotation id, the span from its first highlight to its last.

    Text between tags is decoded as a browser decodes it (character references); tags add nothing.
    """
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    open_marks: list[str | None] = []  # the annotation id of each open <mark>
    offset = pos = 0
    for tag in _TAG.finditer(html):
        text = unescape(html[pos:tag.start()])
        parts.append(text)
        offset += len(text)
        pos = tag.end()
        if tag.group(2) is None:  # not a mark
            continue
        if tag.group(1):  # </mark>
            if (ident := open_marks.pop()) is not None:
                spans[ident] = (spans[ident][0], offset)
            continue
        ident = found.group(1) if (found := _ANNOTATION.search(tag.group(2))) else None
        open_marks.append(ident)
        if ident is not None:
            spans.setdefault(ident, (offset, offset))
    parts.append(unescape(html[pos:]))
    return "".join(parts), spans


def quotes(html: str) -> dict[str, PageQuote]:
    """Selectors for every highlight in ``html`` (the container's inner HTML)."""
    text, spans = text_content(html)
    return {ident: _quote(text, start, end) for ident, (start, end) in spans.items()}


def _quote(text: str, start: int, end: int) -> PageQuote:
    """The quote with CONTEXT characters either side, widened until no other place in ``text`` fits it.

    A W3C client takes every place where prefix, exact and suffix sit side by side; each widening
    doubles the context, so a long run of repeated text costs a few scans, not one per character.
    """
    context = CONTEXT
    while True:
        before, after = max(0, start - context), min(len(text), end + context)
        if (before == 0 and after == len(text)) or _unique(text, text[before:after], before):
            return PageQuote(start, end, text[start:end], text[before:start], text[end:after])
        context *= 2


def _unique(text: str, window: str, at: int) -> bool:
    """Whether ``window`` occurs in ``text`` only at ``at``."""
    first = text.find(window)
    return first == at and text.find(window, at + 1) < 0
