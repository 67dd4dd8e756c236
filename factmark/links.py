"""Links and the nav, checked as MkDocs' ``validation:`` checks them, without importing MkDocs.

``factmark build`` always runs MkDocs with ``--strict``, so whatever MkDocs would log as a
warning about a link or the nav fails the build. The check predicts exactly those cases (a level of
``warn`` in ``validation:``; ``info`` and ``ignore`` are not findings), whatever ``strict:`` says,
so that ``check`` passes only where the build succeeds. The plugin runs MkDocs' own link
validation over the same links (``plugin._validate_links``), so a build without ``--strict`` logs
the same warnings plain MkDocs would. Resolution follows MkDocs 1.6's ``_RelativePathTreeprocessor``
and ``get_navigation``; ``tests/test_check_predicts_build.py`` builds each case with plain MkDocs
to keep the two in step.
"""

from __future__ import annotations

import difflib
import fnmatch
import logging
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

import pathspec  # MkDocs' own pattern matcher for exclude_docs and not_in_nav (its dependency, not MkDocs)
import yaml
from markdown_it.token import Token

from . import themefiles
from .findings import Finding

if TYPE_CHECKING:
    from .project import Document, Project

WARN, INFO, IGNORE = logging.WARNING, logging.INFO, logging.DEBUG
RELATIVE_TO_DOCS = -1  # absolute links resolve against docs_dir (MkDocs' ``relative_to_docs``)
_NAV_HINT = "each nav entry is a page ('a.md'), a titled page ('Title: a.md') or a titled list ('Part: [a.md, b.md]')"
FUZZY_HINTS = 100  # similarity searches for hints per check; later misses get the general hint
# theme files MkDocs never copies (``Files.add_files_from_theme``)
_THEME_SKIPS = (".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*",
                "*.md", "*.markdown", "*.mdown", "*.mkdn", "*.mkd")


@dataclass(frozen=True)
class Rules:
    """What mkdocs.yml says about links: the nav, the URL style and each validation level."""

    nav: Any = None
    omitted_files: int = INFO
    nav_not_found: int = WARN
    nav_absolute_links: int = INFO
    not_found: int = WARN
    absolute_links: int = INFO
    unrecognized_links: int = INFO
    anchors: int = INFO
    # gitignore-style pattern lists: exclude_docs (after MkDocs' own) and draft_docs name pages a build leaves
    # out, whose links MkDocs does not check; not_in_nav names pages that need no place in the nav
    excluded: tuple[tuple[str, ...], ...] = ((".*", "/templates/"),)
    not_in_nav: tuple[str, ...] = ()
    warnings_fail: bool = True  # ``factmark build`` runs MkDocs strict; a plain ``mkdocs build`` may not


@dataclass(frozen=True)
class Link:
    """A link or image in a page, where the Markdown writes it."""

    target: str  # as written: the fragment is not percent-encoded (MkDocs compares it with ids as written)
    line: int
    col: int


def nav_problems(nav: Any, config_file: Path) -> list[Finding]:
    """FM409 at the nav of mkdocs.yml for what MkDocs' ``Nav`` option would refuse in it, beyond its own
    validation: a list that contains itself (MkDocs would recurse until it crashed). ``check`` and
    ``build.py build`` both ask this before MkDocs runs."""
    problem = _nav_entries(nav)[1] if nav is not None else None
    if problem is None:
        return []
    return [Finding(config_file.name, *_nav_marks(config_file)[0], "FM409", problem, _NAV_HINT)]


def collect(tokens: list[Token], source: str) -> list[Link]:
    """Every in-site link and image of a parsed page, with the line and column it starts at.

    External links (a scheme or host) are left out, as MkDocs leaves them. The column comes
    from the offset the parser recorded (``markdown._located``) within the block's text.
    """
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = []
    for block in tokens:
        if block.type != "inline" or block.map is None:
            continue
        locate = _Locator(block.content, block.map[0], lines)
        for token in block.children or ():
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            target = token.attrGet(attr) if attr else None
            if not isinstance(target, str):
                continue
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:
                continue
            line, col = locate(token.meta.get("offset", 0))
            found.append(Link(urlunsplit(parts._replace(fragment=unquote(parts.fragment))), line, col))
    return found


