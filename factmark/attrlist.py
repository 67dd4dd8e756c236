"""Python-Markdown's ``attr_list`` syntax for the pages factmark renders, as a markdown-it core rule.

mdit_py_plugins' ``attrs`` reads another syntax (MyST's: a block's list on the line before it,
no ``{: ...}``, nothing on headings), so the three places Python-Markdown reads are handled
here: the end of a heading (``## Title {: #id }``), the last line of a paragraph, and right
after a link, image, emphasis or code span. Texts come from strangers, so only ids, classes and
a few inert attributes are kept: an ``onclick`` or ``href`` in a list would be script or an
unchecked link. An id never starts with ``fm-``, which annotations' permalinks use.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

KEPT = frozenset({"title", "lang", "dir", "target", "rel", "width", "height"})
_HEADING = re.compile(r"[ \t]+\{:?[ \t]*([^}\n]*?)[ \t]*\}[ \t]*\Z")
_BLOCK = re.compile(r"[ \t]*\{:?[ \t]*([^}\n ][^}\n]*?)[ \t]*\}[ \t]*\Z")
_INLINE = re.compile(r"\{:?[ \t]*([^}\n ][^}\n]*?)[ \t]*\}")
_ITEM = re.compile(r"""#([^\s#.]+)|\.([^\s#.]+)|([A-Za-z][\w:-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))|(\s+)""")
_ID = re.compile(r"[A-Za-z][\w:.-]*\Z")
_CLOSES = {"link_close": "link_open", "em_close": "em_open", "strong_close": "strong_open", "s_close": "s_open"}


def parse(text: str) -> list[tuple[str, str]] | None:
    """The (name, value) pairs of one list's inside, or None when it is not wholly an attribute list."""
    pairs, at = [], 0
    for match in _ITEM.finditer(text):
        if match.start() != at:
            return None
        at = match.end()
        ident, cls, key = match.group(1), match.group(2), match.group(3)
        if ident:
            pairs.append(("id", ident))
        elif cls:
            pairs.append(("class", cls))
        elif key:
            pairs.append((key.lower(), next(v for v in match.group(4, 5, 6) if v is not None)))
    return pairs if at == len(text) and pairs else None


def apply(token: Token, pairs: list[tuple[str, str]]) -> None:
    """Set the kept attributes on ``token``: classes join, an id replaces the heading's slug."""
    for name, value in pairs:
        if name == "class":
            token.attrJoin("class", value)
        elif name == "id":
            if _ID.match(value) and not value.startswith("fm-"):
                token.attrSet("id", value)
        elif name in KEPT:
            token.attrSet(name, value)


def _block(tokens: list[Token], index: int) -> None:
    """A heading's trailing list, or a paragraph's last line that is only a list."""
    inline, opening = tokens[index], tokens[index - 1]
    children = inline.children or []
    if not children or children[-1].type != "text":
        return
    last = children[-1]
    if opening.type == "heading_open":
        match = _HEADING.search(last.content)
    elif opening.type == "paragraph_open" and len(children) >= 2 and children[-2].type == "softbreak":
        match = _BLOCK.fullmatch(last.content)
    else:
        return
    pairs = parse(match.group(1)) if match else None
    if match is None or pairs is None:
        return
    if opening.type == "heading_open":
        last.content = last.content[:match.start()]
    else:
        del children[-2:]
    target = opening
    if opening.hidden:  # a tight list's item: Python-Markdown sets the list on the item
        target = next((t for t in reversed(tokens[:index - 1]) if t.nesting == 1 and t.level < opening.level), opening)
    apply(target, pairs)


def _inline(children: list[Token]) -> None:
    """A list right after a link, image, emphasis or code span: set on that element, removed from the text."""
    for i in range(1, len(children)):
        token, before = children[i], children[i - 1]
        if token.type != "text" or before.type not in (*_CLOSES, "image", "code_inline"):
            continue
        match = _INLINE.match(token.content)
        pairs = parse(match.group(1)) if match else None
        if match is None or pairs is None:
            continue
        target = before if before.type in ("image", "code_inline") else _opening(children, i - 1)
        if target is not None:
            token.content = token.content[match.end():]
            apply(target, pairs)


def _opening(children: list[Token], close: int) -> Token | None:
    wanted, depth = _CLOSES[children[close].type], 0
    for token in reversed(children[:close]):
        if token.type == children[close].type:
            depth += 1
        elif token.type == wanted:
            if depth == 0:
                return token
            depth -= 1
    return None


def attr_lists(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "inline" and index > 0:
            _inline(token.children or [])
            _block(tokens, index)


def attr_list_plugin(md: MarkdownIt) -> None:
    """Run after heading ids, so that a list's ``#id`` replaces the slug."""
    md.core.ruler.push("attr_list", attr_lists)
