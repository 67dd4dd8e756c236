"""How verdicts look, in Debian's Chromium: emphasis, colour-blind safety, dark mode, filter, home table, fonts.

The tests build a small site of their own (`look_site`) whose text has passages of every verdict, nested ones
among them, and more documented text than problems, as a real fact-check has; printing the repository's own
pages is tests/test_verdict_print.py.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import DOC, MKDOCS_YML, Site, annotation, annotations_file, served
from playwright.sync_api import Browser, Page

from factmark import cli

STATUSES = ("documented", "disputed", "uncorroborated")
VISION = ("none", "deuteranopia", "protanopia", "achromatopsia")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Two verdicts count as told apart when the mean colours of their highlights, badges, markers or bar segments
# differ by at least this CIEDE2000 distance in every vision mode. 2.3 is a just-noticeable difference between
# two large patches side by side; the verdicts are small, apart on the page and must be named at a glance, so
# we ask for over four times that (the palette gives 12 or more between the two fills in greyscale).
DISTINCT = 10.0
# The share of the text under a filled highlight may exceed the share of the text that non-documented
# annotations quote by no more than this (a fill's padding at a line's ends): only problems are filled.
FILL_MARGIN = 0.02
SITE_URL = "https://factchecks.example/"

TEXT = """\
# The town's year

The council approved the budget in March after a long debate about roads, schools and the harbour.

Officials said the new bridge cost four million dollars to build.

Residents say the river has flooded every spring since records began.

The mayor opened the library on Monday, and the library now lends ten thousand books a year to families.

Critics claim the school closed because the state cut its funding by half in one year.

The harbour reopened in June after repairs to the north wall, and fishing boats returned within a week.
"""
# (quote, id, status): more documented text than problems, a disputed passage inside a documented one and a
# documented one inside a disputed one
ANNOTATIONS = [
    ("The council approved the budget in March after a long debate about roads, schools and the harbour",
     "budget", "documented"),
    ("the new bridge cost four million dollars", "bridge", "disputed"),
    ("the river has flooded every spring", "river", "uncorroborated"),
    ("The mayor opened the library on Monday, and the library now lends ten thousand books a year to families",
     "library", "documented"),
    ("ten thousand books a year", "books", "disputed"),
    ("the school closed because the state cut its funding by half in one year", "school", "disputed"),
    ("the state cut its funding", "funding", "documented"),
    ("The harbour reopened in June after repairs to the north wall, and fishing boats returned within a week",
     "harbour", "documented"),
]
LONG_TITLE = "Anextraordinarilylongwordthatnoboxcanbreak and the statement on the regional infrastructure budget"


@pytest.fixture(scope="module")
def look_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of its own: home, claims and one text with every verdict, nested passages and a long title."""
    project = Site(tmp_path_factory.mktemp("look"))
    project.write("mkdocs.yml", f"site_url: {SITE_URL}\n" + MKDOCS_YML)
    project.write("content/index.md", "---\ntitle: Home\ntemplate: home.html\n---\n\n# Texts\n")
    project.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n\n# All claims\n")
    project.write("content/speech.md", DOC.replace("title: A speech", f"title: {LONG_TITLE}") + TEXT)
    project.write("annotations/speech.yaml", annotations_file(*(
        annotation(quote, id=ident, status=status) for quote, ident, status in ANNOTATIONS)))
    assert cli.main(["-f", str(project.root / "mkdocs.yml"), "build", "-d", str(project.root / "site")]) == 0
    return project.root / "site"


@pytest.fixture(scope="module")
def base(look_site: Path) -> Iterator[str]:
    with served(look_site) as address:
        yield address


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


# Colour: sRGB bytes -> CIELAB (D65) -> CIEDE2000, and OKLCH chroma for "not muddy"

