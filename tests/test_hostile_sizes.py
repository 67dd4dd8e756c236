"""Hostile sizes: texts and quotes built to make anchoring or rendering quadratic or unbounded.

Each case writes a project, runs ``check`` (and the build where the case says so) in a
subprocess with a wall-clock timeout and an address-space limit, and asserts the exact
findings, the exit code, that no traceback appears, and the child's peak memory. Before
the fixes in anchor.py, drift.py, markdown.py and highlight.py these took from 7 seconds
to several minutes, or gigabytes. Bounds are generous (several times what was measured
on a loaded two-core machine): they tell seconds from minutes, not fast from slow.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DOC, Run, Site, annotation, annotations_file, run

PEAK_MB = 450  # resident memory a child may reach (the largest case measured about 130 MB)
FIRST = DOC.count("\n") + 1  # the line of the body's first line
HINT_407 = ("(hint: split the text, or remove markup that formats nothing (runs of '[', '*', '|', '>' or table "
            "columns no reader needs))")


def check(site: Site) -> Run:
    found = run(site, "check")
    assert "Traceback" not in found.output, found.output[-3000:]
    assert found.peak_mb < PEAK_MB, f"peak RSS {found.peak_mb:.0f} MB"
    return found


def build(site: Site) -> tuple[Run, Path]:
    out = site.root / "site"
    (out / "keep.txt").parent.mkdir(exist_ok=True)
    (out / "keep.txt").write_text("the previous site\n")
    built = run(site, "build", "-d", str(out))
    assert "Traceback" not in built.output, built.output[-3000:]
    assert built.peak_mb < PEAK_MB, f"peak RSS {built.peak_mb:.0f} MB"
    return built, out


def refused_alike(site: Site, expected: list[str], *, and_build: bool = True) -> None:
    """check fails with exactly ``expected``; the build refuses with the same findings and keeps the old site."""
    found = check(site)
    assert (found.code, found.lines) == (1, expected)
    if not and_build:
        return
    built, out = build(site)
    assert built.code == 1
    for line in expected:
        assert line in built.output
    assert (out / "keep.txt").read_text() == "the previous site\n"


def one(quote: str, *, id: str = "a1", extra: str = "") -> str:
    return annotations_file(annotation(quote, id=id, extra=extra))


PLAIN = one("Hello world")  # an annotation that anchors in every body that starts with "Hello world."


def project(tmp_path: Path, body: str, annotations: str = PLAIN) -> Site:
    site = Site(tmp_path)
    site.doc("Hello world.\n\n" + body)
    site.write("annotations/speech.yaml", annotations)
    return site


def too_complex(what: str, line: int) -> str:
    return (f"content/speech.md:{line}:1: FM407 text is too complex to render: more than {what} by line {line} "
            + HINT_407)


ELEMENTS, STEPS = "250,000 Markdown elements", "400,000 parsing steps"


# --- the examples -------------------------------------------------------------------------


def test_one_letter_quote_in_four_megabytes_of_that_letter(tmp_path: Path) -> None:
    """'a' in 4 MB of 'a': counting stops at 1,000 ("at least") and each suggestion is checked by search."""
    site = project(tmp_path, "a" * 4_000_000 + "\n", one("a"))
    found = check(site)
    options = "; ".join(f'line {FIRST + 2}: prefix: "{p}"' for p in
                        ("world.", "world. a", "world. aa", "world. aaa", "world. aaaa"))
    assert (found.code, found.lines) == (1, [
        f"annotations/speech.yaml:4:12: FM302 quote of 'a1' occurs at least 1,000 times in content/speech.md "
        f"(hint: add a prefix or suffix to pick one — {options})"])


def test_absent_long_quotes_are_searched_within_bounds(tmp_path: Path) -> None:
    """Twenty absent 2,000-character quotes over 1 MB: each search is limited, and the hint says so."""
    body = "".join(f"Sentence number {i} says something about the budget.\n\n" for i in range(18_000))
    quote = ("the budget grew by four percent " * 70)[:2000].strip()
    site = project(tmp_path, body, annotations_file(*(annotation(quote, id=f"a{i}") for i in range(20))))
    found = check(site)
    assert found.code == 1
    assert found.lines == [
        f"annotations/speech.yaml:{4 + 11 * i}:12: FM301 quote of 'a{i}' is not in content/speech.md (hint: no "
        "similar passage found; search limited to passages that share a word with the quote; check the document "
        "path and the quote)" for i in range(20)]


def test_a_moved_long_quote_is_found_by_a_limited_search_that_says_so(tmp_path: Path) -> None:
    """A 600-character quote with one word changed, in a 1 MB text: the candidate is right and marked limited."""
    filler = "".join(f"Paragraph {i} is filler text about the weather and nothing else.\n\n" for i in range(15_000))
    passage = " ".join(f"word{i}" for i in range(100))
    site = project(tmp_path, filler + passage + "\n", one(passage.replace("word50", "word5O")))
    found = check(site)
    assert found.code == 1
    [line] = found.lines
    assert line.startswith("annotations/speech.yaml:4:12: FM306 quote of 'a1' no longer matches content/speech.md; "
                           f"candidate (line {FIRST + 2 + 2 * 15_000}, 100% similar, by fuzzy search, search limited "
                           f'to passages that share a word with the quote): "{passage}"'), line
    assert "[-word5O-]{+word50+}" in line


def test_thirty_thousand_equal_headings_build(tmp_path: Path) -> None:
    site = project(tmp_path, "# Same\n\n" * 30_000)
    found = check(site)
    assert (found.code, found.lines) == (0, [])
    built, out = build(site)
    assert built.code == 0, built.output[-2000:]
    html = (out / "speech" / "index.html").read_text(encoding="utf-8")
    assert 'id="same"' in html and 'id="same-1"' in html and 'id="same-29999"' in html
    assert 'id="same-30000"' not in html


def test_unclosed_brackets_stop_with_a_finding(tmp_path: Path) -> None:
    """1.6 MB of '[' took 83 s; the label scan is now linear and the parse stops at its step budget."""
    refused_alike(project(tmp_path, "[" * 1_600_000 + "\n"), [too_complex(STEPS, FIRST + 2)])


def test_wide_table_stops_before_it_takes_the_memory(tmp_path: Path) -> None:
    """A 200-column table of 1.2 MB peaked at 1.24 GB; its cells are counted before any is made."""
    row = "|" + "|".join("x" for _ in range(200)) + "|\n"
    table = "|" + "|".join(f"c{i}" for i in range(200)) + "|\n|" + "|".join("-" for _ in range(200)) + "|\n"
    refused_alike(project(tmp_path, table + row * 3000), [too_complex(ELEMENTS, FIRST + 2)])


# --- more of the same classes -----------------------------------------------------------------------

Case = Callable[[], str]
FM408 = ("content/speech.md:{0}:1: FM408 text nests deeper than 40 levels at line {0} (hint: no text needs block "
         "quotes or lists nested this deep; flatten them)")
REFUSED: dict[str, tuple[Case, list[str]]] = {
    "deep-blockquotes": (lambda: ">" * 100_000 + " a\n", [FM408.format(FIRST + 2)]),
    "deep-lists": (lambda: "".join("  " * i + "- a\n" for i in range(200)), [FM408.format(FIRST + 2 + 20)]),
    "emphasis-delimiters": (lambda: "*_" * 150_000 + "\n", [too_complex(ELEMENTS, FIRST + 2)]),
    "code-spans": (lambda: "`a` " * 300_000 + "\n", [too_complex(ELEMENTS, FIRST + 2)]),
    "footnote-refs": (lambda: "[^x] " * 100_000 + "\n\n[^x]: The note.\n", [too_complex(STEPS, FIRST + 2)]),
    "list-items": (lambda: "- item\n" * 100_000, [too_complex(ELEMENTS, FIRST + 1 + 50_000)]),
    "paragraphs": (lambda: "a\n\n" * 100_000, [too_complex(ELEMENTS, FIRST + 2 + 2 * 83_333)]),
    "image-openers": (lambda: "![" * 200_000 + "\n", [too_complex(STEPS, FIRST + 2)]),
    "closing-brackets": (lambda: "] " * 250_000 + "\n", [too_complex(STEPS, FIRST + 2)]),
    "short-table-rows": (lambda: "|" + "|".join("h" for _ in range(100)) + "|\n|" + "---|" * 100 + "\n"
                         + "x\n" * 5_000, [too_complex(ELEMENTS, FIRST + 2)]),
}
BUILT = {"deep-blockquotes"}  # one of each code is also built (the table and brackets are, above)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_complex_text_is_refused(tmp_path: Path, name: str) -> None:
    make, expected = REFUSED[name]
    refused_alike(project(tmp_path, make()), expected, and_build=name in BUILT)


ACCEPTED: dict[str, tuple[Case, bool]] = {  # the text, and whether to build it too
    "entities": (lambda: "&amp;" * 50_000 + "\n", True),
    "one-long-word": (lambda: "x" * 1_000_000 + "\n", True),
    "one-megabyte-heading": (lambda: "# " + "a" * 1_000_000 + "\n", True),
    "link-definitions": (lambda: "".join(f"[l{i}]: https://example.org/{i}\n" for i in range(10_000)), True),
    "nested-brackets": (lambda: "[" * 20_000 + "a" + "]" * 20_000 + "\n", True),
    "backtick-fence": (lambda: "`" * 1_000_000 + "\n", False),
    "long-two-column-table": (lambda: "| year | budget |\n|---|---|\n" + "| 2024 | 4 % |\n" * 10_000, False),
    "long-prose": (lambda: ("The minister said *the budget* grew by [4 percent](https://example.org/x) in "
                            "2024 - and would grow again. " * 8 + "\n\n") * 1_200, False),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_large_but_plain_text_passes(tmp_path: Path, name: str) -> None:
    """What a parser can do in linear time and bounded memory passes, and check predicts the build."""
    make, and_build = ACCEPTED[name]
    site = project(tmp_path, make())
    found = check(site)
    assert (found.code, found.lines) == (0, [])
    if and_build:
        built, out = build(site)
        assert built.code == 0, built.output[-2000:]
        assert 'id="fm-a1--text"' in (out / "speech" / "index.html").read_text(encoding="utf-8")


def test_one_letter_quote_in_a_megabyte_without_spaces(tmp_path: Path) -> None:
    site = project(tmp_path, "x" * 1_000_000 + "\n", annotations_file(annotation("xx"), annotation("y" * 300, id="a2")))
    found = check(site)
    assert found.code == 1
    assert found.lines[0] == (
        "annotations/speech.yaml:4:12: FM302 quote of 'a1' occurs at least 1,000 times in content/speech.md (hint: "
        "add a prefix or suffix to pick one — " + "; ".join(
            f'line {FIRST + 2}: prefix: "{" ".join(["world.", "x" * k]).strip()}"' for k in range(5)) + ")")
    assert found.lines[1] == (
        "annotations/speech.yaml:15:12: FM301 quote of 'a2' is not in content/speech.md (hint: no similar passage "
        "found; search limited to passages that share a word with the quote; check the document path and the quote)")


def test_a_prefix_that_fits_nowhere_among_a_million_occurrences(tmp_path: Path) -> None:
    site = project(tmp_path, "a " * 500_000 + "\n", one("a", extra='    prefix: "b"\n'))
    found = check(site)
    places = ", ".join(f"line {FIRST + 2}" for _ in range(5))
    assert (found.code, found.lines) == (1, [
        f"annotations/speech.yaml:4:12: FM303 prefix/suffix of 'a1' do not sit next to the quote, found at {places} "
        f"and at least 995 more of content/speech.md (hint: prefix must end right before the quote and suffix start "
        "right after it)"])


def test_many_absent_quotes_in_one_text_are_searched_at_most_fifty_times(tmp_path: Path) -> None:
    body = "".join(f"Line {i} of a long and boring minute of a meeting.\n\n" for i in range(20_000))
    entries = [annotation(f"a missing quote number {i} about something else entirely", id=f"a{i}")
               for i in range(300)]
    found = check(project(tmp_path, body, annotations_file(*entries)))
    assert found.code == 1 and len(found.lines) == 101  # the first 100 findings of the file, then FM004
    assert all(" FM301 " in line or " FM306 " in line for line in found.lines[:-1])
    assert found.lines[-2] == (
        "annotations/speech.yaml:1093:12: FM301 quote of 'a99' is not in content/speech.md (hint: no search for a "
        "similar passage: more than 50 quotes of this text are missing; check the document path and the quotes)")
    assert " FM004 " in found.lines[-1]


def test_three_thousand_overlapping_quotes_in_one_paragraph_build(tmp_path: Path) -> None:
    """Every quote overlaps the next: highlighting sweeps the cuts once instead of once per piece."""
    words = [f"w{i:05d}" for i in range(3_001)]
    entries = [annotation(f"{words[i]} {words[i + 1]}", id=f"a{i}") for i in range(3_000)]
    site = project(tmp_path, " ".join(words) + "\n", annotations_file(annotation("Hello world", id="h"), *entries))
    assert check(site).code == 0
    built, out = build(site)
    assert built.code == 0, built.output[-2000:]
    html = (out / "speech" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="fm-marker') == 3_001
    assert 'id="fm-a2999--text"' in html


def test_a_two_thousand_character_quote_in_a_megabyte_paragraph(tmp_path: Path) -> None:
    words = " ".join(f"w{i}" for i in range(150_000))
    start = words.index("w70000")
    quote = words[start:start + 2000].rsplit(" ", 1)[0]
    site = project(tmp_path, words + "\n", annotations_file(annotation(quote)))
    assert check(site).code == 0
    built, out = build(site)
    assert built.code == 0
    assert 'id="fm-a1--text"' in (out / "speech" / "index.html").read_text(encoding="utf-8")



def test_the_longest_hostile_note_builds(tmp_path: Path) -> None:
    """Notes are limited to 5,000 characters (FM204); at that length even a run of '[' renders at once."""
    note = '    note: "' + "![" * 2_500 + '"\n'
    site = project(tmp_path, "Some text.\n", one("Hello world", extra=note))
    assert (check(site).lines, build(site)[0].code) == ([], 0)


def test_a_corrected_megabyte_text_is_diffed_once_and_only_where_it_changed(tmp_path: Path) -> None:
    """Twenty quotes broken by one correction in a 1 MB text under git: candidates by diff, within seconds."""
    filler = "".join(f"Paragraph {i} is filler text about the weather and nothing else.\n\n" for i in range(15_000))
    quotes = [f"Claim {i} says the budget grew by {i} percent" for i in range(20)]
    site = project(tmp_path, filler + "".join(q + ".\n\n" for q in quotes),
                   annotations_file(*(annotation(q, id=f"a{i}") for i, q in enumerate(quotes))))
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "texts"], check=True)
    text = site.root / "content" / "speech.md"
    text.write_text(text.read_text(encoding="utf-8").replace(" grew by ", " rose by "), encoding="utf-8")
    found = check(site)
    assert found.code == 1 and len(found.lines) == 20
    for i, line in enumerate(found.lines):
        assert line.startswith(f"annotations/speech.yaml:{4 + 11 * i}:12: FM306 quote of 'a{i}' no longer matches "
                               "content/speech.md; candidate"), line
        assert 'by diff against ' in line and f'"Claim {i} says the budget rose by {i} percent"' in line, line
