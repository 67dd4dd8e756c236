"""The mkdocs.yml values MkDocs interprets, checked here as its configuration would check them (FM402).

``check`` must predict the build: a value MkDocs' configuration refuses (a ``site_url`` without
a scheme, ``use_directory_urls: "yes"``, a ``copyright`` list, an unknown key, which ``--strict``
turns into an abort) must be a finding at its line and column, not a build that fails after a
passing check. Where factmark's standards are stricter than MkDocs' (only http(s) links, so no
``ftp:`` site_url), the same finding refuses the build too: ``build`` reads the settings through
:func:`factmark.settings.load` before MkDocs starts.

YAML tags are MkDocs' own business: its loader resolves ``!ENV`` and ``!relative`` and constructs
``!!python/...`` objects, which imports modules by name (a file of the pull request included) while
the configuration is read, before any plugin runs; so only ``!ENV`` and, under
``markdown_extensions``, ``!relative`` are accepted. MkDocs itself is not imported here.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .findings import Finding
from .yamlstrict import clip

Where = Callable[[tuple[str, ...]], tuple[int, int]]
# MkDocs 1.6's configuration keys; any other is a warning, and a strict build stops on warnings.
# `pages`, `google_analytics` (deprecated: a warning) and `mdx_configs`, `config_file_path` (private) are refused.
KNOWN = frozenset({
    "site_name", "nav", "exclude_docs", "draft_docs", "not_in_nav", "site_url", "site_description", "site_author",
    "theme", "docs_dir", "site_dir", "copyright", "dev_addr", "use_directory_urls", "repo_url", "repo_name",
    "edit_uri_template", "edit_uri", "extra_css", "extra_javascript", "extra_templates", "markdown_extensions",
    "strict", "remote_branch", "remote_name", "extra", "plugins", "hooks", "watch", "validation"})
_TEXT = ("site_description", "site_author", "copyright", "repo_name", "edit_uri", "edit_uri_template",
         "remote_branch", "remote_name")
_FLAGS = ("use_directory_urls", "strict")
_LINKS = ("site_url", "repo_url")
_LISTS = ("extra_templates", "watch", "extra_css", "extra_javascript", "markdown_extensions")
HINT = "see https://www.mkdocs.org/user-guide/configuration/"


def positions(text: str) -> Where:
    """Where a top-level key's value (``("site_url",)``) or a theme option's (``("theme", "locale")``) is written.

    Composing builds nodes without constructing them, so any tag is fine here; 1:1 when not found.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        root = None
    found: dict[tuple[str, ...], tuple[int, int]] = {}
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if isinstance(key, yaml.ScalarNode):
            found[(key.value,)] = (value.start_mark.line + 1, value.start_mark.column + 1)
            for sub, item in value.value if isinstance(value, yaml.MappingNode) else []:
                if isinstance(sub, yaml.ScalarNode):
                    found[(key.value, sub.value)] = (item.start_mark.line + 1, item.start_mark.column + 1)
    return lambda path: found.get(path, found.get(path[:1], (1, 1)))


def tag_problems(text: str, name: str) -> list[Finding]:
    """FM402 for every tag but ``!ENV`` (a scalar or a list of scalars), ``!relative`` in markdown_extensions
    and the standard ones (``!!str``, ``!!int``...), which MkDocs' loader constructs as the safe loader does.

    ``!relative`` takes no value but ``$config_dir`` or ``$docs_dir`` (and a path below them): MkDocs
    refuses anything else, and outside markdown_extensions it is an object no setting accepts.
    Composing builds the nodes (with their tags, as written) without constructing them; each is visited once.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # settings.load reports malformed YAML
    out: list[Finding] = []
    stack: list[tuple[yaml.Node, str]] = [(root, "")] if root is not None else []
    seen: set[int] = set()  # an alias makes a node its own descendant (`a: &x [1, *x]`)
    while stack:
        node, top = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        problem = _tag_problem(node, top)
        if problem:
            out.append(Finding(name, node.start_mark.line + 1, node.start_mark.column + 1, "FM402", problem, HINT))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                below = key.value if node is root and isinstance(key, yaml.ScalarNode) else top
                stack += [(key, top), (value, str(below))]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, top) for item in node.value]
    return sorted(out)


def _tag_problem(node: yaml.Node, top: str) -> str:
    """Why MkDocs could not read ``node``'s tag, or would run code for it ("" when it reads it as data)."""
    tag = node.tag
    if tag.startswith("tag:yaml.org,2002:python/"):
        return (f"the tag '!!{clip(tag.split(':', 2)[2])}' would make MkDocs import Python code (a file of the pull "
                "request among it) while it reads mkdocs.yml; factmark refuses it")
    if tag.startswith("tag:yaml.org,2002:"):
        return ""  # the standard tags: a plain value, as the safe loader builds it
    if tag == "!ENV":
        if isinstance(node, yaml.ScalarNode) or (isinstance(node, yaml.SequenceNode) and all(
                isinstance(item, yaml.ScalarNode) for item in node.value)):
            return ""
        return "'!ENV' takes an environment variable's name, or a list of names and a default"
    if tag == "!relative":
        if top != "markdown_extensions":
            return "'!relative' is only for options of markdown_extensions; MkDocs accepts it nowhere else"
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if value is None or (value and value.split("/", 1)[0] not in ("$config_dir", "$docs_dir")):
            return f"'!relative' takes no value but $config_dir or $docs_dir, got {clip(value)!r}"
        return ""
    return f"the YAML tag {clip(tag)!r} is not one MkDocs reads (only !ENV, and !relative in markdown_extensions)"


