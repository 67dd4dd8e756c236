"""Plain data for the theme: the site's documents and one page's facts.

Templates receive dicts of strings and numbers, never core objects, so the
theme cannot reach into internals and stays easy to restyle.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from . import pagination
from .anchor import reading_order
from .highlight import permalink
from .model import Annotation
from .project import Document, Project
from .strings import TITLE_LIMIT, Strings

CLAIMS_TEMPLATE = "claims.html"
Claim = tuple[str, str, int, Annotation]  # the text's path, the fact-check's title, the annotation's number, itself
SETTLED = "documented"  # the verdict readers need least: listed and counted after the others


def _statuses(project: Project) -> list[dict[str, str]]:
    return [{"key": s.key, "label": s.label, "description": s.description, "colour": s.colour,
             "symbol": s.symbol} for s in project.settings.statuses]


def by_concern(statuses: list[dict[str, str]]) -> list[dict[str, str]]:
    """The statuses with the problems first: ``documented`` last, the others in their configured order."""
    return sorted(statuses, key=lambda s: s["key"] == SETTLED)


def titles(doc: Document, t: Strings) -> dict[str, str]:
    """How the site names its fact-check of a text: ``Fact-check: “Headline”`` (the text's own headline,
    its h1, quoted), in full for the page and cut at a word for ``<title>`` and ``og:title``."""
    title, quoted = doc.meta["title"], doc.has_h1
    return {"headline": t.headline(title, quoted), "short": t.headline(title, quoted, TITLE_LIMIT)}


def site_summary(project: Project, urls: dict[str, str], grouped: dict[str, list[Claim]]) -> dict[str, Any]:
    """Every annotated document with its counts per status, for the home page; the first page of each
    verdict's claims (``grouped``, from :func:`claims`) for the claims page."""
    keys = project.settings.status_keys
    t = Strings(project.settings.locale)
    statuses = _statuses(project)
    documents = []
    for path, doc in _by_date(project):
        if not doc.is_document:
            continue
        counts = doc.counts(keys)
        total_sentences, touched = doc.coverage
        documents.append({
            "path": path, "url": urls.get(path, ""), "title": doc.meta["title"], **titles(doc, t),
            "kind": doc.meta["kind"],
            "author": doc.meta["author"], "date": doc.meta["date"], "counts": counts,
            "total": sum(counts.values()), "sentences": total_sentences, "touched": touched,
            "share": round(100 * touched / total_sentences) if total_sentences else 0,
        })
    totals = {k: sum(d["counts"][k] for d in documents) for k in keys}
    return {"statuses": statuses, "by_concern": by_concern(statuses), "documents": documents, "totals": totals,
            "total": sum(totals.values()), "verdicts": [k for k in keys if totals[k]],
            "corrections": corrections(project, urls),
            "claims": {k: claims_listing(project, grouped, urls, k, 1) for k in keys},
            "claims_url": urls.get(claims_page(project) or "")}  # where the search page sends a reader without JS


def _by_date(project: Project) -> list[tuple[str, Document]]:
    """Pages oldest text first, then by path: the order of the home page and the claims page."""
    return sorted(project.documents.items(), key=lambda kv: (kv[1].meta.get("date", ""), kv[0]))


def claims(project: Project) -> dict[str, list[Claim]]:
    """Every annotation on the site, grouped by status, in document and reading order.

    References, not copies: a large site has tens of thousands of claims, held for the whole build,
    and a page of the theme only ever shows ``claims_per_page`` of them (:func:`claims_listing`).
    """
    grouped: dict[str, list[Claim]] = {k: [] for k in project.settings.status_keys}
    t = Strings(project.settings.locale)
    for path, doc in _by_date(project):
        headline = titles(doc, t)["short"] if doc.is_document else doc.meta["title"]  # on every claim: short
        for number, a in enumerate(reading_order(doc.anchors), 1):  # as highlight.number numbers the page
            grouped[a.annotation.status].append((path, headline, number, a.annotation))
    return grouped


def _claim(claim: Claim, urls: dict[str, str]) -> dict[str, Any]:
    path, title, number, ann = claim
    return {"quote": ann.quote, "summary": ann.summary, "document": title, "number": number,
            "url": permalink(urls.get(path, ""), ann.id)}


def claims_page(project: Project) -> str | None:
    """The page that lists every claim: the one the theme renders with ``claims.html``."""
    return next((path for path, doc in project.documents.items() if doc.meta.get("template") == CLAIMS_TEMPLATE),
                None)


