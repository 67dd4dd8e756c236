"""Robust Links (https://robustlinks.mementoweb.org/spec/): a link that outlives its target.

A source link with an archived copy carries ``data-originalurl``, ``data-versionurl`` and
``data-versiondate``, so that a reader's tool (the Robust Links script, a browser extension, a
crawler) can reach the snapshot when the original is gone, and the original when the archive is.
The entry template and the note cards take the attributes from here, so both say the same.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .model import Snapshot, Source


def attributes(source: Source, snapshot: Snapshot | None = None) -> Markup:
    """The three attributes for a link to ``source`` (or to its ``snapshot``), escaped; nothing without a snapshot.

    The version named is ``snapshot`` when given (an "archived copy" link), else the source's first.
    """
    snap = snapshot or source.snapshot
    if snap is None:
        return Markup("")
    return Markup(f' data-originalurl="{escape(source.url)}" data-versionurl="{escape(snap.url)}"'
                  f' data-versiondate="{escape(snap.date)}"')
