"""Open data: W3C Web Annotations, schema.org ClaimReview and an Atom feed.

Other tools reuse fact-checks: annotation clients read the W3C model, fact-check
aggregators read ClaimReview, people follow feeds. Every date comes from the
annotation files (review and correction dates), never from the clock, so two
builds of one commit publish identical data.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from .anchor import Anchor
from .archives import Archive, archive_of, stamped
from .highlight import permalink
from .model import Annotation, Source
from .pagetext import CONTAINER, PageQuote
from .project import Document
from .settings import Status

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


_URI_CHARS = "!$&'()*+,/:;=?@~-._%"  # what RFC 3986 allows in a path, query or fragment (and escapes)
_STRAY_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")


def uri(iri: str) -> str:
    """The URI of an IRI (RFC 3987, 3.1): the host in IDNA, every other character outside URI syntax
    percent-encoded as UTF-8; a URI comes back unchanged.

    The open data's consumers validate ``format: uri`` (the W3C suite does); pages keep the address as
    written, which browsers map to the same URI.
    """
    parts = urlsplit(iri)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    split = hostport.find("]") + 1 if hostport.startswith("[") else len(hostport.partition(":")[0])
    host, port = hostport[:split], hostport[split:]
    netloc = _encode(userinfo + at) + _ascii_host(host) + port
    return urlunsplit((parts.scheme, netloc, *(_encode(p) for p in parts[2:])))


def _ascii_host(host: str) -> str:
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not a name IDNA can encode: percent-encoded, it is still a valid reg-name
        return _encode(host)


def _encode(part: str) -> str:
    return quote(_STRAY_PERCENT.sub("%25", part), safe=_URI_CHARS)


def timestamp(day: str) -> str:
    """xsd:dateTime for a YYYY-MM-DD (or YYYY-MM) date: midnight UTC."""
    return (day if len(day) == 10 else f"{day}-01") + "T00:00:00Z"


def modified(ann: Annotation) -> str:
    """The latest date the annotation was reviewed or corrected."""
    return max([ann.reviewed, *(c.date for c in ann.corrections)])


def linking(source: Source, archives: tuple[Archive, ...]) -> dict[str, Any]:
    """A source as a linking body; each archived copy is a TimeState (model 4.3.1) naming the copy
    (``cached``) and when it was taken (``sourceDate``: a Wayback address's timestamp, else midnight of its date)."""
    body: dict[str, Any] = {"type": "SpecificResource", "purpose": "linking", "source": uri(source.url)}
    states = []
    for snap in source.archived:
        archive = archive_of(snap.url, archives)
        stamp = stamped(snap.url, archive) if archive is not None else None
        states.append({"type": "TimeState", "cached": uri(snap.url),
                       "sourceDate": stamp.moment if stamp is not None else timestamp(snap.date)})
    if states:
        body["state"] = states[0] if len(states) == 1 else states
    return body


def web_annotation(a: Anchor, quote: PageQuote, page_url: str, status: Status,
                   archives: tuple[Archive, ...]) -> dict[str, Any]:
    """One annotation in the W3C Web Annotation Data Model (motivation: assessing).

    The target is the text's container element on the page (a CssSelector), refined by two
    alternative selectors of the same passage, counted over that element's text as a browser has it.
    """
    ann = a.annotation
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "classifying", "value": status.label, "format": "text/plain"},
        {"type": "TextualBody", "purpose": "assessing", "value": ann.summary, "format": "text/plain",
         "language": "en"},
    ]
    if ann.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": ann.note.strip(),
                     "format": "text/markdown", "language": "en"})
    body += [linking(s, archives) for s in ann.sources]
    context = {k: v for k, v in (("prefix", quote.prefix), ("suffix", quote.suffix)) if v}  # none at an edge
    refinements = [
        {"type": "TextQuoteSelector", "exact": quote.exact, **context},
        {"type": "TextPositionSelector", "start": quote.start, "end": quote.end},
    ]
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
            "selector": [{"type": "CssSelector", "value": CONTAINER, "refinedBy": r} for r in refinements],
        },
    }


def paged_collection(collection_id: str, label: str, total: int, modified: str | None, first: str | None,
                     last: str | None) -> dict[str, Any]:
    """An AnnotationCollection whose pages are documents of their own, named by ``first`` and ``last``.

    The site's collection: embedding every text's annotations would repeat each text's own file (98 MB at
    1,000 texts); a consumer follows ``first`` and each page's ``next`` instead (W3C Web Annotation Protocol 5).
    """
    data: dict[str, Any] = {"@context": CONTEXT, "id": collection_id, "type": "AnnotationCollection",
                            "label": label, "total": total}
    if total and first and last:
        data.update(modified=modified, first=first, last=last)
    return data


def annotation_page(page_id: str, label: str, items: list[Any], part_of: dict[str, Any], start_index: int,
                    prev: str | None, next_page: str | None) -> dict[str, Any]:
    """One page of a paged collection, a document of its own: a text's annotations, in reading order."""
    data: dict[str, Any] = {"@context": CONTEXT, "id": page_id, "type": "AnnotationPage", "label": label,
                            "partOf": part_of, "startIndex": start_index}
    if prev:
        data["prev"] = prev
    if next_page:
        data["next"] = next_page
    data["items"] = items
    return data


def claim_review(a: Anchor, doc: Document, page_url: str, status: Status, publisher: dict[str, str],
                 appearance: str | None) -> dict[str, Any]:
    """schema.org ClaimReview for one annotation (Google's required and recommended properties)."""
    ann = a.annotation
    claim: dict[str, Any] = {"@type": "Claim"}  # a text without 'kind' (a page of another theme) may name neither
    if "author" in doc.meta:
        claim["author"] = {"@type": "Person", "name": doc.meta["author"]}
    if "date" in doc.meta:
        claim["datePublished"] = doc.meta["date"]
    if appearance:
        claim["appearance"] = {"@type": "CreativeWork", "url": uri(appearance), "headline": doc.meta["title"]}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": permalink(page_url, ann.id),
        "claimReviewed": short(ann.quote),
        "reviewRating": {"@type": "Rating", "alternateName": status.label, "name": status.description},
        "author": {"@type": "Organization", **{k: uri(v) if k == "url" else v for k, v in publisher.items()}},
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
