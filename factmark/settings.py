"""Project settings, read from mkdocs.yml without importing MkDocs.

``factmark check`` must run fast and without the site engine, so the
core reads the few keys it needs (docs_dir and the factmark plugin's options)
itself; the MkDocs plugin passes the same options through :func:`from_options`.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import mergedeep
import yaml

from . import links, themefiles
from .findings import Finding, FindingsError
from .yamlstrict import clip, nesting_problem, one_line, shows_text, unpublishable


@dataclass(frozen=True)
class Status:
    """A verdict editors may give, and how the site presents it."""

    key: str
    label: str
    description: str
    colour: str
    symbol: str


DEFAULT_STATUSES: tuple[Status, ...] = (
    Status("documented", "Documented",
           "Reliable sources show that the statement is accurate as written.", "#c8ebc9", "✓"),
    Status("disputed", "Disputed",
           "Reliable sources contradict the statement, or it is contested and the text does not say so.",
           "#ffd2c2", "✗"),
    Status("uncorroborated", "Uncorroborated",
           "No reliable source confirms the statement; it rests on the author's word.", "#fbe7a1", "?"),
)

CLAIMS_PER_PAGE = 100
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")
_KEY = re.compile(r"[a-z][a-z0-9-]*\Z")


@dataclass(frozen=True)
class Settings:
    """Where things are and which statuses exist."""

    root: Path
    docs_dir: Path
    annotations_dir: Path
    theme_dirs: tuple[Path, ...]  # where MkDocs looks for theme files, in its order (themefiles.folders)
    custom_dir: Path | None = None  # theme.custom_dir, the one theme folder the project itself configures
    site_dir: Path | None = None
    publisher: dict[str, str] | None = None  # who publishes the fact-checks (ClaimReview author)
    statuses: tuple[Status, ...] = DEFAULT_STATUSES
    config_file: str = "mkdocs.yml"
    claims_per_page: int = CLAIMS_PER_PAGE  # longer verdict lists on the claims page continue on numbered pages
    links: links.Rules = field(default_factory=links.Rules)  # nav and validation: levels, as MkDocs reads them
    use_directory_urls: bool = True  # MkDocs' setting: where each page lands in the site (contentfiles.destination)

    def status(self, key: str) -> Status | None:
        return next((s for s in self.statuses if s.key == key), None)

    @property
    def status_keys(self) -> list[str]:
        return [s.key for s in self.statuses]


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!ENV`` and ``!!python/...`` tags only MkDocs understands."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)


def _plugin_entries(config: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(name, options) of each entry of an mkdocs.yml ``plugins`` list or mapping; nothing for other shapes."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        return list(plugins.items())
    if not isinstance(plugins, list):
        return []
    return [next(iter(p.items())) if isinstance(p, dict) and p else (p, None) for p in plugins]


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The ``factmark`` entry of an mkdocs.yml ``plugins`` list or mapping."""
    return next((options or {} for name, options in _plugin_entries(config) if name == "factmark"), {})


def load(config_file: Path) -> Settings:
    """Read mkdocs.yml; raise :class:`FindingsError` when the factmark options are invalid.

    A linked mkdocs.yml is refused unread, and so is an ``INHERIT`` that names a link or a file
    outside the project: MkDocs would read whatever file that names, anywhere on the machine, and
    merge it into the site's settings (a ``site_name`` is printed on every page). An ``INHERIT``
    of a file in the project is merged as MkDocs merges it, so the check sees the build's settings.
    """
    name = config_file.name
    root = config_file.parent.resolve()  # as the plugin resolves it: messages show the same relative paths
    config = _read_config(config_file, root, [])
    docs_dir = root / str(config.get("docs_dir", "docs"))
    theme_dirs, custom_dir, problems = themefiles.folders(config.get("theme"), root, name)
    rules, link_problems = links.read_rules(config, config_file)
    problems += link_problems + _unsafe_settings(config, name, root, theme_dirs, custom_dir)
    if problems:
        raise FindingsError(problems)
    settings = from_options(plugin_options(config), root=root, docs_dir=docs_dir,
                            theme_dirs=theme_dirs, custom_dir=custom_dir, config_file=name)
    unpublishable_setting = _unpublishable_setting(config, name)  # after the plugin's own, worded as the build words
    if unpublishable_setting is not None:
        raise FindingsError([unpublishable_setting])
    return replace(settings, site_dir=root / str(config.get("site_dir", "site")),
                   use_directory_urls=config.get("use_directory_urls", True) is not False, links=rules)