def listing_path(claims_path: str, key: str, number: int) -> str:
    """Where page ``number`` (2 on) of one verdict's claims lives: ``claims/disputed/2.md`` beside ``claims.md``."""
    folder, _, name = claims_path.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    if stem not in ("index", "README"):
        folder = f"{folder}/{stem}" if folder else stem
    return f"{folder}/{key}/{number}.md" if folder else f"{key}/{number}.md"


def listing_paths(project: Project) -> dict[str, tuple[str, int]]:
    """Each further claims page to generate, with its verdict and number (none while every list fits one page)."""
    home = claims_page(project)
    if home is None:
        return {}
    counts = Counter(a.annotation.status for doc in project.documents.values() for a in doc.anchors)
    per_page = project.settings.claims_per_page
    return {listing_path(home, key, n): (key, n) for key in project.settings.status_keys
            for n in range(2, pagination.page_count(counts[key], per_page) + 1)}


def claims_listing(project: Project, grouped: dict[str, list[Claim]], urls: dict[str, str], key: str,
                   number: int) -> dict[str, Any]:
    """Page ``number`` of the claims with verdict ``key``; page 1 is that verdict's section of the claims page."""
    home = claims_page(project)
    items = grouped[key]
    if home is None:  # no claims page to continue from: one list
        page = pagination.listing(items, max(1, len(items)), 1, lambda n: f"#claims-{key}")
    else:
        page = pagination.listing(
            items, project.settings.claims_per_page, number,
            lambda n: f"{urls.get(home, '')}#claims-{key}" if n == 1 else urls[listing_path(home, key, n)])
    page["entries"] = [_claim(c, urls) for c in page["entries"]]
    return page


def changed_listings(project: Project, listings: dict[str, tuple[str, int]], before: dict[str, list[Claim]],
                     after: dict[str, list[Claim]]) -> set[str]:
    """Of ``listings`` (numbered claims pages), those whose claims differ between two :func:`claims`.

    Claims compare by value (path, title, annotation), so a page counts as changed when anything
    about one of its claims did, even something it does not show, such as a line number.
    """
    def shown(grouped: dict[str, list[Claim]], key: str, n: int) -> Any:
        return pagination.page_items(grouped.get(key, []), project.settings.claims_per_page, n)

    return {path for path, (key, n) in listings.items() if shown(before, key, n) != shown(after, key, n)}


def corrections(project: Project, urls: dict[str, str]) -> list[dict[str, Any]]:
    """Every change to a published verdict, and every annotation withdrawn (``withdrawn``: true, with the
    ``quote`` it had), newest first, for the Method page."""
    out = []
    for path, doc in project.documents.items():
        for a in doc.anchors:
            ann = a.annotation
            out += [{"date": c.date, "note": c.note, "previous_status": c.previous_status, "status": ann.status,
                     "summary": ann.summary, "document": doc.meta["title"], "withdrawn": False, "quote": ann.quote,
                     "url": permalink(urls.get(path, ""), ann.id)} for c in ann.corrections]
        out += [{"date": w.date, "note": w.note, "previous_status": None, "status": w.status, "summary": w.summary,
                 "document": doc.meta["title"], "withdrawn": True, "quote": w.quote,
                 "url": permalink(urls.get(path, ""), w.id)}
                for w in (doc.annotation_file.withdrawn if doc.annotation_file else ())]
    return sorted(out, key=lambda c: (c["date"], c["url"]), reverse=True)


def page_summary(project: Project, path: str, site_name: str) -> dict[str, Any]:
    """What the page template shows around the text: what the page is (its framing), metadata, counts, repairs."""
    doc = project.documents[path]
    counts = doc.counts(project.settings.status_keys)
    statuses = _statuses(project)
    summary = {
        "is_document": doc.is_document,
        "meta": doc.meta,
        "counts": counts,
        "total": sum(counts.values()),
        "verdict_keys": [key for key, count in counts.items() if count],  # what the search filters the page under
        "has_h1": doc.has_h1,
        "statuses": statuses,
        "by_concern": by_concern(statuses),
        "language": doc.language or project.settings.locale,
    }
    if doc.is_document:
        t = Strings(project.settings.locale)
        appearance = doc.meta.get("appearance")
        host = urlsplit(appearance).hostname if isinstance(appearance, str) else None
        summary.update(titles(doc, t), verdicts=t.verdicts(counts, summary["by_concern"]),
                       framing=t.framing(doc.meta, site_name, host))
    return summary
