"""Project settings, read from mkdocs.yml as MkDocs reads it.

``check`` must refuse what the build refuses, so :func:`load` lets MkDocs load and validate the
configuration (through the adapter :mod:`mkconfig`, the only place the check imports MkDocs) after
refusing what MkDocs must never read or run. The readers of the factmark options live here, free of
MkDocs: ``mkconfig.FactmarkConfig`` wraps them as MkDocs config options, so the plugin and the check
validate the options with one schema.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import configmap, extensions, links, ruleselect, themefiles
from .archives import DEFAULT_ARCHIVES, Archive
from .findings import Finding, FindingsError
from .yamlstrict import clip, describe, nesting_problem, one_line, shows_text, unpublishable


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
    theme: str | None = None  # mkdocs.yml's theme name: None (a custom_dir alone) and "factmark" are factmark's theme
    markdown: extensions.Markdown = field(default_factory=extensions.Markdown)  # the site's markdown_extensions
    review_max_age_days: int | None = None  # how old a review may get before it is stale (FM230); None: never
    stale_before: str | None = None  # reviews before this date are stale ("as of"), from stale.cutoff, never the clock
    archives: tuple[Archive, ...] = DEFAULT_ARCHIVES  # where a source's snapshots may live (the `archives` option)
    rules: ruleselect.Selection = field(default_factory=ruleselect.Selection)  # select/ignore: the rules reported

    @property
    def own_theme(self) -> bool:
        """Whether factmark's theme draws every page; in any other theme factmark renders only annotated texts."""
        return self.theme in (None, "factmark")

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
    """Read mkdocs.yml as MkDocs reads it; raise :class:`FindingsError` with everything a strict build would refuse.

    A linked mkdocs.yml is refused unread, and so is an ``INHERIT`` that names a link or a file
    outside the project: MkDocs would read whatever file that names, anywhere on the machine, and
    merge it into the site's settings (a ``site_name`` is printed on every page). So are Python tags
    that would run code as MkDocs' loader reads the file, and ``hooks``, which its validation runs.
    What remains is read and validated by MkDocs itself (:mod:`mkconfig`), every problem placed at
    its line in the file of the chain that sets it.
    """
    from . import mkconfig  # MkDocs' own configuration classes: the one source of truth for what it accepts

    root = config_file.parent.resolve()  # as the plugin resolves it: messages show the same relative paths
    origins = configmap.Origins(_read_chain(config_file, root, []))
    try:
        return _validated(config_file, origins)
    except FindingsError as err:  # no finding shows an environment variable's value (it may be a secret)
        raise FindingsError(mkconfig.redact(err.findings, origins, config_file.parent)) from None


def _validated(config_file: Path, origins: configmap.Origins) -> Settings:
    """The settings of a configuration whose every file may be read: refused in the order MkDocs would fail."""
    from . import mkconfig

    loaded = mkconfig.read(config_file)
    raw = dict(loaded)  # before validation replaces the values: !ENV applied, plugins still as written
    root = config_file.parent.resolve()
    theme_dirs, custom_dir, theme_problems = themefiles.folders(raw.get("theme"), root, config_file.name)
    problems = _unsafe_settings(raw, origins, root, theme_dirs, custom_dir)
    if problems:
        raise FindingsError(problems)  # before MkDocs' validation, which would run the hooks
    problems = links.nav_problems(raw.get("nav"), config_file)  # a nav that contains itself: MkDocs would recurse
    if problems:
        raise FindingsError(problems)
    options, problems = mkconfig.validate(loaded, origins)
    if problems:
        raise FindingsError(sorted(problems))
    if theme_problems:  # what MkDocs' validation lets pass and its build would stop on (FM431)
        raise FindingsError([origins.finding(("theme",), f.code, f.message, f.hint) for f in theme_problems])
    unpublishable_setting = _unpublishable_setting(raw, origins)
    if unpublishable_setting is not None:
        raise FindingsError([unpublishable_setting])
    return mkconfig.settings_from(loaded, options, strict=True,  # build.py build always runs MkDocs strict
                                  site_dir=config_file.parent.resolve() / str(raw.get("site_dir") or "site"))