class _Locator:
    """1-based line and column in the source of offsets into one inline block's text.

    Offsets come in increasing order, so the block is scanned once however many links it has.
    """

    def __init__(self, content: str, first_line: int, lines: list[str]) -> None:
        self.content, self.first_line, self.lines = content, first_line, lines
        self.row, self.start, self.base = 0, 0, -1

    def __call__(self, offset: int) -> tuple[int, int]:
        if offset < self.start:
            self.row, self.start, self.base = 0, 0, -1
        while (newline := self.content.find("\n", self.start, offset)) >= 0:
            self.row, self.start, self.base = self.row + 1, newline + 1, -1
        index = self.first_line + self.row
        if self.base < 0:  # where the block's line starts in the source line (after '> ', '- ', '| '...)
            end = self.content.find("\n", self.start)
            text = self.content[self.start:end if end >= 0 else len(self.content)]
            self.base = max(self.lines[index].find(text), 0) if text and index < len(self.lines) else 0
        return index + 1, self.base + offset - self.start + 1


def check(project: Project) -> list[Finding]:
    """Every link and nav entry a strict MkDocs build would refuse, as findings (none when it is not strict)."""
    from . import render, summary  # they import settings, which imports this module

    rules = project.settings.links
    if not rules.warnings_fail:
        return []  # MkDocs logs the same warnings itself (plugin._validate_links) and goes on
    listings = summary.listing_paths(project)
    files = set(project.content_files)  # what the build publishes of content/ (contentfiles.scan)
    files |= set(listings) | {p for p in themefiles.effective(project.settings.theme_dirs) if p not in files
                              and not _theme_skipped(p)}
    excluded = [pathspec.GitIgnoreSpec.from_lines(lines) for lines in rules.excluded]
    built = {path: doc for path, doc in project.documents.items() if not any(s.match_file(path) for s in excluded)}
    anchors: dict[str, set[str]] = {path: set() for path in listings}  # their templates draw them: no ids
    for path, doc in built.items():
        withdrawn = tuple(w.id for w in doc.annotation_file.withdrawn) if doc.annotation_file else ()
        anchors[path] = render.page_ids(set(doc.ids), [a.annotation.id for a in doc.anchors], withdrawn)
    site, findings = _Site(files, anchors), []
    for doc in built.values():
        for link in doc.links:
            finding = _check_link(doc, link, site, rules, project.settings.use_directory_urls)
            if finding is not None:
                findings.append(finding)
    return findings + _check_nav(project, built, site, rules)


def _theme_skipped(path: str) -> bool:
    return any(fnmatch.fnmatch(path.lower(), pattern) for pattern in _THEME_SKIPS)


class _Site:
    """The files and anchors links may point to, and hints for links that miss them.

    Each hint is worked out once, and similarity searches (which scan every file or id) are
    limited in number, so a page of hostile links costs time in proportion to its size.
    """

    def __init__(self, files: set[str], anchors: dict[str, set[str]]) -> None:
        self.files, self.anchors = files, anchors
        self.searches = FUZZY_HINTS
        self._hints: dict[tuple[str, str, str], str | None] = {}
        self._by_name: dict[str, str] | None = None  # file name -> the least deep file of that name
        self._owner: dict[str, str] | None = None  # anchor -> the first page that has it
        self._folded: dict[str, dict[str, str]] = {}  # page -> lowercase id -> id

    def _similar(self, word: str, pool: Iterable[str]) -> str | None:
        if self.searches <= 0:
            return None
        self.searches -= 1
        return next(iter(difflib.get_close_matches(word, sorted(pool), n=1)), None)

    def closest_file(self, target: str) -> str | None:
        """A file of the same name elsewhere (the least deep), else the most similar path."""
        key = ("file", target, "")
        if key not in self._hints:
            if self._by_name is None:
                self._by_name = {}
                for file in sorted(self.files, key=lambda f: (f.count("/"), f)):
                    self._by_name.setdefault(posixpath.basename(file), file)
            same = self._by_name.get(posixpath.basename(target))
            self._hints[key] = same or self._similar(target, self.files)
        return self._hints[key]

    def anchor_hint(self, anchor: str, page: str, target: str) -> str:
        """The target page's anchor that differs only in case, the page that has this very anchor, or the closest."""
        folded = self._folded.get(target)
        if folded is None:
            folded = self._folded[target] = {i.lower(): i for i in sorted(self.anchors[target], reverse=True)}
        if anchor.lower() in folded:
            return f"did you mean '#{folded[anchor.lower()]}'?"
        if self._owner is None:
            self._owner = {}
            for path in sorted(self.anchors):
                for i in self.anchors[path]:
                    self._owner.setdefault(i, path)
        if anchor in self._owner:
            return f"'#{anchor}' is on '{_relative(self._owner[anchor], page, urlsplit('#' + anchor))}'"
        key = ("anchor", target, anchor)
        if key not in self._hints:
            self._hints[key] = self._similar(anchor, self.anchors[target])
        close = self._hints[key]
        return f"did you mean '#{close}'?" if close else \
            "anchors are heading ids (lowercase, hyphens for spaces) and annotation permalinks '#fm-<id>'"


