"""End to end: build the real site and check what readers and CI rely on."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import REFERENCE, page_url, search_pages
from mkdocs.contrib.search.search_index import ContentParser

from factmark import cli, settings

REPO = Path(__file__).resolve().parent.parent


class Page(HTMLParser):
    """Ids, links and highlight elements of one built page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.hrefs: list[str] = []
        self.marks: dict[str, list[dict[str, str]]] = {}
        self.entries: dict[str, dict[str, str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] += 1
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "mark" and "data-fm" in a:
            self.marks.setdefault(a["data-fm"], []).append(a)
        if tag == "li" and "fm-entry" in a.get("class", ""):
            self.entries[a["id"]] = a


def build(project: Path, site: Path) -> int:
    return cli.main(["-f", str(project / "mkdocs.yml"), "build", "-d", str(site)])


@pytest.fixture(scope="module")
def built(built_site: Path) -> Path:
    return built_site


def page_of(site: Path, document: str) -> Page:
    return Page((site / document.removesuffix(".md") / "index.html").read_text(encoding="utf-8"))


ANNOTATIONS = [(document, a) for document, anns in REFERENCE.items() for a in anns]
DOCUMENTS = sorted(REFERENCE)
STATUSES = {s.key for s in settings.load(REPO / "mkdocs.yml").statuses}


def test_the_site_has_annotations_and_each_status_is_configured() -> None:
    assert ANNOTATIONS, "the reference site publishes at least one annotated text"
    assert {a["status"] for _, a in ANNOTATIONS} <= STATUSES
    assert all((REPO / "content" / document).is_file() for document in DOCUMENTS)


@pytest.mark.parametrize(("document", "ann"), ANNOTATIONS, ids=[a["id"] for _, a in ANNOTATIONS])
def test_annotation_is_highlighted_and_linked_both_ways(built: Path, document: str, ann: dict[str, str]) -> None:
    page = page_of(built, document)
    marks = page.marks[ann["id"]]
    assert all(f"fm-{ann['status']}" in m["class"].split() for m in marks)
    assert marks[0]["id"] == f"fm-{ann['id']}--text"  # the first segment is the back-link target
    assert f"#fm-{ann['id']}" in page.hrefs  # marker → entry
    assert f"fm-{ann['id']}" in page.entries  # the entry exists, with its permalink id
    assert f"#fm-{ann['id']}--text" in page.hrefs  # entry → back to the span


@pytest.mark.parametrize("document", DOCUMENTS)
def test_ids_are_unique_and_internal_links_resolve(built: Path, document: str) -> None:
    page = page_of(built, document)
    assert [i for i, n in page.ids.items() if n > 1] == []
    fragments = {h[1:] for h in page.hrefs if h.startswith("#")}
    assert fragments - set(page.ids) == set()


def text_body(html: str) -> str:
    """The text as published, without the site's chrome around it."""
    return html[html.index('<div class="doc-body">'):html.index('<section class="doc-editorial"')]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_search_index_has_the_words_and_sections_of_each_text(built: Path, document: str) -> None:
    indexed = search_pages(built)["/" + page_url(document)]
    words = re.compile(r"\w+")
    found = set(words.findall(indexed["content"]))
    for ann in REFERENCE[document]:  # every quoted word is findable on its page
        assert set(words.findall(ann["quote"])) <= found, ann["id"]
    body = text_body((built / page_url(document) / "index.html").read_text(encoding="utf-8"))
    headings = [h for h in re.findall(r'<h[2-6] id="([^"]+)"', body)]
    anchors = {a["id"] for a in indexed["anchors"] if a.get("id")}
    assert [h for h in headings if h not in anchors] == []  # each heading, an entry's too, is a result of its own


class ReaderWords(ContentParser):
    """MkDocs' own search parser, minus the chrome around highlights and entries (markers, cards, link lines)."""

    CHROME = ("fm-ref", "fm-entry-links", "fm-print-url")

    def __init__(self) -> None:
        super().__init__()
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.skipping or any(c in classes for c in self.CHROME):
            self.skipping += 1
        else:
            super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1
        else:
            super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            super().handle_data(data)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_search_holds_the_words_readers_see_once(built: Path, document: str) -> None:
    """Pagefind indexes the text and its entries as a reader sees them: every word, and each summary as often as
    the page shows it outside the cards (a card repeats its entry), none of the link lines."""
    url = page_url(document)
    content = search_pages(built)["/" + url]["content"]
    parser = ReaderWords()
    parser.feed(text_body((built / url / "index.html").read_text(encoding="utf-8")))
    seen = " ".join(f"{section.title or ''} {' '.join(section.text)}" for section in parser.data)
    words = re.compile(r"\w+")
    assert set(words.findall(seen)) <= set(words.findall(content))
    for ann in REFERENCE[document]:
        assert content.count(ann["summary"]) == " ".join(seen.split()).count(ann["summary"]), ann["id"]
    assert "Permalink: #fm-" not in content and "Back to the text" not in content


def test_home_page_lists_every_text(built: Path) -> None:
    html = (built / "index.html").read_text(encoding="utf-8")
    assert [d for d in DOCUMENTS if f'href="{page_url(d)}"' not in html] == []
    assert "The three verdicts" in html


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def copy_project(dest: Path) -> Path:
    for name in ("content", "annotations", "templates", ".factmark"):  # .factmark: the modelines name it
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    assert build(REPO, again) == 0
    assert tree_digest(again) == tree_digest(built)


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    assert build(project, site) == 0
    before = tree_digest(site)
    broken = sorted((project / "annotations").glob("*.yaml"))[0]
    first = yaml.safe_load(broken.read_text(encoding="utf-8"))["annotations"][0]["status"]
    broken.write_text(broken.read_text(encoding="utf-8").replace(f"status: {first}", "status: true", 1),
                      encoding="utf-8")
    assert build(project, site) == 1
    assert "FM203 annotations[0].status must be text, got the boolean true" in capfd.readouterr().err
    assert tree_digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]  # no staging left behind
