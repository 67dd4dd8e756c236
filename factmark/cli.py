"""``python build.py``: build the site, check annotations, or serve a live preview.

``check`` needs no site engine and reports every problem at once. ``build``
runs the same check, then MkDocs into a temporary directory that replaces the
site only when everything succeeded, so a failed build leaves the old site.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import edit
from . import settings as settings_mod
from .findings import Finding, FindingsError
from .project import Project
from .rules import RULES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python build.py", description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="check, then build the site (the default)")
    build.add_argument("-d", "--site-dir", help="output directory (default: site_dir of mkdocs.yml)")
    check = sub.add_parser("check", help="validate content and annotations without building")
    check.add_argument("--format", choices=("human", "github", "json"), default="human",
                       help="human: one finding per line; github: workflow commands; json: a list of objects")
    sub.add_parser("fix", help="apply unique quote candidates (FM306) and the canonical layout (FM105)")
    new = sub.add_parser("new", help="append an annotation skeleton for a quote of a document")
    new.add_argument("document", help="path relative to the content directory, e.g. letters/x.md")
    new.add_argument("quote", help="the exact words, as a reader sees them")
    new.add_argument("--occurrence", type=int, default=1, help="which occurrence, when the quote is repeated")
    serve = sub.add_parser("serve", help="live preview that rebuilds on every change")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    sub.add_parser("rules", help="list the check's rule codes")
    parser.set_defaults(command="build", site_dir=None, format="human")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 (clean), 1 (problems found) or 2 (usage error)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "rules":
            for code, text in RULES.items():
                print(f"{code}  {text}")
            return 0
        config = Path(args.config_file)
        if not config.is_file():
            print(f"{config}: no such configuration file", file=sys.stderr)
            return 2
        settings = settings_mod.load(config.absolute())  # not resolved: a linked mkdocs.yml is refused
        if args.command == "serve":
            return _serve(config, args.dev_addr)
        if args.command == "build":  # the plugin runs the same check before MkDocs touches any file
            site = Path(args.site_dir) if args.site_dir else settings.site_dir or Path("site")
            return _build(config, site.resolve())
        project = Project(settings)
        problems = project.load()
        if args.command in ("fix", "new"):
            return _edit(args, project)
        _report(problems, args.format)
        return 1 if problems else 0
    except FindingsError as err:
        _report(err.findings, "human")
        return 1
    except KeyboardInterrupt:
        return 130


def _edit(args: argparse.Namespace, project: Project) -> int:
    if args.command == "new":
        ok, lines = edit.new(project, args.document, args.quote, args.occurrence)
        print("\n".join(lines), file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    for line in edit.fix(project) or ["nothing to fix"]:
        print(line)
    remaining = Project(project.settings).load()
    _report(remaining, "human")
    return 1 if remaining else 0


def _report(problems: list[Finding], form: str) -> None:
    if form == "json":
        print(json.dumps([{"path": f.path, "line": f.line, "column": f.col, "code": f.code,
                           "message": f.message, "hint": f.hint} for f in problems], indent=2, ensure_ascii=False))
        return
    previous = None
    for f in problems:
        if form == "human" and previous not in (None, f.path):
            print()  # a blank line between files: findings are grouped by file
        previous = f.path
        if form == "github":
            text = f"{f.code} {f.message}" + (f" (hint: {f.hint})" if f.hint else "")
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::error file={f.path},line={f.line},col={f.col},title={f.code}::{text}")
        else:
            print(f.format())
    if form == "human":
        files = len({f.path for f in problems})
        summary = f"{len(problems)} problem(s) in {files} file(s)" if problems else "No problems found."
        print(summary, file=sys.stderr)


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
    return env


def _build(config: Path, site: Path) -> int:
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.", dir=site.parent))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(staging)],
            env=_build_env(config.resolve().parent), check=False)
        if result.returncode != 0:
            print("The site was not built; the previous site is unchanged.", file=sys.stderr)
            return 1
        staging.chmod(0o755)
        old = site.with_name(f".{site.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if site.exists():
            site.rename(old)
        staging.rename(site)
        shutil.rmtree(old, ignore_errors=True)
        print(f"Site built in {site}", file=sys.stderr)
        return 0
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _serve(config: Path, address: str) -> int:
    """The live preview (factmark.serve), with MkDocs' log lines on stderr."""
    from . import serve  # imports MkDocs, which `check` never needs

    os.environ.update(_build_env(config.resolve().parent))
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return serve.serve(config, address)


if __name__ == "__main__":
    sys.exit(main())
