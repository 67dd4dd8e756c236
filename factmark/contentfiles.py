"""What the content folder may publish, and paths that must not leave the project.

MkDocs copies every file of docs_dir into the site verbatim, follows symbolic links while
it walks, and lets a content file win over the theme's file of the same name. Content
comes from strangers' pull requests, so this scan decides what is published before MkDocs
sees anything: texts (``.md``) and media a browser shows but never runs (:data:`MEDIA`).
HTML, SVG, scripts and styles run in the site's origin and belong to the theme.

No symbolic link is read or published anywhere in the project's folders: where a link
points is decided on the machine that builds, not in the diff a reviewer reads (a link
into ``.git``, to ``/proc/self/environ`` or to a file outside the checkout looks like one
line of text). The check and the build run this same scan (:meth:`Project.load`), and the
plugin drops from MkDocs' file list whatever the scan did not accept.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .findings import Finding
from .settings import Settings

MEDIA = frozenset({".avif", ".csv", ".gif", ".jpeg", ".jpg", ".pdf", ".png", ".txt", ".webp"})
_ACTIVE = frozenset({".css", ".htm", ".html", ".js", ".mjs", ".shtml", ".svg", ".svgz", ".wasm", ".xht", ".xhtml",
                     ".xml", ".xsl", ".xslt"})  # types a browser runs or styles with: the hint says why
_MARKDOWN_LIKE = frozenset({".markdown", ".md", ".mdown", ".mkd", ".mkdn"})  # MkDocs' page types, any case
GENERATED = {  # what the build writes at the top of the site, beside the theme's files
    "404.html": "the site's 404 page", "search.html": "the search page", "sitemap.xml": "MkDocs' sitemap",
    "sitemap.xml.gz": "MkDocs' sitemap", "annotations.jsonld": "factmark's open data", "feed.xml": "factmark's feed",
    "schema/annotations.schema.json": "factmark's editor schema",
    "schema/document.schema.json": "factmark's editor schema",
}
_OPEN_DATA = "annotations.jsonld"  # also written beside every text's page
_SEARCH = "search/"  # the site search writes its scripts and index here (Pagefind in factmark's theme, else lunr)
Display = Callable[[Path], str]
Listing = Callable[[str, int], str]  # (verdict, page number) -> a numbered claims page's source path


@dataclass
class ContentScan:
    """The content folder, sorted: texts to load, media to copy, and what was refused."""

    texts: list[tuple[Path, str]] = field(default_factory=list)  # (path, docs_dir-relative POSIX path)
    media: list[str] = field(default_factory=list)  # docs_dir-relative POSIX paths
    other: list[str] = field(default_factory=list)  # of a type the site does not publish (FM403)
    findings: list[Finding] = field(default_factory=list)  # links and special files (FM405)

    @property
    def published(self) -> list[str]:
        return sorted([rel for _, rel in self.texts] + self.media)


def refused(path: Path, shown: str) -> Finding | None:
    """FM405 unless ``path`` is a plain file; never follows a link (a loop or a dangling one is just a link)."""
    try:
        mode = path.lstat().st_mode
    except OSError as err:
        return Finding(shown, 1, 1, "FM001", f"cannot read file: {err.strerror}")
    if stat.S_ISLNK(mode):
        return Finding(shown, 1, 1, "FM405", "is a symbolic link; factmark never reads or publishes one",
                       "commit the file itself, inside the project, instead of a link to it")
    if not stat.S_ISREG(mode):
        return Finding(shown, 1, 1, "FM405", "is not a plain file", "remove it; only files and folders are read")
    return None


def plain_files(folder: Path, display: Display) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """Every plain file under ``folder`` (path, folder-relative POSIX path), sorted; FM405 for each link.

    A linked folder is reported and not entered (os.walk lists it without following it).
    """
    files: list[tuple[Path, str]] = []
    findings: list[Finding] = []
    for top, dirs, names in os.walk(folder):
        here = Path(top)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                names.append(name)  # reported below, as any other link
        dirs.sort()
        for name in sorted(names):
            path = here / name
            problem = refused(path, display(path))
            if problem is None:
                files.append((path, path.relative_to(folder).as_posix()))
            else:
                findings.append(problem)
    return sorted(files, key=lambda item: item[1]), findings


def scan(docs_dir: Path, display: Display) -> ContentScan:
    """Sort the content folder into texts, media, other files and links (FM405).

    Hidden files and folders (a part starting with '.') are not published: MkDocs leaves
    them out, and the plugin drops them even when ``exclude_docs`` says otherwise.
    """
    files, findings = plain_files(docs_dir, display)
    out = ContentScan(findings=findings)
    for path, rel in files:
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        suffix = PurePosixPath(rel).suffix
        if suffix == ".md":
            out.texts.append((path, rel))
        elif suffix.lower() in MEDIA:
            out.media.append(rel)
        else:
            out.other.append(rel)
    return out


def refusals(content: ContentScan, docs_display: str, *, directory_urls: bool, theme_files: list[str],
             listing: Listing | None, status_keys: list[str]) -> list[Finding]:
    """FM404 for each file that would replace another in the site, else FM403 for each type not published.

    A shadowing file is reported as such whatever its type (``content/assets/factmark.js`` would
    replace the theme's script); the arguments are those of :func:`collisions`.
    """
    clashes = collisions(content.published + content.other, docs_display, directory_urls=directory_urls,
                         theme_files=theme_files, listing=listing, status_keys=status_keys)
    return [*clashes.values(), *(_not_published(f"{docs_display}/{rel}", PurePosixPath(rel).suffix)
                                 for rel in content.other if rel not in clashes)]


def _not_published(shown: str, suffix: str) -> Finding:
    allowed = ", ".join(sorted(MEDIA))
    kind = f"'{suffix}' files" if suffix else "files without an extension"
    if suffix.lower() in _MARKDOWN_LIKE:
        hint = "rename it to .md (lowercase): only .md texts are checked, MkDocs would publish this one unchecked"
    elif suffix.lower() in _ACTIVE:
        hint = ("HTML, SVG, scripts and styles run in the site's origin: write the page in Markdown, export a "
                "drawing as PNG; the theme's own files live in templates/")
    else:
        hint = "convert it to one of those types, or link to it at its publisher's address"
    return Finding(shown, 1, 1, "FM403", f"{kind} are not published; content/ holds Markdown (.md) and {allowed}",
                   hint)


def destination(rel: str, directory_urls: bool) -> str:
    """Where MkDocs writes a content file in the site (its ``File.dest_uri``), without importing MkDocs."""
    if not rel.endswith(".md"):
        return rel
    parent, _, name = rel.rpartition("/")
    stem = name[:-3]
    page = "index.html" if stem in ("index", "README") else f"{stem}/index.html" if directory_urls else f"{stem}.html"
    return f"{parent}/{page}" if parent else page


def collisions(published: list[str], docs_display: str, *, directory_urls: bool, theme_files: list[str],
               listing: Listing | None, status_keys: list[str]) -> dict[str, Finding]:
    """FM404 for each content file that would replace a theme or generated file, or another content file.

    Destinations compare case-folded and composed: on a case-insensitive file system (a checkout on
    macOS or Windows) ``Assets/Factmark.JS`` is the theme's ``assets/factmark.js``, and on macOS a
    decomposed ``café.png`` is the composed one.
    ``listing(verdict, n)`` is the source path of a numbered claims page (``claims/disputed/2.md`` beside
    ``claims.md``); every such page is refused, not just today's, so adding claims never breaks a build.
    """
    reserved = dict.fromkeys(map(_same_file, theme_files), "a file of the theme")
    reserved.update({name: what for name, what in GENERATED.items() if name not in reserved})
    findings = {}
    seen: dict[str, str] = {}
    for rel in sorted(published, key=_index_first):
        dest = destination(rel, directory_urls)
        key = _same_file(dest)
        owner = (reserved.get(key) or _generated(key, rel, directory_urls, listing, status_keys)
                 or (f"{docs_display}/{seen[key]}" if key in seen else None))
        seen.setdefault(key, rel)
        if owner is not None:
            findings[rel] = replacing(f"{docs_display}/{rel}", owner, dest)
    return findings


def replacing(shown: str, owner: str, dest: str) -> Finding:
    """FM404: content file ``shown`` would be written at ``dest``, where ``owner`` is."""
    return Finding(shown, 1, 1, "FM404", f"would replace {owner} at {dest} in the site",
                   "rename or move it; names that differ only in case are the same file on case-insensitive "
                   "file systems")


def _same_file(path: str) -> str:
    """One spelling per file on any file system: case-folded, and composed (macOS stores 'é' decomposed)."""
    return unicodedata.normalize("NFC", path).casefold()


def _index_first(rel: str) -> tuple[str, bool, str]:
    """MkDocs keeps ``index.md`` and drops ``README.md`` beside it: the README is the one reported."""
    parent, _, name = rel.rpartition("/")
    return parent, name != "index.md", name


def _generated(key: str, rel: str, directory_urls: bool, listing: Listing | None,
               status_keys: list[str]) -> str | None:
    """What else the build writes at destination ``key`` (case-folded), if anything."""
    if key.rsplit("/", 1)[-1] == _OPEN_DATA:
        return "the open data factmark writes beside a text's page"
    if key.startswith(_SEARCH) and not rel.endswith(".md"):
        return "the site search's files"
    match = re.fullmatch(r"(?:.*/)?([a-z0-9-]+)/([1-9][0-9]*)(?:/index)?\.html", key)
    if listing is None or match is None or match[1] not in status_keys or int(match[2]) < 2:
        return None
    verdict, number = match[1], int(match[2])
    page = _same_file(destination(listing(verdict, number), directory_urls))
    return f"page {number} of the {verdict} claims" if page == key else None


def configured_paths(settings: Settings, display: Display) -> dict[str, Finding]:
    """FM405 for each configured folder that lies outside the project, is the project itself, or is reached
    through a symbolic link; keyed by the setting, so that nothing is read from it."""
    root = Path(os.path.abspath(settings.root))
    found = {}
    configured = [("docs_dir", settings.docs_dir), ("annotations_dir", settings.annotations_dir)]
    for key, folder in configured + ([("theme.custom_dir", settings.custom_dir)] if settings.custom_dir else []):
        path = Path(os.path.abspath(folder))
        shown = display(path)
        if path == root or not path.is_relative_to(root):
            problem = f"{key} '{shown}' is not a folder inside the project"
        elif any(p.is_symlink() for p in [path, *path.parents] if p.is_relative_to(root) and p != root):
            problem = f"{key} '{shown}' is reached through a symbolic link"
        else:
            continue
        found[key] = Finding(settings.config_file, 1, 1, "FM405", problem,
                             "name a folder of the repository, relative to mkdocs.yml, such as 'content'")
    return found


def readable(settings: Settings, refused: dict[str, Finding]) -> Settings:
    """The settings every reader of a project uses: a theme folder :func:`configured_paths` refused is
    left out of ``theme_dirs``, so nothing reads it (templates, ids, links, the entries' environment)."""
    if "theme.custom_dir" not in refused:
        return settings
    return replace(settings, theme_dirs=tuple(d for d in settings.theme_dirs if d != settings.custom_dir))