def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """The CIE's colour difference of 2000 (Sharma, Wu and Dalal's formulation), between two sRGB colours."""
    (l1, a1, b1), (l2, a2, b2) = lab(one), lab(two)
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c, d_h = l2 - l1, c2 - c1, 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def oklch_chroma(rgb: tuple[float, float, float]) -> float:
    r, g, b = (_linear(c) for c in rgb)
    lms = [0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b,
           0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b,
           0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b]
    l_, m_, s_ = (v ** (1 / 3) for v in lms)
    a = 1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_
    bb = 0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_
    return math.hypot(a, bb)


def contrast(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio."""
    def luminance(rgb: tuple[float, float, float]) -> float:
        r, g, b = (_linear(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The colour of each box of a screenshot (page coordinates are the full page's pixels): its most frequent pixel,
# which is what a reader takes for the element's colour (its fill, or the page behind an unfilled one)
BOX_COLOURS = """async ([src, boxes]) => {
    const image = new Image(); image.src = src; await image.decode();
    const context = new OffscreenCanvas(image.width, image.height).getContext('2d');
    context.drawImage(image, 0, 0);
    return boxes.map(b => {
      const data = context.getImageData(Math.round(b.x), Math.round(b.y), Math.max(1, Math.round(b.width)),
                                        Math.max(1, Math.round(b.height))).data, counts = new Map();
      for (let i = 0; i < data.length; i += 4) {
        const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2]; counts.set(key, (counts.get(key) || 0) + 1); }
      const key = [...counts].sort((x, y) => y[1] - x[1])[0][0];
      return [key >> 16, (key >> 8) & 255, key & 255]; });
}"""
# A computed colour (oklch(), color-mix() ...) as sRGB bytes: painted on a canvas and read back
AS_RGB = """(colour) => { const context = new OffscreenCanvas(1, 1).getContext('2d');
    context.fillStyle = colour; context.fillRect(0, 0, 1, 1);
    return [...context.getImageData(0, 0, 1, 1).data].slice(0, 3); }"""
# The first line box of the first element each selector names, in page coordinates
FIRST_BOXES = """(selectors) => selectors.map(s => { const el = document.querySelector(s); if (!el) return null;
    const r = el.getClientRects()[0];
    return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}; })"""
# Where each verdict appears, per page: its first element there (a highlight neither nested nor holding one)
PLACES = {
    "speech/": {"highlight": "#fm--text mark.fm-hl.fm-{s}:not(mark.fm-hl mark):not(:has(mark))",
                "marker": "a.fm-marker.fm-{s}", "badge": ".doc-counts .fm-badge.fm-{s}", "bar": ".fm-bar rect.fm-{s}",
                "legend": ".legend mark.fm-{s}", "entry": ".fm-entry-title .fm-badge.fm-{s}"},
    "claims/": {"badge": ".claims-group h2 .fm-badge.fm-{s}"},
    "": {"bar": ".documents-table .fm-bar rect.fm-{s}"},
}


def box_colours(page: Page, reader: Page, boxes: list[dict[str, float]]) -> list[tuple[int, int, int]]:
    """The colour of each box, from a screenshot of each run of boxes near one another (not of the whole page)."""
    order = sorted(range(len(boxes)), key=lambda i: boxes[i]["y"])
    runs: list[list[int]] = []
    for i in order:
        if runs and boxes[i]["y"] - max(boxes[j]["y"] + boxes[j]["height"] for j in runs[-1]) < 400:
            runs[-1].append(i)
        else:
            runs.append([i])
    out: dict[int, tuple[int, int, int]] = {}
    for run in runs:
        top = math.floor(min(boxes[i]["y"] for i in run))
        bottom = math.ceil(max(boxes[i]["y"] + boxes[i]["height"] for i in run))
        width = page.evaluate("document.documentElement.clientWidth")
        png = page.screenshot(clip={"x": 0, "y": top, "width": width, "height": bottom - top}, full_page=True)
        shifted = [{**boxes[i], "y": boxes[i]["y"] - top} for i in run]
        found = reader.evaluate(BOX_COLOURS, ["data:image/png;base64," + base64.b64encode(png).decode(), shifted])
        out.update({i: tuple(c) for i, c in zip(run, found, strict=True)})
    return [out[i] for i in range(len(boxes))]


def test_verdicts_stay_apart_whatever_colours_a_reader_sees(browser: Browser, base: str) -> None:
    """Highlights, markers, badges, bars, legend, entries and claims of each verdict, light and dark, seen with
    each vision deficiency Chromium emulates (the emulation and the colour scheme change without a reload)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, reader = context.new_page(), context.new_page()  # the reader decodes pixels; it is not emulated
    cdp = context.new_cdp_session(page)
    colours: dict[str, dict[str, tuple]] = {}
    for path, places in PLACES.items():
        page.goto(base + path)
        page.evaluate("document.fonts.ready")
        boxes = page.evaluate(FIRST_BOXES, [t.format(s=s) for t in places.values() for s in STATUSES])
        assert all(b and b["width"] >= 4 and b["height"] >= 4 for b in boxes), (path, boxes)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for vision in VISION:
                cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": vision})
                found = iter(box_colours(page, reader, boxes))
                for place in places:
                    colours[f"{path or 'home'} {place}, {scheme}, {vision}"] = {s: next(found) for s in STATUSES}
    context.close()
    distances = {(place, one, two): round(ciede2000(c[one], c[two]), 1) for place, c in colours.items()
                 for i, one in enumerate(STATUSES) for two in STATUSES[i + 1:]}
    assert len(distances) == 3 * 2 * len(VISION) * sum(len(p) for p in PLACES.values())
    assert {pair: d for pair, d in distances.items() if d < DISTINCT} == {}


