"""The one markdown-it-py configuration used for every page.

Texts and notes come from strangers, so raw HTML is off, links are limited to
http(s) and in-site relative targets, and output is HTML5 (no ``<br />``).
Two of the library's algorithms are quadratic on hostile input and are replaced
here, the one place that reaches into markdown-it-py: link labels (``[`` x 40,000
took 5 s, x 1.6 million 83 s) and heading ids (30,000 equal headings over 60 s).
The rest is linear but unbounded: every token costs about 500 bytes (a 1 MB table
of 200 columns took 1.2 GB), every markup character a pass over the inline rules,
and markdown-it silently drops what lies more than 100 levels deep. So a page parse
runs within a budget (:data:`MAX_TOKENS`, :data:`MAX_STEPS`, :data:`MAX_DEPTH`) and
stops with :class:`TooComplex` as soon as the text exceeds it, before the memory is spent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from types import SimpleNamespace
from urllib.parse import urlsplit

import mdit_py_plugins.footnote.index
from markdown_it import MarkdownIt, helpers
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block import table as table_rule
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import image as image_rule
from markdown_it.rules_inline import link as link_rule
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from .attrlist import attr_list_plugin

LinkResolver = Callable[[str], str]
_OPTIONS = {"html": False, "xhtmlOut": False, "linkify": False, "typographer": False}
# A book-length transcript (2 MB of prose) makes about 130,000 tokens and 300,000 steps;
# at the limits a parse takes about 2 s and 200 MB.
MAX_TOKENS = 250_000  # tokens (block tokens and inline children) in one text
MAX_STEPS = 400_000  # positions the inline parser tries (lookahead included), plus BLOCK_STEPS per block
BLOCK_STEPS = 4  # a block start (a paragraph, item, link definition...) costs about as much as four positions
MAX_DEPTH = 40  # nesting of block quotes and lists; markdown-it drops whatever lies 100 levels deep
_SPENT = "factmark_spent"  # env key: tokens of the blocks before the inline block being parsed
_STEPS = "factmark_steps"  # env key: inline positions tried so far
_LINE = "factmark_line"  # env key: 1-based source line of the inline block being parsed


class TooComplex(Exception):
    """A text that needs more parsing work, memory or depth than any real text; raised mid-parse."""

    def __init__(self, code: str, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.line, self.message, self.hint = code, line, message, hint


_SIMPLER = ("split the text, or remove markup that formats nothing (runs of '[', '*', '|', '>' or "
            "table columns no reader needs)")


def _too_many_tokens(line: int) -> TooComplex:
    return TooComplex("FM407", line, f"text is too complex to render: more than {MAX_TOKENS:,} Markdown elements "
                      f"by line {line}", _SIMPLER)


def _step(env: dict[str, int], steps: int, line: int) -> None:
    env[_STEPS] = spent = env.get(_STEPS, 0) + steps
    if spent > MAX_STEPS:
        raise TooComplex("FM407", line, f"text is too complex to render: more than {MAX_STEPS:,} parsing steps "
                         f"by line {line}", _SIMPLER)


def _block_budget(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """First block rule: stop a text that nests too deep or has made too many tokens; never matches."""
    _step(state.env, BLOCK_STEPS, start_line + 1)
    if state.level > MAX_DEPTH:
        raise TooComplex("FM408", start_line + 1, f"text nests deeper than {MAX_DEPTH} levels at line "
                         f"{start_line + 1}", "no text needs block quotes or lists nested this deep; flatten them")
    if len(state.tokens) > MAX_TOKENS:
        raise _too_many_tokens(start_line + 1)
    return False


def _bounded_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """The table rule, refusing a table whose cells would overrun the token budget before it makes them.

    The rule makes every cell's tokens in one call (three per cell, and rows are padded to the
    header's width), so the bound is checked up front: header columns x lines up to a blank line.
    """
    if silent or not table_rule(state, start_line, end_line, True):
        return table_rule(state, start_line, end_line, silent)
    header = state.src[state.bMarks[start_line] + state.tShift[start_line]:state.eMarks[start_line]].strip()
    columns = header.count("|") + 1 - header.startswith("|") - header.endswith("|")  # at most (escaped pipes)
    rows = next((n for n in range(start_line, end_line) if state.isEmpty(n)), end_line) - start_line
    if len(state.tokens) + 3 * columns * rows > MAX_TOKENS:
        raise _too_many_tokens(start_line + 1)
    return table_rule(state, start_line, end_line, silent)


def _inline_budget(state: StateInline, silent: bool) -> bool:
    """First inline rule: count every position tried and every token made; never matches."""
    line = state.env.get(_LINE, 1)
    _step(state.env, 1, line)
    if len(state.tokens) + state.env.get(_SPENT, 0) > MAX_TOKENS:
        raise _too_many_tokens(line)
    return False


def _inline_within_budget(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, telling :func:`_inline_budget` what earlier blocks spent."""
    spent = len(state.tokens)
    for token in state.tokens:
        if token.type == "inline":
            state.env[_SPENT], state.env[_LINE] = spent, token.map[0] + 1 if token.map else 1
            token.children = token.children or []
            state.md.inline.parse(token.content, state.md, state.env, token.children)
            spent += len(token.children)


