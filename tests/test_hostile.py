"""Annotation files from strangers: each hostile file gets its exact finding, never a traceback.

The corpus lives in tests/fixtures/hostile/ (one file per case); two cases too
big to keep in git, a 10 MB file and 20,000-deep nesting, are generated here.
tests/fixtures/hostile/expected.txt lists, per file, the exact lines the check
prints (``(clean)`` where the file is legal). Legal-but-hostile text is also
built into a page, which must stay inert.
"""

from __future__ import annotations

import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Site, run

from factmark import cli

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BODY = "He said *the budget* grew by 4 percent in 2024.\n\nThe budget grew again.\n"
GENERATED = {
    "14-deep-nesting.yaml": lambda: (
        "document: speech.md\nannotations: " + "[" * 20_000 + "]" * 20_000 + "\n").encode(),
    "15-ten-megabytes.yaml": lambda: b"document: speech.md\n# " + b"x" * 10_000_000 + b"\n",
}


def corpus() -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(HOSTILE.glob("*.yaml"))}
    files.update({name: make() for name, make in GENERATED.items()})
    return dict(sorted(files.items()))


def expected() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in (HOSTILE / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, finding = line.split("\t", 1)
            out.setdefault(name, []).extend([] if finding == "(clean)" else [finding])
    return out


CORPUS = corpus()
EXPECTED = expected()


def test_corpus_is_large_and_fully_specified() -> None:
    assert len(CORPUS) >= 40
    assert set(EXPECTED) == set(CORPUS)


def findings_for(site: Site, capsys: pytest.CaptureFixture[str], name: str) -> tuple[int, list[str]]:
    site.doc(BODY)
    site.write(f"annotations/{name}", CORPUS[name])
    code, lines = site.check(capsys)
    return code, [line for line in lines if line]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file(site: Site, capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, lines = findings_for(site, capsys, name)
    if os.environ.get("FACTMARK_PRINT_HOSTILE"):
        print("\n".join(f"{name}\t{line}" for line in lines) or f"{name}\t(clean)", file=sys.stderr)
    assert lines == EXPECTED[name]
    assert code == (1 if [f for f in EXPECTED[name] if f.split()[2] != "warning:"] else 0)  # warnings pass


class Elements(HTMLParser):
    """Every element and attribute as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def test_hostile_text_renders_inert(site: Site) -> None:
    site.doc(BODY)
    site.write("annotations/hostile.yaml", CORPUS["47-hostile-text-everywhere.yaml"])
    out = site.root / "site"
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    html = (out / "speech" / "index.html").read_text(encoding="utf-8")
    main = Elements(html.split("<main", 1)[1].split("</main>", 1)[0].split(">", 1)[1])
    own_svg = [attrs for tag, attrs in main.tags if tag == "svg" and attrs.get("class") == "fm-bar"]
    tags = [tag for tag, _ in main.tags]
    assert len(own_svg) == 1  # the site's own status bar; no other svg may appear
    assert {t for t in tags if t != "svg"} & {"script", "iframe", "style", "img", "object", "embed", "form"} == set()
    assert tags.count("svg") == len(own_svg)
    assert [a for _, attrs in main.tags for a in attrs if a.startswith("on")] == []
    links = [attrs.get("href") or attrs.get("src") or "" for _, attrs in main.tags if {"href", "src"} & set(attrs)]
    assert links and all(re.match(r"https?://|#", link) for link in links), links
    assert "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;" in html


def test_whole_corpus_in_one_run_is_bounded(tmp_path: Path) -> None:
    """No traceback, no hang, bounded memory: one `check` over every hostile file at once."""
    site = Site(tmp_path)
    site.doc(BODY)
    for name, data in CORPUS.items():
        site.write(f"content/{name}.md", "---\ntitle: t\n---\n" + BODY)
        site.write(f"annotations/{name}", data.replace(b"document: speech.md", f"document: {name}.md".encode()))
    result = run(site, "check")  # the child's own peak: other children of this test run do not count
    assert result.code == 1
    assert "Traceback" not in result.output
    assert result.peak_mb < 400, f"peak RSS {result.peak_mb:.0f} MB"
