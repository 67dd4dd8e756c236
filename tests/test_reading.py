"""Notes that keep the reader's place, in Debian's Chromium: sidenotes, hoverable cards, a bottom sheet, keyboard.

One synthetic site, built once for the module: a long text whose paragraphs each carry one claim, ten
annotations of every verdict with distinct summaries, the last near the end of the page. It is served
on 127.0.0.1; a click on a source link is answered by the test itself, so nothing leaves the machine.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import Site, served
from playwright.sync_api import Browser, Page, Route, expect

from factmark import cli

STATUSES = ["documented", "disputed", "uncorroborated"]
CLAIMS = 10
DENSE = 12  # claims in the one paragraph of dense.md
FILLER = ("The committee met again on a grey morning and went through the figures line by line, "
          "asking each official to explain where the numbers had come from and who had checked them. ")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CLOSE_DELAY_MS = 300  # factmark.js: how long a card waits for the pointer to reach it


def claim(i: int) -> str:
    return f"the {STATUSES[i % 3]} claim number {i} was made in public"


def summary(i: int) -> str:
    return f"Summary of claim {i}: what the record shows."


def annotation_yaml(i: int) -> str:
    return f"""\
  - id: c{i}
    quote: "{claim(i)}"
    status: {STATUSES[i % 3]}
    summary: "{summary(i)}"
    sources:
      - url: "https://example.org/report-{i}"
        title: Report {i}
        publisher: Example Agency
        date: "2025-01-02"
        excerpt: "The passage."
      - url: "https://example.net/record-{i}"
        title: Record {i}
        publisher: Example Archive
        date: "2025-01-03"
        excerpt: "Another passage."
    reviewed: "2025-12-09"
"""


def text() -> str:
    """Paragraphs of 4 to 5 lines with one claim each; a long run of plain ones before the last."""
    paragraphs = [FILLER * 2 + f"Then {claim(i)}, the minutes say. " + FILLER for i in range(CLAIMS - 1)]
    paragraphs += [FILLER * 3] * 12
    paragraphs.append(FILLER + f"At the very end {claim(CLAIMS - 1)}, and the meeting closed.")
    return "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = Site(tmp_path_factory.mktemp("reading"))
    site.doc(text())
    site.write("annotations/speech.yaml", "document: speech.md\nannotations:\n"
               + "".join(annotation_yaml(i) for i in range(CLAIMS)))
    # a dense text: a claim in every sentence, more notes than the margin beside them holds
    site.doc(" ".join(f"Witness {i} said that {claim(i)}." for i in range(DENSE)) + "\n", name="dense.md")
    site.write("annotations/dense.yaml", "document: dense.md\nannotations:\n"
               + "".join(annotation_yaml(i) for i in range(DENSE)))
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(site.root / "site")]) == 0
    with served(site.root / "site") as address:
        yield address + "speech/"


def open_page(browser: Browser, base: str, width: int, height: int = 800, **options: Any) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    outside: list[str] = []

    def answer(route: Route) -> None:  # a source link: answered here, never fetched
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.fulfill(status=200, content_type="text/html", body="<title>source</title><p>source</p>")

    context.route("**/*", answer)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base)
    page.evaluate("document.fonts.ready")
    page.errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture
def medium(browser: Browser, base: str) -> Iterator[Page]:
    page = open_page(browser, base, 1280)
    yield page
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def rect(page: Page, selector: str) -> dict[str, float]:
    return page.eval_on_selector(selector, """el => { const r = el.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }""")


def centre(box: dict[str, float]) -> tuple[float, float]:
    return (box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes share some height."""
    return a["top"] < b["bottom"] and b["top"] < a["bottom"]


def put_marker_at(page: Page, ident: str, y: float) -> dict[str, float]:
    """Scroll so that marker ``ident``'s top sits ``y`` px from the top of the window; its box after."""
    page.eval_on_selector(f"#fm-{ident}--ref", f"el => window.scrollBy(0, el.getBoundingClientRect().top - ({y}))")
    return rect(page, f"#fm-{ident}--ref")


