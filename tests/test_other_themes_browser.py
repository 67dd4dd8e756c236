"""A newsroom's MkDocs site (the ``mkdocs`` theme, Material for MkDocs) with the plugin, read in Chromium.

The sites of test_other_themes are built with and without the plugin and served on 127.0.0.1 by the
test; any request elsewhere (Material asks Google for its fonts) is refused, so nothing leaves the machine.
Each theme shows the annotated passage with its note card and entry, its own search (a web worker that
fetches search/search_index.json) finds a word of the annotated text, and a plain page is the same,
to the byte and in the browser's document, as without the plugin.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import test_other_themes as themes
from conftest import served
from playwright.sync_api import Browser, Page, Route, expect


@pytest.fixture(scope="module", params=themes.THEMES)
def sites(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(theme, address of the site built with the plugin, address of the same site built without it)."""
    theme = request.param
    root = themes.newsroom(tmp_path_factory.mktemp(f"browser-{theme}"), theme)
    build = themes.factmark(root, "build", "-d", str(root / "site"))
    assert build.code == 0, build.output
    plain = themes.mkdocs_without_plugin(root, root / "plain-site")
    assert plain.code == 0, plain.output
    with served(root / "site") as with_plugin, served(root / "plain-site") as without:
        yield theme, with_plugin, without


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def local_only(route: Route) -> None:
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, errors


def test_the_annotated_passage_shows_its_card_and_entry(sites: tuple[str, str, str], page: Page) -> None:
    _, base, _ = sites
    page.goto(base + "speech/", wait_until="networkidle")
    mark = page.locator("mark#fm-bridge-cost--text")
    expect(mark).to_be_visible()
    expect(mark).to_have_text("the bridge cost 12 million euros")
    background = mark.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background  # factmark's styles apply
    card = page.locator("#fm-pop")
    expect(card).to_be_hidden()
    page.locator("a#fm-bridge-cost--ref").hover()
    expect(card).to_be_visible()  # filled by factmark.js from the entry, styled by notes.css
    expect(card).to_contain_text("15 million euros")
    assert card.evaluate("el => getComputedStyle(el).position") == "absolute"
    page.locator("a#fm-bridge-cost--ref").click()
    entry = page.locator("li#fm-bridge-cost")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("The city's budget lists 15 million euros.")
    expect(page.locator(".admonition.warning .admonition-title")).to_have_text("Transcription")


def _search(theme: str, page: Page, word: str) -> None:
    if theme == "material":
        query = page.locator("input[data-md-component=search-query]")  # in the header at this width
        query.click()
        query.press_sequentially(word)
    else:
        page.locator("a[data-bs-target='#mkdocs_search_modal']").click()
        page.locator("#mkdocs-search-query").press_sequentially(word)  # the theme searches on keyup


def test_the_themes_search_finds_a_word_of_the_annotated_text(sites: tuple[str, str, str], page: Page) -> None:
    theme, base, _ = sites
    page.goto(base, wait_until="networkidle")
    _search(theme, page, themes.WORD)
    results = page.locator(".md-search-result__item a" if theme == "material" else "#mkdocs-search-results a")
    expect(results.first).to_be_visible(timeout=15_000)
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all("/speech/" in href for href in hrefs), hrefs


def test_a_plain_page_is_the_same_as_without_the_plugin(sites: tuple[str, str, str], page: Page) -> None:
    _, base, without = sites
    documents = []
    for address in (base, without):
        response = page.goto(address + "about/", wait_until="networkidle")
        assert response is not None and response.ok
        documents.append((response.body(), page.evaluate("document.documentElement.outerHTML")))
    assert documents[0][0] == documents[1][0]
    assert documents[0][1].replace(base, without) == documents[1][1]
    expect(page.locator("h2#who")).to_have_text("Who we are")
