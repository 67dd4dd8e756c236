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

from . import highlight, pagetext, searchtext
from .highlight import Numbered
from .markdown import create_note_parser
from .model import Annotation
from .settings import Settings, Status
from .theme import THEME_DIR

ENTRIES_TEMPLATE = "factmark/annotations.html"
HEAD_TEMPLATE = "factmark/head.html"
# In another theme, factmark's assets are copied from THEME_DIR/assets to this folder of the site,
# which neither MkDocs' themes nor Material use (the check refuses content files there, FM404).
ASSETS_PATH = "assets/factmark"
ASSETS = ("annotations.css", "factmark.js")


@dataclass
class RenderedPage:
    html: str
    toc: list[dict[str, Any]]
    anchor_ids: set[str] = field(default_factory=set)
    search: list[searchtext.Section] = field(default_factory=list)
    packed: bytes = b""  # the HTML compressed while the page waits to be written (see pack)
    quotes: dict[str, pagetext.PageQuote] = field(default_factory=dict)  # each highlight's W3C selectors

    def pack(self) -> RenderedPage:
        """Hold the HTML compressed: a large site holds every page from rendering until it is written.

        A page's markup repeats itself (every entry, card and marker), so zlib's fastest level makes
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


def drawn(text: str, cls: str = "", *, hidden: bool = False) -> str:
    """An element whose words CSS draws from ``data-text``: seen and read aloud, yet no part of the text.

    Markers and cards sit inside the text that W3C selectors count (its ``textContent``); text of
    their own there would shift every position after them and stand in every quote around them.
    """
    attrs = (f' class="{cls}"' if cls else "") + (' aria-hidden="true"' if hidden else "")
    return f'<span{attrs} data-text="{escape(text)}"></span>'


def card(ann: Annotation, status: Status) -> Markup:
    """The note card shown when a marker is hovered or focused (plain HTML and CSS, no script needed).

    Its ``aria-label`` is the marker's description: a hidden card has no drawn words to read.
    """
    named = [(s, s.title or s.publisher, f" ({s.publisher})" if s.title else "") for s in ann.sources]
    sources = drawn("; ").join(
        f'<a href="{escape(text_fragment(s.url, s.excerpt))}" rel="noopener noreferrer external" '
        f'aria-label="{escape(name)}" data-text="{escape(name)}"></a>' + (drawn(after) if after else "")
        for s, name, after in named)
    label = f"{status.label}. {ann.summary} Sources: {'; '.join(name + after for _, name, after in named)}."
    return Markup(
        f'<span class="fm-card fm-{ann.status}" id="fm-{ann.id}--card" role="tooltip" aria-label="{escape(label)}">'
        f'<span class="fm-card-status">{drawn(status.symbol + " ", hidden=True)}{drawn(status.label)}</span>'
        f'{drawn(ann.summary, "fm-card-summary")}'
        f'<span class="fm-card-sources">{drawn("Sources: ")}{sources}{drawn(".")}</span></span>')


def _render_marker(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    meta = tokens[idx].meta
    ann: Annotation = meta["annotation"]
    status: Status = env["factmark_statuses"][ann.status]
    n = meta["number"]
    return (
        f'<span class="fm-ref"><sup><a class="fm-marker fm-{ann.status}" href="#{highlight.entry_id(ann.id)}" '
        f'id="fm-{ann.id}--ref" data-fm="{ann.id}" aria-describedby="fm-{ann.id}--card" '
        f'aria-label="{n} ({escape(status.label)}, annotation {n})" data-sym="{escape(status.symbol)}" data-n="{n}">'
        f'</a></sup>{card(ann, status)}</span>'
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


def page_ids(text_ids: set[str], annotation_ids: list[str]) -> set[str]:
    """Every id of a rendered page: its text's (``token_ids``), the text container's, and, when it has
    annotations, those that the markers, cards and the Annotations list add (links may point at any)."""
    if not annotation_ids:
        return text_ids | {pagetext.CONTAINER_ID}
    ids = text_ids | {pagetext.CONTAINER_ID, "fm-annotations", searchtext.ANNOTATIONS_ID}
    for i in annotation_ids:
        ids |= {highlight.entry_id(i), f"{highlight.entry_id(i)}--title", highlight.span_id(i), f"fm-{i}--ref",
                f"fm-{i}--card"}
    return ids


def entries_environment(theme_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """An autoescaping Jinja2 environment over the theme, for the Annotations list.

    The site's theme folders come first, so a custom_dir may restyle the entries; factmark's own
    (``THEME_DIR``) last, so ``factmark/annotations.html`` is found whatever theme the site uses.
    """
    folders = [str(folder) for folder in (*theme_dirs, THEME_DIR)]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(list(dict.fromkeys(folders))), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["markdown"] = _note_html
    env.filters["host"] = lambda url: urlsplit(url).hostname or url
    env.filters["fragment"] = text_fragment
    env.globals["entry_id"] = highlight.entry_id
    env.globals["span_id"] = highlight.span_id
    return env


@jinja2.pass_context
def _note_html(context: jinja2.runtime.Context, text: str) -> Markup:
    """A note's HTML, from the tokens :func:`render` parsed for the search index when it has them.

    Notes are most of a page's Markdown (hundreds of characters each, fifty per text): parsing each
    once, not once for the entry and again for its search text, saves a third of the rendering.
    A theme's own template may render any other text with this filter; that text is parsed here.
    """
    tokens = context.get("note_tokens", {}).get(text)
    if tokens is None:
        tokens = _NOTES.parse(text)
    return Markup(_NOTES.renderer.render(tokens, _NOTES.options, {}))


def head(entries: jinja2.Environment, statuses: tuple[Status, ...], urls: dict[str, str], claim_reviews: str) -> str:
    """The styles, script and ClaimReview an annotated page needs in another theme's ``<head>``.

    ``urls`` gives each of :data:`ASSETS` relative to the page; ``claim_reviews`` is the JSON-LD
    (``export.json_ld_script``), or empty without a ``site_url``.
    """
    return entries.get_template(HEAD_TEMPLATE).render(factmark={"statuses": statuses}, css=urls["annotations.css"],
                                                      script=urls["factmark.js"], claim_reviews=claim_reviews)


def render(md: MarkdownIt, tokens: list[Token], env: dict[str, Any], numbered: list[Numbered],
           settings: Settings, entries: jinja2.Environment) -> RenderedPage:
    """Render the rewritten tokens and append the entries; collect TOC, ids and search sections."""
    statuses = {s.key: s for s in settings.statuses}
    highlight.apply(tokens, numbered)
    text = md.renderer.render(tokens, md.options, {**env, "factmark_statuses": statuses})
    body = pagetext.container(text)
    ids = page_ids(token_ids(tokens), [n.id for n in numbered])
    search = searchtext.page_sections(tokens)
    if numbered:
        notes = {note: _NOTES.parse(note) for n in numbered if (note := n.anchor.annotation.note)}
        body += entries.get_template(ENTRIES_TEMPLATE).render(
            items=[(n.number, n.anchor.annotation, statuses[n.anchor.annotation.status]) for n in numbered],
            note_tokens=notes,
        )
        # the entries' headings: the same ids and titles in the TOC as in the search index
        heading, *titles = searchtext.annotation_sections(numbered, statuses, notes)
        toc = [*toc_tree(tokens), {"level": 2, "id": heading.anchor, "name": heading.title, "children": [
            {"level": 3, "id": t.anchor, "name": t.title, "children": []} for t in titles]}]
        search += [heading, *titles]
        return RenderedPage(body, toc, ids, search, quotes=pagetext.quotes(text))
    return RenderedPage(body, toc_tree(tokens), ids, search)
