"""``factmark``: build the site, check annotations, or serve a live preview.

``check`` needs no site engine and reports every problem at once. ``build``
runs the same check, then MkDocs into a temporary directory that replaces the
site only when everything succeeded, so a failed build leaves the old site.
Both refuse a site folder that a build must not replace (FM501, ``sitedir``);
builds of one folder take turns, and a full disk or a read-only folder is one
finding (FM502), never a traceback. Everything printed that quotes input goes
through :func:`findings.visible`: one line per finding, no terminal escapes.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from . import edit, fetch, gitrev, review, ruleselect, sarif, scaffold, selection, sitedir, siteengine, stale
from . import settings as settings_mod
from . import sources as sources_mod
from .findings import Finding, FindingsError, visible
from .project import Project
from .rules import RULES, severity

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")  # the first found in a folder


def _common() -> argparse.ArgumentParser:
    """Options every command takes, before or after its name (``factmark check -f site/mkdocs.yml``).

    Their defaults are suppressed here so that one given before the command is not reset after it;
    each parser gets its own copy (``parents`` shares action objects, and ``set_defaults`` changes them).
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-f", "--config-file", default=argparse.SUPPRESS,
                        help="the site's configuration (default: mkdocs.yml found in the current folder or above, "
                             "up to the repository's top)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print only findings and errors")
    return common


def _rules() -> argparse.ArgumentParser:
    """Which rules count (ruleselect), for the commands that check: check, build, fix."""
    rules = argparse.ArgumentParser(add_help=False)
    rules.add_argument("--select", action="append", metavar="CODES",
                       help="report only these rules: codes or prefixes, comma-separated (FM3,FM105); "
                            "replaces the select and ignore options of mkdocs.yml")
    rules.add_argument("--ignore", action="append", metavar="CODES",
                       help="never report these rules (codes or prefixes), besides those mkdocs.yml ignores")
    rules.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    return rules


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="factmark", description=__doc__.splitlines()[0], parents=[_common()])
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", parents=[_common(), _rules()], help="check, then build the site (the default)")
    build.add_argument("-d", "--site-dir", help="output directory (default: site_dir of mkdocs.yml)")
    check = sub.add_parser("check", parents=[_common(), _rules()],
                           help="validate content and annotations without building")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="check only these annotation or content files (a text with its annotation file)")
    check.add_argument("--format", choices=("human", "github", "json", "sarif"), default="human",
                       help="human: one finding per line; github: workflow commands; json: a list of objects; "
                            "sarif: SARIF 2.1.0, for GitHub code scanning")
    check.add_argument("--fix", action="store_true", help="first apply what `factmark fix` applies, then check")
    check.add_argument("--base", metavar="REV", help="the published revision (e.g. origin/main): a verdict it "
                       "published changes only with a correction (FM220-FM223)")
    diff = sub.add_parser("diff", parents=[_common()], help="what changes for readers between two git revisions")
    diff.add_argument("base", nargs="?", metavar="BASE",
                      help="default: the merge base of HEAD with origin/HEAD, main or master")
    diff.add_argument("head", nargs="?", metavar="HEAD", help="default: the work tree")
    diff.add_argument("--format", choices=review.FORMATS, default="human",
                      help="human; markdown: for a pull request or $GITHUB_STEP_SUMMARY; json: stable keys")
    fix = sub.add_parser("fix", parents=[_common(), _rules()],
                         help="apply unique quote candidates (FM306) and the canonical layout (FM105)")
    fix.add_argument("--diff", action="store_true",
                     help="print what it would change as a unified diff, write nothing; exit 1 if it would change")
    new = sub.add_parser("new", parents=[_common()], help="append an annotation skeleton for a quote of a document")
    new.add_argument("document", help="path relative to the content directory, e.g. letters/x.md")
    new.add_argument("quote", help="the exact words, as a reader sees them")
    new.add_argument("--occurrence", type=int, default=1, help="which occurrence, when the quote is repeated")
    serve = sub.add_parser("serve", parents=[_common()], help="live preview that rebuilds on every change")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    sub.add_parser("rules", parents=[_common()], help="list the check's rule codes")
    sub.add_parser("schema", parents=[_common()],
                   help="write the editor schema (.factmark/) for mkdocs.yml's statuses; repair modelines")
    _sources_parser(sub)
    init = sub.add_parser("init", parents=[_common()],
                          help="start a new site in DIR that builds and passes the check at once")
    init.add_argument("directory", nargs="?", default=".", help="a new or empty folder (default: here)")
    parser.set_defaults(command="build", site_dir=None, format="human", paths=[], config_file=None, quiet=False,
                        base=None, select=None, ignore=None, strict=False, fix=False, diff=False)
    return parser