def _within_budget(md: MarkdownIt) -> None:
    """Install the budget's guards (after the plugins, so the block guard precedes every block rule)."""
    md.block.ruler.at("table", _bounded_table)
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "factmark_budget", _block_budget)
    md.inline.ruler.before(md.inline.ruler.get_all_rules()[0], "factmark_budget", _inline_budget)
    md.core.ruler.at("inline", _inline_within_budget)


# an http(s) URL that markdown-it's normalizeLink returns unchanged: lower-case scheme and host (labels of at
# most 63 characters and a host of at most 255, mdurl's limits), no port, user or query, and a path of
# characters mdurl.encode keeps
_PLAIN_URL = re.compile(r"https?://(?=[^/]{1,255}(?:/|$))(?:[a-z0-9-]{1,63}\.){0,8}[a-z0-9-]{1,63}(?:/[A-Za-z0-9._~/-]*)?")


def normalize_link(url: str) -> str:
    """markdown-it's ``normalizeLink``, skipping its parse, punycode and re-encoding for plain addresses.

    Nearly every link in texts and notes is a plain address, and the library's full pass costs
    more than the rest of the link; tests/test_fastrender.py compares both over many URLs.
    """
    return url if _PLAIN_URL.fullmatch(url) else normalizeLink(url)


def is_allowed_link(url: str, *, relative: bool = True) -> bool:
    """http(s) anywhere; relative paths and #fragments only where ``relative`` (in-site links)."""
    url = url.strip()
    return bool(_PLAIN_URL.fullmatch(url)) or _allowed_by_parts(url, relative)  # the common case without urlsplit


def _allowed_by_parts(url: str, relative: bool) -> bool:
    """:func:`is_allowed_link` for any (stripped) URL, by its parsed parts: the path every URL could take, which
    tests/test_fastrender.py holds the fast pattern to."""
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


def heading_ids(state: StateCore) -> None:
    """Give every heading the slug of its text as id, numbered ``-1``, ``-2``... on repeats.

    The same ids as mdit_py_plugins' anchors plugin, but with one counter per slug: the
    plugin counts up from 1 for every repeat, quadratic in the number of equal headings.
    """
    taken: set[str] = set()
    following: dict[str, int] = {}  # per slug, the first number not yet tried
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        children = state.tokens[index + 1].children or ()
        base = slug = slugify("".join(c.content for c in children if c.type in ("text", "code_inline")))
        if slug in taken:
            n = following.get(base, 1)
            while (slug := f"{base}-{n}") in taken:
                n += 1
            following[base] = n + 1
        taken.add(slug)
        token.attrSet("id", slug)


