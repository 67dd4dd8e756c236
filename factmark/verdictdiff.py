"""What changes for readers between two versions of a site: verdicts, summaries, sources, quotes, texts.

A reviewer of a fact-check pull request asks what readers will see differently, not which YAML
lines moved. :func:`snapshot` takes what a loaded :class:`~factmark.project.Project` publishes;
:func:`compare` lists the changes between two snapshots in reader terms. Both are pure (no git,
no files), so they are tested with plain data and shared by ``factmark diff`` and the corrections
gate (:mod:`factmark.corrections`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from . import drift
from .model import Correction, Withdrawal
from .project import Project

# the kinds of change, in the order a reviewer reads them for one text (also the JSON "kind" values)
KINDS = ("text-added", "text-removed", "text-corrected", "annotation-added", "annotation-removed",
         "status-changed", "summary-changed", "quote-moved", "source-added", "source-removed", "correction-added")
TYPO_MIN_LENGTH = 5  # a one-letter edit in a shorter word ("not" -> "now") may change its meaning
TYPO_MAX_WORDS = 2  # more typo-sized edits than this in one summary is a rewrite
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Verdict:
    """One published annotation, as readers see it, and where it is written."""

    document: str
    id: str
    quote: str
    status: str
    summary: str
    sources: tuple[str, ...]
    corrections: tuple[Correction, ...]
    span: tuple[int, int] | None  # offsets in the text; None when the quote was not placed
    file: str
    line: int
    col: int


@dataclass(frozen=True)
class Text:
    """One published text: its title, what a reader reads, and its annotation file."""

    title: str
    text: str
    display: str  # the text's file, as findings name it
    annotation_file: str | None = None
    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class Snapshot:
    """What one version of the site publishes, keyed by text path (and annotation id)."""

    texts: dict[str, Text] = field(default_factory=dict)
    verdicts: dict[tuple[str, str], Verdict] = field(default_factory=dict)
    withdrawn: dict[tuple[str, str], Withdrawal] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One change a reader would notice. ``before``/``after`` hold what :data:`KINDS` documents for the kind."""

    kind: str
    document: str
    title: str
    annotation: str | None = None
    quote: str | None = None
    before: Any = None
    after: Any = None
    detail: str | None = None
    file: str | None = None
    line: int | None = None

    def as_json(self) -> dict[str, Any]:
        """Every key always present, in this order: consumers can rely on the shape (README: diff)."""
        return {"kind": self.kind, "document": self.document, "title": self.title, "annotation": self.annotation,
                "quote": self.quote, "before": self.before, "after": self.after, "detail": self.detail,
                "file": self.file, "line": self.line}


def snapshot(project: Project) -> Snapshot:
    """What a loaded project publishes: its texts (annotated or with a ``kind``) and their verdicts."""
    texts: dict[str, Text] = {}
    verdicts: dict[tuple[str, str], Verdict] = {}
    withdrawn: dict[tuple[str, str], Withdrawal] = {}
    for path, doc in sorted(project.documents.items()):
        parsed = doc.annotation_file
        if not doc.is_document and parsed is None:
            continue
        title = str(doc.meta.get("title", path))
        where = (parsed.path, parsed.document_line, parsed.document_col) if parsed else (None, 1, 1)
        texts[path] = Text(title, doc.text.text, doc.display, *where)
        if parsed is None:
            continue
        spans = {a.annotation.id: (a.start, a.end) for a in doc.anchors}
        for ann in parsed.annotations:
            verdicts[(path, ann.id)] = Verdict(path, ann.id, ann.quote, ann.status, ann.summary,
                                               tuple(s.url for s in ann.sources), ann.corrections,
                                               spans.get(ann.id), ann.file, ann.line, ann.col)
        for record in parsed.withdrawn:
            withdrawn[(path, record.id)] = record
    return Snapshot(texts, verdicts, withdrawn)


def words(summary: str) -> list[str]:
    """A summary's words, compared without case, punctuation, spacing or Unicode compatibility forms."""
    return _WORD.findall(unicodedata.normalize("NFKC", summary).casefold())


def substantive(before: str, after: str) -> bool:
    """Whether a summary's change is one of substance, which a published verdict may only get with a correction.

    Not substance: case, punctuation and spacing, and up to :data:`TYPO_MAX_WORDS` typo fixes, each one
    letter added, removed, replaced or two swapped in a word of at least :data:`TYPO_MIN_LENGTH` letters
    without digits. Anything else is: a word added, removed or replaced, a number changed.
    """
    old, new = words(before), words(after)
    if old == new:
        return False
    if len(old) != len(new):
        return True
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    return len(changed) > TYPO_MAX_WORDS or not all(
        min(len(a), len(b)) >= TYPO_MIN_LENGTH and not any(c.isdigit() for c in a + b)
        and DamerauLevenshtein.distance(a, b) == 1 for a, b in changed)