def _sources_parser(sub: Any) -> None:
    """``sources verify`` and ``sources archive``: online, opt-in; the only commands that leave the machine."""
    sources = sub.add_parser("sources", parents=[_common()], help="online: verify sources, or archive them")
    actions = sources.add_subparsers(dest="action", metavar="ACTION", required=True)
    polite = argparse.ArgumentParser(add_help=False)
    defaults = fetch.Policy()
    for flag, kind, what in (
            ("--concurrency", _at_least(int, 1), "requests in flight at once"),
            ("--host-delay", _at_least(float, 0), "seconds between two requests to one host"),
            ("--timeout", _at_least(float, 0.1), "seconds to connect, and for each read"),
            ("--page-time", _at_least(float, 0.1), "seconds for one page, however slowly it arrives"),
            ("--retries", _at_least(int, 0), "further attempts after a timeout, 429 or 5xx"),
            ("--backoff", _at_least(float, 0), "seconds before the first retry, doubling after each"),
            ("--max-bytes", _at_least(int, 1), "read at most this many bytes of a page"),
            ("--time-limit", _at_least(float, 0.1), "seconds for the whole run; what is left is not checked")):
        field = {"--host-delay": "host_interval", "--page-time": "page_seconds"}.get(flag, flag[2:].replace("-", "_"))
        polite.add_argument(flag, type=kind, default=getattr(defaults, field), dest=field,
                            help=f"{what} (default: {getattr(defaults, field)})")
    verify = actions.add_parser("verify", parents=[_common(), polite],
                                help="fetch every source and snapshot; report reachability, redirects, excerpts")
    verify.add_argument("--format", choices=("human", "json"), default="human", dest="report_format")
    verify.add_argument("--record", action="store_true",
                        help="write each source's status (dead once gone) and verified date into its file")
    save = actions.add_parser("archive", parents=[_common(), polite],
                              help="find or capture a snapshot of each source without one, and record it")
    ends = sources_mod.Endpoints()
    save.add_argument("--availability-api", default=ends.availability, help="the Wayback availability API")
    save.add_argument("--save-api", default=ends.save, help="Save Page Now (credentials: FACTMARK_SPN_AUTH)")
    save.add_argument("--replay", default=ends.replay, help="the replay prefix of Save Page Now's captures")
    save.add_argument("--poll", type=_at_least(float, 0.01), default=ends.poll,
                      help="seconds between a capture's status requests")


