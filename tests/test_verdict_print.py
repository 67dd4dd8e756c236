"""Every page of the repository's own site printed by Chromium (page.pdf) as a reader would print it.

A page prints in about as many A4 pages as its content needs (an entry longer than a page once made every
entry start a page of its own, leaving most of them blank), with the site's name, the page's address and the
legend of the verdicts, and no source's address twice. Parametrised over whatever content/ holds.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import content_pages, served
from playwright.sync_api import Browser

# The printable area of A4 with the theme's @page margins (15 mm each side, 14 mm top and bottom), in CSS px
A4_WIDTH, A4_HEIGHT = (210 - 30) / 25.4 * 96, (297 - 28) / 25.4 * 96
# Pages that keep a heading with what follows and a source whole may run this much longer than their content
SLACK = 1.05
# Printed characters per A4 page between the first and the last, at least: the theme's 10 pt print puts 4,000
# to 6,700 on those pages of the reference site; the 12 pt print that pushed every long entry to a page of its
# own put about 1,950, which is what "most pages half blank" measures.
DENSITY = 3000
URL = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def base(built_site: Path) -> Iterator[str]:
    with served(built_site) as address:
        yield address


@pytest.mark.parametrize("path", content_pages())
def test_page_prints_compactly_with_site_address_and_legend(browser: Browser, base: str, path: str) -> None:
    context = browser.new_context(viewport={"width": round(A4_WIDTH), "height": round(A4_HEIGHT)})
    page = context.new_page()
    page.goto(base + path)
    page.emulate_media(media="print")
    page.evaluate("document.fonts.ready")
    needed = math.ceil(page.evaluate("document.documentElement.scrollHeight") / A4_HEIGHT)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    printed = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= printed <= math.ceil(needed * SLACK), (printed, needed)
    characters = len(page.evaluate("document.body.innerText"))
    # the first page holds the heading and legend and the last may be short: the pages between are full
    assert printed <= 2 or characters / (printed - 2) >= DENSITY, (characters, printed)
    assert page.locator(".site-name").is_visible()
    canonical = page.get_attribute("link[rel=canonical]", "href")
    assert canonical and page.locator(".page-url").inner_text() == canonical
    if page.locator("#fm--text mark.fm-hl").count():
        assert page.locator(".legend").is_visible()
        assert page.locator(".legend dt").count() >= 1
    sources = page.eval_on_selector_all(".fm-source", "els => els.map(e => e.innerText)")
    twice = {url: n for text in sources for url, n in Counter(u.rstrip(",.;)") for u in URL.findall(text)).items()
             if n > 1}
    assert twice == {}
    assert page.evaluate("document.body.innerText").count(canonical) == 1
    context.close()