def _check_link(doc: Document, link: Link, site: _Site, rules: Rules, directory_urls: bool) -> Finding | None:
    """The finding for one link, where MkDocs would warn about it (``path_to_url``)."""
    parts = urlsplit(link.target)
    where = (doc.display, link.line, link.col)
    absolute = link.target.startswith(("/", "\\"))
    if absolute and rules.absolute_links != RELATIVE_TO_DOCS:
        if rules.absolute_links < WARN:
            return None
        inside = _target(doc.path, unquote(parts.path))
        hint = (f"write it relative to this page: '{_relative(inside, doc.path, parts)}'" if inside in site.files
                else "link to the page's .md file, relative to this page")
        return Finding(*where, "FM410", f"absolute link '{link.target}' is left as is and breaks "
                       "wherever the site is not served at the root of its domain", hint)
    if not parts.path:
        if parts.fragment and rules.anchors >= WARN and parts.fragment not in site.anchors[doc.path]:
            return Finding(*where, "FM411", f"link '{link.target}': this page has no anchor '#{parts.fragment}'",
                           site.anchor_hint(parts.fragment, doc.path, doc.path))
        return None
    path = unquote(parts.path)
    target = _target(doc.path, path)
    if target in site.files:
        ids = site.anchors.get(target)
        if parts.fragment and ids is not None and parts.fragment not in ids and rules.anchors >= WARN:
            return Finding(*where, "FM411", f"link '{link.target}': '{target}' has no anchor '#{parts.fragment}'",
                           site.anchor_hint(parts.fragment, doc.path, target))
        return None
    unrecognized = not posixpath.splitext(path)[1] and not absolute
    if (rules.unrecognized_links if unrecognized else rules.not_found) < WARN:
        return None
    guess = next((g for g in _guesses(doc.path, path, directory_urls) if g in site.files), None)
    guess = guess or site.closest_file(target)
    hint = f"did you mean '{_relative(guess, doc.path, parts)}'?" if guess else \
        "links name a page's .md file or another file of the site, relative to this page"
    folder = doc.display.removesuffix(doc.path)
    if unrecognized:
        return Finding(*where, "FM410", f"link '{link.target}' names no file (MkDocs links by file name, "
                       "such as 'page.md')", hint)
    if target.startswith("../") or target == "..":
        return Finding(*where, "FM410", f"link '{link.target}' points outside {folder}, which the site does "
                       "not publish", hint)
    named = f" names '{target}', which" if target != path else ""
    return Finding(*where, "FM410", f"link '{link.target}'{named} is not a file of {folder}", hint)


