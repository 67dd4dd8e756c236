"""Read a built site's paged annotation collection as a consumer does: from ``first``, page by page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote


def pages(site: Path) -> list[dict[str, Any]]:
    """The site collection's pages in order, following ``first`` and each page's ``next`` to the built files.

    Each page must point back to its predecessor (``prev``) and name the collection it is part of.
    """
    collection = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    base = collection["id"].removesuffix("annotations.jsonld")
    found: list[dict[str, Any]] = []
    address = collection.get("first")
    while address:
        assert address.startswith(base), address
        page = json.loads((site / unquote(address.removeprefix(base))).read_text(encoding="utf-8"))
        assert page["id"] == address and page["type"] == "AnnotationPage"
        assert page["partOf"]["id"] == collection["id"]
        assert page.get("prev") == (found[-1]["id"] if found else None)
        found.append(page)
        address = page.get("next")
    assert (found[-1]["id"] if found else None) == collection.get("last")
    return found


def items(site: Path) -> list[dict[str, Any]]:
    """Every annotation of the site collection, in the collection's order (startIndex checked)."""
    everything: list[dict[str, Any]] = []
    for page in pages(site):
        assert page["startIndex"] == len(everything)
        everything += page["items"]
    return everything