def _unsafe_settings(config: dict[str, Any], origins: configmap.Origins, root: Path, theme_dirs: tuple[Path, ...],
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
        problems.append(origins.finding(("hooks",), "FM402", "'hooks' would run Python files of the pull request "
                                        "at build time; factmark refuses them", "remove 'hooks' from mkdocs.yml"))
    for key in ("extra_javascript", "extra_css"):
        entries = config.get(key) or []
        for index, entry in enumerate(entries if isinstance(entries, list) else [entries]):
            path = entry.get("path") if isinstance(entry, dict) else entry
            if not (isinstance(path, str) and not posixpath.isabs(path) and ".." not in path.split("/")
                    and ":" not in path and any((folder / path).is_file() and not _linked(folder / path, folder)
                                                for folder in theme_dirs)):
                problems.append(origins.finding(
                    (key, index) if isinstance(entries, list) else (key,), "FM402",
                    f"{key} entry '{clip(path)}' is not a file of the theme",
                    f"put the file in {place} and name it relative to that folder"))
    if not any(name == "factmark" for name, _ in _plugin_entries(config)):
        problems.append(origins.finding(("plugins",), "FM402", "the factmark plugin is not in 'plugins'; the theme "
                                        "needs it", "add '- factmark' under plugins"))
    return problems


MAX_INHERIT = 8  # files in one INHERIT chain; MkDocs itself would recurse until it crashed on a cycle
# tags MkDocs' loader (PyYAML's full Loader) would act on: python/object/apply calls any function as the file is read.
# python/name (a function of an installed package, e.g. a superfences formatter) only names one; it stays allowed.
_PYTHON_TAG = "tag:yaml.org,2002:python/"


def _read_chain(config_file: Path, root: Path, chain: list[Path]) -> list[configmap.Source]:
    """The text of mkdocs.yml and of each file it inherits, refusing what MkDocs must never read or run."""
    name = config_file.name if not chain else config_file.relative_to(root).as_posix()
    if config_file.is_symlink():
        raise FindingsError([Finding(name, 1, 1, "FM405", f"{name} is a symbolic link; factmark never reads one",
                                     "commit the configuration itself")])
    try:
        text = config_file.read_text(encoding="utf-8")
        deep = nesting_problem(text, name)  # the loaders below recurse once per level
        if deep is not None:
            raise FindingsError([deep])
        _refuse_python_tags(text, name)
        config = yaml.load(text, Loader=_TolerantLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise FindingsError([Finding(name, 1, 1, "FM402", f"cannot read {name}: {err}")]) from None
    if not isinstance(config, dict):
        raise FindingsError([Finding(name, 1, 1, "FM402", f"{name} must be a mapping of settings")])
    source = configmap.Source(name, text)
    parent = config.get("INHERIT")
    if parent is None:
        return [source]
    target = Path(os.path.normpath(config_file.parent.resolve() / str(parent)))
    shown = clip(str(parent))
    at = configmap.Origins([source]).place(("INHERIT",))
    if not isinstance(parent, str) or not target.is_relative_to(root) or _linked(target, root):
        raise FindingsError([Finding(*at, "FM405", f"INHERIT '{shown}' is a link or lies outside the project;"
                                     " factmark never reads it", "inherit a file of the repository, such as base.yml")])
    if target in chain or len(chain) >= MAX_INHERIT:
        raise FindingsError([Finding(*at, "FM402", f"INHERIT '{shown}' inherits itself, or the chain is "
                                     f"longer than {MAX_INHERIT} files", "end the chain with a file without INHERIT")])
    if not target.is_file():
        raise FindingsError([Finding(*at, "FM402", f"INHERIT '{shown}' is not a file of the project",
                                     "name the inherited file relative to this one")])
    return [source, *_read_chain(target, root, [*chain, config_file])]


def _refuse_python_tags(text: str, name: str) -> None:
    """FM402 at a Python tag MkDocs' loader would act on (``!!python/object/apply:os.system``) as it reads the file."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        tag = getattr(event, "tag", None) or ""
        if tag.startswith(_PYTHON_TAG) and not tag.startswith(_PYTHON_TAG + "name:"):
            mark = event.start_mark
            raise FindingsError([Finding(name, mark.line + 1, mark.column + 1, "FM402",
                                         f"the tag '!!{clip(tag.removeprefix('tag:yaml.org,2002:'))}' would run "
                                         "Python code as MkDocs reads the file; factmark refuses it",
                                         "write the value itself; !!python/name: may name a function")])


def _linked(path: Path, root: Path) -> bool:
    """Whether the path, or a folder on the way to it from the project root, is a symbolic link."""
    return any(p.is_symlink() for p in (path, *path.parents) if p.is_relative_to(root) and p != root)


def _unpublishable_setting(config: dict[str, Any], origins: configmap.Origins) -> Finding | None:
    """FM003 for the first key or value anywhere in mkdocs.yml that no page can carry (``site_name: "\\ud800"``).

    MkDocs prints settings into every page; an unpaired surrogate there breaks the page's encoding.
    Walked with a stack and a seen-set: YAML anchors can make a structure contain itself.
    """
    stack: list[tuple[tuple[Any, ...], Any, bool]] = [((), config, False)]  # where, what, whether it is a key there
    seen: set[int] = set()
    while stack:
        where, value, is_key = stack.pop()
        if isinstance(value, str):
            problem = unpublishable(value)
            if problem:
                label = describe(where)
                what = (f"a key in setting {label}" if where else "a top-level key") if is_key else f"setting {label}"
                return origins.finding(where, "FM003", f"{what} contains {problem}", "remove it")
        elif isinstance(value, (dict, list)) and id(value) not in seen:
            seen.add(id(value))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:  # a key is checked before anything named after it
                stack += [((*where, key), item, False), (where, key, True)]
    return None


@dataclass(frozen=True)
class OptionProblem:
    """A problem with one factmark option: where inside the option (``("disputed", "colour")``), its code, text."""

    where: tuple[str | int, ...]
    code: str
    message: str
    hint: str = ""


def _text_problems(where: tuple[str | int, ...], what: str, value: Any, empty: str) -> list[OptionProblem]:
    """A text shown on every page (a status's label, description, symbol; the publisher's name): one line
    of visible, publishable text. ``empty`` is the message for a missing or blank value."""
    if not isinstance(value, str) or not value.strip():
        return [OptionProblem(where, "FM402", empty)]
    problem = unpublishable(value)
    if problem:
        return [OptionProblem(where, "FM003", f"{what} contains {problem}", "remove it")]
    if not shows_text(value):
        return [OptionProblem(where, "FM205", f"{what} has no visible character; it needs text",
                              "spaces, zero-width and bidi marks or combining marks alone show nothing")]
    if not one_line(value):
        return [OptionProblem(where, "FM402", f"{what} must be one line of text without tabs",
                              "it is shown on every page")]
    return []


def read_statuses(raw: Any) -> tuple[tuple[Status, ...], list[OptionProblem]]:
    """The ``statuses`` option: the status table, or every problem in it (the defaults when it is not set)."""
    if raw is None:
        return DEFAULT_STATUSES, []
    if not isinstance(raw, dict) or not raw:
        return DEFAULT_STATUSES, [OptionProblem((), "FM402", "factmark 'statuses' must map each status key to its "
                                                "label, description and colour")]
    problems: list[OptionProblem] = []
    parsed = []
    for key, spec in raw.items():
        if not isinstance(key, str) or not _KEY.match(key):
            problems.append(OptionProblem((str(key),), "FM402",
                                          f"status key {key!r} must be lowercase letters, digits and hyphens"))
            continue
        if not isinstance(spec, dict):
            problems.append(OptionProblem((key,), "FM402",
                                          f"status '{key}' must be a mapping with label, description and colour"))
            continue
        base = next((s for s in DEFAULT_STATUSES if s.key == key), None)
        values = {f: spec.get(f, getattr(base, f) if base else None)
                  for f in ("label", "description", "colour", "symbol")}
        for f, v in values.items():
            problems += _text_problems((key, f), f"status '{key}' {f}", v, f"status '{key}' needs a non-empty '{f}'")
        if isinstance(values["colour"], str) and not _COLOUR.match(values["colour"]):
            problems.append(OptionProblem((key, "colour"), "FM402",
                                          f"status '{key}' colour must be #rrggbb, got {values['colour']!r}"))
        parsed.append(Status(key, *(str(values[f]) for f in ("label", "description", "colour", "symbol"))))
    return tuple(parsed), problems


def read_publisher(raw: Any) -> tuple[dict[str, str] | None, list[OptionProblem]]:
    """The ``publisher`` option (who publishes the fact-checks): a name and an optional http(s) url."""
    if raw is None:
        return None, []
    url = raw.get("url", "https://") if isinstance(raw, dict) else None
    if not (isinstance(raw, dict) and set(raw) <= {"name", "url"} and isinstance(raw.get("name"), str)
            and isinstance(url, str) and url.startswith(("http://", "https://"))):
        return None, [OptionProblem((), "FM402", "factmark 'publisher' must be a mapping with a 'name' and an "
                                    "optional http(s) 'url'")]
    return raw, _text_problems(("name",), "factmark 'publisher' name", raw["name"],
                               "factmark 'publisher' needs a non-empty 'name'")


def read_claims_per_page(raw: Any) -> tuple[int, list[OptionProblem]]:
    """The ``claims_per_page`` option: how many claims of a verdict the claims page lists before continuing."""
    if raw is None:
        return CLAIMS_PER_PAGE, []
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        return CLAIMS_PER_PAGE, [OptionProblem((), "FM402", "factmark 'claims_per_page' must be a whole number of "
                                               f"at least 1, got {raw!r}")]
    return raw, []


def read_review_max_age(raw: Any) -> tuple[int | None, list[OptionProblem]]:
    """The ``review_max_age_days`` option: after how many days a review is stale (FM230); unset, never."""
    if raw is None:
        return None, []
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        return None, [OptionProblem((), "FM402", "factmark 'review_max_age_days' must be a whole number of days, "
                                    f"at least 1, got {raw!r}")]
    return raw, []


def read_archives(raw: Any) -> tuple[tuple[Archive, ...], list[OptionProblem]]:
    """The ``archives`` option: web archives a snapshot may live in besides the defaults (the Internet
    Archive, perma.cc), each ``name``, ``prefix`` (http(s), ending in ``/``) and ``timestamped`` (its
    addresses are ``<prefix><14-digit timestamp>/<original>``, as a pywb or Wayback replay writes them)."""
    if raw is None:
        return DEFAULT_ARCHIVES, []
    if not isinstance(raw, list):
        return DEFAULT_ARCHIVES, [OptionProblem((), "FM402", "factmark 'archives' must be a list of archives, each "
                                                "with a name and a prefix")]
    problems: list[OptionProblem] = []
    added = []
    for i, spec in enumerate(raw):
        if not isinstance(spec, dict) or set(spec) - {"name", "prefix", "timestamped"}:
            problems.append(OptionProblem((i,), "FM402", f"archive {i + 1} must be a mapping of name, prefix and "
                                          "an optional timestamped (true or false)"))
            continue
        problems += _text_problems((i, "name"), f"archive {i + 1} name", spec.get("name"),
                                   f"archive {i + 1} needs a non-empty 'name'")
        prefix, stamped = spec.get("prefix"), spec.get("timestamped", False)
        if not (isinstance(prefix, str) and prefix.startswith(("http://", "https://")) and prefix.endswith("/")
                and len(prefix.split("/")) > 3 and prefix.split("/")[2] and one_line(prefix)):
            problems.append(OptionProblem((i, "prefix"), "FM402", f"archive {i + 1} prefix must be an http(s) "
                                          "address ending in '/'", "the part every snapshot address starts with, "
                                          "such as https://warc.newsroom.example/wayback/"))
            continue
        if not isinstance(stamped, bool):
            problems.append(OptionProblem((i, "timestamped"), "FM402", f"archive {i + 1} timestamped must be true "
                                          "or false"))
            continue
        added.append(Archive(str(spec.get("name")), prefix, stamped))
    return (*added, *DEFAULT_ARCHIVES), problems


def _rule_names(raw: Any, *, ignoring: bool) -> tuple[tuple[str, ...] | None, list[OptionProblem]]:
    if raw is None:
        return None, []
    found = [OptionProblem(() if index is None else (index,), code, f"factmark '{'ignore' if ignoring else 'select'}'"
                           f" {message}", hint) for index, code, message, hint in
             ruleselect.problems(raw, ignoring=ignoring)]
    return (None if found else tuple(raw)), found


def read_select(raw: Any) -> tuple[tuple[str, ...] | None, list[OptionProblem]]:
    """The ``select`` option: the rules (codes, prefixes) to report, or None for all (ruleselect)."""
    return _rule_names(raw, ignoring=False)


def read_ignore(raw: Any) -> tuple[tuple[str, ...] | None, list[OptionProblem]]:
    """The ``ignore`` option: the rules (codes, prefixes) never to report (ruleselect)."""
    return _rule_names(raw, ignoring=True)