def _at_least(kind: type[int] | type[float], low: float) -> Any:
    """An argparse type: a number of ``kind`` no smaller than ``low`` (anything else is a usage error, exit 2)."""
    def read(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{text} is less than {low}")
        return value
    return read


def _version() -> str:
    """factmark's installed version (its package metadata), and the site engine a build would run."""
    try:
        mine = metadata.version("factmark")
    except metadata.PackageNotFoundError:
        mine = "(not installed)"
    engine = siteengine.NAME
    if engine is None:
        return f"factmark {mine} (no site engine installed)"
    try:
        return f"factmark {mine} ({engine} {metadata.version(engine)})"
    except metadata.PackageNotFoundError:
        return f"factmark {mine} ({engine})"


def discover(start: Path) -> Path | None:
    """The configuration a command without ``-f`` uses: the first of :data:`CONFIG_NAMES` in ``start``
    or the nearest folder above it.

    The search stops at a folder holding ``.git`` (the top of a repository, or of a submodule or
    worktree), after looking there, and at the filesystem's root: a site never silently takes a
    configuration from outside its own repository. The result is as short as the old default
    (``mkdocs.yml``) when found in ``start``, absolute otherwise.
    """
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return Path(name) if folder == start else folder / name
        if (folder / ".git").exists():
            return None
    return None


def _config(given: str | None) -> Path | None:
    if given is not None:
        return Path(given)
    return discover(Path.cwd())


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 (clean), 1 (problems found) or 2 (usage error)."""
    args = _parser().parse_args(argv)
    _never_unencodable()
    config: Path | None = None  # `init` may refuse before any configuration is read
    try:
        if args.command == "rules":
            for code, text in RULES.items():
                print(f"{code}  {severity(code):<7}  {text}")
            return 0
        if args.command == "init":  # needs no mkdocs.yml: it writes one
            written = scaffold.init(Path(args.directory))
            for line in written if not args.quiet else []:
                _say(line)
            return 0
        config = _config(args.config_file)
        if config is None:
            _say(f"factmark: no {' or '.join(CONFIG_NAMES[:2])} in {Path.cwd()} or a folder above it (up to the "
                 "repository's top) (hint: run it in the site's folder, or give the file with -f)", sys.stderr)
            return 2
        if not config.is_file():
            _say(f"{config}: no such configuration file", sys.stderr)
            return 2
        if siteengine.unusable():  # the check too reads mkdocs.yml with the engine's own machinery (mkconfig)
            _say(f"factmark: {siteengine.unusable()}", sys.stderr)
            return 2
        layer, wrong = ruleselect.from_command_line(args.select, args.ignore)
        if wrong:  # a usage error, as an unknown option is
            _report(wrong, "human", sys.stderr, quiet=args.quiet)
            return 2
        settings = settings_mod.load(config.absolute())  # not resolved: a linked mkdocs.yml is refused
        if layer is not None:  # the command line over mkdocs.yml's select and ignore
            settings = dataclasses.replace(settings, rules=settings.rules.over(layer))
        if args.command == "serve":
            return _serve(config, args.dev_addr, args.quiet)
        if args.command == "build":  # the plugin runs the same check before MkDocs touches any file
            return _build(config, settings, args, layer)
        if args.command == "diff":
            return _diff(config, settings, args)
        project = Project(settings)
        problems = project.load()
        if args.command in ("fix", "new", "schema"):
            return _edit(args, project)
        if args.command == "sources":
            return _sources(args, project, problems)
        if args.fix:  # what `fix` applies, then the check of what remains
            changes, failed = edit.fix(project)
            for line in changes if not args.quiet else []:
                _say(line, sys.stdout if args.format == "human" else sys.stderr)
            project = Project(settings)
            problems = failed + project.load()
        chosen = selection.chosen(project, args.paths)
        if chosen.unknown:
            _report(chosen.unknown, args.format, quiet=args.quiet)
            return 2
        problems += _review_findings(config, project, args.base)
        problems = sorted(chosen.keep(problems + _site_findings(config, settings, None)))
        _report(problems if args.format == "sarif" else _from_here(problems, config), args.format,
                quiet=args.quiet, root=config.absolute().parent)
        return 1 if _failing(problems, args.strict) else 0
    except gitrev.RevisionError as err:
        _say(f"factmark: {err}", sys.stderr)
        return 2
    except FindingsError as err:
        if config is None:
            _report(err.findings, "human", quiet=args.quiet)
            return 1
        found = _from_here(err.findings, config) if args.command == "check" and args.format != "sarif" \
            else err.findings
        _report(found, args.format if args.command == "check" else "human", quiet=args.quiet,
                root=config.absolute().parent)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)  # a build leaves the previous site or the new one, whole
        return 130


def _review_findings(config: Path, project: Project, base: str | None) -> list[Finding]:
    """Stale reviews (FM230, a warning) and, with ``--base``, published verdicts changed without a correction."""
    settings = project.settings
    files = [doc.annotation_file for doc in project.documents.values() if doc.annotation_file is not None]
    found = stale.findings(files, settings.stale_before, settings.review_max_age_days)
    found += review.base_findings(config, project, base) if base is not None else []
    return settings.rules.keep(found)  # --select/--ignore choose among these as among the others


def _diff(config: Path, settings: settings_mod.Settings, args: argparse.Namespace) -> int:
    """``factmark diff``: informational, so it exits 0 whatever changed (2 when a revision cannot be read)."""
    for line in review.diff(config, settings, args.base, args.head, args.format).splitlines():
        _say(line)
    return 0


def _never_unencodable() -> None:
    """Printing never raises UnicodeEncodeError (``PYTHONIOENCODING=ascii``, a C locale): what the
    terminal cannot show is written as ``\\u2713``."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _say(text: str, stream: object = None) -> None:
    """Print a line that quotes input (a quote, a file name) with its control characters made visible."""
    print(visible(text), file=stream or sys.stdout)  # type: ignore[arg-type]


def _edit(args: argparse.Namespace, project: Project) -> int:
    """``new`` and ``fix``; with ``-q`` they print only what went wrong and what is left to do."""
    if args.command == "new":
        ok, lines = edit.new(project, args.document, args.quote, args.occurrence)
        for line in lines if not (ok and args.quiet) else []:
            _say(line, sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    if args.command == "schema":  # the editor schema, not the check: other findings are check's to report
        changes, failed = edit.schema(project)
        for line in changes:
            _say(line)
        _report(failed, "human", sys.stderr)
        return 1 if failed else 0
    if args.diff:  # like ruff and black: exit 1 when it would change something
        lines = edit.diff(project)
        for line in lines:
            _say(line.rstrip("\n"))
        if not lines and not args.quiet:
            print("Nothing to fix.", file=sys.stderr)
        return 1 if lines else 0
    changes, failed = edit.fix(project)
    remaining = Project(project.settings).load()
    _fix_report(changes, failed, remaining, quiet=args.quiet)
    return 1 if _failing(remaining, args.strict) or failed else 0


def _sources(args: argparse.Namespace, project: Project, problems: list[Finding]) -> int:
    """The online commands run on a site that passes the check: ``--record`` and ``archive`` write its files."""
    if problems:
        _report(problems, "human", sys.stderr)
        return 1
    names = ("concurrency", "host_interval", "timeout", "page_seconds", "retries", "backoff", "max_bytes", "time_limit")
    policy = fetch.Policy(**{name: getattr(args, name) for name in names})
    if args.action == "archive":
        ends = sources_mod.endpoints_from_env(availability=args.availability_api, save=args.save_api,
                                              replay=args.replay, poll=args.poll)
        changes, failed = sources_mod.archive(project, policy, ends)
    else:
        results, tasks = sources_mod.verify(project, policy)
        print(sources_mod.report(results, args.report_format))
        failed = [f for f in (r.finding() for r in results) if f is not None]
        changes, unwritten = sources_mod.record(project, results, tasks) if args.record else ([], [])
        failed += unwritten
    json_report = getattr(args, "report_format", "") == "json"  # stdout holds only the JSON then
    for line in changes if not args.quiet else []:
        _say(line, sys.stderr if json_report else sys.stdout)
    _report(failed, "human", sys.stderr, quiet=args.quiet)
    return 1 if failed else 0


def _fix_report(changes: list[str], failed: list[Finding], remaining: list[Finding], *, quiet: bool) -> None:
    """What ``fix`` changed, what it could not write (FM503, on stderr), then what is still wrong, under one
    summary line: never "nothing to fix" or "No problems found." beside a finding. ``quiet``: findings only."""
    for line in changes if not quiet else []:
        _say(line)
    for finding in failed:
        print(finding.format(), file=sys.stderr)
    if remaining and not quiet:
        done = "fix changed nothing" if not changes else "fix cannot change the rest"
        print(f"{done}; {len(remaining)} problem(s) need an editor:")
    elif not changes and not failed and not quiet:
        print("Nothing to fix.")
    _report(remaining, "human", quiet=quiet or bool(failed))
    if failed and not quiet:
        problems = failed + remaining
        print(f"{len(problems)} problem(s) in {len({f.path for f in problems})} file(s)", file=sys.stderr)


def _from_here(problems: list[Finding], config: Path) -> list[Finding]:
    """Findings name files relative to the project (the folder of mkdocs.yml). When that lies inside
    the current folder (``check -f site/mkdocs.yml`` at the top of a repository, as pre-commit and CI
    run it), they are shown relative to the current folder instead, so that editors, pre-commit and
    GitHub's inline annotations find the file; otherwise (the project is here, or above, or elsewhere)
    they stay as the build shows them."""
    root, here = config.absolute().parent.resolve(), Path.cwd().resolve()
    if root == here or not root.is_relative_to(here):
        return problems
    prefix = root.relative_to(here).as_posix()
    return [f if Path(f.path).is_absolute() else dataclasses.replace(f, path=f"{prefix}/{f.path}") for f in problems]


def _failing(problems: list[Finding], strict: bool) -> bool:
    """Whether the findings fail the command: any error, or with ``strict`` any warning too."""
    return any(strict or f.severity == "error" for f in problems)


def _report(problems: list[Finding], form: str, stream: object = None, *, quiet: bool = False,
            root: Path | None = None) -> None:
    """Print findings on stdout (``build`` passes stderr, beside MkDocs' messages), one per line;
    ``quiet`` leaves out the summary line. ``root``, the project's folder, places SARIF's paths."""
    out = stream or sys.stdout
    if form == "json":
        print(json.dumps([f.as_json() for f in problems], indent=2), file=out)  # type: ignore
        return
    if form == "sarif":
        print(json.dumps(sarif.log(problems, root or Path.cwd()), indent=2), file=out)  # type: ignore
        return
    previous = None
    for f in problems:
        if form == "human" and previous not in (None, f.path):
            print(file=out)  # type: ignore[arg-type]  # a blank line between files: findings are grouped by file
        previous = f.path
        print(f.github() if form == "github" else f.format(), file=out)  # type: ignore[arg-type]
    if form == "human" and not quiet:
        print(_summary(problems), file=sys.stderr)


def _summary(problems: list[Finding]) -> str:
    """The last line: how many problems in how many files, and how many of them are warnings."""
    if not problems:
        return "No problems found."
    files = len({f.path for f in problems})
    warnings = sum(f.severity == "warning" for f in problems)
    if not warnings:
        return f"{len(problems)} problem(s) in {files} file(s)"
    return (f"{len(problems)} problem(s) in {files} file(s), {warnings} of them warning(s) "
            "(warnings fail only with --strict)")


def _build_env(root: Path) -> dict[str, str]:
    """Builds of one commit are byte-identical: dates come from the commit, never the clock."""
    env = dict(os.environ)
    if "SOURCE_DATE_EPOCH" not in env:
        try:
            stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                                   text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            stamp = ""
        env["SOURCE_DATE_EPOCH"] = stamp or "0"
    # MkDocs' log lines quote file names and titles: never a UnicodeEncodeError on an ASCII terminal
    env["PYTHONIOENCODING"] = f"{getattr(sys.stderr, 'encoding', None) or 'utf-8'}:backslashreplace"
    return env


def _site_findings(config: Path, settings: settings_mod.Settings, site_arg: str | None) -> list[Finding]:
    """FM501 for the configured site_dir and, for ``build -d``, the folder given: ``check`` asks the same."""
    configured = settings.site_dir or settings.root / "site"
    written, where = sitedir.setting(config, "site_dir")
    found = [sitedir.guard(settings, configured, written or os.path.relpath(configured, settings.root), where)]
    if site_arg is not None:
        found.append(sitedir.guard(settings, sitedir.locate(Path(site_arg)), site_arg, None))
    return [f for f in found if f is not None]


def _build(config: Path, settings: settings_mod.Settings, args: argparse.Namespace,
           layer: ruleselect.Layer | None) -> int:
    """Check the output folder, build into a staging folder beside it, then swap it in (under a lock).

    The plugin, in MkDocs' process, gets the command line's rule selection and ``--strict`` (engine.py).
    """
    site_arg, quiet = args.site_dir, args.quiet
    site = sitedir.locate(Path(site_arg)) if site_arg else settings.site_dir or settings.root / "site"
    problems = _site_findings(config, settings, site_arg)
    run = json.dumps({"select": list(layer.select) if layer and layer.select is not None else None,
                      "ignore": list(layer.ignore) if layer else [], "strict": args.strict})
    try:
        if not problems:
            return _build_locked(config, settings, site, site_arg, quiet, run)
        problems = sorted(problems + Project(settings).load())  # and every finding `check` reports
    except OSError as err:
        problems = [sitedir.cannot_write(settings.config_file, sitedir.setting(config, "site_dir")[1], err)]
    _report(problems, "human", sys.stderr, quiet=quiet)
    return 1


def _build_locked(config: Path, settings: settings_mod.Settings, site: Path, site_arg: str | None,
                  quiet: bool, run: str) -> int:
    site.parent.mkdir(parents=True, exist_ok=True)
    with sitedir.locked(site.parent) as lock:
        refused = _site_findings(config, settings, site_arg)  # again: another build may have changed it meanwhile
        if refused:
            _report(refused, "human", sys.stderr, quiet=quiet)
            return 1
        sitedir.remove_stale(site)
        if not _stage_and_swap(config, settings, site, lock, quiet, run):
            print("The site was not built; the previous site is unchanged.", file=sys.stderr)
            return 1
    if not quiet:
        _say(f"Site built in {site}", sys.stderr)
    return 0


def _stage_and_swap(config: Path, settings: settings_mod.Settings, site: Path, lock: int, quiet: bool,
                    run: str) -> bool:
    """MkDocs builds into a new folder beside the site, which replaces the site only when complete."""
    staging = None
    try:
        with _uninterrupted():  # a Ctrl-C while it is made arrives inside the try, which removes it
            staging = sitedir.staging(site)
        line, col = sitedir.setting(config, "site_dir")[1]
        code = _run_engine([sys.executable, "-m", "factmark.engine", settings.config_file, str(line), str(col), run,
                            "build", "--strict", *(["--quiet"] if quiet else []), "-f", str(config),
                            "-d", str(staging)],
                           _build_env(config.resolve().parent), lock)
        if code != 0:
            return False
        with _uninterrupted():  # never between the two renames: the old site would be gone
            sitedir.swap(staging, site)
        return True
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block has finished; it is delivered right after."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _run_engine(args: list[str], env: dict[str, str], lock: int) -> int:
    """Run MkDocs (through factmark.engine) and wait; on Ctrl-C, stop it before the staging folder goes.

    The child has its own session, so the terminal's Ctrl-C reaches only this process,
    and SIGINT is held back while it starts: an interrupt can never leave it running
    unowned. It inherits the build lock, so even after ``kill -9`` of this process no
    other build starts until it has ended.
    """
    child = None
    try:
        with _uninterrupted():  # a Ctrl-C held back arrives as the block ends: inside the try
            child = subprocess.Popen(args, env=env, pass_fds=(lock,), start_new_session=True)
        return child.wait()
    except BaseException:
        if child is not None:
            child.kill()
            child.wait()
        raise


def _serve(config: Path, address: str, quiet: bool) -> int:
    """The live preview (factmark.serve), with the engine's log lines on stderr (``-q``: warnings and errors)."""
    from . import serve  # imports the site engine, which `check` never needs

    os.environ.update(_build_env(config.resolve().parent))
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in {"mkdocs", str(siteengine.NAME)}:  # ProperDocs logs as 'properdocs', plugins still as 'mkdocs'
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
    return serve.serve(config, address)


if __name__ == "__main__":
    sys.exit(main())
