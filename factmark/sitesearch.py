"""The search of factmark's theme: Pagefind, run over the written site once MkDocs has written it.

MkDocs' search plugin (lunr) puts every word of every page into one ``search_index.json`` that a
reader's browser downloads and parses whole before the first result: 124 MB at 1,000 realistic
texts. Pagefind splits its index into small compressed chunks and loads only those a query needs,
then the fragments of the results shown. The pages say what it indexes: ``data-pagefind-body`` on
the texts and the claims pages (never the home, search or 404 page), filters by verdict and language
and the document's name (``partials/search-data.html``); the page's chrome and what a page shows
twice (a card repeats its entry) are left out with :data:`EXCLUDE`.

All pages go into one index, in the site's language, whatever their ``<html lang>``: Pagefind would
otherwise keep an index per language, which a search page searches only by merging them, and it
answers a word missing from an index with the short words the word starts with (Pagefind issue 446:
"ayuntamiento" finds every English page with an "a"), so every page of one language would answer any
word of another. In one index a Spanish word finds the Spanish text itself; the ``language`` filter
narrows to a language. The cost: a text in another language than the site's is stemmed by the site
language's rules, so its words are found as written rather than in every inflection.

Pagefind writes its filters and languages in a different order on each run; :mod:`pagefindorder` sorts
them, so two builds are byte-identical (``tests/test_search.py`` builds twice). No MkDocs import here:
``plugin.py`` and ``serve.py`` call :func:`index`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from . import pagefindorder
from .findings import Finding

OUTPUT = "search"  # the site's folder for the bundle, where MkDocs' search wrote lunr's (FM404 keeps it clear)
STAGING = ".search-next"  # where Pagefind writes, swapped in when complete (hidden: never a content file's name)
# parts of a page that are not its content (the kicker, counts and filter, pagers, a badge's symbol; the legend is
# outside the body), or that repeat it: a marker's card holds its entry's verdict and sources, a printed URL its link
EXCLUDE = (".fm-framing-title", ".doc-kicker", ".doc-status", ".fm-under-review-label", ".fm-entry-links",
           ".fm-print-url", ".pager", ".fm-sym")
# the bundle's own result interfaces: the theme draws results itself (assets/search.js), so they are not published
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
PINNED = "pagefind[bin]==1.5.2"  # the version whose format pagefindorder.py reads
INSTALL = "pip install 'pagefind[bin]' (factmark depends on it; a copy installed without its dependencies lacks it)"


class IndexerFailed(Exception):
    """The indexer could not run or failed; ``finding`` says so (FM504, FM505)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.format())
        self.finding = finding


def executable() -> Path | None:
    """The Pagefind binary that the ``pagefind-bin`` package ships, or None when it is not installed."""
    try:
        import pagefind_bin  # type: ignore[import-untyped]  # only a build with search needs it

        return Path(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError):
        return None


def index(site_dir: Path, language: str, config_file: str, where: tuple[int, int]) -> None:
    """Index ``site_dir`` into ``site_dir/search/`` as one index in ``language`` (ISO 639-1), replacing what was
    there (an earlier run's index, or MkDocs' search_index.json) once the new one is complete. Raises
    :class:`IndexerFailed` with a finding at ``where`` in mkdocs.yml."""
    binary = executable()
    if binary is None:
        raise IndexerFailed(Finding(config_file, *where, "FM505", "the search indexer Pagefind is not installed, "
                                  "so the site would have no search", INSTALL))
    out, staged = site_dir / OUTPUT, site_dir / STAGING
    shutil.rmtree(staged, ignore_errors=True)
    command = [str(binary), "--site", str(site_dir), "--output-subdir", STAGING, "--force-language", language,
               "--exclude-selectors", ", ".join(EXCLUDE), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
    except OSError as err:
        done = subprocess.CompletedProcess(command, -1, "", str(err))
    if done.returncode != 0 or not (staged / "pagefind.js").is_file():
        said = " ".join((done.stderr or done.stdout).split())[-300:] or f"exit status {done.returncode}"
        raise IndexerFailed(Finding(config_file, *where, "FM504", f"the search indexer Pagefind failed: {said}",
                                  "the build stops and the previous site stays; build again, and "
                                  "report the message if it stays"))
    for name in UNUSED:
        (staged / name).unlink(missing_ok=True)
    try:
        pagefindorder.order(staged)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as err:  # another Pagefind's format
        shutil.rmtree(staged, ignore_errors=True)
        raise IndexerFailed(Finding(config_file, *where, "FM504", f"the search index Pagefind wrote could not be "
                                    f"put in a reproducible order: {err}", f"install the Pagefind that "
                                    f"constraints.txt pins ({PINNED})")) from None
    old = site_dir / f"{STAGING}-old"
    if out.exists():
        out.rename(old)  # the preview serves the old index until the new one is complete
    staged.rename(out)
    shutil.rmtree(old, ignore_errors=True)