def inside_window(page: Page, box: dict[str, float]) -> bool:
    width, height = page.evaluate("[document.documentElement.clientWidth, window.innerHeight]")
    return box["left"] >= 0 and box["top"] >= 0 and box["right"] <= width and box["bottom"] <= height


def test_a_card_reached_by_the_pointer_stays_open_and_its_source_link_is_clickable(medium: Page) -> None:
    page = medium
    pop = page.locator("#fm-pop")
    marker = put_marker_at(page, "c4", 300)
    page.mouse.move(*centre(marker))
    expect(pop).to_be_visible()
    assert pop.get_attribute("data-fm") == "c4"
    expect(pop).to_contain_text(summary(4))
    card = rect(page, "#fm-pop")
    assert not overlap(card, marker), "the card leaves the line being read free"
    link = rect(page, "#fm-pop .fm-note-sources a")
    target = centre(link)
    page.mouse.move(*target, steps=15)  # across the gap between the line and the card
    page.wait_for_timeout(CLOSE_DELAY_MS + 200)
    expect(pop).to_be_visible()
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('a').href", target).startswith(
        "https://example.org/report-4")
    page.mouse.move(5, 5, steps=5)  # the pointer leaves: the card closes after its short delay
    expect(pop).to_be_hidden()
    page.mouse.move(*centre(marker))
    expect(pop).to_be_visible()
    page.keyboard.press("Escape")  # dismissible without moving the pointer
    expect(pop).to_be_hidden()
    page.mouse.move(1, 1)
    page.mouse.move(*centre(marker))
    expect(pop).to_be_visible()
    page.mouse.move(*target, steps=15)
    with page.expect_navigation():
        page.mouse.click(*target)
    assert page.url.startswith("https://example.org/report-4"), page.url


@pytest.mark.parametrize("width", [768, 1280])
def test_cards_flip_near_the_edges_and_stay_inside_the_window(browser: Browser, base: str, width: int) -> None:
    page = open_page(browser, base, width)
    height = page.evaluate("window.innerHeight")
    pop = page.locator("#fm-pop")
    placed = 0
    for i in range(CLAIMS):  # each marker once near an edge; the last claim, near the page's end, at the bottom
        y, where = (height - 40, "above") if i % 2 else (40, "below")
        marker = put_marker_at(page, f"c{i}", y)
        page.mouse.move(*centre(marker))
        expect(pop).to_have_attribute("data-fm", f"c{i}")
        card = rect(page, "#fm-pop")
        assert inside_window(page, card), (i, y, card)
        assert not overlap(card, marker), (i, y, card, marker)
        if abs(marker["top"] - y) < 1:  # the page could scroll there
            assert (card["bottom"] <= marker["top"]) if where == "above" else (card["top"] >= marker["bottom"])
            placed += 1
        page.keyboard.press("Escape")
        expect(pop).to_be_hidden()
    assert placed >= CLAIMS - 1
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_clicking_a_passage_opens_its_note_and_moves_nothing(medium: Page) -> None:
    page = medium
    page.eval_on_selector("#fm-c6--text", "el => el.scrollIntoView({block: 'center'})")
    before = page.evaluate("[window.scrollY, document.documentElement.scrollHeight]")
    page.click("#fm-c6--text")
    pop = page.locator("#fm-pop")
    expect(pop).to_be_visible()
    assert pop.get_attribute("data-fm") == "c6"
    expect(pop).to_contain_text(summary(6))
    assert page.evaluate("[window.scrollY, document.documentElement.scrollHeight]") == before
    assert page.evaluate("document.activeElement.id") == "fm-pop"  # an opened note takes focus
    page.mouse.move(1, 1, steps=3)
    page.wait_for_timeout(CLOSE_DELAY_MS + 200)
    expect(pop).to_be_visible()  # opened by a click, it stays until Escape, a click elsewhere or focus moves
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "fm-c6--ref"


