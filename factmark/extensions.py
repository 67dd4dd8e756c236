"""Which of a site's Python-Markdown extensions factmark's renderer honours on the pages it renders.

factmark renders annotated texts with markdown-it-py (the anchoring's text model is its token
stream), so each extension the site configures in ``markdown_extensions`` maps to a markdown-it
equivalent, to nothing because its loss changes only how the page looks, or to nothing at all:
then a text rendered by factmark would silently lose what the extension makes (tabs, emoji,
included files...), and the check refuses to annotate it (FM420, FM421). The check reads
mkdocs.yml and the plugin reads MkDocs' configuration, and both go through :func:`read`, so
``check`` and the build parse the same text model. No MkDocs import here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# extension -> the markdown-it rule set that renders its syntax (markdown.create_page_parser)
EQUIVALENTS: dict[str, str] = {
    "admonition": "admon",
    "attr_list": "attr_list",
    "def_list": "deflist",
    "pymdownx.details": "admon",  # '???' blocks: shown open, as admonitions
    "pymdownx.tasklist": "tasklists",
}
# built into markdown-it-py or factmark's parser: fenced code, tables, footnotes, heading ids
BUILT_IN = frozenset({"fenced_code", "tables", "footnotes", "toc", "pymdownx.superfences"})
# without these a page only looks plainer: its words and elements are all there
COSMETIC = frozenset({"codehilite", "pymdownx.highlight", "pymdownx.inlinehilite", "smarty", "sane_lists", "meta",
                      "pymdownx.smartsymbols", "pymdownx.betterem", "pymdownx.saneheaders", "nl2br"})
SUPPORTED = tuple(sorted({*EQUIVALENTS, *BUILT_IN, *COSMETIC}))


@dataclass(frozen=True)
class Markdown:
    """The markdown-it rule sets to turn on, and what the site uses that factmark cannot render."""

    plugins: frozenset[str] = frozenset()
    unsupported: tuple[str, ...] = ()  # extension names, as mkdocs.yml gives them
    custom_fences: tuple[str, ...] = ()  # pymdownx.superfences fences (mermaid...) drawn by code factmark lacks


def short_name(name: str) -> str:
    """``markdown.extensions.admonition`` is ``admonition``, as MkDocs' docs usually write it."""
    return name.removeprefix("markdown.extensions.")


def read(names: list[str], configs: dict[str, Any]) -> Markdown:
    """The rendering factmark gives the extensions ``names`` with their options ``configs`` (by name)."""
    plugins, unsupported = set(), []
    for name in names:
        short = short_name(name)
        if short in EQUIVALENTS:
            plugins.add(EQUIVALENTS[short])
        elif short not in BUILT_IN and short not in COSMETIC:
            unsupported.append(name)
    fences: list[str] = []
    for name, options in configs.items():
        if short_name(name) == "pymdownx.superfences" and isinstance(options, dict):
            for fence in options.get("custom_fences") or []:
                fences.append(str(fence.get("name", "?")) if isinstance(fence, dict) else "?")
    return Markdown(frozenset(plugins), tuple(dict.fromkeys(unsupported)), tuple(dict.fromkeys(fences)))


def from_config(value: Any) -> Markdown:
    """:func:`read` over an mkdocs.yml ``markdown_extensions`` value (a list of names or one-key mappings, or a
    mapping), read as MkDocs reads it; MkDocs itself refuses other shapes."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    listed = value if isinstance(value, list) else []
    items = list(value.items()) if isinstance(value, dict) else [
        next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None) for item in listed]
    for name, options in items:
        if isinstance(name, str):
            names.append(name)
            if options is not None:
                configs[name] = options
    return read(names, configs)
