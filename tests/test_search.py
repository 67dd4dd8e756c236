"""The theme's search: Pagefind's index of the written site, and the search page's results in Chromium.

One synthetic site of its own (an English text with annotations of each verdict, a Spanish text, a claims
page), built once per module and served on 127.0.0.1: a query shows each document's name and its matching
annotations with their verdict badge and the words found marked; the verdict menu narrows them; a Spanish
word finds the Spanish text; nothing is fetched from elsewhere.
"""

from __future__ import annotations

import filecmp
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, Site, search_pages, served
from playwright.sync_api import Browser, Page

from factmark import cli, sitesearch

sys.path.insert(0, str(REPO / "bench"))
import searchpayload  # bench/ is not a package

FRONT = ('---\ntitle: "{title}"\nkind: {kind}\nauthor: A. Writer\ndate: "2025-12-08"\nlanguage: {language}\n'
         "provenance:\n  - text: Written for a test.\n---\n\n")
ENGLISH = """\
# The harbour speech

The new lighthouse was finished in March, the mayor said.

## Money

The lighthouse cost twelve million dollars and was paid by the port.

Fishermen say the harbour is deeper than before.
"""
SPANISH = """\
# El discurso del puerto

El ayuntamiento aprobó el presupuesto del faro en enero.
"""


def entry(ident: str, quote: str, status: str, summary: str) -> str:
    return (f'  - id: {ident}\n    quote: "{quote}"\n    status: {status}\n    summary: "{summary}"\n'
            '    sources:\n      - url: "https://example.org/report"\n        title: A report\n'
            "        publisher: Example Agency\n"
            '        excerpt: "The passage."\n    reviewed: "2025-12-09"\n')


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("search"))
    site.write("content/index.md", "---\ntitle: Home\ntemplate: home.html\n---\n\n# Texts\n")
    site.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n\n# All claims\n")
    site.write("content/speech.md", FRONT.format(title="Harbour speech", kind="speech", language="en") + ENGLISH)
    site.write("content/discurso.md", FRONT.format(title="Discurso del puerto", kind="discurso", language="es")
               + SPANISH)
    site.write("annotations/speech.yaml", "document: speech.md\nannotations:\n"
               + entry("finished", "The new lighthouse was finished in March", "documented",
                       "The port's records date the lighthouse's completion to March.")
               + entry("cost", "cost twelve million dollars", "disputed",
                       "The port's accounts put the lighthouse at nine million dollars.")
               + entry("deeper", "the harbour is deeper than before", "uncorroborated",
                       "No survey of the harbour's depth has been published."))
    site.write("annotations/discurso.yaml", "document: discurso.md\nannotations:\n"
               + entry("faro", "aprobó el presupuesto del faro", "documented",
                       "El acta municipal registra la aprobación del presupuesto."))
    return site