def _target(page: str, path: str) -> str:
    """The docs-relative file a link from ``page`` names (MkDocs' ``_target_uri``)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path).lstrip("/"))


def _guesses(page: str, path: str, use_directory_urls: bool) -> Iterator[str]:
    """Files a link that names none probably meant (MkDocs' ``_possible_target_uris``)."""
    target = _target(page, path)
    if posixpath.normpath(path) == ".":
        yield page
    if not posixpath.splitext(target)[1]:
        yield posixpath.join(target, "index.md")
        yield posixpath.join(target, "README.md")
    if not path.endswith(".md") and (use_directory_urls or not path.endswith("/")):
        yield target.removesuffix(".html") + ".md"


def _relative(file: str, page: str, parts: Any) -> str:
    """A link from ``page`` to ``file``, keeping the link's query and fragment."""
    path = "" if file == page and parts.fragment else posixpath.relpath(file, posixpath.dirname(page) or ".")
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def _check_nav(project: Project, built: dict[str, Document], site: _Site, rules: Rules) -> list[Finding]:
    """Nav entries naming no file, and texts the nav leaves out (MkDocs' ``get_navigation``)."""
    if rules.nav is None:
        return []
    settings = project.settings
    nav_mark, marks = _nav_marks(settings.root / settings.config_file)
    entries, _ = _nav_entries(rules.nav)  # its shape was checked as mkdocs.yml was read (nav_problems)
    findings, listed = [], set()
    for entry in entries:
        docs_relative = entry.startswith("/") and rules.nav_absolute_links == RELATIVE_TO_DOCS
        lookup = PurePosixPath(entry.lstrip("/") if docs_relative else entry).as_posix()  # no '..' folding
        parts = urlsplit(entry)
        if lookup in site.files:
            listed.add(lookup)
            continue
        where = (settings.config_file, *marks.get(entry, nav_mark))
        if parts.scheme or parts.netloc:
            continue
        if entry.startswith("/") and rules.nav_absolute_links != RELATIVE_TO_DOCS:
            if rules.nav_absolute_links >= WARN:
                findings.append(Finding(*where, "FM409", f"nav entry '{entry}' is an absolute path, left as a "
                                        "link to outside the site", "name the page's .md file, relative to "
                                        f"{project.display(settings.docs_dir)}/"))
        elif rules.nav_not_found >= WARN:
            close = site.closest_file(lookup)
            findings.append(Finding(*where, "FM409", f"nav entry '{entry}' is not a file of "
                                    f"{project.display(settings.docs_dir)}/",
                                    f"did you mean '{close}'?" if close else "remove it, or add the page"))
    if rules.omitted_files >= WARN:
        unlisted = pathspec.GitIgnoreSpec.from_lines(rules.not_in_nav)
        findings += [Finding(doc.display, 1, 1, "FM409", f"'{path}' is not in the nav of {settings.config_file}",
                             f"add '{path}' under 'nav:' in {settings.config_file}, or to 'not_in_nav:'")
                     for path, doc in built.items() if path not in listed and not unlisted.match_file(path)]
    return findings


def _nav_entries(nav: Any) -> tuple[list[str], str | None]:
    """Every path or URL in a nav, and what MkDocs' ``Nav`` option would refuse or warn about in it.

    Walked with a stack, not recursion (a hostile mkdocs.yml may nest deeply); a list that YAML
    aliases share is walked once, and one that contains itself is refused (MkDocs would recurse
    until it crashed).
    """
    if not isinstance(nav, list):
        return [], f"the nav must be a list, got {_kind(nav)}"
    paths: list[str] = []
    open_lists: set[int] = set()  # the lists being walked: meeting one again is a cycle
    done: set[int] = set()
    stack: list[tuple[Any, bool]] = [(nav, True)]  # (value, is a list of entries); (list, False) closes it
    while stack:
        value, is_list = stack.pop()
        if isinstance(value, list) and not is_list:
            open_lists.discard(id(value))
            done.add(id(value))
        elif is_list:
            if id(value) in open_lists:
                return paths, "the nav contains itself (a YAML alias inside its own anchor)"
            if id(value) in done:
                continue
            open_lists.add(id(value))
            stack.append((value, False))
            for item in value:
                if isinstance(item, str):
                    paths.append(item)
                elif isinstance(item, dict) and len(item) == 1:
                    section = next(iter(item.values()))
                    stack.append((section, isinstance(section, list)))
                else:
                    return paths, f"a nav entry must be a string or a mapping of one title, got {_kind(item)}"
        elif isinstance(value, str):
            paths.append(value)
        else:
            return paths, f"a nav section must be a list, got {_kind(value)}"
    return paths, None


def _kind(value: Any) -> str:
    """A short description of a configuration value, for messages."""
    if isinstance(value, dict):
        return f"a mapping of {len(value)} key(s)"
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    return "nothing" if value is None else repr(value)[:60]


def _nav_marks(config_file: Path) -> tuple[tuple[int, int], dict[str, tuple[int, int]]]:
    """Where the nav starts in mkdocs.yml, and each of its entries (the first, when one repeats)."""
    from .settings import _TolerantLoader

    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return (1, 1), {}
    pairs = root.value if isinstance(root, yaml.MappingNode) else []
    key, nav = next(((k, v) for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value == "nav"), (None, None))
    marks: dict[str, tuple[int, int]] = {}
    stack, seen = [nav], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: the node was walked where its anchor is
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            marks.setdefault(node.value, (node.start_mark.line + 1, node.start_mark.column + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack += [value for _, value in reversed(node.value)]  # the keys are titles
    return ((key.start_mark.line + 1, key.start_mark.column + 1) if key else (1, 1)), marks
