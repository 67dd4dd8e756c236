"""Render one document: highlighted body, markers, and the Annotations list.

The body comes from markdown-it-py's renderer over the rewritten token stream;
the list of entries comes from the theme's ``factmark/annotations.html``
template, rendered with autoescaping so no annotation text can inject markup.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from . import highlight, pagetext, robustlinks, strings
from .highlight import Numbered
from .markdown import create_note_parser
from .model import Annotation, Withdrawal
from .settings import Settings, Status
from .theme import THEME_DIR

ENTRIES_TEMPLATE = "factmark/annotations.html"
HEAD_TEMPLATE = "factmark/head.html"
# In another theme, factmark's assets are copied from THEME_DIR/assets to this folder of the site,
# which neither MkDocs' themes nor Material use (the check refuses content files there, FM404).
ASSETS_PATH = "assets/factmark"
ASSETS = ("annotations.css", "notes.css", "factmark.js")
ANNOTATIONS_ID = "fm-annotations-title"


@dataclass
class RenderedPage:
    html: str
    toc: list[dict[str, Any]]
    anchor_ids: set[str] = field(default_factory=set)
    packed: bytes = b""  # the HTML compressed while the page waits to be written (see pack)
    quotes: dict[str, pagetext.PageQuote] = field(default_factory=dict)  # each highlight's W3C selectors

    def pack(self) -> RenderedPage:
        """Hold the HTML compressed: a large site holds every page from rendering until it is written.

        A page's markup repeats itself (every entry and marker), so zlib's fastest level makes
        it about 9 times smaller in under a millisecond, done where the page rendered. (As a str,
        any character beyond Latin-1, such as a marker's ✓, would also double its size.)
        """
        self.packed, self.html = zlib.compress(self.html.encode(), 1), ""
        return self

    def unpack(self) -> str:
        """The HTML, handed over once (the page keeps no copy)."""
        html = zlib.decompress(self.packed).decode() if self.packed else self.html
        self.packed, self.html = b"", ""
        return html


def text_fragment(url: str, excerpt: str) -> str:
    """Link straight to the excerpt inside the source (URL text fragment, ``#:~:text=``)."""
    words = excerpt.strip().strip('"\u201c\u201d\'\u2018\u2019').split()
    if not words:
        return url

    def enc(part: str) -> str:
        return quote(part, safe="").replace("-", "%2D")  # "-", "&" and "," are the syntax's own

    directive = enc(" ".join(words)) if len(words) <= 8 else f"{enc(' '.join(words[:4]))},{enc(' '.join(words[-4:]))}"
    return f"{url}{'' if '#' in url else '#'}:~:text={directive}"


def marker_label(number: int, status: Status) -> str:
    """A marker's accessible name: its number and verdict, short enough to hear at every Tab.

    The verdict's words live once, in the entry the marker links to; the notes the script opens are
    filled from that entry (``factmark.js``), so neither the page nor a screen reader repeats them here.
    """
    return f"Annotation {number}: {status.label}"


def _render_marker(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    meta = tokens[idx].meta
    ann: Annotation = meta["annotation"]
    status: Status = env["factmark_statuses"][ann.status]
    n = meta["number"]
    return (
        f'<span class="fm-ref"><sup><a class="fm-marker fm-{ann.status}" href="#{highlight.entry_id(ann.id)}" '
        f'id="fm-{ann.id}--ref" data-fm="{ann.id}" aria-label="{escape(marker_label(n, status))}" '
        f'data-sym="{escape(status.symbol)}" data-n="{n}"></a></sup></span>'
    )


_NOTES = create_note_parser()


def install_rules(md: MarkdownIt) -> None:
    """Teach the renderer the marker token (marks and code pieces render generically)."""
    md.add_render_rule("fm_marker", _render_marker)


def toc_tree(tokens: list[Token]) -> list[dict[str, Any]]:
    """Headings as nested ``{level, id, name, children}`` dicts (MkDocs' get_toc input)."""
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        name = "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))
        item = {"level": int(token.tag[1]), "id": token.attrGet("id"), "name": name, "children": []}
        while stack and stack[-1]["level"] >= item["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(item)
        stack.append(item)
    return roots


def token_ids(tokens: list[Token]) -> set[str]:
    """The ids the parser gave the page's elements (headings), for its anchors and for link checks."""
    ids = set()
    for token in tokens:
        for t in (token, *(token.children or ())):
            if isinstance(value := t.attrGet("id"), str):
                ids.add(value)
    return ids


def page_ids(text_ids: set[str], annotation_ids: list[str], withdrawn_ids: tuple[str, ...] = ()) -> set[str]:
    """Every id of a rendered page: its text's (``token_ids``), the text container's, and, when it has
    annotations, those that the markers and the Annotations list add (links may point at any), with the
    permalink of each annotation withdrawn from it."""
    if not annotation_ids and not withdrawn_ids:
        return text_ids | {pagetext.CONTAINER_ID}
    ids = text_ids | {pagetext.CONTAINER_ID, "fm-annotations", ANNOTATIONS_ID}
    ids |= {highlight.entry_id(i) for i in withdrawn_ids}
    for i in annotation_ids:
        ids |= {highlight.entry_id(i), f"{highlight.entry_id(i)}--title", highlight.span_id(i), f"fm-{i}--ref"}
    return ids


def entries_environment(theme_dirs: tuple[Path, ...], locale: str = "en") -> jinja2.Environment:
    """An autoescaping Jinja2 environment over the theme, for the Annotations list, in the site's language.

    The site's theme folders come first, so a custom_dir may restyle the entries; factmark's own
    (``THEME_DIR``) last, so ``factmark/annotations.html`` is found whatever theme the site uses.
    """
    folders = [str(folder) for folder in (*theme_dirs, THEME_DIR)]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(list(dict.fromkeys(folders))), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["markdown"] = lambda text: Markup(_NOTES.render(text))
    env.filters["host"] = lambda url: urlsplit(url).hostname or url
    env.filters["fragment"] = text_fragment
    env.globals["entry_id"] = highlight.entry_id
    env.globals["span_id"] = highlight.span_id
    env.globals["robust"] = robustlinks.attributes
    words = strings.Strings(locale)
    env.globals.update(t=words, t_date=words.date, site_lang=locale)
    return env


def demote_headings(tokens: list[Token]) -> None:
    """Each heading one level down (h1 to h2, ..., h6 stays h6), where the page's h1 is the fact-check's own.

    A text's headline is the text's claim, not the site's: the page's h1 says what the page is
    ("Fact-check: “…”"), and the headline, with any marker on it, heads the text under review.
    """
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 1)}"


def head(entries: jinja2.Environment, statuses: tuple[Status, ...], urls: dict[str, str], claim_reviews: str) -> str:
    """The styles, script and ClaimReview an annotated page needs in another theme's ``<head>``.

    ``urls`` gives each of :data:`ASSETS` relative to the page; ``claim_reviews`` is the JSON-LD
    (``export.json_ld_script``), or empty without a ``site_url``.
    """
    return entries.get_template(HEAD_TEMPLATE).render(factmark={"statuses": statuses}, css=urls["annotations.css"],
                                                      notes_css=urls["notes.css"], script=urls["factmark.js"],
                                                      claim_reviews=claim_reviews)


def render(md: MarkdownIt, tokens: list[Token], env: dict[str, Any], numbered: list[Numbered],
           settings: Settings, entries: jinja2.Environment, withdrawn: tuple[Withdrawal, ...] = (),
           language: str | None = None, framed: bool = False) -> RenderedPage:
    """Render the rewritten tokens and append the entries (with the annotations ``withdrawn`` from the text,
    so readers learn what was removed); collect the TOC and ids.

    ``language`` is the text's (its excerpts' default); ``framed``, whether the page's h1 is the
    fact-check's own, so the text's headings step one level down (:func:`demote_headings`).
    """
    statuses = {s.key: s for s in settings.statuses}
    language = language or settings.locale
    if framed:
        demote_headings(tokens)
    highlight.apply(tokens, numbered)
    text = md.renderer.render(tokens, md.options, {**env, "factmark_statuses": statuses})
    body = pagetext.container(text, language)
    ids = page_ids(token_ids(tokens), [n.id for n in numbered], tuple(w.id for w in withdrawn))
    if numbered or withdrawn:
        body += entries.get_template(ENTRIES_TEMPLATE).render(
            items=[(n.number, n.anchor.annotation, statuses[n.anchor.annotation.status]) for n in numbered],
            withdrawn=[(w, statuses[w.status]) for w in withdrawn], stale_before=settings.stale_before,
            page_lang=language,
        )
        # the entries' headings, titled as the entries show them ("<Verdict>: <summary>")
        heading = strings.Strings(settings.locale)("entries")
        toc = [*toc_tree(tokens), {"level": 2, "id": ANNOTATIONS_ID, "name": heading, "children": [
            {"level": 3, "id": f"{highlight.entry_id(n.id)}--title", "children": [],
             "name": f"{statuses[n.anchor.annotation.status].label}: {n.anchor.annotation.summary}"}
            for n in numbered]}]
        return RenderedPage(body, toc, ids, quotes=pagetext.quotes(text))
    return RenderedPage(body, toc_tree(tokens), ids)