def compare(base: Snapshot, head: Snapshot) -> list[Change]:
    """Every change from ``base`` to ``head``, by text, then kind (:data:`KINDS`), then annotation."""
    changes: list[Change] = []
    for path in sorted(base.texts.keys() | head.texts.keys()):
        old, new = base.texts.get(path), head.texts.get(path)
        title = (new or old).title  # type: ignore[union-attr]
        if old is None:
            changes.append(Change("text-added", path, title, after=title))
        elif new is None:
            changes.append(Change("text-removed", path, title, before=title))
        elif old.text != new.text or old.title != new.title:
            changes.append(Change("text-corrected", path, title, before=old.title, after=new.title,
                                  detail=word_diff(old.text, new.text)))
    for key in sorted(base.verdicts.keys() | head.verdicts.keys()):
        changes += _verdict_changes(base, head, key)
    return sorted(changes, key=lambda c: (c.document, KINDS.index(c.kind), c.annotation or ""))


def _verdict_changes(base: Snapshot, head: Snapshot, key: tuple[str, str]) -> list[Change]:
    old, new = base.verdicts.get(key), head.verdicts.get(key)
    path, ident = key
    title = (head.texts.get(path) or base.texts[path]).title
    if old is None:
        assert new is not None
        return [Change("annotation-added", path, title, ident, new.quote, after=new.status, file=new.file,
                       line=new.line)]
    if new is None:
        record = head.withdrawn.get(key)
        text = head.texts.get(path)
        return [Change("annotation-removed", path, title, ident, old.quote, before=old.status,
                       detail=f"withdrawn {record.date}: {record.note}" if record else "no withdrawal record",
                       file=text.annotation_file if text else None, line=record.line if record else None)]
    at = {"file": new.file, "line": new.line}
    found: list[Change] = []
    if old.status != new.status:
        found.append(Change("status-changed", path, title, ident, new.quote, old.status, new.status, **at))
    if old.summary != new.summary:
        found.append(Change("summary-changed", path, title, ident, new.quote, old.summary, new.summary,
                            "substance" if substantive(old.summary, new.summary) else "wording", **at))
    if old.quote != new.quote or _moved(base.texts[path].text, head.texts[path].text, old.span, new.span):
        found.append(Change("quote-moved", path, title, ident, new.quote, _place(old), _place(new), **at))
    found += [Change("source-added", path, title, ident, new.quote, after=url, **at)
              for url in new.sources if url not in old.sources]
    found += [Change("source-removed", path, title, ident, new.quote, before=url, **at)
              for url in old.sources if url not in new.sources]
    found += [Change("correction-added", path, title, ident, new.quote, after=c.note, detail=c.date, **at)
              for c in new.corrections if c not in old.corrections]
    return found


def _place(verdict: Verdict) -> dict[str, Any]:
    start, end = verdict.span if verdict.span else (None, None)
    return {"quote": verdict.quote, "start": start, "end": end}


def _moved(old_text: str, new_text: str, old: tuple[int, int] | None, new: tuple[int, int] | None) -> bool:
    """Whether the same words now highlight another place: the old span, carried through the text's
    correction, is not the new one (an edit earlier in the text shifts offsets but moves nothing)."""
    if old is None or new is None:
        return old != new
    if old_text == new_text:
        return old != new
    ops = drift.opcodes(old_text, new_text)
    if ops is None:  # too large a correction to carry positions through: compare what surrounds the quote
        return old_text[max(0, old[0] - 32):old[0]] != new_text[max(0, new[0] - 32):new[0]]
    return (drift.carry(ops, old[0], end=False), drift.carry(ops, old[1], end=True)) != new


def word_diff(before: str, after: str, limit: int = 3) -> str:
    """The first ``limit`` changed passages of a corrected text, as ``"old" → "new"``, for reviewers."""
    old, new = before.split(), after.split()
    parts = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gone, came = " ".join(old[a1:a2]), " ".join(new[b1:b2])
        parts.append(f'"{_clip(gone)}" → "{_clip(came)}"' if gone and came
                     else f'added "{_clip(came)}"' if came else f'removed "{_clip(gone)}"')
    more = len(parts) - limit
    return "; ".join(parts[:limit]) + (f"; and {more} more" if more > 0 else "") if parts else "the title"


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
