"""factmark's MkDocs theme (``theme: factmark``): templates, partials and assets, shipped as package data.

The repository keeps the theme in its top-level ``templates/`` folder; the package maps it to
``factmark.theme`` so that an installed factmark carries it and MkDocs finds it through the
``mkdocs.themes`` entry point. ``THEME_DIR`` is where the files are, installed or in a checkout:
the plugin reads factmark's own partials and assets from there whatever theme a site uses.
"""

from pathlib import Path

THEME_DIR = Path(__file__).parent
