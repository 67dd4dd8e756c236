"""The reader's experience in a real browser: Debian's Chromium driven by Playwright.

The set-up (`make test`) installs Chromium and the Nu HTML Checker when missing,
so these tests fail, never skip, when the browser is absent. The site is built
from this repository and served on 127.0.0.1 only; every page must load
without a single request elsewhere.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REFERENCE, content_pages, most_annotated, page_url, served
from playwright.sync_api import Browser, Page

from factmark import settings

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
OUTPUT = REPO / "test-output" / "screenshots"
# Pages of whatever the reference site holds: a newsroom that replaces content/ keeps these tests.
TEXTS = [page_url(d) for d in sorted(REFERENCE)]
RICH = page_url(most_annotated())

PAGES = [*content_pages(), "search.html", "404.html"]
STATUSES = {s.key: s for s in settings.load(REPO / "mkdocs.yml").statuses}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with served(site) as address:
        yield address


@pytest.fixture(scope="module")
def paged_base(paged_site: Path) -> Iterator[str]:
    """The same project with 5 claims per page: the claims page with pagers, and the numbered pages."""
    with served(paged_site) as address:
        yield address


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def annotations_of(path: str) -> list[dict[str, Any]]:
    return next(anns for document, anns in REFERENCE.items() if page_url(document) == path)


def rarest_status(path: str) -> str:
    counts = Counter(a["status"] for a in annotations_of(path))
    return min(sorted(counts), key=counts.__getitem__)


def word_of_two_verdicts() -> tuple[str, str]:
    """A word that annotations of two verdicts or more share, and the label of the rarer verdict among them.

    Searching it finds annotations of several verdicts; narrowing to one must then drop the others.
    """
    by_word: dict[str, Counter[str]] = {}
    for anns in REFERENCE.values():
        for a in anns:
            for word in set(re.findall(r"[A-Za-z]{5,}", a["summary"])):
                by_word.setdefault(word.lower(), Counter())[a["status"]] += 1
    word = max(sorted(w for w, c in by_word.items() if len(c) >= 2), key=lambda w: by_word[w].total())
    status = min(sorted(by_word[word]), key=by_word[word].__getitem__)
    return word, STATUSES[status].label


def marker_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all("a.fm-marker", "els => els.map(e => e.dataset.fm)")


def in_viewport(page: Page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => { const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight; }""")


@pytest.mark.parametrize("path", TEXTS)
def test_marker_leads_to_its_entry_and_back(page: Page, base: str, path: str) -> None:
    page.goto(base + path)
    ids = marker_ids(page)
    assert sorted(ids) == sorted(a["id"] for a in annotations_of(path))
    for ident in ids:
        page.mouse.move(0, 0)
        page.click(f"#fm-{ident}--ref")
        assert page.evaluate("location.hash") == f"#fm-{ident}"
        assert in_viewport(page, f"#fm-{ident}")
        outline = page.eval_on_selector(f"#fm-{ident}", "el => getComputedStyle(el).outlineStyle")
        assert outline != "none", "the entry a marker points at is emphasised"
        page.click(f"#fm-{ident} a.fm-back")
        assert page.evaluate("location.hash") == f"#fm-{ident}--text"
        assert in_viewport(page, f"#fm-{ident}--text")


def card_shown(page: Page, ident: str) -> bool:
    """Whether annotation ``ident``'s note card (factmark.js fills one card from the entry) is open."""
    return page.eval_on_selector("#fm-pop", f"el => !el.hidden && el.dataset.fm === {json.dumps(ident)}")


@pytest.mark.parametrize("path", TEXTS)
def test_keyboard_alone_goes_from_marker_to_marker_and_opens_every_card(page: Page, base: str, path: str) -> None:
    page.goto(base + path)
    expected = marker_ids(page)
    page.focus(f"#fm-{expected[0]}--ref")
    for ident in expected:
        if ident != expected[0]:
            page.keyboard.press("Tab")  # a card's source links are no tab stops until it is opened
        assert page.evaluate("document.activeElement.dataset.fm") == ident
        assert card_shown(page, ident), f"focusing marker {ident} opens its card"
        page.keyboard.press("Escape")
        assert not card_shown(page, ident), "Escape closes the card"
    first = expected[0]
    page.focus(f"#fm-{first}--ref")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#fm-{first}"