def test_tab_goes_from_marker_to_marker_and_only_an_open_note_adds_stops(medium: Page) -> None:
    page = medium
    markers = page.eval_on_selector_all("#fm--text a.fm-marker", "els => els.map(e => e.id)")
    assert len(markers) == CLAIMS
    page.focus(f"#{markers[0]}")
    expect(page.locator("#fm-pop")).to_have_attribute("data-fm", "c0")  # focus shows the note
    for expected in markers[1:]:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == expected
        expect(page.locator("#fm-pop")).to_have_attribute("data-fm", expected.removeprefix("fm-").removesuffix("--ref"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#fm--text, #fm-pop')") is None  # on to the entries
    # a note opened by a click: its links are reachable, then Tab goes on to the next marker
    page.click("#fm-c2--text")
    stops = []
    for _ in range(10):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.closest('#fm-pop') ? "
                                   "document.activeElement.textContent : document.activeElement.id"))
        if not stops[-1].startswith(("Example", "Full")):
            break
    assert stops == ["Example Agency: Report 2", "Example Archive: Record 2", "Full note and sources", "fm-c3--ref"]
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "fm-c2--ref"


def test_at_1440_the_verdicts_sit_in_the_margin_beside_their_passages(browser: Browser, base: str) -> None:
    page = open_page(browser, base, 1440, 900)
    column = rect(page, "#fm--text")
    width = page.evaluate("document.documentElement.clientWidth")
    notes = []
    for i in range(CLAIMS):
        note = f".fm-margin .fm-side[data-fm=c{i}]"
        expect(page.locator(note)).to_be_visible()
        box = rect(page, note)
        passage = page.eval_on_selector_all(f"mark.fm-hl[data-fm=c{i}]", """els => els.flatMap(e =>
            [...e.getClientRects()].map(r => ({top: r.top, bottom: r.bottom})))""")
        assert box["left"] >= column["right"] and box["right"] <= width, (i, box, column)
        assert any(overlap(box, line) for line in passage), (i, box, passage)
        assert summary(i) in page.inner_text(note)
        notes.append(box)
    for above, below in itertools.pairwise(notes):
        assert below["top"] >= above["bottom"], "stacked without overlap"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    assert not page.locator(".fm-side[data-fm=c3] .fm-note-sources").is_visible()
    page.click("#fm-c3--text")  # the passage brings its note forward, with the sources
    expect(page.locator(".fm-side[data-fm=c3] .fm-note-sources")).to_be_visible()
    expect(page.locator("#fm-pop")).to_be_hidden()  # no card over the text at this width
    page.focus("#fm-c5--ref")  # the keyboard brings the notes forward one by one
    expect(page.locator(".fm-side.fm-active")).to_have_attribute("data-fm", "c5")
    page.keyboard.press("Tab")
    expect(page.locator(".fm-side.fm-active")).to_have_attribute("data-fm", "c6")
    assert page.locator(".fm-side.fm-active").count() == 1
    page.check("#fm-filter-disputed")  # one verdict: the others' notes go, the rest close up
    shown = page.eval_on_selector_all(".fm-side", "els => els.filter(e => !e.hidden).map(e => e.dataset.fm)")
    assert shown == [f"c{i}" for i in range(CLAIMS) if STATUSES[i % 3] == "disputed"]
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_at_375_tapping_a_passage_opens_its_verdict_without_scrolling(browser: Browser, base: str) -> None:
    page = open_page(browser, base, 375, 740, has_touch=True, is_mobile=True)
    sheet = page.locator("#fm-pop")
    page.eval_on_selector("#fm-c5--text", "el => el.scrollIntoView({block: 'center'})")
    scroll = page.evaluate("window.scrollY")
    page.tap("#fm-c5--text")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text(summary(5))
    assert page.evaluate("window.scrollY") == scroll
    box = rect(page, "#fm-pop")
    assert inside_window(page, box) and box["bottom"] == page.evaluate("window.innerHeight")  # at the bottom
    tapped = page.eval_on_selector("#fm-c5--text", "el => el.getClientRects()[0].bottom")
    assert box["top"] >= tapped, "the sheet stops below the line tapped"
    assert page.evaluate("document.activeElement.id") == "fm-pop"  # focus goes to the sheet
    page.tap("#fm-pop .fm-pop-close")
    expect(sheet).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "fm-c5--ref"  # and back to the marker
    assert page.evaluate("window.scrollY") == scroll
    page.tap("#fm-c5--ref")  # the marker opens it too, instead of a jump to the entry
    expect(sheet).to_have_attribute("data-fm", "c5")
    assert page.evaluate("[window.scrollY, location.hash]") == [scroll, ""]
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_without_javascript_each_marker_reaches_its_entry_and_back(browser: Browser, base: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(base)
    html = page.content()
    body = html[html.index("<body"):]
    for i in range(CLAIMS):
        assert body.count(summary(i)) == 1, "the page carries each note once, in its entry"
        page.click(f"#fm-c{i}--ref")
        assert page.evaluate("location.hash") == f"#fm-c{i}"
        expect(page.locator(f"#fm-c{i}")).to_be_in_viewport()
        page.click(f"#fm-c{i} a.fm-back")
        assert page.evaluate("location.hash") == f"#fm-c{i}--text"
        expect(page.locator(f"#fm-c{i}--text")).to_be_in_viewport()
        top = rect(page, f"#fm-c{i}--text")["top"]
        assert top >= 0.3 * 800 - 2, "the way back keeps the lines before the passage in view"
    assert page.locator("#fm-pop, .fm-margin").count() == 0
    context.close()


@pytest.mark.parametrize(("width", "scheme"), [(375, "dark"), (1280, "light"), (1440, "dark")])
def test_axe_finds_no_violations_with_a_note_open(browser: Browser, base: str, width: int, scheme: str) -> None:
    page = open_page(browser, base, width, color_scheme=scheme)
    page.eval_on_selector("#fm-c1--text", "el => el.scrollIntoView({block: 'center'})")
    page.click("#fm-c1--text")  # a sheet, a card or the sidenote brought forward, by width
    assert page.locator("#fm-pop:not([hidden]), .fm-side.fm-active").count() == 1
    # the notes and the text around them (the reference pages get whole-page runs in test_browser)
    notes = {"include": [["#fm-pop"], [".fm-margin"], ["#fm-c1--text"], ["#fm-c1--ref"]]}
    result = Axe().run(page, context=notes, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert result.response["passes"] or result.response["incomplete"]  # something was checked
    assert [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in result.response["violations"]] == []
    page.context.close()


def test_dense_sidenotes_shrink_to_one_line_and_the_one_read_comes_level_with_its_line(browser: Browser,
                                                                                       base: str) -> None:
    page = open_page(browser, base.replace("/speech/", "/dense/"), 1440, 900)
    assert page.locator(".fm-margin.fm-margin-dense").count() == 1
    boxes = [rect(page, f".fm-side[data-fm=c{i}]") for i in range(DENSE)]
    for above, below in itertools.pairwise(boxes):
        assert below["top"] >= above["bottom"]
    last = f"c{DENSE - 1}"
    assert boxes[-1]["top"] > rect(page, f"#fm-{last}--ref")["bottom"], "the last note drifted below its line"
    page.hover(f"#fm-{last}--ref")
    expect(page.locator(f".fm-side[data-fm={last}]")).to_have_class(re.compile("fm-active"))
    assert overlap(rect(page, f".fm-side[data-fm={last}]"), rect(page, f"#fm-{last}--ref"))
    page.mouse.move(1, 1)
    expect(page.locator(f".fm-side[data-fm={last}]")).not_to_have_class(re.compile("fm-active"))
    assert rect(page, f".fm-side[data-fm={last}]") == boxes[-1]  # back in its place in the stack
    page.context.close()


def test_on_a_touch_screen_a_marker_opens_its_card_instead_of_jumping(browser: Browser, base: str) -> None:
    page = open_page(browser, base, 768, 1000, has_touch=True)
    page.eval_on_selector("#fm-c2--ref", "el => el.scrollIntoView({block: 'center'})")
    scroll = page.evaluate("window.scrollY")
    page.tap("#fm-c2--ref")
    expect(page.locator("#fm-pop.fm-pop-card")).to_have_attribute("data-fm", "c2")
    assert page.evaluate("[window.scrollY, location.hash]") == [scroll, ""]
    assert inside_window(page, rect(page, "#fm-pop"))
    page.tap("#fm-pop .fm-note-more a")  # on to the entry from there
    assert page.evaluate("location.hash") == "#fm-c2"
    expect(page.locator("#fm-pop")).to_be_hidden()
    page.context.close()
