"""What MkDocs normally derives from Python-Markdown still works from factmark's rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DOC, Site, annotation, annotations_file, search_pages

from factmark import cli


def build(site: Site) -> tuple[int, Path]:
    out = site.root / "site"
    return cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(out)]), out


def test_links_titles_toc_and_search_sections(site: Site) -> None:
    site.write("content/index.md", "---\ntitle: Start\n---\nSee [the speech](sub/speech.md#part-two).\n")
    site.doc("# The speech\n\n## Part two\n\nBack [home](../index.md).\n", name="sub/speech.md")
    code, out = build(site)
    assert code == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    speech = (out / "sub" / "speech" / "index.html").read_text(encoding="utf-8")
    assert '<a href="sub/speech/#part-two">the speech</a>' in home
    assert '<a href="../../">home</a>' in speech
    assert "<title>Fact-check: “A speech” · test</title>" in speech  # a text's page is this site's fact-check of it
    assert '<h3 id="part-two">Part two</h3>' in speech  # under the text's headline, an h2 below the page's h1
    anchors = {a.get("id") for a in search_pages(out)["/sub/speech/"]["anchors"]}
    assert {"the-speech", "part-two"} <= anchors


def test_broken_internal_link_fails_the_strict_build(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text() + "strict: true\n")
    site.doc("A [missing page](nowhere.md).\n")
    code, out = build(site)
    assert code == 1
    assert not out.exists()


def test_statuses_come_from_mkdocs_yml(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    config = (site.root / "mkdocs.yml").read_text().replace(
        "  - factmark\n",
        "  - factmark:\n      statuses:\n        misleading:\n          label: Misleading\n"
        "          description: True words, wrong impression.\n          colour: \"#e0d4ff\"\n"
        "          symbol: \"~\"\n")
    site.write("mkdocs.yml", config)
    site.doc("Prices fell.\n")
    site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell", status="misleading")))
    code, out = build(site)
    assert code == 0
    html = (out / "speech" / "index.html").read_text(encoding="utf-8")
    assert 'class="fm-hl fm-misleading"' in html
    assert "--fm-misleading: #e0d4ff;" in html
    site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell", status="documented")))
    code, lines = site.check(capsys)
    assert code == 1
    assert lines == ["annotations/speech.yaml:5:13: FM206 unknown status 'documented' (hint: allowed: misleading)"]


def test_invalid_status_settings(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text().replace(
        "  - factmark\n",
        "  - factmark:\n      statuses:\n        false-ish: {label: X, description: Y, colour: red}\n"))
    site.doc("Text.\n")
    code, lines = site.check(capsys)
    assert code == 1
    assert lines == ["mkdocs.yml:11:20: FM402 status 'false-ish' needs a non-empty 'symbol'",
                     "mkdocs.yml:11:55: FM402 status 'false-ish' colour must be #rrggbb, got 'red'"]


def test_html_in_front_matter_is_escaped(site: Site) -> None:
    site.write("content/x.md", DOC.replace("A. Speaker", "<script>alert(1)</script>") + "Text.\n")
    code, out = build(site)
    assert code == 0
    html = (out / "x" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_corrections_show_in_the_entry_and_on_the_method_page(site: Site) -> None:
    site.write("content/method.md", "---\ntitle: Method\ntemplate: method.html\n---\nHow we work.\n")
    site.doc("Prices fell.\n")
    site.write("annotations/speech.yaml", annotations_file(annotation(
        "Prices fell", status="disputed",
        extra='    corrections:\n      - date: "2026-01-10"\n        previous_status: documented\n'
              '        note: "A later release revised the figure."\n')))
    code, out = build(site)
    assert code == 0
    page = (out / "speech" / "index.html").read_text(encoding="utf-8")
    assert ('<strong>Corrected <time datetime="2026-01-10">10 January 2026</time>:</strong> A later release '
            "revised the figure. (earlier verdict: documented)") in page
    method = (out / "method" / "index.html").read_text(encoding="utf-8")
    assert ('<time datetime="2026-01-10">10 January 2026</time>, <a href="../speech/#fm-a1">A speech</a>: '
            "A later release revised the figure. The verdict changed from documented to disputed.") in method