def test_without_javascript_every_note_is_reachable(browser: Browser, base: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + RICH)
    ids = marker_ids(page)
    for ident in ids:
        assert page.locator(f"#fm-{ident}--ref").get_attribute("href") == f"#fm-{ident}"  # one step to the entry
        assert page.locator(f"#fm-{ident}").count() == 1  # the entry in the list
        assert page.locator(f"#fm-{ident} a.fm-back").get_attribute("href") == f"#fm-{ident}--text"
    middle = ids[len(ids) // 2]
    page.click(f"#fm-{middle}--ref")
    assert in_viewport(page, f"#fm-{middle}")
    page.click(f"#fm-{middle} a.fm-back")
    assert in_viewport(page, f"#fm-{middle}--text")
    status = rarest_status(RICH)
    page.check(f"#fm-filter-{status}")  # the status filter is CSS only
    hidden = page.eval_on_selector_all(".fm-entry", "els => els.filter(e => getComputedStyle(e).display === 'none')"
                                       ".map(e => e.className)")
    assert all(f"fm-{status}" not in c for c in hidden)
    assert len(hidden) == sum(a["status"] != status for a in annotations_of(RICH))
    context.close()


def test_opening_a_card_does_not_shift_the_layout(page: Page, base: str) -> None:
    page.goto(base + RICH)
    ids = marker_ids(page)
    ident = ids[len(ids) // 2]
    before = page.eval_on_selector("#fm-annotations", "el => el.getBoundingClientRect().top + window.scrollY")
    page.hover(f"#fm-{ident}--ref")
    assert card_shown(page, ident)
    after = page.eval_on_selector("#fm-annotations", "el => el.getBoundingClientRect().top + window.scrollY")
    assert after == before


def axe_violations(browser: Browser, url: str, scheme: str) -> list[tuple[str, list[str]]]:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    context.close()
    return [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in result.response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_wcag_violations(browser: Browser, base: str, path: str, scheme: str) -> None:
    assert axe_violations(browser, base + path, scheme) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["claims/", "claims/documented/2/", "claims/documented/5/"])
def test_axe_on_numbered_claims_pages(browser: Browser, paged_base: str, path: str, scheme: str) -> None:
    assert axe_violations(browser, paged_base + path, scheme) == []


def test_axe_with_a_card_open(page: Page, base: str) -> None:
    page.goto(base + TEXTS[0])
    ids = marker_ids(page)
    page.focus(f"#fm-{ids[len(ids) // 2]}--ref")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert [v["id"] for v in result.response["violations"]] == []


@pytest.mark.parametrize("built", ["site", "paged_site"])
def test_nu_html_checker_finds_no_errors(request: pytest.FixtureRequest, built: str) -> None:
    site: Path = request.getfixturevalue(built)
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `make test`, which installs the npm package vnu-jar")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                             "--also-check-css", "--also-check-svg", str(site)],
                            capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert [(m.get("url", "").split("/")[-2:], m["message"]) for m in messages] == []


def test_no_request_leaves_the_site(page: Page, base: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert requested
    assert [url for url in requested if not url.startswith((base, "data:"))] == []


def test_search_can_be_narrowed_to_one_verdict(page: Page, base: str) -> None:
    word, label = word_of_two_verdicts()
    key = next(s.key for s in STATUSES.values() if s.label == label)
    page.goto(base + f"search.html?q={word}")
    page.wait_for_selector("#fm-search-results .fm-passage .fm-badge")
    page.select_option("#fm-search-status", key)
    page.wait_for_url(f"**status={key}**")
    page.wait_for_function(f"() => document.getElementById('fm-search-summary').textContent.length > 0 && "
                           f"[...document.querySelectorAll('#fm-search-results .fm-passage')]"
                           f".every(p => p.classList.contains({json.dumps('fm-' + key)}))")
    narrowed = page.locator("#fm-search-results .fm-passage .fm-badge").all_inner_texts()
    assert narrowed and all(badge.strip().endswith(label) for badge in narrowed)


def test_print_shows_urls_and_keeps_statuses_apart_without_colour(page: Page, base: str) -> None:
    path = max(TEXTS, key=lambda p: len({a["status"] for a in annotations_of(p)}))
    page.goto(base + path)
    page.emulate_media(media="print")
    assert page.locator(".fm-print-url").first.is_visible()
    assert not page.locator(".fm-filter").is_visible()
    present = sorted({a["status"] for a in annotations_of(path)})
    styles = {status: page.eval_on_selector(f"mark.fm-hl.fm-{status}", "el => getComputedStyle(el).textDecorationStyle")
              for status in present}
    assert len(set(styles.values())) == len(present), styles


def open_a_note(page: Page) -> None:
    """Open the note of the first passage in the window, as a reader clicking or tapping it would."""
    page.evaluate("window.scrollTo(0, document.querySelector('#fm--text').getBoundingClientRect().top"
                  " + window.scrollY - 80)")
    page.locator("#fm--text mark.fm-hl[id]").first.click()
    assert page.evaluate("!document.querySelector('#fm-pop').hidden"
                         " || !!document.querySelector('.fm-side.fm-active')")


@pytest.mark.parametrize("width", [320, 375, 768, 1280, 1440])
def test_responsive_without_horizontal_scrolling(browser: Browser, base: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=width < 700)
    page = context.new_page()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for path in ("", RICH):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if path:  # the text with a note open: sheet, card or sidenotes by width
            open_a_note(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        name = (path.strip("/").replace("/", "-") or "home") + f"-{width}.png"
        page.screenshot(path=str(OUTPUT / name))
        assert (OUTPUT / name).stat().st_size > 10_000
    context.close()
