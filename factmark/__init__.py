"""factmark: a static fact-check annotation site generator.

The core modules (load, validate, anchor, render) never import MkDocs; only
:mod:`factmark.plugin` and :mod:`factmark.cli` do, so the engine stays replaceable.
"""

__version__ = "0.1.0"
