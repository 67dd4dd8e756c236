"""The text a reader sees on a fetched page, and whether a source's excerpt is still in it.

An excerpt is copied from the page as a browser shows it, so the page is reduced to the same:
markup stripped (``html.parser``), the contents of ``script``, ``style`` and other invisible
elements left out, a space between blocks, character references decoded. Both sides are then
folded as anchoring folds quotes (:func:`normalize.fold_quote`: quotes, dashes, whitespace), and
an excerpt that elides words (``...``, ``[…]``) matches when its pieces appear in order.
"""

from __future__ import annotations

import codecs
import re
from email.message import Message
from html.parser import HTMLParser

from .normalize import fold_quote

_HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
           "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
           "section", "table", "td", "th", "tr", "ul", "title", "body", "html"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ELISION = re.compile(r"\s*[\[(]?\.\.\.[\])]?\s*")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def charset(body: bytes, headers: Message | None) -> str:
    """The body's encoding: the Content-Type's charset, else a ``<meta charset>`` near the start, else UTF-8."""
    declared = headers.get_content_charset() if headers is not None else None
    if not declared:
        match = _META_CHARSET.search(body[:4096])
        declared = match[1].decode("ascii") if match else None
    try:
        return codecs.lookup(declared).name if declared else "utf-8"
    except LookupError:
        return "utf-8"


def page_text(body: bytes, headers: Message | None) -> str | None:
    """The visible text of an HTML or plain-text body; None for other types (a PDF, an image), which are not read."""
    kind = headers.get_content_type() if headers is not None else "text/html"
    text = body.decode(charset(body, headers), "replace")
    if kind == "text/plain":
        return text
    if kind not in ("text/html", "application/xhtml+xml"):
        return None
    parser = _Text()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def excerpt_in(excerpt: str, text: str) -> bool:
    """Whether the excerpt's words, folded as quotes are, appear in the page's text in order."""
    folded = fold_quote(text)
    pieces = [p for p in _ELISION.split(fold_quote(excerpt).strip("\"'")) if p]
    at = 0
    for piece in pieces:
        found = folded.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return bool(pieces)
