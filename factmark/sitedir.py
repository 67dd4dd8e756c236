"""Where the site goes, and how a build replaces it without destroying anything else.

A build replaces its output directory wholesale, so that directory must be one
that nothing else lives in: never the project, a folder above it, the content,
annotations, templates or ``.git``; never a symbolic link (replacing it must not
touch what it points to); never an existing file, nor a folder that holds files
committed to the repository (``site_dir: factmark`` would delete the code); and,
when mkdocs.yml names it (a pull request can change that), never a folder outside
the project. :func:`refusal` says why a directory is refused; ``check`` and
``build`` both ask it, so they agree.

Builds of one folder take turns (an exclusive ``flock`` on the parent folder, held
by the MkDocs process too), stage into a uniquely named, marked sibling and swap
it in with two renames, so the previous site stays whole until the new one is
complete. What a killed build left behind is removed by the next one, under the
same lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from .findings import Finding, visible
from .settings import Settings

MARKER = ".factmark-staging"  # in every staging folder until it becomes the site; MkDocs' clean keeps dot-files
_MARKER_TEXT = "A build of factmark in progress, or killed; the next build removes this folder.\n"
_SITE = ("sitemap.xml.gz", "index.html")  # what every site has: MkDocs always writes its sitemap
_HINT = "set site_dir (or -d) to a folder of its own inside the project, such as 'site'"


def setting(config: Path, key: str) -> tuple[str | None, tuple[int, int]]:
    """A top-level ``key`` of mkdocs.yml: its text as written (None unless plain text) and its line and column
    (1:1 when it is not there)."""
    try:
        node = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None, (1, 1)
    for key_node, value_node in node.value if isinstance(node, yaml.MappingNode) else []:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            text = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            return text, (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
    return None, (1, 1)


def _protected(settings: Settings) -> list[tuple[str, Path]]:
    """The project's own folders; one configured as the project itself or outside it is FM405's to refuse."""
    root = settings.root.resolve()
    folders = [("the content folder (docs_dir)", settings.docs_dir.resolve()),
               ("the annotations folder", settings.annotations_dir.resolve()),
               *(("the templates folder", folder.resolve()) for folder in settings.theme_dirs),
               ("the .git folder", root / ".git")]
    return [(what, path) for what, path in folders if path != root and path.is_relative_to(root)]


def _existing(site: Path, root: Path) -> str | None:
    """Why an existing ``site`` (not a link) is not a folder to replace, or None."""
    if not site.exists():
        return None
    if not site.is_dir():
        return "is an existing file, not a site"
    tracked = _tracked(site, root)
    if tracked:
        return f"holds files committed to the repository ({tracked}); a build would delete them"
    return None


def _tracked(folder: Path, root: Path) -> str | None:
    """The first file git tracks in ``folder``, if the project is a git checkout and git is at hand."""
    if not folder.resolve().is_relative_to(root):
        return None
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", str(folder.resolve().relative_to(root))], cwd=root,
                                capture_output=True, check=False, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    first = listed.split(b"\0", 1)[0]
    return os.fsdecode(first) if first else None


def _is_site(folder: Path) -> bool:
    return any((folder / name).is_file() and not (folder / name).is_symlink() for name in _SITE)


def refusal(settings: Settings, site: Path, configured: bool) -> str | None:
    """Why a build must not replace ``site`` (absolute), or None when it may.

    ``configured``: named by mkdocs.yml, which must keep the site inside the project.
    """
    if (site.parent.resolve() / site.name).is_symlink():
        return "is a symbolic link; a build never replaces a link or what it points to"
    real = site.resolve()
    root = settings.root.resolve()
    if real == root:
        return "is the project folder; a build would replace the whole checkout"
    if root.is_relative_to(real):
        return "lies above the project folder; a build would replace the checkout and everything beside it"
    if configured and not real.is_relative_to(root):
        return "lies outside the project; mkdocs.yml may only name a folder inside it (use -d for another place)"
    for what, path in _protected(settings):
        if real == path or real.is_relative_to(path):
            return f"is or lies inside {what}; a build would replace those files"
        if path.is_relative_to(real):
            return f"contains {what}; a build would replace it"
    try:
        return _existing(site.parent.resolve() / site.name, root)
    except OSError as err:
        return f"cannot be inspected: {err.strerror}"


def guard(settings: Settings, site: Path, given: str, where: tuple[int, int] | None) -> Finding | None:
    """FM501 at ``site_dir`` in mkdocs.yml (``where`` None: the folder ``given`` came from ``-d``)."""
    why = refusal(settings, site, configured=where is not None)
    if why is None:
        return None
    origin = "site_dir" if where else "the -d folder"
    return Finding(settings.config_file, *(where or (1, 1)), "FM501", f"{origin} '{given}' {why}", _HINT)


def cannot_write(config_file: str, where: tuple[int, int], err: OSError) -> Finding:
    """FM502 at ``site_dir``: the site could not be written or replaced; the previous one is unchanged."""
    # the message only: an OSError names the file it was copying from as often as the one it wrote
    return Finding(config_file, *where, "FM502", f"cannot write or replace the site: {err.strerror or err}; "
                   "the previous site is unchanged",
                   "free disk space, or make the site folder and its parent writable, then build again")


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[int]:
    """Hold the exclusive build lock of ``folder`` (where the site lives); yields its descriptor."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(visible(f"Waiting for another build in {folder} to finish..."), file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _ours(entry: os.DirEntry[str], name: str) -> bool:
    """A real directory of ours named like a staging or old folder of a build of ``name``."""
    return entry.name.startswith((f".{name}.build-", f".{name}.old-")) and not entry.is_symlink() \
        and entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.geteuid()


