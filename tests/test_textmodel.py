"""The reader-visible text and its sentences, as the home page's coverage figure counts them."""

from __future__ import annotations

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
