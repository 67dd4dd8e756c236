"""Typed, validated annotation data; everything downstream trusts these types."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    url: str
    publisher: str
    excerpt: str
    title: str | None = None
    date: str | None = None
    via: str | None = None
    kind: str | None = None  # primary, news or other: readers see which verdicts rest on primary evidence
    language: str | None = None  # BCP 47 tag of the excerpt; None: the document's language
    translation: str | None = None  # the excerpt in the site's language, shown beside it


@dataclass(frozen=True)
class Correction:
    """A change to a published verdict, kept in the annotation file for readers to see."""

    date: str
    note: str
    previous_status: str | None = None


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