def _unsafe_settings(config: dict[str, Any], name: str, root: Path, theme_dirs: tuple[Path, ...],
                    custom_dir: Path | None) -> list[Finding]:
    """MkDocs settings that would run code or load scripts no check has seen (FM402), refused before MkDocs starts.

    ``hooks`` runs Python files while MkDocs reads its configuration, before any plugin could refuse
    the build; ``extra_javascript``/``extra_css`` put any address or content file into every page as a
    script or style. Only the theme's own files (in one of its folders) may be named there. Without
    the factmark plugin the theme cannot render at all.
    """
    problems = []
    place = (f"{clip(os.path.relpath(custom_dir, root))}/" if custom_dir is not None
             else "a folder of the project named as theme.custom_dir in mkdocs.yml")
    if config.get("hooks"):
        problems.append(Finding(name, 1, 1, "FM402", "'hooks' would run Python files of the pull request at build "
                                "time; factmark refuses them", "remove 'hooks' from mkdocs.yml"))
    for key in ("extra_javascript", "extra_css"):
        entries = config.get(key) or []
        for entry in entries if isinstance(entries, list) else [entries]:
            path = entry.get("path") if isinstance(entry, dict) else entry
            if not (isinstance(path, str) and not posixpath.isabs(path) and ".." not in path.split("/")
                    and ":" not in path and any((folder / path).is_file() and not _linked(folder / path, folder)
                                                for folder in theme_dirs)):
                problems.append(Finding(name, 1, 1, "FM402", f"{key} entry '{clip(path)}' is not a file of the theme",
                                        f"put the file in {place} and name it relative to that folder"))
    if not any(name == "factmark" for name, _ in _plugin_entries(config)):
        problems.append(Finding(name, 1, 1, "FM402", "the factmark plugin is not in 'plugins'; the theme needs it",
                                "add '- factmark' under plugins"))
    return problems


MAX_INHERIT = 8  # files in one INHERIT chain; MkDocs itself would recurse until it crashed on a cycle


def _read_config(config_file: Path, root: Path, chain: list[Path]) -> dict[str, Any]:
    """One configuration file, with the file it inherits merged under it (mergedeep, as MkDocs does)."""
    name = config_file.name if not chain else config_file.relative_to(root).as_posix()
    if config_file.is_symlink():
        raise FindingsError([Finding(name, 1, 1, "FM405", f"{name} is a symbolic link; factmark never reads one",
                                     "commit the configuration itself")])
    try:
        text = config_file.read_text(encoding="utf-8")
        deep = nesting_problem(text, name)  # the loader below recurses once per level
        if deep is not None:
            raise FindingsError([deep])
        config = yaml.load(text, Loader=_TolerantLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise FindingsError([Finding(name, 1, 1, "FM402", f"cannot read {name}: {err}")]) from None
    if not isinstance(config, dict):
        raise FindingsError([Finding(name, 1, 1, "FM402", f"{name} must be a mapping of settings")])
    parent = config.pop("INHERIT", None)
    if parent is None:
        return config
    target = Path(os.path.normpath(config_file.parent.resolve() / str(parent)))
    shown = clip(str(parent))
    if not isinstance(parent, str) or not target.is_relative_to(root) or _linked(target, root):
        raise FindingsError([Finding(name, 1, 1, "FM405", f"INHERIT '{shown}' is a link or lies outside the project;"
                                     " factmark never reads it", "inherit a file of the repository, such as base.yml")])
    if target in chain or len(chain) >= MAX_INHERIT:
        raise FindingsError([Finding(name, 1, 1, "FM402", f"INHERIT '{shown}' inherits itself, or the chain is "
                                     f"longer than {MAX_INHERIT} files", "end the chain with a file without INHERIT")])
    if not target.is_file():
        raise FindingsError([Finding(name, 1, 1, "FM402", f"INHERIT '{shown}' is not a file of the project",
                                     "name the inherited file relative to this one")])
    return mergedeep.merge(_read_config(target, root, [*chain, config_file]), config)


def _linked(path: Path, root: Path) -> bool:
    """Whether the path, or a folder on the way to it from the project root, is a symbolic link."""
    return any(p.is_symlink() for p in (path, *path.parents) if p.is_relative_to(root) and p != root)


def _unpublishable_setting(config: dict[str, Any], name: str) -> Finding | None:
    """FM003 for the first key or value anywhere in mkdocs.yml that no page can carry (``site_name: "\\ud800"``).

    MkDocs prints settings into every page; an unpaired surrogate there breaks the page's encoding.
    Walked with a stack and a seen-set: YAML anchors can make a structure contain itself.
    """
    stack: list[tuple[str, Any, bool]] = [("", config, False)]  # where, what, whether it is a key there
    seen: set[int] = set()
    while stack:
        where, value, is_key = stack.pop()
        if isinstance(value, str):
            problem = unpublishable(value)
            if problem:
                what = (f"a key in setting {where}" if where else "a top-level key") if is_key else f"setting {where}"
                return Finding(name, 1, 1, "FM003", f"{what} contains {problem}", "remove it")
        elif isinstance(value, (dict, list)) and id(value) not in seen:
            seen.add(id(value))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:  # a key is checked before anything named after it
                label = f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}" if where else str(key)
                stack += [(label, item, False), (where, key, True)]
    return None


