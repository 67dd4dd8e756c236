"""A git revision of the site, as files the project's own loader can read.

``factmark diff`` and ``check --base`` compare the site with what was published. The other
version is read with ``git ls-tree`` and ``git cat-file`` (never a checkout: the work tree and
the index are untouched) into a temporary folder laid out as the repository is, so that the
same :class:`~factmark.project.Project` code loads it: the same quotes are placed at the same
positions as the build would place them. Symbolic links and submodules are not written, as
the check never reads them (FM405).
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

TIMEOUT = 120  # seconds for one git command; a large site's blobs come through one cat-file process
DEFAULT_BRANCHES = ("origin/HEAD", "main", "origin/main", "master", "origin/master")
_LINK, _SUBMODULE = "120000", "160000"


class RevisionError(Exception):
    """A revision that cannot be read (not a repository, an unknown name); the message is one line for users."""


def _git(cwd: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args], input=data, capture_output=True, check=False,
                                timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RevisionError(f"git {args[0]} failed: {err}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {args[0]}: {message[0] if message else 'failed'}")
    return result.stdout


def top(root: Path) -> Path:
    """The top of the repository holding ``root``."""
    return Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())


def resolve(root: Path, rev: str) -> str:
    """The commit ``rev`` names (a branch, a tag, ``HEAD~1``, a hash)."""
    if not rev.startswith("-"):  # never an option of git's
        with contextlib.suppress(RevisionError):
            found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
            return found.decode().strip()
    raise RevisionError(f"'{rev}' is not a revision of the repository at {root} (hint: a branch such as origin/main, "
                        "a tag or a commit; in CI, fetch it: actions/checkout with fetch-depth: 0)")


def default_base(root: Path) -> str:
    """The merge base of ``HEAD`` with the default branch: ``origin/HEAD`` when the clone knows it, else
    ``main`` (``origin/main``), else ``master``. What the pull request changes, not what main did since."""
    for branch in DEFAULT_BRANCHES:
        with contextlib.suppress(RevisionError):
            resolve(root, branch)
            return _git(root, "merge-base", branch, "HEAD").decode().strip()
    raise RevisionError("no main, master or origin/HEAD branch to compare with (hint: name the base revision)")


@contextlib.contextmanager
def tree_at(root: Path, rev: str) -> Iterator[Path]:
    """A temporary folder holding the project folder ``root`` as it is at ``rev``; yields where ``root`` lies in it.

    The folder is removed afterwards. A project that did not exist at ``rev`` gives an empty folder.
    """
    commit = resolve(root, rev)
    repository = top(root)
    prefix = root.resolve().relative_to(repository.resolve()).as_posix()
    with tempfile.TemporaryDirectory(prefix="factmark-rev-") as tmp:
        dest = Path(tmp) / "tree"
        _write_tree(repository, commit, "" if prefix == "." else prefix, dest)
        yield dest if prefix == "." else dest / prefix


def _write_tree(repository: Path, commit: str, prefix: str, dest: Path) -> None:
    listing = _git(repository, "ls-tree", "-r", "-z", "--full-tree", commit, *([f"{prefix}/"] if prefix else []))
    blobs: list[tuple[str, PurePosixPath]] = []
    for entry in filter(None, listing.split(b"\0")):
        meta, _, name = entry.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        path = PurePosixPath(name.decode("utf-8", "surrogateescape"))
        if kind == "blob" and mode not in (_LINK, _SUBMODULE) and ".." not in path.parts:
            blobs.append((sha, path))
    dest.mkdir(parents=True)
    if not blobs:
        return
    out = _git(repository, "cat-file", "--batch", data="".join(f"{sha}\n" for sha, _ in blobs).encode())
    at = 0
    for _, path in blobs:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        body = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1  # the blob, then a line feed
        target = dest.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
