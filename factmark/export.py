"""Open data: W3C Web Annotations, schema.org ClaimReview and an Atom feed.

Other tools reuse fact-checks: annotation clients read the W3C model, fact-check
aggregators read ClaimReview, people follow feeds. Every date comes from the
annotation files (review and correction dates), never from the clock, so two
builds of one commit publish identical data.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from .anchor import CONTEXT as CONTEXT_CHARS
from .anchor import Anchor
from .highlight import permalink
from .model import Annotation
from .project import Document
from .settings import Status

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def timestamp(day: str) -> str:
    """xsd:dateTime for a YYYY-MM-DD (or YYYY-MM) date: midnight UTC."""
    return (day if len(day) == 10 else f"{day}-01") + "T00:00:00Z"


def modified(ann: Annotation) -> str:
    """The latest date the annotation was reviewed or corrected."""
    return max([ann.reviewed, *(c.date for c in ann.corrections)])


def web_annotation(a: Anchor, doc: Document, page_url: str, status: Status) -> dict[str, Any]:
    """One annotation in the W3C Web Annotation Data Model (motivation: assessing)."""
    ann, text = a.annotation, doc.text.text
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "classifying", "value": status.label, "format": "text/plain"},
        {"type": "TextualBody", "purpose": "assessing", "value": ann.summary, "format": "text/plain",
         "language": "en"},
    ]
    if ann.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": ann.note.strip(),
                     "format": "text/markdown", "language": "en"})
    body += [{"type": "SpecificResource", "purpose": "linking", "source": s.url} for s in ann.sources]
    return {
        "@context": CONTEXT,
        "id": permalink(page_url, ann.id),
        "type": "Annotation",
        "motivation": "assessing",
        "created": timestamp(ann.reviewed),
        "modified": timestamp(modified(ann)),
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": page_url,
            "selector": [
                {"type": "TextQuoteSelector", "exact": text[a.start:a.end],
                 "prefix": text[max(0, a.start - CONTEXT_CHARS):a.start], "suffix": text[a.end:a.end + CONTEXT_CHARS]},
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
            ],
        },
    }


def collection(collection_id: str, label: str, items: list[Any], *, total: int | None = None,
               modified: str | None = None) -> dict[str, Any]:
    """An AnnotationCollection whose single page is embedded as ``first``.

    ``total`` and ``modified`` are given when ``items`` only stands for items encoded elsewhere.
    """
    total = len(items) if total is None else total
    data: dict[str, Any] = {"@context": CONTEXT, "id": collection_id, "type": "AnnotationCollection",
                            "label": label, "total": total}
    if total:
        data["modified"] = modified or max(i["modified"] for i in items)
        data["first"] = {"id": f"{collection_id}#page-1", "type": "AnnotationPage", "partOf": collection_id,
                         "startIndex": 0, "items": items}
        data["last"] = f"{collection_id}#page-1"
    return data


def claim_review(a: Anchor, doc: Document, page_url: str, status: Status, publisher: dict[str, str],
                 appearance: str | None) -> dict[str, Any]:
    """schema.org ClaimReview for one annotation (Google's required and recommended properties)."""
    ann = a.annotation
    claim: dict[str, Any] = {"@type": "Claim", "author": {"@type": "Person", "name": doc.meta["author"]},
                             "datePublished": doc.meta["date"]}
    if appearance:
        claim["appearance"] = {"@type": "CreativeWork", "url": appearance, "headline": doc.meta["title"]}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": permalink(page_url, ann.id),
        "claimReviewed": short(ann.quote),
        "reviewRating": {"@type": "Rating", "alternateName": status.label, "name": status.description},
        "author": {"@type": "Organization", **publisher},
        "datePublished": ann.reviewed,
        "dateModified": modified(ann),
        "itemReviewed": claim,
    }


def short(quote: str, limit: int = 75) -> str:
    """A claim summary under Google's suggested 75 characters, cut at a word."""
    text = " ".join(quote.strip().strip("\"\u201c\u201d").split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def json_ld_script(data: Any) -> str:
    """JSON for a <script> element: nothing in it can close the element (compact: the C encoder)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


FEED_ENTRIES = 100  # feed readers poll for what is new; the whole archive is in annotations.jsonld


def atom_feed(site_name: str, site_url: str, feed_url: str, entries: list[dict[str, str]]) -> bytes:
    """An Atom feed of the newest annotations, newest review first, dated from the annotation files."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ordered = sorted(entries, key=lambda e: (e["updated"], e["id"]), reverse=True)[:FEED_ENTRIES]

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
        el.text = text
        return el

    sub(feed, "id", feed_url)
    sub(feed, "title", f"{site_name}: annotations")
    sub(feed, "updated", ordered[0]["updated"] if ordered else "1970-01-01T00:00:00Z")
    sub(feed, "link", href=feed_url, rel="self")
    sub(feed, "link", href=site_url, rel="alternate")
    sub(sub(feed, "author"), "name", site_name)
    for e in ordered:
        entry = sub(feed, "entry")
        sub(entry, "id", e["id"])
        sub(entry, "title", e["title"])
        sub(entry, "updated", e["updated"])
        sub(entry, "link", href=e["id"], rel="alternate")
        sub(entry, "summary", e["summary"])
        sub(entry, "category", term=e["status"], label=e["label"])
    ET.indent(feed)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n").encode()
