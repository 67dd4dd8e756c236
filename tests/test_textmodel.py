"""The reader-visible text and its sentences, as the home page's coverage figure counts them."""

from __future__ import annotations

import random

from factmark import textmodel
from factmark.markdown import create_page_parser


def doc(markdown: str) -> textmodel.DocumentText:
    return textmodel.build(create_page_parser().parse(markdown, {}))


def test_visible_text_drops_markup_and_joins_blocks() -> None:
    text = doc("# Title\n\nA *b* [c](https://x.org) `d`\nsoft break.\n\n| x |\n|---|\n| cell |\n").text
    assert text == "Title\n\nA b c d soft break.\n\nx\n\ncell"


def test_sentences_split_after_stops_but_not_after_abbreviations() -> None:
    d = doc("Mr. Donald J. Trump arrived in the U.S. on Monday. He spoke. “Then what?” she asked.\n\nNext block\n")
    assert [d.text[s:e] for s, e in textmodel.sentences(d)] == [
        "Mr. Donald J. Trump arrived in the U.S. on Monday.", "He spoke.", "“Then what?” she asked.", "Next block"]


def test_coverage_counts_each_sentence_an_annotation_overlaps() -> None:
    """The bisection agrees with the obvious check of every sentence against every anchor."""
    d = doc(" ".join(f"Sentence number {i} is here." for i in range(40)) + "\n")
    spans = textmodel.sentences(d)
    rng = random.Random(7)
    for _ in range(300):
        anchors = []
        for _ in range(rng.randint(0, 12)):
            start = rng.randrange(len(d.text))
            anchors.append((start, min(len(d.text), start + rng.randint(1, 60))))
        naive = sum(1 for s, e in spans if any(a < e and s < b for a, b in anchors))
        assert textmodel.coverage(d, anchors) == (len(spans), naive)