def _built(path: Path) -> bool:
    """A staging folder (our marker) or a site moved aside: what a build of ours made."""
    return _is_site(path) or ((path / MARKER).is_file() and not (path / MARKER).is_symlink())


def remove_stale(site: Path) -> None:
    """Remove what killed builds of ``site`` left; call only while holding :func:`locked`.

    Only folders with our marker or a site in them are removed whole; any other only
    when it is empty (a build killed between creating and marking it). A build killed
    between the two renames of :func:`swap` left no site but the previous one moved
    aside: that one is put back first.
    """
    with os.scandir(site.parent) as entries:
        found = [Path(entry.path) for entry in entries if _ours(entry, site.name)]
    stale = [path for path in found if _built(path)]
    unmarked = [path for path in found if path not in stale]
    aside = [path for path in stale if path.name.startswith(f".{site.name}.old-")]
    if aside and not os.path.lexists(site):
        newest = max(aside, key=lambda path: path.stat().st_mtime)
        newest.rename(site)
        stale.remove(newest)
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    for path in unmarked:
        with contextlib.suppress(OSError):
            path.rmdir()  # fails, as it should, unless it is empty


def staging(site: Path) -> Path:
    """A new, uniquely named, marked folder beside ``site`` to build into."""
    path = site.with_name(f".{site.name}.build-{secrets.token_hex(6)}")
    path.mkdir(mode=0o755)
    try:
        (path / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    except OSError:
        shutil.rmtree(path, ignore_errors=True)  # unmarked, so no later build would know it is ours
        raise
    return path


def swap(new: Path, site: Path) -> None:
    """Put the complete ``new`` in the place of ``site`` (renames only; a link is moved, never followed)."""
    (new / MARKER).unlink()  # a site now: the site holds exactly what MkDocs wrote
    if not os.path.lexists(site):
        new.rename(site)
        return
    old = site.with_name(f".{site.name}.old-{secrets.token_hex(6)}")
    site.rename(old)
    try:
        new.rename(site)
    except OSError:
        old.rename(site)
        raise
    shutil.rmtree(old, ignore_errors=True)  # refuses a link; ignore_errors keeps a leftover for remove_stale


def locate(path: Path) -> Path:
    """``path`` made absolute with its parent's links resolved, but not its own: a ``site`` link stays visible."""
    path = path.absolute()
    return path.resolve() if path.name in ("", "..") else path.parent.resolve() / path.name
