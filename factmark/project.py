"""The whole project: load → validate → anchor, then render pages on demand.

Everything is checked before anything is rendered, so a build either has every
annotation placed or stops with every problem listed. The engine adapter (the
MkDocs plugin) only asks this module for findings, summaries and page HTML.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import anchor as anchoring
from . import contentfiles, drift, editorschema, extensions, highlight, links, render, textmodel, themefiles, validate
from .findings import Finding, capped
from .markdown import LinkResolver, TooComplex, create_page_parser, rewrite_links
from .model import AnnotationFile
from .settings import Settings
from .yamlstrict import Located, YAMLError, load

MAX_CONTENT_BYTES = 5_000_000
PARALLEL_FROM = 64  # files per worker below which forking costs more than it saves
_SHARED: Project | None = None  # the project forked workers read; set only while a pool runs


@dataclass
class Document:
    """One content page, parsed once; annotated when an annotation file targets it."""

    path: str  # relative to docs_dir, POSIX
    display: str  # relative to the project root, for messages
    meta: dict[str, Any]
    tokens: list[Token]
    env: dict[str, Any]
    text: textmodel.DocumentText
    annotation_file: AnnotationFile | None = None
    anchors: list[anchoring.Anchor] = field(default_factory=list)
    has_h1: bool = False
    source: str = ""  # the Markdown, to parse again when the tokens were not kept
    links: list[links.Link] = field(default_factory=list)  # in-site links, for the check (tokens may be gone)
    ids: frozenset[str] = frozenset()  # the ids the parser gave its elements (headings)

    @property
    def is_document(self) -> bool:
        """Annotated texts declare a ``kind``; other pages (home, method) do not."""
        return "kind" in self.meta

    @functools.cached_property
    def coverage(self) -> tuple[int, int]:
        """Sentences in the text, and how many an annotation touches (asked once anchors are final)."""
        return textmodel.coverage(self.text, [(a.start, a.end) for a in self.anchors])

    def counts(self, keys: list[str]) -> dict[str, int]:
        counts = dict.fromkeys(keys, 0)
        for a in self.anchors:
            counts[a.annotation.status] += 1
        return counts


class Project:
    """Loads and checks everything; :meth:`render_page` then renders one page."""

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.refused_folders: dict[str, Finding] = {}  # configured folders FM405 refused: never read nor written
        self.workers = workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                   else os.cpu_count() or 1)
        self.md: MarkdownIt = create_page_parser(settings.markdown.plugins)
        render.install_rules(self.md)
        self.documents: dict[str, Document] = {}
        self.findings: list[Finding] = []
        self.candidates: list[tuple[Path, drift.Candidate]] = []  # quotes that moved, for `fix`
        self.annotation_paths: dict[str, Path] = {}  # document path -> the annotation file that targets it
        self.refused: set[str] = set()  # texts that exist but were not loaded (each has its finding)
        self.content_files: set[str] = set()  # docs_dir-relative files the check lets the site publish
        self._entries: jinja2.Environment | None = None
        self._pairs: list[tuple[Document, AnnotationFile, Path]] = []
        self._resolvers: Callable[[str], LinkResolver] | None = None

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.settings.root).as_posix()
        except ValueError:
            return path.as_posix()

    def load(self) -> list[Finding]:
        """Run every check; return the findings, sorted by file and position.

        Loading builds millions of small objects that all live until the build ends, so
        the cyclic garbage collector would only rescan them: it is paused meanwhile, and
        what was loaded is then frozen out of its scans (a quarter of the time at scale).
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._load()
        finally:
            gc.freeze()
            if enabled:
                gc.enable()
        return self.findings

    def _map(self, job: Callable[[Project, Any, bool], Any], items: list[Any]) -> list[Any]:
        """``job(self, item, local)`` for each item, in order; in forked workers when there are many.

        Texts and annotation files are independent until they are paired, so large
        projects spread them over the CPUs. Workers read this project through fork
        (nothing is sent to them) and return only what the parent keeps.
        """
        workers = min(self.workers, len(items) // PARALLEL_FROM)
        if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [job(self, item, True) for item in items]
        global _SHARED
        _SHARED = self
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                chunk = max(1, len(items) // (8 * workers))
                return pool.map(functools.partial(_in_worker, job), items, chunksize=chunk)
        finally:
            _SHARED = None

    def _load(self) -> None:
        """Nothing is read from a configured folder that leaves the project (contentfiles.configured_paths)."""
        refused = self.refused_folders = contentfiles.configured_paths(self.settings, self.display)
        self.findings += refused.values()
        self.settings = contentfiles.readable(self.settings, refused)  # every reader below sees only these
        theme_files = self._theme_files()
        read = self._read_annotations() if "annotations_dir" not in refused else []
        only = None
        if not self.settings.own_theme:  # the theme renders every other page, as it would without factmark
            theme_files += [f"{render.ASSETS_PATH}/{name}" for name in render.ASSETS]
            only = {PurePosixPath(parsed.document).as_posix() for _, parsed in read if parsed is not None}
        if "docs_dir" not in refused:
            self._load_content(theme_files, only)
        if not {"docs_dir", "annotations_dir"} & refused.keys():  # without texts every document would be missing
            self.findings += self._unrenderable_markdown(read)
            self._pair(read)
            self.findings += links.check(self)  # anchors include the annotations' permalinks
        self.findings += editorschema.stale_findings(self.settings, self.display)
        self.findings = capped(sorted(self.settings.rules.keep(self.findings)))  # select/ignore, then the cap

    def _theme_files(self) -> list[str]:
        """Every theme file's folder-relative path; FM405 for a link in a theme folder of the project.

        An installed theme (outside the project) is the package's, not the pull request's: listed, not judged.
        """
        names: set[str] = set()
        for folder in self.settings.theme_dirs:
            if not folder.is_dir():
                continue
            if folder.resolve().is_relative_to(self.settings.root):
                files, problems = contentfiles.plain_files(folder, self.display)
                self.findings += problems
                names.update(rel for _, rel in files)
            else:
                names.update(themefiles.effective((folder,)))
        return sorted(names)

    def _unrenderable_markdown(self, read: list[tuple[Path, AnnotationFile | None]]) -> list[Finding]:
        """FM420/FM421: what the site's Markdown extensions make that a page factmark renders would lose.

        In factmark's theme that is every page (one finding, at mkdocs.yml); in another theme only
        the annotated texts (one finding per annotation file, at its ``document``).
        """
        markdown = self.settings.markdown
        if not (markdown.unsupported or markdown.custom_fences):
            return []
        config = self.settings.config_file
        places = [(config, 1, 1, "every page")] if self.settings.own_theme else [
            (self.display(path), parsed.document_line, parsed.document_col, f"'{parsed.document}'")
            for path, parsed in read if parsed is not None]
        findings = []
        for *where, what in places:
            for name in markdown.unsupported:
                findings.append(Finding(*where, "FM420", f"factmark renders {what} with markdown-it-py, which has "
                                        f"no equivalent of the Markdown extension '{name}' in {config}",
                                        "remove the extension from markdown_extensions, or leave the text "
                                        f"unannotated (supported: {', '.join(extensions.SUPPORTED)})"))
            if markdown.custom_fences:
                findings.append(Finding(*where, "FM421", f"factmark renders {what} without pymdownx.superfences' "
                                        f"custom fences ({', '.join(markdown.custom_fences)}) in {config}; "
                                        "they would show as code", "remove custom_fences, or leave the text "
                                        "unannotated"))
        return findings

    def _load_content(self, theme_files: list[str], only: set[str] | None = None) -> None:
        """Parse the texts (those in ``only``, when given); refuse what content/ may not publish or replace
        (FM403, FM404, FM405)."""
        docs_dir = self.settings.docs_dir
        if not docs_dir.is_dir():
            self.findings.append(Finding(self.settings.config_file, 1, 1, "FM209",
                                         f"content directory {self.display(docs_dir)} does not exist"))
            return
        content = contentfiles.scan(docs_dir, self.display)
        self.findings += content.findings
        self.content_files = set(content.published)
        texts = content.texts if only is None else [(path, rel) for path, rel in content.texts if rel in only]
        if only is not None:  # the theme renders the other pages; MkDocs still stops on a template it lacks
            self.findings += self._plain_page_templates([path for path, rel in content.texts if rel not in only])
        for rel, doc, problems in self._map(_read_document, texts):
            self.findings += problems
            if doc is not None:
                self.documents[rel] = doc
            elif problems:
                self.refused.add(rel)
        from .summary import claims_page, listing_path  # summary reads a loaded Project: imported once it is

        home = claims_page(self)
        self.findings += contentfiles.refusals(
            content, self.display(docs_dir), directory_urls=self.settings.use_directory_urls,
            theme_files=theme_files, status_keys=self.settings.status_keys,
            listing=None if home is None else functools.partial(listing_path, home))

    def _plain_page_templates(self, paths: list[Path]) -> list[Finding]:
        """FM406 for a page another theme renders whose front matter names a template that theme lacks: only its
        ``template`` is read (the rest of the page is MkDocs' and the theme's), as the build would stop there."""
        problems: list[Finding] = []
        for path in paths:
            display = self.display(path)
            text, _ = validate.read_text(path, display, MAX_CONTENT_BYTES)
            end = text.find("\n---", 4) if text is not None and text.startswith("---\n") else -1
            if text is None or end < 0:
                continue  # no front matter, or none MkDocs reads as such: no template
            try:
                located = load(text[4:end + 1], display, line_offset=1)
            except YAMLError:
                continue  # MkDocs reads such front matter as no metadata
            if isinstance(located.data, dict):
                problems += self._template_problems(located, display)
        return problems

    def _load_document(self, path: Path, rel: str) -> None:
        display = self.display(path)
        text, problems = validate.read_text(path, display, MAX_CONTENT_BYTES)
        self.findings += problems
        if text is None:
            return
        if not text.startswith("---\n") and not text.startswith("---\r\n"):
            what = "content file" if self.settings.own_theme else "annotated text"  # the theme's pages need none
            self.findings.append(Finding(
                display, 1, 1, "FM401", f"{what} does not start with a YAML front-matter block",
                "start the file with '---', 'title: ...', '---'; without it MkDocs may swallow "
                "opening lines such as 'NAME: text' as metadata"))
            return
        env: dict[str, Any] = {}
        try:
            tokens = self.md.parse(text, env)
        except TooComplex as err:
            self.findings.append(Finding(display, err.line, 1, err.code, err.message, err.hint))
            return
        meta = self._front_matter(tokens, display)
        if meta is None:
            return
        has_h1 = any(t.type == "heading_open" and t.tag == "h1" for t in tokens)
        self.documents[rel] = Document(rel, display, meta, tokens, env, textmodel.build(tokens), has_h1=has_h1,
                                       source=text, links=links.collect(tokens, text),
                                       ids=frozenset(render.token_ids(tokens)))

    def _front_matter(self, tokens: list[Token], display: str) -> dict[str, Any] | None:
        if not tokens or tokens[0].type != "front_matter":
            self.findings.append(Finding(display, 1, 1, "FM401",
                                         "the front-matter block is not closed by a '---' line"))
            return None
        try:
            located: Located = load(tokens[0].content, display, line_offset=1)
        except YAMLError as err:
            self.findings.append(err.finding)
            return None
        if not isinstance(located.data, dict):
            self.findings.append(Finding(display, 2, 1, "FM203", "front matter must be a mapping with a title"))
            return None
        problems = [f for _, f in validate.schema_findings(display, located, "document.schema.json")]
        problems += self._template_problems(located, display)  # in any theme: MkDocs stops on a missing one
        self.findings += problems
        return None if problems else located.data

    def _template_problems(self, located: Located, display: str) -> list[Finding]:
        """A front matter ``template`` must name a file in the theme's folder: MkDocs would stop on anything else."""
        name = located.data.get("template")
        if not isinstance(name, str):
            return []  # absent, or the schema already said it must be text
        templates = {rel for rel in themefiles.effective(self.settings.theme_dirs) if rel.endswith(".html")}
        plain = name not in ("", ".", "..") and "/" not in name and "\\" not in name and not name.startswith(".")
        if plain and name in templates:
            return []
        line, col = located.where(("template",))
        known = sorted(rel for rel in templates if "/" not in rel)
        folders = ", ".join(f"{self.display(folder)}/" for folder in self.settings.theme_dirs) or "no theme folder"
        what = "is not the plain file name of a template" if not plain else "is not in the theme's templates"
        return [Finding(display, line, col, "FM406", f"template {validate.clip(name)!r} {what} "
                        f"({folders})", f"use one of: {', '.join(known)}" if known
                        else "remove the key to use the default page template")]

    def _read_annotations(self) -> list[tuple[Path, AnnotationFile | None]]:
        """Read and validate every annotation file (each file's findings are kept), before any text is parsed."""
        folder = self.settings.annotations_dir
        found = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
        refused = {path: problem for path in found if (problem := contentfiles.refused(path, self.display(path)))}
        self.findings += refused.values()  # a link is never read: its target's text would be echoed in findings
        paths = [path for path in found if path not in refused]
        read = []
        for path, (parsed, problems) in zip(paths, self._map(_read_annotations, paths), strict=True):
            self.findings += problems
            read.append((path, parsed))
        return read

    def _pair(self, read: list[tuple[Path, AnnotationFile | None]]) -> None:
        """Give each text its annotation file, then place the quotes."""
        claimed: dict[str, str] = {}
        pairs: list[tuple[Document, AnnotationFile, Path]] = []
        for path, parsed in read:
            display = self.display(path)
            if parsed is None:
                continue
            where = (display, parsed.document_line, parsed.document_col)
            target = PurePosixPath(parsed.document)
            if ".." in target.parts or target.is_absolute():
                self.findings.append(Finding(*where, "FM209",
                                             f"document '{parsed.document}' is outside content/"))
                continue
            doc = self.documents.get(target.as_posix())
            if doc is None and target.as_posix() in self.refused:
                continue  # the text's own finding says why it cannot be annotated
            if doc is None:
                self.findings.append(Finding(*where, "FM209", f"document '{parsed.document}' does not exist",
                                             self._suggest_document(parsed.document)))
                continue
            if doc.path in claimed:
                self.findings.append(Finding(*where, "FM210", f"document '{doc.path}' is already annotated "
                                             f"by {claimed[doc.path]}", "keep one annotation file per document"))
                continue
            claimed[doc.path] = display
            self.annotation_paths[doc.path] = path
            doc.annotation_file = parsed
            pairs.append((doc, parsed, path))
        self._pairs = pairs  # workers read them through fork; only their indices are sent
        placements = self._map(_place, list(range(len(pairs))))
        self._pairs = []
        for (doc, parsed, _), (placed, problems, candidates) in zip(pairs, placements, strict=True):
            doc.anchors = [anchoring.Anchor(parsed.annotations[i], start, end, block)
                           for i, start, end in placed if (block := doc.text.block_at(start)) is not None]
            self.findings += problems
            self.candidates += candidates

    def _anchor(self, doc: Document, parsed: AnnotationFile, annotation_path: Path) -> None:
        """Place each quote; for one that is gone, look for where it went (never placing it)."""
        text = anchoring.FoldedText(doc.text)
        for ann in parsed.annotations:
            placed, problems = anchoring.anchor(ann, text, doc.display)
            if placed is not None:
                doc.anchors.append(placed)
            elif problems[0].code == "FM301":
                candidate = drift.find(ann, text, self.md, self.settings.root, annotation_path,
                                       self.settings.docs_dir / doc.path)
                if candidate is not None and candidate.score >= drift.REPORT_AT:
                    problems = [drift.finding(candidate, text, doc.display)]
                    self.candidates.append((annotation_path, candidate))
            self.findings += problems
        self.findings += anchoring.identical_spans(doc.anchors)

    def reload(self, texts: set[str], annotation_files: set[Path]) -> list[Finding] | None:
        """Re-read changed texts (docs_dir-relative) and annotation files, and check just those.

        For the live preview: returns the findings of the affected documents, or None when
        the change needs a full load (a new file, a file replaced by a link, or an annotation
        file that now targets another document).
        """
        by_file = {path: doc for doc, path in self.annotation_paths.items()}
        if not texts <= self.documents.keys() or not annotation_files <= by_file.keys():
            return None
        changed = [self.settings.docs_dir / rel for rel in texts] + sorted(annotation_files)
        if any(contentfiles.refused(path, "") for path in changed):
            return None
        affected = texts | {by_file[p] for p in annotation_files}
        found, self.findings = self.findings, []
        try:
            for rel in sorted(affected):
                self._load_document(self.settings.docs_dir / rel, rel)
                path = self.annotation_paths.get(rel)
                if path is None or rel not in self.documents:
                    continue
                parsed, problems = validate.read_annotation_file(path, self.display(path), self.settings)
                self.findings += problems
                if parsed is not None and PurePosixPath(parsed.document).as_posix() != rel:
                    return None
                if parsed is not None:
                    doc = self.documents[rel]
                    doc.annotation_file = parsed
                    self._anchor(doc, parsed, path)
            return capped(sorted(self.settings.rules.keep(self.findings)))
        finally:
            self.findings = found

    def _suggest_document(self, name: str) -> str:
        import difflib

        close = difflib.get_close_matches(name, list(self.documents), n=1)
        if close:
            return f"did you mean '{close[0]}'?"
        return f"paths are relative to {self.display(self.settings.docs_dir)}/"

    def render_pages(self, paths: list[str],
                     resolvers: Callable[[str], LinkResolver]) -> dict[str, render.RenderedPage]:
        """Render many pages at once, in forked workers when there are many (pages are independent).

        ``resolvers(path)`` gives the link resolver of one page; it runs where the page is rendered.
        """
        self._resolvers = resolvers
        try:
            return dict(zip(paths, self._map(_render, paths), strict=True))
        finally:
            self._resolvers = None

    def entries(self) -> jinja2.Environment:
        """factmark's own autoescaping environment (its partials): the theme's folders, then the package's
        (``THEME_DIR``); in another theme the package's alone, and that theme's Jinja environment is never touched."""
        if self._entries is None:
            self._entries = render.entries_environment(self.settings.theme_dirs if self.settings.own_theme else ())
        return self._entries

    def render_page(self, path: str, resolve_link: LinkResolver | None = None) -> render.RenderedPage:
        """Render one loaded page (each page once: its tokens are rewritten in place)."""
        doc = self.documents[path]
        if not doc.tokens:  # loaded in a worker, or rendered before: parse again
            doc.env = {}
            doc.tokens = self.md.parse(doc.source, doc.env)
        if resolve_link is not None:
            rewrite_links(doc.tokens, resolve_link)
        withdrawn = doc.annotation_file.withdrawn if doc.annotation_file else ()
        page = render.render(self.md, doc.tokens, doc.env, highlight.number(doc.anchors),
                             self.settings, self.entries(), withdrawn)
        doc.tokens = []  # rendered once; the token stream is the largest thing a document holds
        return page


def _in_worker(job: Callable[[Project, Any, bool], Any], item: Any) -> Any:
    assert _SHARED is not None
    return job(_SHARED, item, False)


def _read_document(project: Project, item: tuple[Path, str], local: bool) -> tuple[str, Document | None,
                                                                                   list[Finding]]:
    """Parse one text; a worker leaves the token stream behind (render parses again)."""
    path, rel = item
    before = len(project.findings)
    project._load_document(path, rel)
    doc = project.documents.pop(rel, None)
    if doc is not None and not local:
        doc.tokens, doc.env = [], {}
    return rel, doc, _take(project.findings, before)


def _read_annotations(project: Project, path: Path, local: bool) -> tuple[AnnotationFile | None, list[Finding]]:
    return validate.read_annotation_file(path, project.display(path), project.settings)


def _place(project: Project, pair: int, local: bool) -> tuple[
        list[tuple[int, int, int]], list[Finding], list[tuple[Path, drift.Candidate]]]:
    """Anchor one document's quotes: (annotation index, start, end) of each placed one, findings, candidates."""
    doc, parsed, path = project._pairs[pair]
    findings, candidates = len(project.findings), len(project.candidates)
    anchors, doc.anchors = doc.anchors, []
    project._anchor(doc, parsed, path)
    index = {id(a): i for i, a in enumerate(parsed.annotations)}
    placed = [(index[id(a.annotation)], a.start, a.end) for a in doc.anchors]
    doc.anchors = anchors
    return placed, _take(project.findings, findings), _take(project.candidates, candidates)


def _render(project: Project, path: str, local: bool) -> render.RenderedPage:
    assert project._resolvers is not None
    return project.render_page(path, project._resolvers(path)).pack()


def _take(items: list[Any], start: int) -> list[Any]:
    """What a job appended to one of the project's lists, removed there: the caller adds it back in order."""
    taken = items[start:]
    del items[start:]
    return taken
