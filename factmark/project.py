"""The whole project: load → validate → anchor, then render pages on demand.

Everything is checked before anything is rendered, so a build either has every
annotation placed or stops with every problem listed. The engine adapter (the
MkDocs plugin) only asks this module for findings, summaries and page HTML.
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import anchor as anchoring
from . import drift, highlight, render, textmodel, validate
from .findings import Finding
from .markdown import LinkResolver, create_page_parser, rewrite_links
from .model import AnnotationFile
from .settings import Settings
from .yamlstrict import Located, YAMLError, load

MAX_CONTENT_BYTES = 5_000_000


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

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.md: MarkdownIt = create_page_parser()
        render.install_rules(self.md)
        self.documents: dict[str, Document] = {}
        self.findings: list[Finding] = []
        self.candidates: list[tuple[Path, drift.Candidate]] = []  # quotes that moved, for `fix`
        self.annotation_paths: dict[str, Path] = {}  # document path -> the annotation file that targets it
        self._entries: jinja2.Environment | None = None

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

    def _load(self) -> None:
        docs_dir = self.settings.docs_dir
        for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
            rel = path.relative_to(docs_dir)
            if any(part.startswith(".") for part in rel.parts):
                continue
            self._load_document(path, rel.as_posix())
        if not docs_dir.is_dir():
            self.findings.append(Finding(self.settings.config_file, 1, 1, "FM209",
                                         f"content directory {self.display(docs_dir)} does not exist"))
        self._load_annotations()
        self.findings.sort()

    def _load_document(self, path: Path, rel: str) -> None:
        display = self.display(path)
        text, problems = validate.read_text(path, display, MAX_CONTENT_BYTES)
        self.findings += problems
        if text is None:
            return
        if not text.startswith("---\n") and not text.startswith("---\r\n"):
            self.findings.append(Finding(
                display, 1, 1, "FM401", "content file does not start with a YAML front-matter block",
                "start the file with '---', 'title: ...', '---'; without it MkDocs may swallow "
                "opening lines such as 'NAME: text' as metadata"))
            return
        env: dict[str, Any] = {}
        tokens = self.md.parse(text, env)
        meta = self._front_matter(tokens, display)
        if meta is None:
            return
        has_h1 = any(t.type == "heading_open" and t.tag == "h1" for t in tokens)
        self.documents[rel] = Document(rel, display, meta, tokens, env, textmodel.build(tokens), has_h1=has_h1)

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
        problems = validate.schema_findings(display, located, "document.schema.json")
        self.findings += [f for _, f in problems]
        return None if problems else located.data

    def _load_annotations(self) -> None:
        folder = self.settings.annotations_dir
        claimed: dict[str, str] = {}
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []:
            display = self.display(path)
            parsed, problems = validate.read_annotation_file(path, display, self.settings)
            self.findings += problems
            if parsed is None:
                continue
            where = (display, parsed.document_line, parsed.document_col)
            target = PurePosixPath(parsed.document)
            if ".." in target.parts or target.is_absolute():
                self.findings.append(Finding(*where, "FM209",
                                             f"document '{parsed.document}' is outside content/"))
                continue
            doc = self.documents.get(target.as_posix())
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
            self._anchor(doc, parsed, path)

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
        the change needs a full load (a new file, or an annotation file that now targets
        another document).
        """
        by_file = {path: doc for doc, path in self.annotation_paths.items()}
        if not texts <= self.documents.keys() or not annotation_files <= by_file.keys():
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
            return sorted(self.findings)
        finally:
            self.findings = found

    def _suggest_document(self, name: str) -> str:
        import difflib

        close = difflib.get_close_matches(name, list(self.documents), n=1)
        if close:
            return f"did you mean '{close[0]}'?"
        return f"paths are relative to {self.display(self.settings.docs_dir)}/"

    def render_page(self, path: str, resolve_link: LinkResolver | None = None) -> render.RenderedPage:
        """Render one loaded page (each page once: its tokens are rewritten in place)."""
        doc = self.documents[path]
        if resolve_link is not None:
            rewrite_links(doc.tokens, resolve_link)
        if self._entries is None:
            self._entries = render.entries_environment(self.settings.templates_dir)
        page = render.render(self.md, doc.tokens, doc.env, highlight.number(doc.anchors),
                             self.settings, self._entries)
        doc.tokens = []  # rendered once; the token stream is the largest thing a document holds
        return page