def build(project: Site, out: Path) -> Path:
    assert cli.main(["-f", str(project.root / "mkdocs.yml"), "build", "-q", "-d", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def built(project: Site) -> Path:
    return build(project, project.root / "site")


@pytest.fixture(scope="module")
def base(built: Path) -> Iterator[str]:
    with served(built) as address:
        yield address


@pytest.fixture
def page(browser: Browser, base: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    requested: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    yield page
    context.close()
    assert requested and [url for url in requested if not url.startswith(base)] == []


def test_pagefind_replaces_the_lunr_index(built: Path) -> None:
    folder = built / "search"
    assert (folder / "pagefind.js").is_file() and (folder / "pagefind-worker.js").is_file()
    assert not (folder / "search_index.json").exists() and not (folder / "lunr.js").exists()
    assert not any((folder / name).exists() for name in sitesearch.UNUSED)
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    # one index in the site's language, the Spanish text's too (sitesearch.py says why)
    assert {language: about["page_count"] for language, about in entry["languages"].items()} == {"en": 3}


def test_only_texts_and_claims_are_indexed_once_without_the_chrome(built: Path) -> None:
    pages = search_pages(built)
    assert set(pages) == {"/speech/", "/discurso/", "/claims/"}
    speech = pages["/speech/"]
    assert speech["meta"]["title"] == "Harbour speech" and speech["meta"]["kind"] == "speech"
    assert speech["filters"] == {"verdict": ["documented", "disputed", "uncorroborated"], "language": ["en"]}
    assert pages["/discurso/"]["filters"] == {"verdict": ["documented"], "language": ["es"]}
    text = str(speech["content"])
    # each summary once (the entry, not the marker's card), and none of the page's chrome
    assert text.count("nine million dollars") == 1
    assert "Back to the text" not in text and "Permalink" not in text and "Only disputed" not in text
    assert "https://example.org/report" not in text  # the printed URL
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home and "data-pagefind-body" not in (built / "search.html").read_text()


def test_two_builds_are_byte_identical(project: Site, built: Path, tmp_path: Path) -> None:
    again = build(project, tmp_path / "again")
    compared = filecmp.dircmp(built / "search", again / "search")
    assert not compared.diff_files and not compared.left_only and not compared.right_only
    for sub in ("fragment", "index", "filter"):
        assert filecmp.cmpfiles(built / "search" / sub, again / "search" / sub,
                                [p.name for p in (built / "search" / sub).iterdir()], shallow=False)[1:] == ([], [])


def test_search_page_and_header_without_javascript(built: Path) -> None:
    header = (built / "speech" / "index.html").read_text(encoding="utf-8")
    box = re.search(r'<label for="site-search-q">([^<]+)</label>\s*<input type="search" id="site-search-q"[^>]*>',
                    header)
    assert box and box[1].strip() and re.search(r'placeholder="[^"]+"', box[0])
    search = (built / "search.html").read_text(encoding="utf-8")
    noscript = re.search(r"<noscript>(.*?)</noscript>", search, re.S)
    assert noscript and "needs JavaScript" in noscript[1]
    assert re.search(r'<a href="(\./)?claims/">Claims page</a>', noscript[1])


def results(page: Page) -> list[dict[str, object]]:
    page.wait_for_function("document.getElementById('fm-search-summary').textContent.length > 0")
    return page.eval_on_selector_all("#fm-search-results > li", """items => items.map(li => ({
        name: li.querySelector('.fm-result-title a').textContent,
        href: li.querySelector('.fm-result-title a').getAttribute('href'),
        passages: [...li.querySelectorAll('.fm-passage')].map(p => ({
            badge: p.querySelector('.fm-badge')?.textContent.trim() || null,
            classes: p.className, href: p.querySelector('a').getAttribute('href'),
            marked: [...p.querySelectorAll('mark')].map(m => m.textContent)})),
        marked: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""")


def test_a_query_shows_document_names_verdict_badges_and_marked_words(page: Page, base: str) -> None:
    page.goto(base + "search.html?q=lighthouse")
    found = results(page)
    speech = next(r for r in found if r["name"] == "Harbour speech")
    assert speech["href"] == "/speech/"
    badges = {p["badge"] for p in speech["passages"] if p["badge"]}
    assert {"✓ Documented", "✗ Disputed"} <= badges
    disputed = next(p for p in speech["passages"] if p["badge"] == "✗ Disputed")
    assert disputed["href"] == "/speech/#fm-cost--title"
    assert all(word.lower().startswith("lighthouse") for word in speech["marked"]) and speech["marked"]
    assert "1 page" in page.inner_text("#fm-search-summary") or "2 pages" in page.inner_text("#fm-search-summary")
    # the header's box sends its words to this page
    page.goto(base + "speech/")
    page.fill("#site-search-q", "harbour")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search.html?q=harbour")
    assert any(r["name"] == "Harbour speech" for r in results(page))


def test_the_verdict_menu_narrows_the_results(page: Page, base: str) -> None:
    page.goto(base + "search.html?q=lighthouse")
    before = [p for r in results(page) for p in r["passages"] if p["badge"]]
    page.select_option("#fm-search-status", "disputed")
    page.wait_for_url("**status=disputed**")
    page.wait_for_function("[...document.querySelectorAll('.fm-passage .fm-badge')].length > 0")
    after = [p for r in results(page) for p in r["passages"]]
    assert after and len(after) < len(before)
    assert all(p["badge"] == "✗ Disputed" and "fm-disputed" in p["classes"] for p in after)
    page.reload()  # the choice is in the URL
    assert page.eval_on_selector("#fm-search-status", "s => s.value") == "disputed"


def test_a_spanish_word_finds_the_spanish_text(page: Page, base: str) -> None:
    page.goto(base + "search.html?q=ayuntamiento")
    found = results(page)
    assert [(r["name"], r["href"]) for r in found] == [("Discurso del puerto", "/discurso/")]
    assert set(found[0]["marked"]) == {"ayuntamiento"}
    languages = page.eval_on_selector_all("#fm-search-language option", "os => os.map(o => o.value)")
    assert languages == ["", "en", "es"]
    page.select_option("#fm-search-language", "en")
    page.wait_for_function("document.getElementById('fm-search-summary').textContent.startsWith('No page')")
    assert results(page) == []


def test_the_first_query_downloads_only_what_it_shows(built: Path, browser: Browser) -> None:
    measured = searchpayload.first_query(built, "lighthouse", browser)
    assert measured["results_drawn"] >= 1
    assert 0 < measured["fragments"] <= measured["results_drawn"]  # a fragment per result drawn, no more
    assert 0 < int(measured["search_bytes_compressed"]) <= int(measured["search_bytes"])  # type: ignore[arg-type]


def test_a_failed_or_missing_indexer_is_one_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site").mkdir()
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: the disk is full' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(sitesearch, "executable", lambda: failing)
    with pytest.raises(sitesearch.IndexerFailed) as failed:
        sitesearch.index(tmp_path / "site", "en", "mkdocs.yml", (7, 3))
    assert failed.value.finding.format().startswith(
        "mkdocs.yml:7:3: FM504 the search indexer Pagefind failed: Error: the disk is full")
    monkeypatch.setattr(sitesearch, "executable", lambda: None)
    with pytest.raises(sitesearch.IndexerFailed) as missing:
        sitesearch.index(tmp_path / "site", "en", "mkdocs.yml", (7, 3))
    assert missing.value.finding.code == "FM505" and "pagefind[bin]" in missing.value.finding.hint


def test_without_the_search_plugin_there_is_no_search(project: Site, tmp_path: Path) -> None:
    config = project.root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(original.replace("  - search\n", ""), encoding="utf-8")
        out = build(project, tmp_path / "plain")
    finally:
        config.write_text(original, encoding="utf-8")
    assert not (out / "search").exists()
    assert 'id="site-search-q"' not in (out / "speech" / "index.html").read_text(encoding="utf-8")
