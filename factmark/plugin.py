"""MkDocs plugin: wires factmark's core into MkDocs events, nothing more.

MkDocs offers no way to replace its Markdown engine, so each page's Markdown is
handed to MkDocs as an empty string (Python-Markdown then has nothing to do)
and the HTML, table of contents and anchor ids come from factmark's own
markdown-it-py rendering. Every annotation is checked in ``on_pre_build``,
before MkDocs cleans the site directory, so a failing build leaves it alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.contrib.search import SearchPlugin
from mkdocs.contrib.search.search_index import SearchIndex
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from . import contentfiles as _contentfiles
from . import editorschema as _editorschema
from . import export as _export
from . import links as _links
from . import mkconfig as _mkconfig
from . import opendata as _opendata
from . import project as _project
from . import render as _render
from . import ruleselect as _ruleselect
from . import sitedir as _sitedir
from . import sitesearch as _sitesearch
from . import strings as _strings
from . import summary as _summary
from .theme import THEME_DIR

log = logging.getLogger("mkdocs.plugins.factmark")

# Set by factmark.engine when `factmark build` runs MkDocs: its --select/--ignore ({"select": [...] or None,
# "ignore": [...]}) and --strict. Its warnings are then printed as the check prints them and fail only with
# --strict, whatever MkDocs' strict mode (factmark build always runs it, for MkDocs' own warnings). Under a
# plain `mkdocs build` it stays None: warnings are logged as MkDocs warnings, and MkDocs' strict mode decides.
FACTMARK_BUILD: dict[str, Any] | None = None

# core modules in dependency order, reloaded in place on each `serve` rebuild so code edits show up
_CORE = ("rules", "findings", "ruleselect", "normalize", "model", "yamlstrict", "themefiles", "links", "configmap",
         "extensions", "archives", "settings", "stale", "strings", "mkconfig", "contentfiles", "attrlist",
         "markdown", "textmodel", "roundtrip", "atomicfile", "editorschema", "validate", "anchor", "drift",
         "highlight", "pagetext", "robustlinks", "render", "project", "summary", "export", "opendata", "sitesearch")


class FactmarkPlugin(BasePlugin[_mkconfig.FactmarkConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.project: _project.Project | None = None
        self.pages: dict[str, _render.RenderedPage] = {}
        self.urls: dict[str, str] = {}
        self.listings: dict[str, tuple[str, int]] = {}  # generated claims pages: path -> (verdict, page number)
        self.site: dict[str, Any] = {}  # the site summary the theme reads as ``factmark``
        self.page_urls: dict[str, str] = {}  # texts' and generated claims pages' URLs
        self.claims: dict[str, list[_summary.Claim]] = {}  # every claim by verdict, for the numbered pages
        # the last build's MkDocs objects, for the live preview's incremental rebuild (factmark.serve)
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: Any = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    @event_priority(100)  # before the search plugin's, which reads search_index_only
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """In factmark's theme, MkDocs' search plugin only switches search on: Pagefind indexes the written
        site (on_post_build), so the plugin's lunr scripts are not added to the theme."""
        if self.command == "serve":
            _reload_core()
        # MkDocs validated the options with FactmarkConfig, as `check` does, so nothing can be wrong here
        self.settings = _mkconfig.settings_from(config, self.config, strict=bool(config.strict))
        if FACTMARK_BUILD is not None and (FACTMARK_BUILD["select"] is not None or FACTMARK_BUILD["ignore"]):
            chosen = FACTMARK_BUILD["select"]
            layer = _ruleselect.Layer(tuple(chosen) if chosen is not None else None, tuple(FACTMARK_BUILD["ignore"]))
            self.settings = dataclasses.replace(self.settings, rules=self.settings.rules.over(layer))
        if self.settings.own_theme:
            config.theme["search_index_only"] = True
        return config

    def searches(self, config: MkDocsConfig) -> bool:
        """Whether the site has factmark's search: its theme, with ``search`` among the plugins (as the header's
        search box asks)."""
        return self.settings.own_theme and "search" in config.plugins

    @event_priority(-50)  # after the search plugin has made its index, which we replace
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        project = _project.Project(self.settings)
        problems = project.load()
        strict = FACTMARK_BUILD is not None and FACTMARK_BUILD["strict"]
        failing = [f for f in problems if strict or f.severity == "error"]
        for finding in problems:
            if FACTMARK_BUILD is not None or finding.severity == "error":
                # one line each, at the start of a line as `check` prints them, and never through MkDocs' log,
                # which starts each record on one line only (engine.one_record)
                print(finding.format(), file=sys.stderr)
            else:  # a warning in a plain `mkdocs build`: MkDocs' strict mode (strict: true) stops on it
                log.warning(finding.format())
        if failing:
            raise PluginError(f"factmark found {len(failing)} problem(s) in the annotations or content (listed "
                              "above); nothing was written")
        self.project = project
        self.pages = {}
        search = config.plugins.get("search")
        if isinstance(search, SearchPlugin) and self.settings.own_theme:  # another theme indexes the HTML it gets
            search.search_index = _Unindexed(**search.config)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        for path in (self.settings.annotations_dir, *self.settings.theme_dirs, Path(__file__).parent):
            server.watch(str(path))
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Keep only the content files the check accepted (MkDocs copies every file of docs_dir it walks,
        following links); add the numbered claims pages long verdict lists continue on (not in the navigation)."""
        assert self.project is not None
        for file in [f for f in files if f.generated_by is None and f.src_dir == config.docs_dir
                     and f.src_uri not in self.project.content_files]:
            files.remove(file)  # hidden files (whatever exclude_docs says); the check refused all others
        self._refuse_theme_shadowing(files, config)
        self.listings = {}
        if self.settings.own_theme:
            self.place_listings(files, config, _summary.listing_paths(self.project))
        else:  # the styles and script of annotated pages (the check refused content files in their place)
            for name in _render.ASSETS:
                files.append(File.generated(config, f"{_render.ASSETS_PATH}/{name}",
                                            abs_src_path=str(THEME_DIR / "assets" / name)))
        return files

    def _refuse_theme_shadowing(self, files: Files, config: MkDocsConfig) -> None:
        """FM404 for a content file in the place of a theme file: MkDocs would silently let it win.

        The check knows the theme's folders (themefiles.folders); this is MkDocs' own word on them,
        its templates folder (``sitemap.xml``) included.
        """
        assert self.project is not None
        theme = {os.path.relpath(os.path.join(top, name), folder).replace(os.sep, "/").casefold()
                 for folder in config.theme.dirs for top, _, names in os.walk(folder) for name in names}
        docs = self.project.display(Path(config.docs_dir))
        for file in files:
            if file.src_dir == config.docs_dir and file.dest_uri.casefold() in theme:
                raise PluginError(_contentfiles.replacing(f"{docs}/{file.src_uri}", "a file of the theme",
                                                          file.dest_uri).format())

    def place_listings(self, files: Files, config: MkDocsConfig,
                       listings: dict[str, tuple[str, int]]) -> tuple[set[str], list[File]]:
        """Make ``files`` hold the numbered claims pages of ``listings`` (from :func:`summary.listing_paths`).

        Returns the pages whose front matter is new, because they were added or their verdict's page
        count changed (every title reads "page n of last"), and the files of pages no longer needed.
        """
        before, self.listings = self.listings, listings
        removed = [file for path in before.keys() - listings.keys() if (file := files.get_file_from_path(path))]
        for file in removed:
            files.remove(file)
        counts = [Counter(key for key, _ in table.values()) for table in (before, listings)]  # pages 2 to last
        labels = {s.key: s.label for s in self.settings.statuses}
        t = _strings.Strings(self.settings.locale)
        placed = set()
        for path, (key, number) in listings.items():
            if path in before and counts[0][key] == counts[1][key]:
                continue
            title = t("claims_listing_title", label=labels[key], n=number, last=counts[1][key] + 1)
            source = "---\n" + json.dumps({"title": title,
                                           "template": _summary.CLAIMS_TEMPLATE}) + "\n---\n"
            file = files.get_file_from_path(path)
            if path in before and file is not None:
                file.content_string = source
            elif file is not None:
                raise PluginError(f"{path}: factmark writes page {number} of the {key} claims there; "
                                  "move or rename that content file")
            else:
                files.append(File.generated(config, path, content=source, inclusion=InclusionLevel.NOT_IN_NAV))
            placed.add(path)
        return placed, removed

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Render every page now, all at once (in parallel on large sites); MkDocs then collects them."""
        assert self.project is not None
        self.nav = nav
        paths = [path for path in self.project.documents if files.get_file_from_path(path)]
        self.pages.update(self.project.render_pages(paths, lambda path: _resolver(path, files, config)))
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """factmark's theme gets autoescaping and the site summary; another theme's environment is left alone."""
        self.env, self.files = env, files
        assert self.project is not None
        self.urls = {path: f.url for path in self.project.documents if (f := files.get_file_from_path(path))}
        if not self.settings.own_theme:
            return env
        env.autoescape = True  # every variable is escaped unless a template marks it safe
        env.trim_blocks = env.lstrip_blocks = True
        self.page_urls = {**self.urls, **{p: f.url for p in self.listings if (f := files.get_file_from_path(p))}}
        self.claims = _summary.claims(self.project)
        self.site = _summary.site_summary(self.project, self.page_urls, self.claims)
        env.globals["factmark"] = self.site
        words = _strings.Strings(self.settings.locale)
        env.globals.update(t=words, t_date=words.date, site_lang=self.settings.locale)
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.project is not None
        path = page.file.src_uri
        if path in self.listings:
            return ""  # a numbered claims page: its template draws it from the site summary
        if path not in self.project.documents and not self.settings.own_theme:
            return markdown  # a page of another theme without annotations: MkDocs renders it as without factmark
        if path not in self.project.documents:
            raise PluginError(f"{page.file.src_uri}: page was not loaded by factmark")
        rendered = self.pages.get(path)
        if rendered is None or not (rendered.html or rendered.packed):  # not rendered yet (a preview re-render)
            self.pages[path] = self.project.render_page(path, _resolver(path, files, config))
        doc = self.project.documents[path]
        page.meta.update(doc.meta)
        return ""  # Python-Markdown gets nothing to render; the HTML comes from on_page_content

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """factmark's theme gets the HTML in on_page_context; another theme's search plugin reads it from here."""
        assert self.project is not None
        if page.file.src_uri in self.listings:
            page.toc = get_toc([])
            return ""
        if page.file.src_uri not in self.project.documents:
            return html  # another theme's page without annotations
        rendered = self.pages[page.file.src_uri]
        page.toc = get_toc(rendered.toc)
        page.present_anchor_ids = rendered.anchor_ids
        page.links_to_anchors = _validate_links(page, files, config, self.project.documents[page.file.src_uri].links)
        if not self.settings.own_theme:
            return rendered.unpack()
        return ""  # the HTML waits packed until the page is written (on_page_context)

    def on_page_context(self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        assert self.project is not None
        listing = self.listings.get(page.file.src_uri)
        if listing is not None:
            key, number = listing
            context["listing"] = {"status": next(s for s in self.site["statuses"] if s["key"] == key),
                                  **_summary.claims_listing(self.project, self.claims, self.page_urls, key, number)}
            context["document"] = None
            page.content = ""
            return context
        if not self.settings.own_theme:
            return context  # the page's additions go into its head as it is written (on_post_page)
        page.content = self.pages[page.file.src_uri].unpack()
        document = _summary.page_summary(self.project, page.file.src_uri, config.site_name)
        if document["total"]:
            document["claim_reviews"] = self._claim_reviews(page, config)
        context["document"] = document
        return context

    def _claim_reviews(self, page: Page, config: MkDocsConfig) -> str:
        """The page's ClaimReview JSON-LD; none without a site_url (the reviews' ids are absolute)."""
        assert self.project is not None
        if not config.site_url:
            return ""
        reviews = _opendata.claim_reviews(self.project, page.file.src_uri, page.canonical_url or "",
                                          self._publisher(config))
        return _export.json_ld_script(reviews)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """MkDocs would keep every page's HTML until the build ends; once the page is written nothing reads it.

        In another theme an annotated page gets factmark's styles, script and ClaimReview in its head.
        """
        assert self.project is not None
        page.content = None
        if self.settings.own_theme or page.file.src_uri not in self.project.documents:
            return output
        urls = {name: get_relative_url(f"{_render.ASSETS_PATH}/{name}", page.url) for name in _render.ASSETS}
        head = _render.head(self.project.entries(), self.settings.statuses, urls, self._claim_reviews(page, config))
        at = output.find("</head>")
        return output[:at] + head + output[at:] if at >= 0 else head + output

    @event_priority(-100)  # after the search plugin has written its (empty) index, which Pagefind's replaces
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the editor schema (``schema/``, its ``$id`` its own address when the site has one), the
        open data (W3C annotations, Atom feed), whose ids need the site's absolute URL, and the search index."""
        site_url = config.site_url if not config.site_url or config.site_url.endswith("/") else config.site_url + "/"
        _editorschema.publish(self.settings, Path(config.site_dir), site_url or None)
        if config.site_url:
            assert self.project is not None
            _opendata.write(self.project, Path(config.site_dir), site_url, config.site_name, self.urls,
                            self.quotes())
        else:
            log.info("factmark: no site_url in mkdocs.yml, so no annotations.jsonld or feed.xml")
        self.index_search(config)

    def index_search(self, config: MkDocsConfig) -> None:
        """Pagefind over the written site (factmark's theme with search on); its failure stops the build."""
        if not self.searches(config):
            return
        config_file = Path(config.config_file_path)
        try:
            language = str(config.theme.locale or "en").replace("_", "-").partition("-")[0].lower()
            _sitesearch.index(Path(config.site_dir), language, self.settings.config_file,
                              _sitedir.setting(config_file, "plugins")[1])
        except _sitesearch.IndexerFailed as failed:
            print(failed.finding.format(), file=sys.stderr)  # at the start of a line, as on_pre_build prints
            raise PluginError("factmark could not build the search index (above)") from None

    def quotes(self) -> dict[str, dict[str, _opendata.PageQuote]]:
        """Each rendered text's highlights as W3C selectors over its page (kept when the HTML is handed over)."""
        return {path: page.quotes for path, page in self.pages.items()}

    def _publisher(self, config: MkDocsConfig) -> dict[str, str]:
        return self.settings.publisher or {"name": config.site_name, "url": config.site_url or ""}


class _Unindexed(SearchIndex):
    """MkDocs' search index, left empty in factmark's theme: Pagefind indexes the written pages instead, and
    lunr would parse each page's HTML again only to have its index discarded."""

    def add_entry_from_context(self, page: Page) -> None:
        return None


@contextlib.contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """Silence ``logger`` meanwhile: a page rendered in a worker must not log (the parent validates it)."""
    disabled, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = disabled


def _resolver(path: str, files: Files, config: MkDocsConfig) -> Callable[[str], str]:
    """Map a relative link in page ``path`` to the URL MkDocs' own link processing gives it."""
    file = files.get_file_from_path(path)
    assert file is not None
    processor = _RelativePathTreeprocessor(file, files, config)
    pages_log = logging.getLogger(Page.__module__)  # properdocs.structure.pages under ProperDocs

    def resolve(target: str) -> str:
        with _quiet(pages_log):
            return processor.path_to_url(target)

    return resolve


def _validate_links(page: Page, files: Files, config: MkDocsConfig,
                    links: list[_links.Link]) -> dict[File, dict[str, str]] | None:
    """MkDocs' link validation, which its Markdown step would run: the same log lines at the levels
    ``validation:`` sets, and the links to anchors its build then checks (``Page.validate_anchor_links``).
    """
    processor = _RelativePathTreeprocessor(page.file, files, config)
    for link in links:
        processor.path_to_url(link.target)
    if logging.getLogger(Page.__module__).getEffectiveLevel() > logging.DEBUG:  # as Page.render
        return processor.links_to_anchors
    return None


def _reload_core() -> None:
    for name in _CORE:
        module = sys.modules.get(f"{__package__}.{name}")
        if module is not None:
            importlib.reload(module)
