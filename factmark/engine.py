"""``python -m factmark.engine CONFIG LINE COL RUN ARGS...``: the site engine's command line for ``build``.

``RUN`` is the JSON of ``factmark build``'s ``--select``, ``--ignore`` and ``--strict``, which the
plugin applies in this process (``plugin.FACTMARK_BUILD``).

The engine is MkDocs or ProperDocs, as :mod:`factmark.siteengine` chose (both take the same
arguments). ``cli`` runs it in a child process through this module so that a failed
write (a full disk, a read-only folder) ends as one FM502 finding instead of a
traceback. MkDocs' own warnings and errors pass through, with the control
characters of what they quote (a nav title, a file name) made visible as in
findings, and each record starts exactly one line (:func:`one_record`). Ctrl-C is
the parent's to handle: it stops this process and removes the staging folder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import runpy
import sys
from typing import Any

from . import siteengine
from .findings import visible
from .sitedir import cannot_write


def one_record(message: str) -> str:
    """A log message that cannot add a record: a line break stays only before an indented line.

    MkDocs' genuinely multi-line messages continue on indented lines (the list of pages not in
    the nav, ``  - a.md``; factmark prints its findings itself, not through the log); a line break inside a
    quoted file name or title followed by ``WARNING -  forged`` would start what reads as a
    record of its own, so it is shown as ``\x0a`` instead.
    """
    first, *rest = message.split("\n")
    out = visible(first)
    for line in rest:
        out += ("\n" if line[:1] == " " else "\\x0a") + visible(line)
    return out


def _visible_records() -> None:
    """Every log record's text goes through :func:`visible` before any handler formats it."""
    make = logging.getLogRecordFactory()

    def record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        made = make(*args, **kwargs)
        with contextlib.suppress(TypeError, ValueError):  # a malformed call: logging reports it on emit
            made.msg, made.args = one_record(made.getMessage()), None
        return made

    logging.setLogRecordFactory(record)


def main(argv: list[str]) -> int:
    config, line, col, run, *args = argv
    if siteengine.NAME is None:  # cli says so before it starts this process; here for a direct run
        print(siteengine.unusable(), file=sys.stderr)
        return 2
    sys.argv = [siteengine.NAME, *args]  # ProperDocs warns about MkDocs 2 only when run as 'mkdocs'
    _visible_records()
    from . import plugin  # MkDocs loads this very module by its entry point

    plugin.FACTMARK_BUILD = json.loads(run)
    try:
        runpy.run_module(siteengine.NAME, run_name="__main__", alter_sys=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except OSError as err:
        print(cannot_write(config, (int(line), int(col)), err).format(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
