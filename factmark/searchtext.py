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
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .highlight import Numbered, entry_id
from .settings import Status
from .strings import Strings
from .textmodel import child_text

ANNOTATIONS_ID = "fm-annotations-title"


_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def clean(text: str) -> str:
    """Whitespace as MkDocs' ``SearchIndex._add_entry`` leaves it (done here, where pages render)."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ").strip())


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


def annotation_sections(numbered: list[Numbered], statuses: dict[str, Status], note_md: MarkdownIt,
                        t: Strings) -> list[Section]:
    """The Annotations heading, then one section per entry, with the words its entry shows (in ``t``'s language)."""
    sections = [Section(ANNOTATIONS_ID, t("entries"), "")]
    for n in numbered:
        ann = n.anchor.annotation
        parts = [ann.quote]
        if ann.note:
            parts += [_inline_text(tok) for tok in note_md.parse(ann.note) if tok.type == "inline"]
        for s in ann.sources:
            kind = t("primary") if s.kind == "primary" else None  # as the entry marks it
            via = s.via and t("read_at", host=urlsplit(s.via).hostname or s.via)
            translation = s.translation and f"{t('translation')}: {s.translation}"
            parts += [p for p in (s.publisher, s.title, kind, s.date and t.date(s.date), via, s.excerpt, translation)
                      if p]
        parts += [f"{t('corrected')} {t.date(c.date)}: {c.note}" + (f" {t('earlier_verdict', status=c.previous_status)}"
                                                              if c.previous_status else "")
                  for c in ann.corrections]  # as the entry shows it
        parts.append(f"{t('reviewed')} {t.date(ann.reviewed)}")
        sections.append(Section(f"{entry_id(n.id)}--title", f"{statuses[ann.status].label}: {ann.summary}",
                                clean(" ".join(parts))))
    return sections
