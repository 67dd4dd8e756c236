"""``python -m factmark.engine CONFIG LINE COL ARGS...``: MkDocs' command line for ``build``.

``cli`` runs MkDocs in a child process through this module so that a failed
write (a full disk, a read-only folder) ends as one FM502 finding instead of a
traceback; MkDocs' own warnings and errors pass through unchanged. Ctrl-C is
the parent's to handle: it stops this process and removes the staging folder.
"""

from __future__ import annotations

import runpy
import sys

from .sitedir import cannot_write


def main(argv: list[str]) -> int:
    config, line, col, *args = argv
    sys.argv = ["mkdocs", *args]
    try:
        runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except OSError as err:
        print(cannot_write(config, (int(line), int(col)), err).format(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
