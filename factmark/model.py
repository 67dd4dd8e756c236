"""Typed, validated annotation data; everything downstream trusts these types."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Snapshot:
    """An archived copy of a source: where a reader finds it when the original moves, dies or changes."""

    url: str
    date: str


@dataclass(frozen=True)
class Source:
    url: str
    publisher: str
    excerpt: str
    title: str | None = None
    date: str | None = None
    via: str | None = None
    kind: str | None = None  # primary, news or other: readers see which verdicts rest on primary evidence
    archived: tuple[Snapshot, ...] = ()  # the first is the one linked (Robust Links' data-versionurl)
    status: str = "live"  # live, dead or usurped (Wikipedia's url-status): what the original address serves now
    verified: str | None = None  # when `sources verify --record` last found it reachable with its excerpt

    @property
    def snapshot(self) -> Snapshot | None:
        """The archived copy a reader is sent to, if any."""
        return self.archived[0] if self.archived else None

    @property
    def href(self) -> str:
        """Where the source's link goes first: the snapshot once the original is dead or usurped."""
        if self.status != "live" and self.snapshot is not None:
            return self.snapshot.url
        return self.url


@dataclass(frozen=True)
class Correction:
    """A change to a published verdict, kept in the annotation file for readers to see."""

    date: str
    note: str
    previous_status: str | None = None


@dataclass(frozen=True)
class Withdrawal:
    """A published annotation taken off its text: what readers had read, when and why it went.

    Kept in the annotation file (``withdrawn:``) so the site still tells readers what was removed,
    and so the corrections gate (``check --base``) can tell a withdrawal from a silent deletion.
    """

    id: str
    quote: str
    status: str
    date: str
    note: str
    summary: str | None = None
    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class Annotation:
    """One verdict on one quoted span, with where it was written for messages."""

    id: str
    quote: str
    status: str
    summary: str
    sources: tuple[Source, ...]
    reviewed: str
    prefix: str | None = None
    suffix: str | None = None
    note: str | None = None
    corrections: tuple[Correction, ...] = ()
    file: str = ""
    line: int = 1
    col: int = 1
    quote_line: int = 1
    quote_col: int = 1


@dataclass(frozen=True)
class AnnotationFile:
    """The annotations of one document, as written in annotations/<slug>.yaml."""

    path: str
    document: str
    document_line: int
    document_col: int
    annotations: tuple[Annotation, ...]
    withdrawn: tuple[Withdrawal, ...] = ()