def text_shares(page: Page) -> dict[str, float]:
    """Shares of the text's characters: under a visible fill, and inside a highlight of a non-documented verdict."""
    return page.evaluate(r"""() => {
        const root = document.getElementById('fm--text');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const filled = el => { for (let e = el; e && e !== root; e = e.parentElement) {
            if (e.matches('mark.fm-hl')) { const c = getComputedStyle(e).backgroundColor;
              if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return true; } } return false; };
        let all = 0, fill = 0, problem = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const n = node.textContent.replace(/\s+/g, '').length, el = node.parentElement;
            all += n;
            if (filled(el)) fill += n;
            if (el.closest('mark.fm-hl:not(.fm-documented)')) problem += n;
        }
        return {filled: fill / all, problems: problem / all,
                documented: [...root.querySelectorAll('mark.fm-documented')].reduce(
                    (sum, m) => sum + m.textContent.replace(/\s+/g, '').length, 0) / all};
    }""")


def test_only_problems_are_filled(page: Page, base: str) -> None:
    page.goto(base + "speech/")
    shares = text_shares(page)
    assert shares["documented"] > 0.6 and shares["problems"] < 0.4, shares  # a text mostly documented
    assert shares["problems"] - FILL_MARGIN <= shares["filled"] <= shares["problems"] + FILL_MARGIN, shares
    page.check("#fm-filter-documented")  # shown alone, documented passages take a fill too
    assert text_shares(page)["filled"] >= shares["documented"] - FILL_MARGIN


