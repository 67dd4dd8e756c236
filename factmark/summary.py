"""Plain data for the theme: the site's documents and one page's facts.

Templates receive dicts of strings and numbers, never core objects, so the
theme cannot reach into internals and stays easy to restyle.
"""

from __future__ import annotations

from typing import Any

from .project import Project


def _statuses(project: Project) -> list[dict[str, str]]:
    return [{"key": s.key, "label": s.label, "description": s.description, "colour": s.colour,
             "symbol": s.symbol} for s in project.settings.statuses]


def site_summary(project: Project, urls: dict[str, str]) -> dict[str, Any]:
    """Every annotated document with its counts per status, for the home page."""
    keys = project.settings.status_keys
    documents = []
    for path, doc in sorted(project.documents.items(), key=lambda kv: (kv[1].meta.get("date", ""), kv[0])):
        if not doc.is_document:
            continue
        counts = doc.counts(keys)
        documents.append({
            "path": path, "url": urls.get(path, ""), "title": doc.meta["title"], "kind": doc.meta["kind"],
            "author": doc.meta["author"], "date": doc.meta["date"], "counts": counts,
            "total": sum(counts.values()),
        })
    totals = {k: sum(d["counts"][k] for d in documents) for k in keys}
    return {"statuses": _statuses(project), "documents": documents, "totals": totals,
            "total": sum(totals.values())}


def page_summary(project: Project, path: str) -> dict[str, Any]:
    """What the page template shows around the text: metadata, counts, repairs."""
    doc = project.documents[path]
    counts = doc.counts(project.settings.status_keys)
    return {
        "is_document": doc.is_document,
        "meta": doc.meta,
        "counts": counts,
        "total": sum(counts.values()),
        "has_h1": any(t.type == "heading_open" and t.tag == "h1" for t in doc.tokens),
        "statuses": _statuses(project),
    }
