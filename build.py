"""factmark's command line: ``python build.py [build|check|serve]``.

See ``python build.py --help``. Kept as a thin wrapper so the client's fixed
entry point works from a fresh clone, installed or not.
"""

import sys

from factmark.cli import main

if __name__ == "__main__":
    sys.exit(main())
