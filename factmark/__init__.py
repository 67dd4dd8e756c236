"""factmark: a static fact-check annotation site generator.

The core modules (load, validate, anchor, render) never import MkDocs; only
:mod:`factmark.plugin` and :mod:`factmark.serve` do, written against ``mkdocs.*``. Which engine that
names, MkDocs or ProperDocs, :mod:`factmark.siteengine` decides here, before any of them is imported.
"""

from . import siteengine as siteengine

__version__ = "0.2.0"
