"""``factmark serve``: MkDocs' live-reload server with an incremental rebuild.

``mkdocs serve`` rebuilds the whole site on every save, half a minute at a
thousand texts. An editor's save almost always changes one annotation file or
one text, so then only that document is re-read and checked, and only its page
and the pages showing site-wide figures (home, claims, method, and the numbered
claims pages whose claims changed) are rendered again, through MkDocs' own page
functions; a verdict list that needs one page more or less gains or loses it.
Anything else (a new or deleted file, mkdocs.yml, a template, factmark's code)
rebuilds everything, as ``mkdocs serve`` would. The site-wide
``annotations.jsonld``, ``feed.xml`` and ``sitemap.xml`` are refreshed on full
rebuilds only; each text's own ``annotations.jsonld`` is rewritten with its page.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure.pages import Page

from . import opendata, summary
from .plugin import FactmarkPlugin

log = logging.getLogger("mkdocs.factmark.serve")
Snapshot = dict[Path, tuple[int, int]]


def snapshot(folders: list[Path]) -> Snapshot:
    """Modification time and size of every file under ``folders``: what a save changes."""
    out: Snapshot = {}
    for folder in folders:
        if folder.is_file():
            stat = folder.stat()
            out[folder] = (stat.st_mtime_ns, stat.st_size)
            continue
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file():
                stat = path.stat()
                out[path] = (stat.st_mtime_ns, stat.st_size)
    return out


class Background:
    """The search index of the preview, made again after each incremental rebuild without holding it up.

    Pagefind reads the whole site (seconds at a thousand texts, while a page renders in well under one), so
    the rebuilt page is served and reloaded at once and the index follows; saves meanwhile make one more
    run, never several at a time. The index is swapped in whole (sitesearch.index), so a search in between
    uses the previous one.
    """

    def __init__(self, run: Callable[[], None]) -> None:
        self.run = run
        self.lock = threading.Lock()
        self.wanted = self.busy = False
        self.thread: threading.Thread | None = None

    def request(self) -> None:
        with self.lock:
            self.wanted = True
            if self.busy:
                return
            self.busy = True
            self.thread = threading.Thread(target=self._loop, name="factmark-search-index", daemon=True)
            self.thread.start()

    def finish(self) -> None:
        """Let a run under way end (Pagefind would go on writing into a removed site), and start no other."""
        with self.lock:
            self.wanted = False
            thread = self.thread
        if thread is not None:
            thread.join()

    def _loop(self) -> None:
        while True:
            with self.lock:
                if not self.wanted:
                    self.busy = False
                    return
                self.wanted = False
            try:
                self.run()
            except BuildError as err:  # FM504/FM505, printed by the plugin; the previous index stays served
                log.error("The search index was not rebuilt: %s", err)
            else:
                log.info("factmark: search index rebuilt")


class Preview:
    """One served site: the last full build's MkDocs objects, refreshed in place where possible."""

    def __init__(self, config_file: Path, address: str) -> None:
        self.config_file = config_file
        self.site_dir = tempfile.mkdtemp(prefix="factmark-serve-")
        self.address = address
        self.config = self._config()
        host, port = self.config.dev_addr
        self.mount_path = urlsplit(self.config.site_url or "/").path
        self.serve_url = _serve_url(host, port, self.mount_path)
        self.watched: list[Path] = []
        self.seen: Snapshot = {}
        self.clean = False  # False until a build succeeds, and after an incremental check found problems
        self.indexer = Background(lambda: self.plugin.index_search(self.config))

    def _config(self) -> MkDocsConfig:
        config = load_config(config_file=str(self.config_file), site_dir=self.site_dir, dev_addr=self.address)
        config.plugins.on_startup(command="serve", dirty=False)
        return config

    @property
    def plugin(self) -> FactmarkPlugin:
        plugin = self.config.plugins.get("factmark")
        assert isinstance(plugin, FactmarkPlugin)
        return plugin

    def full(self) -> None:
        """A whole build, as ``mkdocs serve`` does it (fresh configuration, core reloaded)."""
        self.config = self._config()
        self.config.site_url = self.serve_url
        self.clean = False
        mkdocs_build.build(self.config, serve_url=self.serve_url)
        self.clean = True

    def rebuild(self) -> None:
        """Called by the server after files changed: incremental when only texts or annotations changed."""
        now = snapshot(self.watched)
        changed = {p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p)}
        self.seen = now
        try:
            if not self.clean or not self._incremental(changed):
                self.full()
        except (Abort, BuildError) as err:  # already logged by MkDocs; the last good pages stay served
            self.clean = False
            log.error("The preview was not rebuilt: %s", err)

    def _incremental(self, changed: set[Path]) -> bool:
        plugin = self.plugin
        project = plugin.project
        if not plugin.settings.own_theme:
            return False  # another theme's pages and search index (Material's too) are MkDocs' own: rebuild all
        docs_dir = Path(self.config.docs_dir).resolve()
        annotations_dir = plugin.settings.annotations_dir.resolve()
        texts: set[str] = set()
        annotation_files: set[Path] = set()
        for path in changed:
            resolved = path.resolve()
            if resolved.parent == annotations_dir and resolved.suffix not in (".yaml", ".yml"):
                continue  # an editor's backup or swap file: factmark never reads it
            if not resolved.exists():
                return False  # a deleted file
            if resolved.suffix == ".md" and resolved.is_relative_to(docs_dir):
                texts.add(resolved.relative_to(docs_dir).as_posix())
            elif resolved.parent == annotations_dir:
                annotation_files.add(path)
            else:
                return False  # mkdocs.yml, a template, an image, factmark's code
        if not (texts or annotation_files):
            return True
        findings = None if project is None else project.reload(texts, annotation_files)
        if project is None or findings is None:
            return False
        errors = [f for f in findings if f.severity == "error"]
        for warning in (f for f in findings if f.severity != "error"):
            log.warning("%s", warning.format())  # a warning never keeps the preview from showing the change
        if errors:
            self.clean = False
            log.error("factmark found %d problem(s); the preview keeps the last good pages:\n%s",
                      len(errors), "\n".join(f.format() for f in errors))
            return True
        listings = summary.listing_paths(project)
        renumbered = self._renumber(listings) if listings != self.plugin.listings else set()
        affected = texts | {d for d, p in project.annotation_paths.items() if p in annotation_files}
        self._render(affected, renumbered)
        log.info("factmark: rebuilt %s", ", ".join(sorted(affected)))
        return True

    def _renumber(self, listings: dict[str, tuple[str, int]]) -> set[str]:
        """A verdict's list grew or shrank past a page: add or remove its last numbered pages.

        Returns every numbered page of those verdicts: all their titles and pagers show the new count.
        """
        files = self.plugin.files
        assert files is not None
        placed, removed = self.plugin.place_listings(files, self.config, listings)
        for file in removed:
            output = Path(file.abs_dest_path)
            output.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # its own folder (claims/disputed/171/), once empty
                output.parent.rmdir()
        for path in placed:
            file = files.get_file_from_path(path)
            if file is not None and file.page is None:  # a new page: MkDocs made the others during the build
                Page(None, file, self.config)
        return placed

    def _render(self, documents: set[str], renumbered: set[str]) -> None:
        """Render and write the changed texts' pages, the pages of site-wide figures and the numbered
        claims pages whose claims or count changed, through MkDocs' own page functions; then what
        depends on them."""
        plugin, config = self.plugin, self.config
        files, nav, env, project = plugin.files, plugin.nav, plugin.env, plugin.project
        assert files is not None and nav is not None and env is not None and project is not None
        before = plugin.claims
        plugin.on_env(env, config=config, files=files)  # the site-wide figures
        paths = sorted(documents | {p for p, d in project.documents.items() if not d.is_document}
                       | summary.changed_listings(project, plugin.listings, before, plugin.claims) | renumbered)
        pages = [file.page for path in paths if (file := files.get_file_from_path(path)) and file.page]
        assert len(pages) == len(paths)
        doc_files = files.documentation_pages()
        for page in pages:
            mkdocs_build._populate_page(page, config, files)
            mkdocs_build._build_page(page, config, doc_files, nav, env)
        self.indexer.request()  # the whole site again, meanwhile: Pagefind has no incremental mode
        if config.site_url:
            site_url = config.site_url if config.site_url.endswith("/") else config.site_url + "/"
            quotes = plugin.quotes()
            for path in sorted(documents):
                opendata.write_document(project, Path(config.site_dir), site_url, plugin.urls, path, quotes)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(config_file: Path, address: str) -> int:
    """Serve until interrupted; the first build must succeed, later failures keep the last good site."""
    preview = Preview(config_file, address)
    try:
        preview.full()
    except (Abort, BuildError) as err:
        log.error(str(err))
        shutil.rmtree(preview.site_dir, ignore_errors=True)
        return 1
    config = preview.config
    host, port = config.dev_addr
    server = LiveReloadServer(builder=preview.rebuild, host=host, port=port, root=preview.site_dir,
                              mount_path=preview.mount_path)
    plugin = preview.plugin
    preview.watched = [Path(config.docs_dir), Path(str(config.config_file_path)), plugin.settings.annotations_dir,
                       *plugin.settings.theme_dirs, Path(__file__).parent]
    preview.seen = snapshot(preview.watched)
    for path in preview.watched:
        server.watch(str(path))
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as Ctrl+C does, removing the temporary site
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
        preview.indexer.finish()
        config.plugins.on_shutdown()
        shutil.rmtree(preview.site_dir, ignore_errors=True)
    return 0
