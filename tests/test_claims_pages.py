"""Long verdict lists on the claims page continue on numbered static pages (factmark.pagination)."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import PAGED, PAGED_COUNTS, REFERENCE, Site, annotation, annotations_file, search_pages

from factmark import cli, pagination, summary


@pytest.mark.parametrize(("items", "per_page", "pages"), [(0, 5, 1), (1, 5, 1), (5, 5, 1), (6, 5, 2), (11, 5, 3)])
def test_page_count(items: int, per_page: int, pages: int) -> None:
    assert pagination.page_count(items, per_page) == pages


@pytest.mark.parametrize(("current", "last", "shown"), [
    (1, 1, [1]),
    (1, 5, [1, 2, 3, 4, 5]),
    (1, 6, [1, 2, 3, None, 6]),
    (3, 5, [1, 2, 3, 4, 5]),
    (5, 20, [1, 2, 3, 4, 5, 6, 7, None, 20]),  # a gap of one page shows that page
    (10, 20, [1, None, 8, 9, 10, 11, 12, None, 20]),
    (20, 20, [1, None, 18, 19, 20]),
])
def test_pager_window(current: int, last: int, shown: list[int | None]) -> None:
    assert pagination.window(current, last) == shown


def test_listing_gives_one_page_and_its_links() -> None:
    items = list(range(12))
    second = pagination.listing(items, 5, 2, lambda n: f"p{n}")
    assert second["entries"] == [5, 6, 7, 8, 9] and second["first"] == 6
    assert (second["previous"], second["next"], second["last"], second["total"]) == ("p1", "p3", 3, 12)
    assert [(p["number"], p["current"]) for p in second["pager"]] == [(1, False), (2, True), (3, False)]
    third = pagination.listing(items, 5, 3, lambda n: f"p{n}")
    assert third["entries"] == [10, 11] and third["next"] is None
    with pytest.raises(ValueError, match="page 4 of 3"):
        pagination.listing(items, 5, 4, str)


def test_pages_hold_every_item_once_in_order() -> None:
    rng = random.Random(7)
    for _ in range(200):
        items, per_page = list(range(rng.randrange(0, 60))), rng.randrange(1, 12)
        pages = [pagination.listing(items, per_page, n, str) for n in range(1, pagination.page_count(
            len(items), per_page) + 1)]
        assert [x for p in pages for x in p["entries"]] == items
        assert all(len(p["entries"]) <= per_page for p in pages)
        assert all(n in [e and e["number"] for e in p["pager"]] for p in pages for n in (1, p["number"], p["last"]))


class ClaimsPage(HTMLParser):
    """One built claims page: its list items (quote, verdict section), links, pager and title."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.quotes: list[tuple[str, str]] = []  # (section status, quote)
        self.ranges: list[str] = []  # each verdict section's heading ("Claims 6 to 10 of 11" on a numbered page)
        self.hrefs: list[str] = []
        self.next: list[str] = []
        self.section = ""
        self._quote: list[str] | None = None
        self._heading: list[str] | None = None
        self.sections = 0
        self.feed(html)
        self.title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)  # type: ignore[union-attr]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "section" and "claims-group" in a.get("class", ""):
            self.section = a["aria-labelledby"].removeprefix("claims-")
            self.sections += 1
        if tag == "h2" and self.section and len(self.ranges) < self.sections:  # a verdict section's own heading
            self._heading = []
        if tag == "q":
            self._quote = []
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if a.get("rel") == "next":
                self.next.append(a["href"])

    def handle_data(self, data: str) -> None:
        if self._quote is not None:
            self._quote.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self.ranges.append("".join(self._heading).strip())
            self._heading = None
        if tag == "q" and self._quote is not None:
            self.quotes.append((self.section, "".join(self._quote)))
            self._quote = None


def read(site: Path, url: str) -> ClaimsPage:
    return ClaimsPage((site / url / "index.html").read_text(encoding="utf-8"))


def resolve(base: str, href: str) -> str:
    """The site-relative directory a relative link of page ``base`` (a directory URL) points to."""
    parts = [p for p in base.split("/") if p]
    for piece in href.split("#")[0].split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def reference_quotes() -> list[str]:
    return [a["quote"] for anns in REFERENCE.values() for a in anns]