def test_nested_passages_stay_legible_light_and_dark(page: Page, base: str) -> None:
    """Text on every fill (and on a fill showing through a nested documented passage) meets WCAG AA; fills keep
    their colour in dark mode instead of turning to mud, and markers wear their verdict, not link blue."""
    page.goto(base + "speech/")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        pairs = page.evaluate("""() => [...document.querySelectorAll('#fm--text mark.fm-hl')].map(m => {
            let fill = 'rgba(0, 0, 0, 0)';
            for (let e = m; e && fill === 'rgba(0, 0, 0, 0)'; e = e.parentElement) {
                fill = getComputedStyle(e).backgroundColor; }
            return [m.dataset.fm, getComputedStyle(m).color, fill,
                    m.matches('mark.fm-hl mark') ? 'nested' : 'top']; })""")
        assert {nested for *_, nested in pairs} == {"nested", "top"}
        for ident, text, fill, _ in pairs:
            text_rgb, fill_rgb = page.evaluate(AS_RGB, text), page.evaluate(AS_RGB, fill)
            assert contrast(text_rgb, fill_rgb) >= 4.5, (scheme, ident, text, fill)
        for status in STATUSES[1:]:
            fill = page.eval_on_selector(f"mark.fm-{status}", "m => getComputedStyle(m).backgroundColor")
            assert oklch_chroma(page.evaluate(AS_RGB, fill)) >= 0.1, (scheme, status, fill)
        link = page.evaluate(AS_RGB, page.eval_on_selector(".doc-counts a", "a => getComputedStyle(a).color"))
        markers = {s: page.evaluate(AS_RGB, page.eval_on_selector(f"a.fm-marker.fm-{s}",
                                                                  "a => getComputedStyle(a).backgroundColor"))
                   for s in STATUSES[1:]}
        assert link not in markers.values() and len({tuple(m) for m in markers.values()}) == 2


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(browser: Browser, base: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = []
    for path in ("speech/", "speech/?verdict=documented", "", "claims/"):
        page.goto(base + path)
        result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        found += [(path, v["id"], [n["html"][:100] for n in v["nodes"][:2]]) for v in result.response["violations"]]
    context.close()
    assert found == []


def test_filter_choice_survives_a_reload_and_labels_stay_whole(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(base + "speech/")
    lines = page.eval_on_selector_all(".fm-filter label", "ls => ls.map(l => l.getClientRects().length)")
    heights = page.eval_on_selector_all(".fm-filter label", "ls => ls.map(l => l.getBoundingClientRect().height / "
                                        "parseFloat(getComputedStyle(l).lineHeight))")
    assert len(lines) == 1 + len(STATUSES) and set(lines) == {1}
    assert max(heights) < 1.5, heights  # one line each, however narrow the screen
    page.click("label[for=fm-filter-disputed]")
    assert "verdict=disputed" in page.url
    page.reload()
    assert page.is_checked("#fm-filter-disputed")
    shown = page.eval_on_selector_all("a.fm-marker", "ms => ms.filter(m => m.offsetParent).map(m => m.dataset.fm)")
    assert sorted(shown) == sorted(i for _, i, s in ANNOTATIONS if s == "disputed")
    page.click("label[for=fm-filter-all]")
    page.reload()
    assert "verdict" not in page.url and page.is_checked("#fm-filter-all")
    context.close()


@pytest.mark.parametrize("width", [320, 375, 768, 880, 1024, 1280, 1440])
def test_home_table_fits(browser: Browser, base: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base)
    box = page.eval_on_selector(".table-scroll", "el => [el.scrollWidth, el.clientWidth]")
    assert box[0] <= box[1], box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    counts = page.eval_on_selector_all(".documents-table td.num.opt, .doc-tally",
                                       "els => els.filter(e => e.offsetParent).length")
    assert counts >= 1  # the verdicts' counts are shown, in columns or under the bar
    context.close()


def test_entry_links_back_link_room_and_fonts(page: Page, base: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "speech/")
    page.evaluate("document.fonts.ready")
    assert page.eval_on_selector(".fm-entry-links", "el => getComputedStyle(el).display") == "flex"
    assert page.evaluate("document.fonts.check('1em \"Source Serif 4\"')")
    faces = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert {'"Source Serif 4"', '"Source Sans 3"'} <= set(faces) or {"Source Serif 4", "Source Sans 3"} <= set(faces)
    assert any(url.endswith(".woff2") for url in requested)
    assert all(url.startswith(base) for url in requested)
    page.click("#fm-river a.fm-back")
    top = page.eval_on_selector("#fm-river--text", "el => el.getBoundingClientRect().top")
    assert 0.15 * 900 <= top <= 0.6 * 900, top  # the passage lands with the lines before it in view
