"""The folders MkDocs searches for a site's theme files, found as MkDocs finds them but without importing it.

MkDocs looks a template or a theme file up in ``theme.custom_dir`` first, then in the named theme's
folder (an installed package registered under the ``mkdocs.themes`` entry point, ``theme: factmark`` or
``theme: material``), then in the themes it ``extends`` (its ``mkdocs_theme.yml``). The check reads the
same folders in the same order, so that template names (FM406), the page's own ids (FM211), files a
content file would replace (FM404) and links to theme files (FM410) are judged against the theme the
build will really use, wherever it is installed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding
from .yamlstrict import clip

GROUP = "mkdocs.themes"
DEFAULT_THEME = "mkdocs"  # MkDocs' own default when mkdocs.yml names no theme
MAX_EXTENDS = 8  # themes in one `extends` chain; MkDocs would recurse on a cycle until it crashed


def installed() -> dict[str, str]:
    """Theme name -> module, for every theme an installed distribution registers (as MkDocs lists them)."""
    return {point.name: point.value for point in importlib.metadata.entry_points(group=GROUP)}


def theme_folder(module: str) -> Path | None:
    """The folder of a theme's module, found without running it (MkDocs imports it and takes its file's folder)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    return Path(os.path.dirname(os.path.abspath(spec.origin)))


def folders(theme: Any, root: Path, config_file: str) -> tuple[tuple[Path, ...], Path | None, list[Finding]]:
    """(theme folders in MkDocs' search order, the custom_dir or None, FM431 findings) for mkdocs.yml's ``theme``.

    Each problem MkDocs would stop on while reading ``theme`` is a finding here: no name and no custom_dir,
    a custom_dir that is not a folder, a name no installed package registers, a theme without its
    ``mkdocs_theme.yml``, a parent theme (``extends``) that is not installed.
    """
    config = {"name": DEFAULT_THEME} if theme is None else {"name": theme} if isinstance(theme, str) else theme
    if not isinstance(config, dict) or "name" not in config:
        return (), None, [_problem(config_file, "'theme' must be a theme name or a mapping with 'name'",
                                   "write 'theme: factmark', or 'theme: {name: factmark, custom_dir: overrides}'")]
    custom = config.get("custom_dir")
    custom_dir = root / str(custom) if custom is not None else None
    if custom_dir is not None and not custom_dir.is_dir():
        return (), None, [_problem(config_file, f"theme.custom_dir '{clip(str(custom))}' is not a folder",
                                   "create the folder, or remove custom_dir from mkdocs.yml")]
    dirs = [custom_dir] if custom_dir is not None else []
    name = config["name"]
    if not name:
        if custom_dir is None:
            return (), None, [_problem(config_file, "'theme' names neither a theme nor a custom_dir",
                                       "write 'theme: factmark'")]
        return tuple(dirs), custom_dir, []
    named, problems = _named_folders(str(name), config_file)
    return tuple(dirs + named), custom_dir, problems


def _named_folders(name: str, config_file: str) -> tuple[list[Path], list[Finding]]:
    """The folder of theme ``name`` and of each theme it extends, in order."""
    themes = installed()
    found: list[Path] = []
    while True:
        module = themes.get(name)
        folder = theme_folder(module) if module is not None else None
        if folder is None:
            available = ", ".join(sorted(themes)) or "none"
            return found, [_problem(config_file, f"theme '{clip(name)}' is not installed (installed: {available})",
                                    "install the package that provides it, or write 'theme: factmark'")]
        found.append(folder)
        parent, problem = _extends(folder, name, config_file)
        if problem is not None:
            return found, [problem]
        if parent is None:
            return found, []
        if len(found) >= MAX_EXTENDS:
            return found, [_problem(config_file, f"theme '{clip(name)}' extends a chain of more than {MAX_EXTENDS} "
                                    "themes", "use a theme whose parents end")]
        name = parent


def _extends(folder: Path, name: str, config_file: str) -> tuple[str | None, Finding | None]:
    """The theme that theme ``name`` (in ``folder``) extends, from its ``mkdocs_theme.yml``, or a finding."""
    try:
        config = yaml.safe_load((folder / "mkdocs_theme.yml").read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None, _problem(config_file, f"theme '{clip(name)}' has no readable mkdocs_theme.yml ({folder})",
                              "reinstall the theme's package, or upgrade it to a current version")
    parent = config.get("extends") if isinstance(config, dict) else None
    return (str(parent) if parent else None), None


def _problem(config_file: str, message: str, hint: str) -> Finding:
    return Finding(config_file, 1, 1, "FM431", message, hint)


def effective(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Each theme file's folder-relative POSIX path -> the file MkDocs uses for it (the first folder's wins)."""
    files: dict[str, Path] = {}
    for folder in dirs:
        for top, subdirs, names in os.walk(folder):
            subdirs.sort()
            for name in sorted(names):
                path = Path(top) / name
                files.setdefault(path.relative_to(folder).as_posix(), path)
    return files
