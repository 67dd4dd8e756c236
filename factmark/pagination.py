"""Long lists split into numbered static pages, with a pager that works without JavaScript.

At newsroom scale one verdict can hold tens of thousands of claims: on one page
that is megabytes of HTML. Page 1 stays on the list's own page; pages 2 to N are
separate pages, each linking to its neighbours, the first, the last and the
pages near it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def page_count(items: int, per_page: int) -> int:
    """Pages needed for ``items`` (at least one, so an empty list still has its page)."""
    return max(1, -(-items // per_page))


def window(current: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to link from page ``current``: first, last and ``around`` either side; None marks a gap."""
    out: list[int | None] = []
    previous = 0
    for number in sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)}):
        if number - previous == 2:  # a gap of one page: show its number rather than an ellipsis
            out.append(previous + 1)
        elif number - previous > 2:
            out.append(None)
        out.append(number)
        previous = number
    return out


def page_items(items: Sequence[Any], per_page: int, number: int) -> Sequence[Any]:
    """The items on page ``number``."""
    return items[(number - 1) * per_page:number * per_page]


def listing(items: Sequence[Any], per_page: int, number: int, url: Callable[[int], str]) -> dict[str, Any]:
    """Page ``number`` of ``items``, as plain data for the theme: its items and its pager."""
    last = page_count(len(items), per_page)
    if not 1 <= number <= last:
        raise ValueError(f"page {number} of {last}")
    return {
        "number": number, "last": last, "total": len(items), "first": (number - 1) * per_page + 1,
        "entries": list(page_items(items, per_page, number)),
        "previous": url(number - 1) if number > 1 else None,
        "next": url(number + 1) if number < last else None,
        "pager": [{"number": n, "url": url(n), "current": n == number} if n else None
                  for n in window(number, last)],
    }
