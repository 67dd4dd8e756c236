"""What the site search indexes for a page, taken from the token stream, not the HTML.

MkDocs' search plugin re-parses every page's HTML with ``html.parser`` to find
its headings and text; our pages are large (a highlight, a marker and a full
entry per annotation) and that parse cost more than the rest of the build. The
tokens already hold the same text, so the sections come from them: the page,
one section per heading (its text up to the next heading), and one section per
annotation titled ``"<Verdict>: <summary>"`` (the search page filters on that),
without the markers' and links' chrome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from .highlight import Numbered, entry_id
from .settings import Status
from .textmodel import child_text

ANNOTATIONS_TITLE = "Annotations"
ANNOTATIONS_ID = "fm-annotations-title"


_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# what str.split() also splits at, besides the six characters of _SPACE (and U+00A0, made a space first)
_OTHER_SPACE = re.compile("[\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def clean(text: str) -> str:
    """Whitespace as MkDocs' ``SearchIndex._add_entry`` leaves it (done here, where pages render).

    Without the rarer spaces that ``str.split`` splits at and MkDocs' pattern does not, splitting and
    joining gives the same text twice as fast as the pattern: it runs over every word of every page.
    """
    text = text.replace("\u00a0", " ").strip()
    return " ".join(text.split()) if _OTHER_SPACE.search(text) is None else _SPACE.sub(" ", text)


@dataclass(frozen=True)
class Section:
    """One search entry: ``anchor`` is the heading id (None for text before the first heading)."""

    anchor: str | None
    title: str
    text: str


def _inline_text(token: Token) -> str:
    return "".join(t for c in token.children or () if (t := child_text(c)))


def page_sections(tokens: list[Token]) -> list[Section]:
    """Text before the first heading, then each heading with the text that follows it."""
    sections = [Section(None, "", "")]
    parts: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            sections[-1] = Section(sections[-1].anchor, sections[-1].title, clean(" ".join(parts)))
            anchor = token.attrGet("id")
            sections.append(Section(anchor if isinstance(anchor, str) else None, _inline_text(tokens[i + 1]), ""))
            parts = []
            i += 3  # heading_open, inline, heading_close
            continue
        if token.type == "inline":
            parts.append(_inline_text(token))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
        i += 1
    sections[-1] = Section(sections[-1].anchor, sections[-1].title, clean(" ".join(parts)))
    return sections


def annotation_sections(numbered: list[Numbered], statuses: dict[str, Status],
                        notes: dict[str, list[Token]]) -> list[Section]:
    """The Annotations heading, then one section per entry, with the words its entry shows.

    ``notes`` holds each note's tokens, parsed once for both its entry and its search text.
    """
    sections = [Section(ANNOTATIONS_ID, ANNOTATIONS_TITLE, "")]
    for n in numbered:
        ann = n.anchor.annotation
        parts = [ann.quote]
        if ann.note:
            parts += [_inline_text(t) for t in notes[ann.note] if t.type == "inline"]
        for s in ann.sources:
            kind = "primary document" if s.kind == "primary" else None  # as the entry marks it
            parts += [p for p in (s.title or s.url, s.publisher, kind, s.date, s.excerpt) if p]
        parts += [f"Corrected {c.date}: {c.note}" + (f" (earlier verdict: {c.previous_status})" if c.previous_status
                                                     else "") for c in ann.corrections]  # as the entry shows it
        parts.append(f"Reviewed {ann.reviewed}")
        sections.append(Section(f"{entry_id(n.id)}--title", f"{statuses[ann.status].label}: {ann.summary}",
                                clean(" ".join(parts))))
    return sections
