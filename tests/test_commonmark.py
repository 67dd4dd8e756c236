"""The annotation layer never changes how Markdown renders.

For every example of the CommonMark spec: (1) with no annotations, factmark's
page pipeline gives exactly the HTML of markdown-it-py configured the same way;
(2) with an annotation on a word of the example, removing factmark's highlight
and marker elements gives that same HTML back, so highlighting only ever adds
elements around text and never breaks or reorders the author's markup.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from factmark import highlight, render, textmodel
from factmark.anchor import FoldedText, anchor
from factmark.markdown import create_page_parser
from factmark.model import Annotation, Source
from factmark.settings import DEFAULT_STATUSES, Settings

SPEC = json.loads((Path(__file__).parent / "fixtures" / "commonmark" / "spec.json").read_text(encoding="utf-8"))
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SETTINGS = Settings(root=Path("."), docs_dir=Path("."), annotations_dir=Path("."), theme_dirs=(TEMPLATES,),
                    statuses=DEFAULT_STATUSES)
ENTRIES = render.entries_environment((TEMPLATES,))
CONTAINER = '<div class="fm-text" id="fm--text">'  # the element the exported W3C selectors name
_ADDED = re.compile(r'<mark [^>]*class="fm-hl[^>]*>|</mark>|<span class="fm-ref"><sup>.*?</sup></span>')


def pipeline(markdown: str, quote: str | None = None) -> str:
    md = create_page_parser()
    render.install_rules(md)
    env: dict[str, object] = {}
    tokens = md.parse(markdown, env)
    numbered = []
    if quote is not None:
        ann = Annotation(id="w", quote=quote, status="documented", summary="s", reviewed="2025-01-01",
                         sources=(Source(url="https://example.org", publisher="p", excerpt="e"),))
        placed, problems = anchor(ann, FoldedText(textmodel.build(tokens)), "spec")
        assert problems == [] and placed is not None
        numbered = highlight.number([placed])
    html = render.render(md, tokens, env, numbered, SETTINGS, ENTRIES).html
    text = html.split('<section class="fm-annotations"')[0]
    assert text.startswith(CONTAINER) and text.endswith("</div>\n")
    return text.removeprefix(CONTAINER).removesuffix("</div>\n")


def unique_word(markdown: str) -> str | None:
    """A word that occurs once in the example's visible text, if any."""
    md = create_page_parser()
    text = textmodel.build(md.parse(markdown, {})).text
    folded = FoldedText(textmodel.build(md.parse(markdown, {}))).folded
    counts = Counter(re.findall(r"\w+", text))
    for word, n in sorted(counts.items(), key=lambda kv: (-len(kv[0]), kv[0])):
        if n == 1 and folded.count(word) == 1:
            return word
    return None


@pytest.mark.parametrize("example", SPEC, ids=[str(e["example"]) for e in SPEC])
def test_spec_example_unchanged(example: dict[str, object]) -> None:
    markdown = str(example["markdown"])
    plain = create_page_parser().render(markdown, {})
    assert pipeline(markdown) == plain
    word = unique_word(markdown)
    if word is not None:
        assert _ADDED.sub("", pipeline(markdown, word)) == plain


def test_most_examples_get_an_annotation() -> None:
    """Guard the second half of the test above against silently covering nothing."""
    assert sum(unique_word(str(e["markdown"])) is not None for e in SPEC) > 400
