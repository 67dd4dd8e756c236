"""Assemble the open-data files of a built site from the checked project.

Kept apart from the MkDocs plugin so it can be tested with plain URLs: the
plugin only says where pages live and where files go.
"""

from __future__ import annotations

import heapq
import itertools
import json
import posixpath
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from . import export
from .anchor import reading_order
from .highlight import permalink
from .model import Annotation, AnnotationFile, Withdrawal
from .pagetext import PageQuote
from .project import Project
from .settings import Status


def _status(project: Project, key: str) -> Status:
    status = project.settings.status(key)
    assert status is not None  # the check refused unknown statuses before anything is exported
    return status


_NO_FILE = AnnotationFile("", "", 1, 1, ())
Quotes = Mapping[str, Mapping[str, PageQuote]]  # per text, each highlight's selectors on its rendered page


def page_annotations(project: Project, path: str, page_url: str, quotes: Quotes) -> list[dict[str, Any]]:
    doc, on_page = project.documents[path], quotes[path]
    return [export.web_annotation(a, on_page[a.annotation.id], page_url, _status(project, a.annotation.status),
                                  project.settings.archives) for a in reading_order(doc.anchors)]


def claim_reviews(project: Project, path: str, page_url: str, publisher: dict[str, str]) -> list[dict[str, Any]]:
    doc = project.documents[path]
    appearance = doc.meta.get("appearance")
    return [export.claim_review(a, doc, export.uri(page_url), _status(project, a.annotation.status), publisher,
                                appearance)
            for a in reading_order(doc.anchors)]


def write(project: Project, site_dir: Path, site_url: str, site_name: str, urls: dict[str, str],
          quotes: Quotes) -> list[Path]:
    """annotations.jsonld for the site and for each document, and feed.xml; returns what was written.

    The site's file is a paged collection whose pages are the texts' own files (``first``, then each
    page's ``next``): every annotation is written once, and no file grows with the site. Every address
    is written as a URI.
    """
    site_url = export.uri(site_url)
    paths = _published(project, urls)
    page_urls = {p: export.uri(site_url + urls[p]) for p in paths}
    anchors = [a for p in paths for a in project.documents[p].anchors]
    latest = max((export.timestamp(export.modified(a.annotation)) for a in anchors), default=None)
    starts = _starts(project, paths)
    written = [_write_document(project, site_dir, site_url, urls, paths, starts, n, quotes) for n in range(len(paths))]
    names = [export.uri(site_url + document_collection(urls[p])) for p in paths]
    site = export.paged_collection(f"{site_url}{SITE_FILE}", f"{site_name}: every annotation", len(anchors),
                                   latest, names[0] if names else None, names[-1] if names else None)
    site_path = site_dir / SITE_FILE
    site_path.parent.mkdir(parents=True, exist_ok=True)
    site_path.write_text(_encode(site) + "\n", encoding="utf-8")
    written.append(site_path)
    feed_path = site_dir / "feed.xml"
    feed_path.write_bytes(export.atom_feed(site_name, site_url, f"{site_url}feed.xml",
                                           _feed_entries(project, page_urls)))
    written.append(feed_path)
    return written


SITE_FILE = "annotations.jsonld"


def _starts(project: Project, paths: list[str]) -> list[int]:
    """Each page's startIndex in the site collection, and last the collection's total."""
    return [0, *itertools.accumulate(len(project.documents[p].anchors) for p in paths)]


def _published(project: Project, urls: dict[str, str]) -> list[str]:
    """The texts whose files are the site collection's pages, in the collection's order."""
    return [p for p in sorted(project.documents) if project.documents[p].anchors and p in urls]


def _feed_entries(project: Project, page_urls: dict[str, str]) -> list[dict[str, str]]:
    """The feed's newest annotations and withdrawals, picked without making an entry for every one of the site's.

    An annotation whose newest date is a correction's says so in its title and summary, and a withdrawn one
    is an entry of its own: a feed reader learns of a changed verdict, not only of new ones.
    """
    candidates: Iterator[tuple[str, str, Annotation | Withdrawal]] = itertools.chain(
        ((export.timestamp(export.modified(ann)), permalink(page_url, ann.id), ann)
         for path, page_url in page_urls.items()
         for ann in (a.annotation for a in project.documents[path].anchors)),
        ((export.timestamp(w.date), permalink(page_url, w.id), w)
         for path, page_url in page_urls.items()
         for w in (project.documents[path].annotation_file or _NO_FILE).withdrawn))
    newest = heapq.nlargest(export.FEED_ENTRIES, candidates, key=lambda t: (t[0], t[1]))
    entries = []
    for updated, ident, ann in newest:
        label = _status(project, ann.status).label
        title, summary = f"{label}: {export.short(ann.quote)}", ann.summary or ""
        if isinstance(ann, Withdrawal):
            title, summary = f"Withdrawn: {title}", f"Withdrawn {ann.date}: {ann.note}"
        elif ann.corrections and export.modified(ann) == ann.corrections[-1].date:
            latest = ann.corrections[-1]
            title, summary = f"Corrected: {title}", f"{ann.summary} Corrected {latest.date}: {latest.note}"
        entries.append({"id": ident, "updated": updated, "title": title, "summary": summary,
                        "status": ann.status, "label": label})
    return entries


def write_document(project: Project, site_dir: Path, site_url: str, urls: dict[str, str], path: str,
                   quotes: Quotes) -> Path:
    """One text's annotations.jsonld (the live preview rewrites it with the page)."""
    paths = _published(project, urls)
    return _write_document(project, site_dir, export.uri(site_url), urls, paths, _starts(project, paths),
                           paths.index(path), quotes)


def document_collection(url: str) -> str:
    """Where a text's own collection lies, beside its page (``url`` is the page's, relative to the site).

    ``news/x/`` gives ``news/x/annotations.jsonld``; a page that is a file (``use_directory_urls:
    false``), ``news/x.html``, gives ``news/x.annotations.jsonld`` (a folder ``x.html/`` cannot sit
    beside the file); a page at the site's root never takes the site collection's own name.
    """
    url = url.removeprefix("./")  # MkDocs' URL of the root page is "./"
    folder, _, name = url.rpartition("/")
    if name:
        return (folder + "/" if folder else "") + posixpath.splitext(name)[0] + ".annotations.jsonld"
    return url + "annotations.jsonld" if url else "index.annotations.jsonld"


def _write_document(project: Project, site_dir: Path, site_url: str, urls: dict[str, str], paths: list[str],
                    starts: list[int], n: int, quotes: Quotes) -> Path:
    """Write the ``n``-th text's page of the site collection, linked to its neighbours; return where."""
    path = paths[n]
    items = page_annotations(project, path, export.uri(site_url + urls[path]), quotes)
    name = document_collection(urls[path])
    target = site_dir / unquote(name)  # a URL's folders are percent-encoded; the files are not
    target.parent.mkdir(parents=True, exist_ok=True)
    neighbour = {k: export.uri(site_url + document_collection(urls[paths[k]])) for k in (n - 1, n + 1)
                 if 0 <= k < len(paths)}
    page = export.annotation_page(export.uri(site_url + name), project.documents[path].meta["title"], items,
                                  {"id": f"{site_url}{SITE_FILE}", "total": starts[-1]}, starts[n],
                                  neighbour.get(n - 1), neighbour.get(n + 1))
    target.write_text(_encode(page) + "\n", encoding="utf-8")
    return target


def _encode(data: Any) -> str:
    # compact separators keep json on its C encoder (any indent falls back to pure Python)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

