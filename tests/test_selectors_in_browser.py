"""Real W3C Web Annotation clients resolve every exported selector to its highlighted text.

Each built page is loaded in Debian's Chromium (served on 127.0.0.1, nothing else reached) with
two independent clients bundled from npm by esbuild: Apache Annotator (strict matching, follows
``refinedBy``) and dom-anchor-text-quote + dom-anchor-text-position (fuzzy, as Hypothesis began).
Every annotation of the site-wide ``annotations.jsonld`` and of each text's own collection must
resolve, through every selector it offers, to exactly one passage: from the start of the page's
first highlight element for that annotation to the end of its last, whose text is the highlights'
text (plus a footnote reference, where the author set one inside the quote). This runs on the
repository's own site and on a small project made here with the cases that break naive selectors.
"""

from __future__ import annotations

import html.parser
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import collectionpages
import pytest
from conftest import DOC, MKDOCS_YML, Site, annotation, annotations_file, served
from playwright.sync_api import Browser, Page
from test_commonmark import SPEC, pipeline, unique_word
from test_opendata import suite

from factmark import cli, export, pagetext
from factmark.anchor import CONTEXT

REPO = Path(__file__).resolve().parent.parent
ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"
CLIENTS = REPO / "tests" / "js" / "w3c-clients.js"
SITE_URL = "https://ejemplo.example/año/"  # a non-ASCII site address: every exported id must still be a URI
NINO = "https://kampuspedia.com/es/Niño_Guerrero"
NINO_URI = "https://kampuspedia.com/es/Ni%C3%B1o_Guerrero"
LONG = "and the council confirmed it in writing later"  # longer than the exported context

TRICKY = f"""\
# The “Niño” report: a quote in a heading

A paragraph with *emphasis inside* and [a link inside](https://example.org/x) the quote, then more.

The same words repeat. The same words repeat. The same words repeat at the end.

- A list item with the café quote in it
- Another item

| Column | Value |
| --- | --- |
| left | the table cell quote |

Overlapping annotations sit here: alpha beta gamma delta epsilon.

He said "straight quotes" and it's fine; ½ of them — the dash — stay.

Line one of a paragraph
that goes on with line two.

First: {LONG} the deficit fell {LONG} end.

Second: {LONG} the deficit fell {LONG} end.

Exports doubled[^1] and imports fell.

[^1]: The author's own note.
"""

TRICKY_ANNOTATIONS = [
    annotation("“Niño” report", id="heading"),
    annotation("emphasis inside and a link inside the quote", id="emphasis-and-link", status="disputed"),
    annotation("The same words repeat", id="repeated-second", extra='    prefix: "repeat."\n    suffix: ". The"\n'),
    annotation("The same words repeat", id="repeated-third", status="uncorroborated", extra='    suffix: " at"\n'),
    annotation("the café quote", id="list-item"),
    annotation("the table cell quote", id="table-cell", status="disputed"),
    annotation("alpha beta gamma", id="overlap-left"),
    annotation("gamma delta", id="overlap-right", status="disputed"),
    annotation("beta", id="nested", status="uncorroborated"),
    annotation("said \u201cstraight quotes\u201d and it\u2019s fine", id="curly-for-straight"),
    annotation("½ of them \u2013 the dash \u2013 stay", id="non-ascii", status="uncorroborated"),  # en for em dash
    annotation("paragraph that goes on", id="line-break"),
    annotation("the deficit fell", id="long-context", extra=f'    prefix: "Second: {LONG}"\n'),
    annotation("Exports doubled and imports", id="across-a-footnote"),  # the page's [1] sits inside the passage
]

SOURCE = """\
  - id: nino-source
    quote: "A text"
    status: documented
    summary: "A source with a non-ASCII address."
    sources:
      - url: "https://kampuspedia.com/es/Niño_Guerrero"
        publisher: Kampuspedia
        excerpt: "The passage."
    reviewed: "2025-12-09"
"""

CONFIG = MKDOCS_YML.replace("site_name: test\n", f"site_name: test\nsite_url: {SITE_URL}\n").replace(
    "  - factmark\n", "  - factmark:\n      publisher:\n        name: Comprobado\n        url: https://comprobado.example/qué/\n")


