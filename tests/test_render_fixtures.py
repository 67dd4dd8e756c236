"""Renderer fixtures, the markdown-it-py way: Markdown + YAML in, HTML out.

Each folder under tests/fixtures/render/ holds ``input.md`` (a content page),
``annotations.yaml`` (its annotation list) and ``expected.html`` (the rendered
page content). Regenerate after an intended change with
``FACTMARK_UPDATE_FIXTURES=1 pytest tests/test_render_fixtures.py`` and review
the diff line by line before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Site

from factmark import render

FIXTURES = Path(__file__).parent / "fixtures" / "render"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def render_case(site: Site, case: Path) -> str:
    site.write("content/page.md", (case / "input.md").read_text(encoding="utf-8"))
    annotations = case / "annotations.yaml"
    if annotations.exists():
        site.write("annotations/page.yaml", "document: page.md\nannotations:\n"
                   + annotations.read_text(encoding="utf-8"))
    proj, problems = site.load()
    assert problems == []
    return proj.render_page("page.md").html


@pytest.mark.parametrize("name", CASES)
def test_fixture(site: Site, name: str) -> None:
    case = FIXTURES / name
    html = render_case(site, case)
    expected = case / "expected.html"
    if os.environ.get("FACTMARK_UPDATE_FIXTURES"):
        expected.write_text(html, encoding="utf-8")
    assert html == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("html", ["", "<p>Text with a marker ✓</p>\n" * 2000])
def test_a_rendered_page_waits_packed_and_comes_back_whole(html: str) -> None:
    page = render.RenderedPage(html, []).pack()
    assert page.html == "" and len(page.packed) <= len(html.encode()) // 5 + 16
    assert page.unpack() == html
    assert page.unpack() == ""  # handed over once: the page keeps no copy