def _text_problems(config_file: str, what: str, value: Any, empty: str) -> list[Finding]:
    """A text shown on every page (a status's label, description, symbol; the publisher's name): one line
    of visible, publishable text. ``empty`` is the message for a missing or blank value."""
    if not isinstance(value, str) or not value.strip():
        return [Finding(config_file, 1, 1, "FM402", empty)]
    problem = unpublishable(value)
    if problem:
        return [Finding(config_file, 1, 1, "FM003", f"{what} contains {problem}", "remove it")]
    if not shows_text(value):
        return [Finding(config_file, 1, 1, "FM205", f"{what} has no visible character; it needs text",
                        "spaces, zero-width and bidi marks or combining marks alone show nothing")]
    if not one_line(value):
        return [Finding(config_file, 1, 1, "FM402", f"{what} must be one line of text without tabs",
                        "it is shown on every page")]
    return []


def from_options(options: dict[str, Any], *, root: Path, docs_dir: Path, theme_dirs: tuple[Path, ...],
                 custom_dir: Path | None = None, config_file: str = "mkdocs.yml") -> Settings:
    """Build settings from the plugin's options, validating the status table."""
    problems: list[Finding] = []

    def bad(message: str) -> None:
        problems.append(Finding(config_file, 1, 1, "FM402", message))

    known = {"annotations_dir", "statuses", "publisher", "claims_per_page"}
    for key in sorted(set(options) - known):
        bad(f"unknown factmark option '{key}' (known: {', '.join(sorted(known))})")
    statuses = DEFAULT_STATUSES
    raw = options.get("statuses")
    if raw is not None:
        if not isinstance(raw, dict) or not raw:
            bad("factmark 'statuses' must map each status key to its label, description and colour")
            raw = {}
        parsed = []
        for key, spec in raw.items():
            if not isinstance(key, str) or not _KEY.match(key):
                bad(f"status key {key!r} must be lowercase letters, digits and hyphens")
                continue
            if not isinstance(spec, dict):
                bad(f"status '{key}' must be a mapping with label, description and colour")
                continue
            base = next((s for s in DEFAULT_STATUSES if s.key == key), None)
            values = {f: spec.get(f, getattr(base, f) if base else None)
                      for f in ("label", "description", "colour", "symbol")}
            for f, v in values.items():
                problems += _text_problems(config_file, f"status '{key}' {f}", v,
                                           f"status '{key}' needs a non-empty '{f}'")
            if isinstance(values["colour"], str) and not _COLOUR.match(values["colour"]):
                bad(f"status '{key}' colour must be #rrggbb, got {values['colour']!r}")
            parsed.append(Status(key, *(str(values[f]) for f in ("label", "description", "colour", "symbol"))))
        statuses = tuple(parsed)
    publisher = options.get("publisher")
    if publisher is not None and not (
            isinstance(publisher, dict) and set(publisher) <= {"name", "url"} and isinstance(publisher.get("name"), str)
            and isinstance(publisher.get("url", "https://"), str) and publisher.get("url", "https://").startswith(
                ("http://", "https://"))):
        bad("factmark 'publisher' must be a mapping with a 'name' and an optional http(s) 'url'")
        publisher = None
    elif publisher is not None:
        problems += _text_problems(config_file, "factmark 'publisher' name", publisher["name"],
                                   "factmark 'publisher' needs a non-empty 'name'")
    per_page = options.get("claims_per_page", CLAIMS_PER_PAGE)
    if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1:
        bad(f"factmark 'claims_per_page' must be a whole number of at least 1, got {per_page!r}")
        per_page = CLAIMS_PER_PAGE
    if problems:
        raise FindingsError(problems)
    return Settings(
        root=root,
        docs_dir=docs_dir,
        annotations_dir=root / str(options.get("annotations_dir", "annotations")),
        theme_dirs=theme_dirs,
        custom_dir=custom_dir,
        publisher=publisher,
        statuses=statuses,
        config_file=config_file,
        claims_per_page=per_page,
    )
