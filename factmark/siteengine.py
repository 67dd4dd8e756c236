"""Which site engine builds the site: MkDocs 1.6 or ProperDocs 1.6 (its maintained fork), chosen once.

factmark's adapter (:mod:`factmark.plugin`, :mod:`factmark.serve`) is written against ``mkdocs.*``.
ProperDocs serves the same API as ``properdocs.*`` and, once ``properdocs.replacement`` is imported,
answers every ``mkdocs.*`` import with its own module, so the one adapter runs on either engine.
The choice is made when the package is first imported, before any adapter module:

- the engine already running wins (``mkdocs build`` or ``properdocs build`` loading the plugin: its
  base classes are the ones the plugin must subclass);
- otherwise (``factmark build``/``serve``) ``FACTMARK_ENGINE=mkdocs|properdocs`` decides, and without
  it ProperDocs when it is installed: nothing installs ProperDocs but a deliberate choice, whereas
  MkDocs comes along with Material and many plugins; then MkDocs.

``NAME`` is None when neither is installed; every command then stops with one line saying what to install,
``check`` included, which reads mkdocs.yml with the engine's own loader and validation (:mod:`factmark.mkconfig`).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

ENGINES = ("properdocs", "mkdocs")  # in order of preference when neither is running
INSTALL_HINT = "pip install 'factmark[mkdocs]' or 'factmark[properdocs]'"


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _choose() -> str | None:
    running = [name for name in ENGINES if name in sys.modules]  # properdocs first: it aliases 'mkdocs' too
    if running:
        return running[0]
    wanted = os.environ.get("FACTMARK_ENGINE", "").strip().lower()
    if wanted:  # as asked, or none (unusable() says why): never another engine than the one named
        return wanted if wanted in ENGINES and _installed(wanted) else None
    return next((name for name in ENGINES if _installed(name)), None)


def unusable() -> str | None:
    """Why no build can run here, as one line, or None when an engine is installed."""
    if NAME is not None:
        return None
    wanted = os.environ.get("FACTMARK_ENGINE", "").strip()
    if wanted and wanted.lower() not in ENGINES:
        return f"FACTMARK_ENGINE={wanted!r} names no site engine (hint: use mkdocs or properdocs)"
    if wanted:
        return f"FACTMARK_ENGINE={wanted!r}, but {wanted.lower()} is not installed (hint: {INSTALL_HINT})"
    return f"factmark needs a site engine, and neither MkDocs nor ProperDocs is installed (hint: {INSTALL_HINT})"


NAME: str | None = _choose()
if NAME == "properdocs":
    importlib.import_module("properdocs.replacement")  # from here on, mkdocs.* is properdocs.*
