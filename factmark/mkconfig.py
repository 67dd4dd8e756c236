"""MkDocs' own reading and validation of mkdocs.yml, shared by ``check`` and the build.

``check`` must refuse exactly what ``mkdocs build --strict`` refuses in the configuration, so it
does not re-implement MkDocs' rules: it loads the file with MkDocs' loader (``INHERIT``, ``!ENV``,
``!relative``) into an ``MkDocsConfig``, runs MkDocs' validation, and places each error (FM412) and
warning (FM413; strict mode stops on any) at the line of the setting it names, in the file of the
``INHERIT`` chain that sets it (:mod:`configmap`). The factmark plugin's options are one ``Config``
class, :class:`FactmarkConfig`: MkDocs validates it in the build, and :func:`factmark_options` runs
the same options one by one in the check, so that every bad option is reported at once (MkDocs stops at
the first). With ``plugin.py``, this is the only module that imports MkDocs. It costs ``check`` about
0.1-0.25 s on the reference site (0.28 s before, 0.35-0.5 s after, measured on an idle moment of a shared
2-core machine), most of it importing the plugins MkDocs loads to validate their options.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mkdocs import exceptions
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import _default_exclude

from . import extensions, links, ruleselect, settings, stale, themefiles
from .configmap import Origins
from .findings import Finding, FindingsError

_PLUGIN = ("plugins", "factmark")
_OWN = "Plugin 'factmark' option '"  # how MkDocs words a factmark option's problem; the check reports it by option
_STRICT = "factmark builds with MkDocs in strict mode, where a configuration warning stops the build"


class OptionProblems(ValidationError):
    """Every problem of one factmark option, each with where inside the option it lies and its rule code."""

    def __init__(self, problems: list[settings.OptionProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class _Read(c.BaseConfigOption[Any]):
    """An option read by one of :mod:`settings`' readers: its value, or all of its problems."""

    def __init__(self, read: Callable[[Any], tuple[Any, list[settings.OptionProblem]]]) -> None:
        super().__init__()
        self.read = read

    def run_validation(self, value: object) -> Any:
        result, problems = self.read(value)
        if problems:
            raise OptionProblems(problems)
        return result


class FactmarkConfig(Config):
    """The factmark plugin's options: the one schema both the build (through MkDocs) and ``check`` validate."""

    annotations_dir = c.Type(str, default="annotations")
    statuses = _Read(settings.read_statuses)
    publisher = _Read(settings.read_publisher)
    claims_per_page = _Read(settings.read_claims_per_page)
    review_max_age_days = _Read(settings.read_review_max_age)
    archives = _Read(settings.read_archives)
    select = _Read(settings.read_select)
    ignore = _Read(settings.read_ignore)


def read(config_file: Path) -> MkDocsConfig:
    """mkdocs.yml as MkDocs loads it (``INHERIT`` merged, ``!ENV`` and ``!relative`` applied), not validated yet.

    The caller has refused what MkDocs' loader would run (Python tags) and every ``INHERIT`` it must not read.
    """
    config = MkDocsConfig(config_file_path=str(config_file))
    try:
        with open(config_file, "rb") as fd:
            config.load_file(fd)
    except (OSError, exceptions.ConfigurationError) as err:
        raise FindingsError([Finding(config_file.name, 1, 1, "FM412", f"MkDocs cannot read {config_file.name}: "
                                     f"{str(err).splitlines()[0]}")]) from None
    return config


def validate(config: MkDocsConfig, origins: Origins) -> tuple[dict[str, Any], list[Finding]]:
    """The factmark options validated, and as findings every problem MkDocs' validation finds in ``config``."""
    values, found = factmark_options(settings.plugin_options(dict(config)), origins)
    config["site_dir"] = str(_stand_in(Path(config.config_file_path).parent))
    errors, warnings = config.validate()
    for key, error in errors:
        lines = [line for line in str(error).splitlines() if not line.startswith(_OWN)]  # those: option by option
        if lines:
            found.append(origins.finding((key,), "FM412", f"'{key}': {' '.join(lines)}", _reference(key)))
    known = [name for name, _ in config._schema]
    for key, warning in warnings:
        if warning.startswith(_OWN):
            continue
        if warning == f"Unrecognised configuration name: {key}":
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else "remove it; "
            found.append(origins.finding((key,), "FM413", f"'{key}' is not a setting MkDocs knows",
                                         hint + _STRICT, key=True))
        else:
            found.append(origins.finding((key,), "FM413", f"'{key}': {warning}", _STRICT))
    return values, found


def _stand_in(folder: Path) -> Path:
    """The folder MkDocs is given as ``site_dir`` in the check, beside the project, where it conflicts with nothing.

    MkDocs never sees the configured ``site_dir`` in a build: it builds into a staging folder (``build -d``,
    :func:`sitedir.staging`) once factmark's own guard (FM501) has accepted the site folder. So MkDocs' checks of
    the configured ``site_dir`` are not the build's, and the guard's finding is the one both report.
    """
    root = folder.resolve()
    return root.parent / f".{root.name or 'project'}.site-check"