@pytest.mark.parametrize("status", sorted(PAGED_COUNTS))
def test_every_claim_is_on_exactly_one_numbered_page(paged_site: Path, status: str) -> None:
    overview = read(paged_site, "claims")
    quotes = [q for s, q in overview.quotes if s == status]
    assert len(quotes) == PAGED
    url, number = f"claims/{status}/2", 2
    while True:  # follow "Next" from page 2 to the last page
        page = read(paged_site, url)
        assert [r.split(" to ")[0] for r in page.ranges] == [f"Claims {(number - 1) * PAGED + 1}"]
        assert {s for s, _ in page.quotes} == {status} and 1 <= len(page.quotes) <= PAGED
        assert re.match(rf"\w+ claims, page {number} of \d+ ", page.title)
        for href in page.hrefs:  # every link on the page leads to a built page
            assert (paged_site / resolve(url, href) / "index.html").is_file(), href
        quotes += [q for _, q in page.quotes]
        if not page.next:
            break
        url, number = resolve(url, page.next[0]), number + 1
    assert f"page {number} of {number} " in page.title
    assert sorted(quotes) == sorted(f"the {status} thing number {n} happened"  # each once, none missing
                                    for n in range(PAGED_COUNTS[status]))
    assert not (paged_site / f"claims/{status}/{number + 1}").exists()


def test_numbered_pages_stay_out_of_navigation_and_search(paged_site: Path) -> None:
    home = (paged_site / "index.html").read_text(encoding="utf-8")
    assert "claims/disputed/2/" not in home.split("<main")[0]
    indexed = search_pages(paged_site)
    assert not [url for url in indexed if re.match(r"/claims/\w+/\d", url)]
    assert "/claims/" in indexed


def test_a_list_that_fits_stays_on_the_claims_page(site: Site, tmp_path: Path) -> None:
    site.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n\n# All claims\n")
    site.doc("Prices fell in May. Wages rose in June. Rents held in July.\n")
    quotes = ["Prices fell", "Wages rose", "Rents held"]
    site.write("annotations/speech.yaml", annotations_file(*(annotation(q, id=f"a{i}", status=status) for i, (q, status)
                                                             in enumerate(zip(quotes, PAGED_COUNTS, strict=True)))))
    out = tmp_path / "out"
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    html = (out / "claims" / "index.html").read_text(encoding="utf-8")
    assert 'class="pager"' not in html
    assert sorted(q for _, q in ClaimsPage(html).quotes) == sorted(quotes)
    assert [p.name for p in (out / "claims").iterdir()] == ["index.html"]


def test_every_reference_claim_is_listed_once(built_site: Path) -> None:
    """The repository's own claims pages (numbered or not) list each of its annotations exactly once."""
    listed, seen, pending = [], {"claims"}, ["claims"]
    while pending:  # the overview, then every numbered page it or they link to
        url = pending.pop()
        page = read(built_site, url)
        listed += [q for _, q in page.quotes]
        numbered = {resolve(url, h) for h in page.hrefs} - seen
        seen |= {u for u in numbered if re.fullmatch(r"claims/[\w-]+/\d+", u)}
        pending += sorted(u for u in numbered if u in seen)
    assert sorted(listed) == sorted(reference_quotes())


@pytest.mark.parametrize("value", ["0", "five", "true", "-3"])
def test_claims_per_page_must_be_a_positive_whole_number(site: Site, capsys: pytest.CaptureFixture[str],
                                                         value: str) -> None:
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text().replace(
        "  - factmark\n", f"  - factmark:\n      claims_per_page: {value}\n"))
    site.doc("Text.\n")
    code, lines = site.check(capsys)
    assert code == 1
    assert lines == [f"mkdocs.yml:10:24: FM402 factmark 'claims_per_page' must be a whole number of at least 1, "
                     f"got {yaml.safe_load(value)!r}"]


def test_a_content_file_where_a_numbered_page_goes_stops_the_build(site: Site,
                                                                  capfd: pytest.CaptureFixture[str]) -> None:
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text().replace(
        "  - factmark\n", "  - factmark:\n      claims_per_page: 1\n"))
    site.doc("Prices fell. Wages rose.\n")
    site.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n")
    site.write("content/claims/disputed/2.md", "---\ntitle: Mine\n---\n\nAn editor's page.\n")
    site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell", status="disputed"),
                                                           annotation("Wages rose", id="a2", status="disputed")))
    out = site.root / "site"
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(out)]) == 1
    err = capfd.readouterr().err
    assert ("content/claims/disputed/2.md:1:1: FM404 would replace page 2 of the disputed claims at "
            "claims/disputed/2/index.html in the site") in err
    assert "Traceback" not in err and not out.exists()


@pytest.mark.parametrize(("claims", "numbered"), [
    ("claims.md", "claims/disputed/2.md"), ("claims/index.md", "claims/disputed/2.md"),
    ("index.md", "disputed/2.md"), ("about/claims.md", "about/claims/disputed/2.md"),
    ("about/README.md", "about/disputed/2.md")])
def test_numbered_pages_sit_beside_the_claims_page(claims: str, numbered: str) -> None:
    assert summary.listing_path(claims, "disputed", 2) == numbered