def parse_link_label(state: StateInline, start: int, disableNested: bool = False) -> int:
    """markdown-it's ``parseLinkLabel`` (end of the label opened at ``start``, or -1), in linear time.

    The library scans to the end of the paragraph from every ``[`` that never closes, so
    ``[`` repeated n times costs n² steps. Every bare ``[`` met on the way starts a label
    whose scan would walk the same positions (``skipToken`` is deterministic and cached), so
    one walk settles them all, bracket matching with a stack, and later calls read the answer.
    """
    memo: dict[tuple[int, bool, int], int] = state.__dict__.setdefault("factmark_labels", {})
    key = (start, disableNested, state.posMax)
    if key not in memo:
        old_pos, state.pos = state.pos, start + 1
        unclosed = [start]  # bare '[' whose label is still open, outermost first
        while state.pos < state.posMax:
            at = state.pos
            if state.src[at] == "]":
                memo[(unclosed.pop(), disableNested, state.posMax)] = at
                if not unclosed:
                    break
            state.md.inline.skipToken(state)
            if state.src[at] != "[":
                continue
            if at != state.pos - 1:  # the '[' began a link or note
                if disableNested:
                    break  # every label still open fails, as each would on its own
                continue
            inner = memo.get((at, disableNested, state.posMax))  # settled while skipToken tried a link here
            if inner is not None and inner < 0:
                break  # a label that never closes keeps every label around it open
            unclosed.append(at)
            if inner is not None:
                state.pos = inner  # straight to its ']'
        memo.update(((p, disableNested, state.posMax), -1) for p in unclosed)
        state.pos = old_pos
    return memo[key]


def _linear_link_labels(md: MarkdownIt) -> None:
    """Use :func:`parse_link_label` in the link and image rules and in the footnote plugin's inline notes."""
    md.helpers = SimpleNamespace(**{**{name: getattr(helpers, name) for name in helpers.__all__},  # type: ignore[assignment]
                                    "parseLinkLabel": parse_link_label})
    mdit_py_plugins.footnote.index.parseLinkLabel = parse_link_label  # imported there by name


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


# the rule sets a site's markdown_extensions may turn on (extensions.EQUIVALENTS names them)
PLUGINS: dict[str, Callable[[MarkdownIt], None]] = {
    "admon": admon_plugin, "attr_list": attr_list_plugin, "deflist": deflist_plugin, "tasklists": tasklists_plugin,
}


def create_page_parser(plugins: frozenset[str] = frozenset()) -> MarkdownIt:
    """Parser for content pages: front matter, footnotes, heading ids, and the rule sets ``plugins`` names
    (the equivalents of the site's Markdown extensions, from :func:`extensions.read`)."""
    md = MarkdownIt("js-default", _OPTIONS)
    md.validateLink = is_allowed_link  # type: ignore[method-assign]
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    _linear_link_labels(md)
    front_matter_plugin(md)
    footnote_plugin(md)
    for name in sorted(plugins - {"attr_list"}):
        PLUGINS[name](md)
    md.core.ruler.push("heading_ids", heading_ids)
    if "attr_list" in plugins:
        attr_list_plugin(md)  # after heading ids: a list's '#id' replaces the slug
    md.inline.ruler.at("link", _located(link_rule))
    md.inline.ruler.at("image", _located(image_rule))
    _within_budget(md)
    return md


def create_note_parser() -> MarkdownIt:
    """Parser for annotation notes: no headings ids or footnotes, external links only."""
    md = MarkdownIt("js-default", _OPTIONS)
    md.validateLink = lambda url: is_allowed_link(url, relative=False)  # type: ignore[method-assign]
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    _linear_link_labels(md)
    md.disable(["heading", "lheading", "image", "table"])
    _within_budget(md)
    return md
