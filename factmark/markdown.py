"""The one markdown-it-py configuration used for every page.

Texts and notes come from strangers, so raw HTML is off, links are limited to
http(s) and in-site relative targets, and output is HTML5 (no ``<br />``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as image_rule
from markdown_it.rules_inline import link as link_rule
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

LinkResolver = Callable[[str], str]
_OPTIONS = {"html": False, "xhtmlOut": False, "linkify": False, "typographer": False}


def is_allowed_link(url: str, *, relative: bool = True) -> bool:
    """http(s) anywhere; relative paths and #fragments only where ``relative`` (in-site links)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme:
        return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    if url.startswith("//") or parts.netloc:
        return False  # protocol-relative: say which scheme
    return relative and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url)


def slugify(title: str) -> str:
    """GitHub-style heading ids; never ``fm-...``, which annotation ids use."""
    text = unicodedata.normalize("NFKC", title).strip().lower()
    slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
    slug = slug or "section"
    return f"s-{slug}" if slug.startswith("fm-") else slug


def rewrite_links(tokens: list[Token], resolve: LinkResolver) -> None:
    """Turn links between .md files into page URLs, through the engine's resolver (which also validates them)."""
    for block in tokens:
        for token in block.children or ():
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            target = token.attrGet(attr) if attr else None
            if isinstance(target, str) and not urlsplit(target).scheme and not target.startswith("#"):
                token.attrSet(attr, resolve(target))


def _located(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """Wrap an inline rule so the token it opens records its offset in the block (``meta["offset"]``).

    Tokens carry only their block's lines; ``links.collect`` turns the offset into the column a
    finding about the link points at.
    """

    def run(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        opened = next((t for t in state.tokens[count:] if t.type in ("link_open", "image")), None)
        if not silent and opened is not None:
            opened.meta["offset"] = start
        return True

    return run


def create_page_parser() -> MarkdownIt:
    """Parser for content pages: front matter, footnotes, heading ids."""
    md = MarkdownIt("js-default", _OPTIONS)
    md.validateLink = is_allowed_link  # type: ignore[method-assign]
    front_matter_plugin(md)
    footnote_plugin(md)
    anchors_plugin(md, min_level=1, max_level=6, slug_func=slugify)
    md.inline.ruler.at("link", _located(link_rule))
    md.inline.ruler.at("image", _located(image_rule))
    return md


def create_note_parser() -> MarkdownIt:
    """Parser for annotation notes: no headings ids or footnotes, external links only."""
    md = MarkdownIt("js-default", _OPTIONS)
    md.validateLink = lambda url: is_allowed_link(url, relative=False)  # type: ignore[method-assign]
    md.disable(["heading", "lheading", "image", "table"])
    return md