def factmark_options(options: Any, origins: Origins) -> tuple[dict[str, Any], list[Finding]]:
    """Each option of :class:`FactmarkConfig` validated on its own, so that every bad one is a finding at its line."""
    schema = dict(FactmarkConfig._schema)
    if not isinstance(options, dict):
        return {}, [origins.finding(_PLUGIN, "FM402", "the factmark plugin's options must be a mapping")]
    found = [origins.finding((*_PLUGIN, key), "FM402", f"unknown factmark option '{key}' (known: "
                             f"{', '.join(sorted(schema))})", key=True)
             for key in sorted(set(options) - set(schema) - {"enabled"})]
    if options.get("enabled", True) is not True:  # MkDocs' own option of every plugin: false would drop it
        found.append(origins.finding((*_PLUGIN, "enabled"), "FM402", "the factmark plugin cannot be disabled; "
                                     "the theme needs it", "remove 'enabled' from its options"))
    values = {}
    for key, option in schema.items():
        try:
            values[key] = option.validate(options.get(key, option.default))
        except OptionProblems as err:
            found += [origins.finding((*_PLUGIN, key, *p.where), p.code, p.message, p.hint) for p in err.problems]
        except ValidationError as err:
            found.append(origins.finding((*_PLUGIN, key), "FM402", f"factmark '{key}': {err}"))
    return values, found


def redact(found: list[Finding], origins: Origins, root: Path) -> list[Finding]:
    """``found`` with every value of an environment variable named by ``!ENV`` replaced, since it may be a
    secret; and paths in MkDocs' messages shown relative to the project ``root``, as every finding shows them."""
    values = [v for v in origins.env_values() if len(v) >= 3]  # shorter values would hide words, not secrets
    hidden = []
    for f in found:
        message, hint = f.message.replace(f"{root}{os.sep}", ""), f.hint
        for value in values:
            message = message.replace(value, "<an environment variable's value>")
            hint = hint.replace(value, "<an environment variable's value>")
        hidden.append(Finding(f.path, f.line, f.col, f.code, message, hint))
    return hidden


def _reference(key: str) -> str:
    return f"see MkDocs' configuration reference, https://www.mkdocs.org/user-guide/configuration/#{key}"


def settings_from(config: MkDocsConfig, options: Mapping[str, Any], *, strict: bool,
                  site_dir: Path | None = None) -> settings.Settings:
    """factmark's settings from a validated configuration and factmark options: the check's and the plugin's.

    ``strict`` says whether warnings fail the build (``build.py build`` always runs MkDocs strict);
    ``site_dir``, where the site goes when MkDocs was given a stand-in (:func:`validate`).
    """
    given = Path(config.config_file_path).parent
    root = given.resolve()  # messages show paths relative to the project, however it was named

    def rooted(path: str) -> Path:
        return root / os.path.relpath(path, given)

    # the theme's folders as the check finds them (not config.theme.dirs: plugins add theirs, search its
    # search/ scripts, and MkDocs its sitemap.xml; the check knows those as files the build writes)
    custom = config.theme.custom_dir
    theme = {"name": config.theme.name, **({"custom_dir": str(rooted(custom))} if custom else {})}
    theme_dirs, custom_dir, _ = themefiles.folders(theme, root, Path(config.config_file_path).name)
    return settings.Settings(
        root=root, docs_dir=rooted(config.docs_dir), annotations_dir=root / options["annotations_dir"],
        theme_dirs=theme_dirs, custom_dir=custom_dir, site_dir=site_dir or rooted(config.site_dir),
        publisher=options["publisher"], statuses=options["statuses"], config_file=Path(config.config_file_path).name,
        claims_per_page=options["claims_per_page"], links=link_rules(config, strict=strict),
        use_directory_urls=config.use_directory_urls, theme=config.theme.name, archives=options["archives"],
        markdown=extensions.read(config.markdown_extensions, config.mdx_configs),
        review_max_age_days=options["review_max_age_days"],
        stale_before=stale.cutoff(root, options["review_max_age_days"]),
        rules=ruleselect.Selection((ruleselect.Layer(options["select"], options["ignore"] or ()),)))


def link_rules(config: MkDocsConfig, *, strict: bool) -> links.Rules:
    """The nav and validation levels MkDocs settled on (flags and !ENV applied), for the check in load()."""
    nav, found = config.validation.nav, config.validation.links
    return links.Rules(nav=config.nav, omitted_files=nav.omitted_files, nav_not_found=nav.not_found,
                       nav_absolute_links=nav.absolute_links, not_found=found.not_found,
                       absolute_links=found.absolute_links, unrecognized_links=found.unrecognized_links,
                       anchors=found.anchors, warnings_fail=strict,
                       excluded=tuple(_patterns(spec) for spec in (
                           _default_exclude + config.exclude_docs if config.exclude_docs else _default_exclude,
                           config.draft_docs) if spec is not None),
                       not_in_nav=_patterns(config.not_in_nav))


def _patterns(spec: Any) -> tuple[str, ...]:
    """The lines of one of MkDocs' gitignore-style options (a compiled ``pathspec``), as mkdocs.yml gave them."""
    return tuple(str(p.pattern) for p in spec.patterns) if spec is not None else ()