def value_problems(config: dict[str, Any], name: str, root: Path, where: Where) -> list[Finding]:
    """FM402 for each top-level value MkDocs would refuse, or factmark would not publish (non-http(s) links)."""
    out: list[Finding] = []

    def bad(path: tuple[str, ...], message: str) -> None:
        out.append(Finding(name, *where(path), "FM402", message, HINT))

    for key in sorted(set(config) - KNOWN, key=str):
        bad((str(key),), f"unknown setting {clip(key)!r}: MkDocs warns about it, and a strict build stops there")
    if not isinstance(config.get("site_name"), str) or not config["site_name"].strip():
        bad(("site_name",), "'site_name' must be given, as text")
    for key in _TEXT:
        if config.get(key) is not None and not isinstance(config[key], str):
            bad((key,), f"'{key}' must be text, got {_kind(config[key])}")
    for key in _FLAGS:
        if key in config and not isinstance(config[key], bool):
            bad((key,), f"'{key}' must be true or false, got {_kind(config[key])}")
    for key in _LINKS:
        problem = _link_problem(config.get(key))
        if problem:
            bad((key,), f"'{key}' {problem}")
    for key in _LISTS:
        if config.get(key) is not None and not isinstance(config[key], list):
            bad((key,), f"'{key}' must be a list, got {_kind(config[key])}")
    if config.get("markdown_extensions"):
        bad(("markdown_extensions",), "'markdown_extensions' would make MkDocs import each module it names (a file of "
            "the pull request among them); factmark renders pages with markdown-it-py and uses none")
    if config.get("extra") is not None and not isinstance(config["extra"], dict):
        bad(("extra",), f"'extra' must be a mapping of names to values, got {_kind(config['extra'])}")
    if "dev_addr" in config and not _address(config["dev_addr"]):
        bad(("dev_addr",), f"'dev_addr' must be 'IP:PORT', such as 127.0.0.1:8000, got {clip(config['dev_addr'])!r}")
    for item in config.get("watch") or [] if isinstance(config.get("watch"), list) else []:
        if not isinstance(item, str) or not os.path.exists(root / item):
            bad(("watch",), f"'watch' entry {clip(item)!r} is not a file or folder of the project")
    _theme_problems(config.get("theme"), bad)
    return out


def _theme_problems(theme: Any, bad: Callable[[tuple[str, ...], str], None]) -> None:
    """``theme`` is a name or a mapping; its ``locale`` is two letters and an optional ``_TERRITORY``."""
    if theme is None or isinstance(theme, str):
        return
    if not isinstance(theme, dict):
        bad(("theme",), f"'theme' must be a theme's name or a mapping, got {_kind(theme)}")
        return
    locale = theme.get("locale")
    if locale is not None:
        language = locale.split("_", 1)[0] if isinstance(locale, str) else ""
        if not (len(language) == 2 and language.isascii() and language.isalpha()):
            bad(("theme", "locale"), f"theme 'locale' must be a language code such as en or pt_BR, got "
                f"{clip(locale)!r}")
    for key in ("custom_dir", "name"):
        if theme.get(key) is not None and not isinstance(theme[key], str):
            bad(("theme", key), f"theme '{key}' must be text, got {_kind(theme[key])}")


def _link_problem(value: Any) -> str:
    """Why a site_url or repo_url is not an absolute http(s) address with a host; "" when it is (or is unset)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        return f"must be an http(s) address, got {_kind(value)}"
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a port that is not a number
    except ValueError:
        return f"{clip(value)!r} is not a valid address"
    del port
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{clip(value)!r} is not an http(s) address with a host; the site links only to http(s) addresses"
    if parts.username or parts.password or any(ch.isspace() or ch in "<>\"'`\\" for ch in value):
        return f"{clip(value)!r} holds credentials, spaces or quotes"
    return ""


def _address(value: Any) -> bool:
    """What MkDocs' ``dev_addr`` accepts: ``IP:PORT`` or ``localhost:PORT``."""
    if not isinstance(value, str) or ":" not in value:
        return False
    host, port = value.rsplit(":", 1)
    try:
        if host != "localhost":
            ipaddress.ip_address(host[1:-1] if host.startswith("[") and host.endswith("]") else host)
        int(port)
    except ValueError:
        return False
    return True


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {clip(value)}"
    return {list: "a list", dict: "a mapping", type(None): "nothing"}.get(type(value), f"{clip(value)!r}")