def build(root: Path) -> Path:
    out = root / "site"
    assert cli.main(["-f", str(root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = Site(tmp_path_factory.mktemp("tricky"))
    site.write("mkdocs.yml", CONFIG)
    site.doc(TRICKY)
    site.write("annotations/speech.yaml", annotations_file(*TRICKY_ANNOTATIONS))
    appearance = DOC.replace("language: en\n", "language: es\nappearance: https://ejemplo.example/discurso/año\n")
    site.write("content/textos/año.md", appearance + "A text with a source in Spanish.\n")
    site.write("annotations/ano.yaml", annotations_file(SOURCE, document="textos/año.md"))
    return build(site.root)


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clients bundled into one browser script, offline (esbuild and the packages come from npm)."""
    if not ESBUILD.exists():
        pytest.fail(f"{ESBUILD} is missing: run `make test`, which installs the pinned npm packages")
    out = tmp_path_factory.mktemp("clients") / "w3c-clients.js"
    subprocess.run([str(ESBUILD), str(CLIENTS), "--bundle", "--format=iife", "--log-level=warning",
                    f"--outfile={out}"], check=True, timeout=120)
    return out


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def text_pages(site: Path) -> dict[str, list[dict[str, Any]]]:
    """Each annotated page's URL path and the items for it, from the site collection and from its own."""
    site_wide = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    found = sorted(site.rglob("*/annotations.jsonld"))
    assert found
    pages: dict[str, list[dict[str, Any]]] = {}
    for path in found:
        own = json.loads(path.read_text(encoding="utf-8"))["items"]
        source = own[0]["target"]["source"]
        everywhere = [i for i in collectionpages.items(site) if i["target"]["source"] == source]
        assert [i["id"] for i in everywhere] == [i["id"] for i in own]
        pages[path.parent.relative_to(site).as_posix() + "/"] = own + everywhere
    assert sum(len(v) for v in pages.values()) == 2 * site_wide["total"]
    return pages


RESOLVE = """async ([items, containerSelector]) => {
  const clients = window.w3cClients;
  const container = document.querySelector(containerSelector);
  const offset = (node, at) => { const r = document.createRange(); r.setStart(container, 0); r.setEnd(node, at);
                                 return r.toString().length; };
  const where = (range) => range && [offset(range.startContainer, range.startOffset),
                                     offset(range.endContainer, range.endOffset), range.toString()];
  const results = [];
  for (const item of items) {
    const ident = item.id.split("#fm-")[1];
    const marks = [...container.querySelectorAll(`mark[data-fm="${ident}"]`)];
    const whole = document.createRange();
    whole.setStartBefore(marks[0]);
    whole.setEndAfter(marks[marks.length - 1]);
    const expected = where(whole);
    const inside = whole.cloneContents();  // the passage, less what the page sets inside a quote (footnote refs)
    inside.querySelectorAll(".footnote-ref").forEach((e) => e.remove());
    const highlighted = [marks.map((m) => m.textContent).join(""), inside.textContent];
    const position = item.target.selector.find((s) => s.refinedBy.type === "TextPositionSelector").refinedBy;
    for (const selector of item.target.selector) {
      const apache = [];
      for await (const match of clients.match(selector)(document)) { apache.push(where(match)); }
      const root = document.querySelector(selector.value);
      const refined = selector.refinedBy;
      let dom;
      try {
        dom = where(refined.type === "TextQuoteSelector"
          ? clients.textQuote.toRange(root, refined, {hint: position.start})
          : clients.textPosition.toRange(root, refined));
      } catch (error) {
        dom = String(error);
      }
      results.push({ident, type: refined.type, expected, highlighted, apache, dom});
    }
  }
  return results;
}"""


BITAP = "Error: Pattern too long for this browser."  # dom-anchor-text-quote's matcher takes 32 characters at most


def resolve_everything(page: Page, base: str, clients: Path, pages: dict[str, list[dict[str, Any]]],
                       ) -> tuple[int, list[str]]:
    """Resolve every selector of every item of every page with both clients.

    Returns how many selectors were tried, and the quotes whose context is longer than
    dom-anchor-text-quote can search (32 characters): where 32 characters either side do not tell a
    quote from its repeats, the context is widened, which only Apache Annotator can use; the
    TextPositionSelector still serves dom-anchor there.
    """
    wrong, beyond_bitap, tried = [], [], 0
    for path, items in pages.items():
        page.goto(base + path)
        page.add_script_tag(path=str(clients))
        context = {i["id"]: max(len(s["refinedBy"].get("prefix", "")), len(s["refinedBy"].get("suffix", "")))
                   for i in items for s in i["target"]["selector"] if s["refinedBy"]["type"] == "TextQuoteSelector"}
        for r, item in zip(page.evaluate(RESOLVE, [items, pagetext.CONTAINER]),
                           (i for i in items for _ in i["target"]["selector"]), strict=True):
            tried += 1
            if r["dom"] == BITAP and r["type"] == "TextQuoteSelector" and context[item["id"]] > CONTEXT:
                beyond_bitap.append(r["ident"])
            elif r["dom"] != r["expected"]:
                wrong.append((path, "dom-anchor", r))
            if r["apache"] != [r["expected"]]:
                wrong.append((path, "apache-annotator", r))
            if r["highlighted"][0] != r["highlighted"][1]:
                wrong.append((path, "highlights", r))
    assert wrong == []
    return tried, beyond_bitap


def test_real_clients_resolve_every_selector_of_the_repository_site(page: Page, built_site: Path,
                                                                    clients: Path) -> None:
    pages = text_pages(built_site)
    with served(built_site) as base:
        assert resolve_everything(page, base, clients, pages) == (2 * sum(len(v) for v in pages.values()), [])


def test_real_clients_resolve_every_selector_of_the_tricky_cases(page: Page, tricky_site: Path, clients: Path) -> None:
    pages = text_pages(tricky_site)
    assert sorted(pages) == ["speech/", "textos/año/"]
    idents = {i["id"].split("#fm-")[1] for i in pages["speech/"]}
    assert idents == {"heading", "emphasis-and-link", "repeated-second", "repeated-third", "list-item", "table-cell",
                      "overlap-left", "overlap-right", "nested", "curly-for-straight", "non-ascii", "line-break",
                      "long-context", "across-a-footnote"}
    with served(tricky_site) as base:
        assert resolve_everything(page, base, clients, pages) == (2 * (2 * 14 + 2), ["long-context"] * 2)


def quote_selector(site: Path, path: str, ident: str) -> dict[str, Any]:
    items = json.loads((site / path / "annotations.jsonld").read_text(encoding="utf-8"))["items"]
    item = next(i for i in items if i["id"].endswith(f"#fm-{ident}"))
    return next(s["refinedBy"] for s in item["target"]["selector"] if s["refinedBy"]["type"] == "TextQuoteSelector")


def test_the_quote_is_the_page_text_not_the_annotation_file(tricky_site: Path) -> None:
    """The exported exact is what the page shows (straight quotes, the line break), the context what surrounds it."""
    straight = quote_selector(tricky_site, "speech", "curly-for-straight")
    assert straight["exact"] == "said \"straight quotes\" and it's fine"
    assert quote_selector(tricky_site, "speech", "line-break")["exact"] == "paragraph\nthat goes on"
    assert quote_selector(tricky_site, "speech", "across-a-footnote")["exact"] == "Exports doubled[1] and imports"
    overlap = quote_selector(tricky_site, "speech", "overlap-left")
    assert overlap["exact"] == "alpha beta gamma"
    assert overlap["suffix"].startswith(" delta epsilon.")  # no marker text in between
    heading = quote_selector(tricky_site, "speech", "heading")
    assert heading["exact"] == "“Niño” report" and heading["prefix"] == "\nThe "


def test_context_widens_until_no_other_place_fits(tricky_site: Path) -> None:
    selector = quote_selector(tricky_site, "speech", "long-context")
    assert len(selector["prefix"]) > CONTEXT and "Second: " in selector["prefix"]


@pytest.mark.parametrize(("text", "start", "end"), [
    ("x" + "ab" * 200 + "y", 201, 203),  # a run of repeats: unique only once the window reaches an edge
    ("ab" * 200, 0, 2),
    ("only once here", 5, 9),
])
def test_quote_selectors_are_unique_in_the_text(text: str, start: int, end: int) -> None:
    quote = pagetext._quote(text, start, end)
    window = quote.prefix + quote.exact + quote.suffix
    assert text[start:end] == quote.exact
    assert text.find(window) == start - len(quote.prefix)
    assert text.find(window, text.find(window) + 1) == -1


class TextContent(html.parser.HTMLParser):
    """textContent of one element, by the standard library's HTML parser (not pagetext's own scan)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.parts = element_id, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth or dict(attrs).get("id") == self.element_id:
            self.depth += tag not in ("br", "img", "hr", "input", "meta", "link")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # <br/>: neither opens nor closes anything

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def test_positions_count_the_container_text_a_parser_finds(tricky_site: Path, built_site: Path) -> None:
    for site in (tricky_site, built_site):
        for path, items in text_pages(site).items():
            parser = TextContent(pagetext.CONTAINER_ID)
            parser.feed((site / path / "index.html").read_text(encoding="utf-8"))
            text = "".join(parser.parts)
            for item in items:
                quote, position = (s["refinedBy"] for s in item["target"]["selector"])
                assert text[position["start"]:position["end"]] == quote["exact"], item["id"]
                window = quote.get("prefix", "") + quote["exact"] + quote.get("suffix", "")
                assert text.count(window) == 1, item["id"]


def test_markers_add_no_text_but_show_and_have_names(browser: Browser, tricky_site: Path) -> None:
    with served(tricky_site) as base:
        context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + "speech/")
        assert page.eval_on_selector_all(".fm-ref", "els => els.map(e => e.textContent).join('')") == ""
        marker = page.locator("#fm-heading--ref")
        box = marker.bounding_box()
        assert box is not None and box["width"] > 5
        drawn = page.eval_on_selector("#fm-heading--ref", """el => [getComputedStyle(el, '::before').content,
            getComputedStyle(el, '::after').content]""")
        assert drawn == ['"✓"', '"1"']
        assert page.get_by_role("link", name="Annotation 1: Documented").count() == 1
        context.close()


def test_an_open_note_leaves_the_text_the_selectors_count_unchanged(page: Page, tricky_site: Path) -> None:
    """The script's notes live outside the text container, so a client anchoring while one is open counts the same."""
    with served(tricky_site) as base:
        page.goto(base + "speech/")
        before = page.eval_on_selector("#fm--text", "el => el.textContent")
        page.hover("#fm-heading--ref")
        assert page.locator("#fm-pop").is_visible()
        assert "One sentence." in page.inner_text("#fm-pop")
        assert page.eval_on_selector("#fm--text", "el => el.textContent") == before


def accessible(page: Page, selector: str) -> tuple[str, str]:
    """The accessible name and description Chromium gives an element (its accessibility tree, over CDP)."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    (ax, *_) = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"]
    return ax.get("name", {}).get("value", ""), ax.get("description", {}).get("value", "")


def test_a_marker_is_named_by_number_and_verdict_alone_open_or_not(page: Page, tricky_site: Path) -> None:
    expected = ("Annotation 2: Disputed", "")  # the note's words are the entry's, one Enter away, not read at each Tab
    with served(tricky_site) as base:
        page.goto(base + "speech/")
        assert accessible(page, "#fm-emphasis-and-link--ref") == expected  # the note closed
        page.focus("#fm-emphasis-and-link--ref")
        assert page.locator("#fm-pop[data-fm=emphasis-and-link]").is_visible()
        assert accessible(page, "#fm-emphasis-and-link--ref") == expected  # and open


def test_every_exported_address_is_a_uri_and_the_page_links_resolve_to_it(page: Page, tricky_site: Path) -> None:
    own = json.loads((tricky_site / "textos/año/annotations.jsonld").read_text(encoding="utf-8"))
    item = own["items"][0]
    assert own["id"] == "https://ejemplo.example/a%C3%B1o/textos/a%C3%B1o/annotations.jsonld"
    assert item["target"]["source"] == "https://ejemplo.example/a%C3%B1o/textos/a%C3%B1o/"
    assert [b["source"] for b in item["body"] if b["type"] == "SpecificResource"] == [NINO_URI]
    page_html = (tricky_site / "textos/año/index.html").read_text(encoding="utf-8")
    assert f'href="{NINO}#:~:text=' in page_html  # the page keeps the address as the editor wrote it
    assert '"url":"https://ejemplo.example/discurso/a%C3%B1o"' in page_html  # ClaimReview appearance
    assert '"url":"https://comprobado.example/qu%C3%A9/"' in page_html  # ClaimReview author
    assert '"url":"https://ejemplo.example/a%C3%B1o/textos/a%C3%B1o/#fm-nino-source"' in page_html
    feed = (tricky_site / "feed.xml").read_text(encoding="utf-8")
    assert "<id>https://ejemplo.example/a%C3%B1o/textos/a%C3%B1o/#fm-nino-source</id>" in feed
    assert "ñ" not in "".join(line for line in feed.splitlines() if "<id>" in line or "href=" in line)
    with served(tricky_site) as base:
        page.goto(base + "textos/a%C3%B1o/")
        hrefs = page.eval_on_selector_all(".fm-source > a", "els => els.map(a => a.href.split('#')[0])")
        assert hrefs == [NINO_URI]  # what a browser follows is the URI the open data names


@pytest.mark.parametrize(("iri", "expected"), [
    (NINO, NINO_URI),
    (NINO_URI, NINO_URI),  # already a URI: unchanged
    ("https://ñandú.example/path?q=ñ#frag ment", "https://xn--and-6ma2c.example/path?q=%C3%B1#frag%20ment"),
    ("https://example.org/50%/a%2Fb", "https://example.org/50%25/a%2Fb"),
    ("https://example.org/a\"b<c>{d}|e^f`g\\h", "https://example.org/a%22b%3Cc%3E%7Bd%7D%7Ce%5Ef%60g%5Ch"),
    ("https://[::1]:8080/ü", "https://[::1]:8080/%C3%BC"),
    ("https://example.org/a#b#c", "https://example.org/a#b%23c"),
])
def test_iris_become_uris(iri: str, expected: str) -> None:
    assert export.uri(iri) == expected


def test_text_content_agrees_with_an_html_parser_on_every_commonmark_example() -> None:
    """pagetext reads our own HTML with one regular expression; the standard parser must see the same text."""
    checked = 0
    for example in SPEC:
        markdown = str(example["markdown"])
        word = unique_word(markdown)
        html = pipeline(markdown, word)
        text, spans = pagetext.text_content(html)
        parser = TextContent(pagetext.CONTAINER_ID)
        parser.feed(pagetext.container(html, "en"))
        assert text == "".join(parser.parts), example["example"]
        if word is not None:
            start, end = spans["w"]
            assert text[start:end] == word, example["example"]
            checked += 1
    assert checked > 400


def test_positions_count_code_points_as_the_model_says(page: Page, clients: Path, tmp_path: Path) -> None:
    """The Web Annotation model counts Unicode code points, and so do the export and Apache Annotator;
    dom-anchor-text-position counts UTF-16 code units, so past each character outside the Basic
    Multilingual Plane (an emoji) it lands one early. Its quote selector still finds the passage.
    """
    site = Site(tmp_path)
    site.write("mkdocs.yml", CONFIG)
    site.doc("Faces 🙂🙂 and then the smile quote here.\n")
    site.write("annotations/speech.yaml", annotations_file(annotation("the smile quote")))
    built = build(site.root)
    pages = text_pages(built)
    position = next(s["refinedBy"] for s in pages["speech/"][0]["target"]["selector"]
                    if s["refinedBy"]["type"] == "TextPositionSelector")
    parser = TextContent(pagetext.CONTAINER_ID)
    parser.feed((built / "speech" / "index.html").read_text(encoding="utf-8"))
    assert "".join(parser.parts)[position["start"]:position["end"]] == "the smile quote"
    with served(built) as base:
        page.goto(base + "speech/")
        page.add_script_tag(path=str(clients))
        quote, where = page.evaluate(RESOLVE, [pages["speech/"][:1], pagetext.CONTAINER])
        assert quote["type"] == "TextQuoteSelector"
        assert quote["apache"] == [quote["expected"]] and quote["dom"] == quote["expected"]
        assert where["type"] == "TextPositionSelector" and where["apache"] == [where["expected"]]
        start, end, _ = where["expected"]  # in UTF-16 code units, as JavaScript counts
        assert where["dom"] == [start - 2, end - 2, "n the smile quo"]


def test_the_tricky_annotations_pass_the_w3c_musts_with_format_checking(tricky_site: Path) -> None:
    musts = suite("annotations/annotationMusts.test")
    items = [i for path, items in text_pages(tricky_site).items() for i in items]
    assert len(items) == 2 * 15
    assert {i["id"]: musts.failed(i) for i in items if musts.failed(i)} == {}
