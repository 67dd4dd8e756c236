"""Hostile values in annotation files, front matter and mkdocs.yml: a finding each, never a crash.

Issue 12: strings a page cannot carry (unpaired surrogates, controls, noncharacters), a line
break where one line is expected, dates that do not exist, patterns whose ``$`` let a final
newline through, numbers too long for Python, nesting that crashed libyaml, invisible-only
text, annotation ids that collide with the page's own ids and front matter templates the
theme does not have. Each case names the exact finding lines `check` prints; one project
holding every case is then built, and the build must refuse with the very same findings.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DOC, PEAK_KB, Site

from factmark import cli

BODY = "The minister said the deficit fell by half in 2024.\n\nHe repeated it.\n"
FINDING = re.compile(r"^\S+:\d+:\d+: FM\d{3} ")
DEFAULTS = {
    "id": "a1", "quote": '"the deficit fell"', "status": "documented", "summary": '"One sentence."',
    "url": '"https://example.org/report"', "title": "A report", "publisher": "Example Agency",
    "date": '"2025-01-02"', "excerpt": '"The passage."', "reviewed": '"2025-12-09"',
}
EXTRA_KEYS = ("prefix", "note")  # optional annotation keys a case may add, written after the summary


def entry(**raw: str) -> str:
    """An annotation file whose values are written as given (raw YAML), on fixed lines.

    Line 3 id (column 9), 4 quote (12), 5 status (13), 6 summary (14), 8 the source's url (14),
    9 title (16), 10 publisher (20), 11 date (15), 12 excerpt (18), 13 reviewed (15). An optional
    prefix or note (line 7) moves the lines after the summary one down.
    """
    v = {**DEFAULTS, **raw}
    extra = "".join(f"    {key}: {raw[key]}\n" for key in EXTRA_KEYS if key in raw)
    return (f"document: speech.md\nannotations:\n  - id: {v['id']}\n    quote: {v['quote']}\n"
            f"    status: {v['status']}\n    summary: {v['summary']}\n{extra}    sources:\n"
            f"      - url: {v['url']}\n        title: {v['title']}\n        publisher: {v['publisher']}\n"
            f"        date: {v['date']}\n        excerpt: {v['excerpt']}\n    reviewed: {v['reviewed']}\n")


def front(**raw: str) -> str:
    """A content file whose front matter values are written as given (line 2 title, column 8)."""
    v = {"title": "A speech", "date": '"2025-12-08"', **raw}
    extra = "".join(f"{key}: {value}\n" for key, value in raw.items() if key not in ("title", "date"))
    return (f"---\ntitle: {v['title']}\nkind: speech\nauthor: A. Speaker\ndate: {v['date']}\nlanguage: en\n"
            f"provenance:\n  - text: Delivered in a test.\n{extra}---\n\n{BODY}")


A = "annotations/speech.yaml"
C = "content/speech.md"
FM003_HINT = r"(hint: remove it; a \u escape must name a whole character, e.g. \U0001F600 rather than two halves)"
ONE_LINE_HINT = "(hint: write it on one line; YAML folds a plain or '>' value's lines into spaces)"
INVISIBLE = ("has no visible character; it needs text (hint: spaces, zero-width and bidi marks or combining marks "
             "alone show nothing)")
DATE_FORM = '(hint: A calendar date written as a quoted string: "YYYY-MM-DD".)'
DATE_HINT = '(hint: check the day and month: "YYYY-MM-DD", or "YYYY-MM" when only the month is known)'
ID_HINT = ("(hint: Stable identifier, unique in the file: lowercase letters and digits joined by single hyphens. "
           "It becomes the annotation's permalink.)")
COLLIDES = "(hint: choose another id: the permalink #fm-<id> must lead to this annotation and nothing else)"


def unpublishable(where: str, field: str, code: str, kind: str, at: int) -> str:
    return (f"{where} FM003 {field} contains U+{code} ({kind}, at character {at}), which cannot be published "
            f"{FM003_HINT}")


# name -> (annotations/speech.yaml or None, content/speech.md or None, the exact findings)
CASES: dict[str, tuple[str | None, str | None, list[str]]] = {
    # characters no page, feed or terminal can carry: FM003 wherever they are read
    "surrogate-in-summary": (entry(summary=r'"Sum\ud800mary."'), None, [
        unpublishable(f"{A}:6:14:", "annotations[0].summary", "D800", "an unpaired surrogate", 4)]),
    "surrogate-in-quote": (entry(quote=r'"the \udfff deficit"'), None, [
        unpublishable(f"{A}:4:12:", "annotations[0].quote", "DFFF", "an unpaired surrogate", 5)]),
    "surrogate-pair-written-as-halves": (entry(summary=r'"\ud83d\ude00"'), None, [
        unpublishable(f"{A}:6:14:", "annotations[0].summary", "D83D", "an unpaired surrogate", 1)]),
    "surrogate-in-key": (entry(summary='"One sentence."\n    "k\\ud800": x'), None, [
        unpublishable(f"{A}:7:5:", "a key in annotations[0]", "D800", "an unpaired surrogate", 2)]),
    "nul-in-key": (entry(summary='"One sentence."\n    "id\\0": x'), None, [
        unpublishable(f"{A}:7:5:", "a key in annotations[0]", "0000", "a control character", 3)]),
    "c0-control-in-summary": (entry(summary=r'"a\x01b"'), None, [
        unpublishable(f"{A}:6:14:", "annotations[0].summary", "0001", "a control character", 2)]),
    "escape-sequence-in-summary": (entry(summary=r'"\e]0;title\a\e[2J"'), None, [
        unpublishable(f"{A}:6:14:", "annotations[0].summary", "001B", "a control character", 1)]),
    "carriage-return-in-summary": (entry(summary=r'"one\rtwo"'), None, [
        unpublishable(f"{A}:6:14:", "annotations[0].summary", "000D", "a control character", 4)]),
    "del-in-publisher": (entry(publisher=r'"Agency\x7f"'), None, [
        unpublishable(f"{A}:10:20:", "annotations[0].sources[0].publisher", "007F", "a control character", 7)]),
    "c1-control-in-excerpt": (entry(excerpt=r'"The \x9b passage."'), None, [
        unpublishable(f"{A}:12:18:", "annotations[0].sources[0].excerpt", "009B", "a control character", 5)]),
    "next-line-in-title": (entry(title=r'"A\Nreport"'), None, [
        unpublishable(f"{A}:9:16:", "annotations[0].sources[0].title", "0085", "a control character", 2)]),
    "noncharacter-fffe": (entry(summary=r'"a\ufffe"'), None, [
        unpublishable(f"{A}:6:14:", "annotations[0].summary", "FFFE", "a Unicode noncharacter", 2)]),
    "noncharacter-in-last-plane": (entry(summary=r'"a\U0010ffff"'), None, [
        unpublishable(f"{A}:6:14:", "annotations[0].summary", "10FFFF", "a Unicode noncharacter", 2)]),
    "nul-in-note": (entry(note=r'"a\0b"'), None, [
        unpublishable(f"{A}:7:11:", "annotations[0].note", "0000", "a control character", 2)]),
    # one-line fields: no line break, tab or Unicode separator
    "newline-in-summary": (entry(summary=r'"one\ntwo"'), None, [
        f"{A}:6:14: FM204 annotations[0].summary must be one line, without line breaks or tabs {ONE_LINE_HINT}"]),
    "block-scalar-summary": (entry(summary="|\n      one\n      two"), None, [
        f"{A}:6:14: FM204 annotations[0].summary must be one line, without line breaks or tabs {ONE_LINE_HINT}"]),
    "tab-in-publisher": (entry(publisher=r'"Example\tAgency"'), None, [
        f"{A}:10:20: FM204 annotations[0].sources[0].publisher must be one line, without line breaks or tabs "
        f"{ONE_LINE_HINT}"]),
    "line-separator-in-title": (entry(title=r'"A\Lreport"'), None, [
        f"{A}:9:16: FM204 annotations[0].sources[0].title must be one line, without line breaks or tabs "
        f"{ONE_LINE_HINT}"]),
    "multi-line-note-and-excerpt": (entry(note=r'"First line.\n\tSecond line."', excerpt=r'"One.\nTwo."'), None, []),
    # `$` in the schema's patterns means the end of the text, as editors read it
    "id-with-final-newline": (entry(id=r'"a1\n"'), None, [
        f"{A}:3:9: FM204 annotations[0].id 'a1\\n' is not valid {ID_HINT}"]),
    "reviewed-with-final-newline": (entry(reviewed=r'"2025-01-03\n"'), None, [
        f"{A}:13:15: FM204 annotations[0].reviewed '2025-01-03\\n' is not valid {DATE_FORM}"]),
    "document-with-final-newline": ("document: \"speech.md\\n\"\n" + entry().split("\n", 1)[1], None, [
        f"{A}:1:11: FM204 document 'speech.md\\n' is not valid (hint: Path of the annotated text, relative to "
        "content/ (for example news/cartel-letters.md).)"]),
    "line-separator-in-id": (entry(id=r'"a\u20281"'), None, [
        f"{A}:3:9: FM204 annotations[0].id 'a\\u20281' is not valid {ID_HINT}"]),
    "tab-in-id": (entry(id=r'"a\t1"'), None, [f"{A}:3:9: FM204 annotations[0].id 'a\\t1' is not valid {ID_HINT}"]),
    "float-id": (entry(id="1.5"), None, [f"{A}:3:9: FM204 annotations[0].id '1.5' is not valid {ID_HINT}"]),
    "id-of-300-characters": (entry(id="a" * 300), None, [
        f"{A}:3:9: FM204 annotations[0].id is 300 characters long; the limit is 80"]),
    # dates that do not exist
    "reviewed-february-31": (entry(reviewed='"2025-02-31"'), None, [
        f"{A}:13:15: FM204 annotations[0].reviewed '2025-02-31' is not a date in the calendar"
        f": February 2025 has 28 days {DATE_HINT}"]),
    "reviewed-month-13": (entry(reviewed='"2025-13-01"'), None, [
        f"{A}:13:15: FM204 annotations[0].reviewed '2025-13-01' is not valid {DATE_FORM}"]),
    "source-date-not-a-leap-year": (entry(date='"2023-02-29"'), None, [
        f"{A}:11:15: FM204 annotations[0].sources[0].date '2023-02-29' is not a date in the calendar"
        f": February 2023 has 28 days {DATE_HINT}"]),
    "source-date-leap-day": (entry(date='"2024-02-29"'), None, []),
    "source-month-of-year-zero": (entry(date='"0000-01"'), None, [
        f"{A}:11:15: FM204 annotations[0].sources[0].date '0000-01' is not a date in the calendar"
        f": there is no year 0 {DATE_HINT}"]),
    # numbers: too long for Python's int(), or not numbers at all in YAML 1.2
    "id-of-5000-digits": (entry(id="1" * 5000), None, [
        f"{A}:3:9: FM204 annotations[0].id is 5,000 characters long; the limit is 80"]),
    "title-of-5000-digits": (entry(title="9" * 5000), None, [
        f"{A}:9:16: FM203 annotations[0].sources[0].title: unquoted {'9' * 60}… (5,000 characters) is read as a "
        f"number by YAML 1.1 tools (hint: quote it: \"{'9' * 60}… (5,000 characters)\")"]),
    "summary-huge-float": (entry(summary="1e400"), None, [
        f"{A}:6:14: FM203 annotations[0].summary: unquoted 1e400 is read as a number by YAML 1.2 tools "
        "(hint: quote it: \"1e400\")"]),
    "summary-nan": (entry(summary=".nan"), None, [
        f"{A}:6:14: FM203 annotations[0].summary: unquoted .nan is read as a number by YAML 1.1 tools "
        "(hint: quote it: \".nan\")"]),
    # text that shows nothing
    "zero-width-summary": (entry(summary=r'"\u200b\u200b"'), None, [
        f"{A}:6:14: FM205 annotations[0].summary {INVISIBLE}"]),
    "no-break-space-summary": (entry(summary=r'"\u00a0\u3000"'), None, [
        f"{A}:6:14: FM205 annotations[0].summary is empty; it needs text"]),
    "bidi-marks-quote": (entry(quote=r'"\u200e\u200f\u2066"'), None, [
        f"{A}:4:12: FM205 annotations[0].quote {INVISIBLE}"]),
    "combining-marks-quote": (entry(quote=r'"\u0301\u0308"'), None, [
        f"{A}:4:12: FM205 annotations[0].quote {INVISIBLE}"]),
    "hangul-filler-publisher": (entry(publisher=r'"\u3164"'), None, [
        f"{A}:10:20: FM205 annotations[0].sources[0].publisher {INVISIBLE}"]),
    "word-joiner-excerpt": (entry(excerpt=r'"\u2060\n\t"'), None, [
        f"{A}:12:18: FM205 annotations[0].sources[0].excerpt {INVISIBLE}"]),
    "braille-blank-title": (entry(title=r'"\u2800"'), None, [
        f"{A}:9:16: FM205 annotations[0].sources[0].title {INVISIBLE}"]),
    "invisible-prefix": (entry(prefix=r'"\ufeff"'), None, [f"{A}:7:13: FM205 annotations[0].prefix {INVISIBLE}"]),
    # annotation ids that would give an HTML id the page already uses
    "id-annotations": (entry(id="annotations"), None, [
        f"{A}:3:9: FM211 annotation id 'annotations' would give the HTML id 'fm-annotations', which the page uses "
        f"for its own id=\"fm-annotations\" (factmark/annotations.html) {COLLIDES}"]),
    "id-annotations-title": (entry(id="annotations-title"), None, [
        f"{A}:3:9: FM211 annotation id 'annotations-title' would give the HTML id 'fm-annotations-title', which the "
        f"page uses for its own id=\"fm-annotations-title\" (factmark/annotations.html) {COLLIDES}"]),
    "id-filter-documented": (entry(id="filter-documented"), None, [
        f"{A}:3:9: FM211 annotation id 'filter-documented' would give the HTML id 'fm-filter-documented', which the "
        f"page uses for its own id=\"fm-filter-{{{{ s.key }}}}\" (partials/status-summary.html) {COLLIDES}"]),
    "id-filter-all": (entry(id="filter-all"), None, [
        f"{A}:3:9: FM211 annotation id 'filter-all' would give the HTML id 'fm-filter-all', which the page uses "
        f"for its own id=\"fm-filter-all\" (partials/status-summary.html) {COLLIDES}"]),
    "id-search-status": (entry(id="search-status"), None, [
        f"{A}:3:9: FM211 annotation id 'search-status' would give the HTML id 'fm-search-status', which the page "
        f"uses for its own id=\"fm-search-status\" (search.html) {COLLIDES}"]),
    "id-like-a-page-id-without-prefix": (entry(id="main"), None, []),
    # YAML structure
    "nesting-30000-flow": ("document: speech.md\nannotations: " + "[" * 30_000 + "]" * 30_000 + "\n", None, [
        f"{A}:2:78: FM104 nesting deeper than 64 levels"]),
    "nesting-30000-block": ("document: speech.md\nannotations:\n  " + "- " * 30_000 + "x\n", None, [
        f"{A}:3:131: FM104 nesting deeper than 64 levels"]),
    "nesting-30000-mixed": ("document: speech.md\nannotations: " + "[{a: " * 15_000 + "\n", None, [
        f"{A}:2:174: FM104 nesting deeper than 64 levels"]),
    "nesting-indented-mappings": ("document: speech.md\nannotations:\n" + "".join(
        " " * i + "k:\n" for i in range(1, 300)), None, [f"{A}:67:66: FM104 nesting deeper than 64 levels"]),
    "bom-in-the-middle": ("document: speech.md\n\ufeffannotations: []\n", None, [
        f"{A}:1:1: FM201 the file is missing required key 'annotations'",
        f"{A}:2:1: FM202 unknown key '\\ufeffannotations' in the file (hint: did you mean 'annotations'?)"]),
    "implicit-key-of-900-kilobytes": ("document: speech.md\n" + "k" * 900_000 + ": x\n", None, [
        f"{A}:2:900001: FM101 could not find expected ':' (hint: each line inside a mapping needs 'key: value')"]),
    "ten-megabyte-summary": (entry(summary='"' + "x" * 10_000_000 + '"'), None, [
        f"{A}:1:1: FM002 file is {{size}} bytes; the limit is 1,000,000"]),
    "explicit-key-of-900-kilobytes": ("document: speech.md\n? " + "k" * 900_000 + "\n: x\n", None, [
        f"{A}:1:1: FM201 the file is missing required key 'annotations'",
        f"{A}:2:3: FM202 unknown key '{'k' * 60}… (900,000 characters)' in the file (hint: allowed keys: "
        "annotations, document, withdrawn)"]),
    # front matter: YAML too, read by the same loader
    "front-matter-title-surrogate": (None, front(title=r'"A \ud800 speech"'), [
        unpublishable(f"{C}:2:8:", "title", "D800", "an unpaired surrogate", 3)]),
    "front-matter-title-invisible": (None, front(title=r'"\u200b"'), [f"{C}:2:8: FM205 title {INVISIBLE}"]),
    "front-matter-title-two-lines": (None, front(title=r'"A\nspeech"'), [
        f"{C}:2:8: FM204 title must be one line, without line breaks or tabs {ONE_LINE_HINT}"]),
    "front-matter-title-mapping": (None, front(title="{a: b}"), [
        f"{C}:2:8: FM203 title must be text, got a mapping"]),
    "front-matter-title-5000-digits": (None, front(title="7" * 5000), [
        f"{C}:2:8: FM203 title: unquoted {'7' * 60}… (5,000 characters) is read as a number by YAML 1.1 tools "
        f"(hint: quote it: \"{'7' * 60}… (5,000 characters)\")"]),
    "front-matter-date-february-30": (None, front(date='"2024-02-30"'), [
        f"{C}:5:7: FM204 date '2024-02-30' is not a date in the calendar: February 2024 has 29 days {DATE_HINT}"]),
    "front-matter-date-year-zero": (None, front(date='"0000-01-01"'), [
        f"{C}:5:7: FM204 date '0000-01-01' is not a date in the calendar: there is no year 0 {DATE_HINT}"]),
    "front-matter-date-final-newline": (None, front(date=r'"2025-12\n"'), [
        f"{C}:5:7: FM204 date '2025-12\\n' is not valid (hint: Date of the text, quoted: \"YYYY-MM-DD\", or "
        "\"YYYY-MM\" when only the month is known.)"]),
    "front-matter-provenance-control": (None, front(title="A speech").replace(
        "Delivered in a test.", '"Delivered\\x0bin a test."'), [
        unpublishable(f"{C}:8:11:", "provenance[0].text", "000B", "a control character", 10)]),
    "front-matter-nesting-30000": (None, front(editorial_notes="[" * 30_000 + "]" * 30_000), [
        f"{C}:9:82: FM104 nesting deeper than 64 levels"]),
    "front-matter-ten-megabyte-title": (None, front(title='"' + "x" * 10_000_000 + '"'), [
        f"{C}:1:1: FM002 file is {{size}} bytes; the limit is 5,000,000"]),
    "front-matter-template-missing": (None, front(template="no-such.html"), [
        f"{C}:9:11: FM406 template 'no-such.html' is not in the theme's templates (templates/) "
        "(hint: use one of: 404.html, claims.html, home.html, main.html, method.html, search.html)"]),
    "front-matter-template-traversal": (None, front(template="../../x"), [
        f"{C}:9:11: FM406 template '../../x' is not the plain file name of a template (templates/) "
        "(hint: use one of: 404.html, claims.html, home.html, main.html, method.html, search.html)"]),
    "front-matter-template-in-subfolder": (None, front(template="partials/legend.html"), [
        f"{C}:9:11: FM406 template 'partials/legend.html' is not the plain file name of a template "
        f"(templates/) (hint: use one of: 404.html, claims.html, home.html, main.html, method.html, "
        "search.html)"]),
    "front-matter-template-existing": (None, front(template="main.html"), []),
}


def files(name: str, *, alone: bool) -> dict[str, str]:
    """The case's files; in the combined project each case has its own text and annotation file."""
    annotations, content, _ = CASES[name]
    stem = "speech" if alone else name
    out = {f"content/{stem}.md": content or (DOC + BODY)}
    if annotations is not None:
        out[f"annotations/{stem}.yaml"] = annotations.replace("document: speech.md", f"document: {stem}.md")
    return out


def write_case(site: Site, name: str, *, alone: bool) -> None:
    for rel, text in files(name, alone=alone).items():
        site.write(rel, text)


def expected(name: str, *, alone: bool) -> list[str]:
    """The case's findings, under the case's paths; ``{size}`` is the size of the file the line names."""
    out = []
    for line in CASES[name][2]:
        line = line if alone else line.replace(A, f"annotations/{name}.yaml").replace(C, f"content/{name}.md")
        path = line.split(":", 1)[0]
        out.append(line.replace("{size}", f"{len(files(name, alone=alone)[path].encode()):,}"))
    return out


def findings(text: str) -> list[str]:
    return [line for line in text.splitlines() if FINDING.match(line)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(site: Site, capsys: pytest.CaptureFixture[str], name: str) -> None:
    write_case(site, name, alone=True)
    start = time.perf_counter()
    code, lines = site.check(capsys)
    assert findings("\n".join(lines)) == expected(name, alone=True)
    assert code == (1 if expected(name, alone=True) else 0)
    assert time.perf_counter() - start < 10


def test_the_build_refuses_with_the_same_findings(tmp_path: Path) -> None:
    """Every case in one project: `check` and the build print the same findings, and nothing is written."""
    site = Site(tmp_path)
    for name in CASES:
        write_case(site, name, alone=False)
    want = sorted(line for name in CASES for line in expected(name, alone=False))
    root = str(tmp_path) + "/"
    check = subprocess.run([sys.executable, "-m", "factmark.cli", "-f", str(tmp_path / "mkdocs.yml"), "check"],
                           capture_output=True, text=True, timeout=120, check=False)
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("the previous site", encoding="utf-8")
    build = subprocess.run([sys.executable, "-m", "factmark.cli", "-f", str(tmp_path / "mkdocs.yml"), "build",
                            "-d", str(out)], capture_output=True, text=True, timeout=300, check=False)
    assert (check.returncode, build.returncode) == (1, 1)
    for result in (check, build):
        assert "Traceback" not in result.stdout + result.stderr
        assert sorted(findings((result.stdout + result.stderr).replace(root, ""))) == want
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_the_clean_cases_build(tmp_path: Path) -> None:
    """Where check passes, the build succeeds: every clean case in one project (multi-line notes, a leap
    day, an id like a page id without the fm- prefix, an existing template)."""
    clean = [name for name, (_, _, lines) in CASES.items() if not lines]
    assert len(clean) >= 4
    site = Site(tmp_path)
    for name in clean:
        write_case(site, name, alone=False)
    out = tmp_path / "site"
    assert run(site, "check").returncode == 0
    assert cli.main(["-f", str(tmp_path / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    assert 'id="fm-a1"' in (out / "multi-line-note-and-excerpt" / "index.html").read_text(encoding="utf-8")


def run(site: Site, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The command line in a child process: a crash (SIGSEGV) shows as a return code, a hang as a timeout."""
    return subprocess.run([sys.executable, "-m", "factmark.cli", "-f", str(site.root / "mkdocs.yml"), *argv],
                          capture_output=True, text=True, timeout=timeout, check=False, cwd=site.root)


NESTING = {
    "flow": lambda n: "[" * n + "]" * n,
    "block": lambda n: "\n  " + "- " * n + "x",
    "mixed": lambda n: "[{a: " * (n // 2) + "x" + "}]" * (n // 2),
}


@pytest.mark.parametrize("depth", [30_000, 1_000_000])
@pytest.mark.parametrize("style", sorted(NESTING))
def test_any_nesting_is_refused_quickly_by_the_loader(style: str, depth: int) -> None:
    """The loader alone (no file size limit in front of it): FM104 in bounded time and memory, never SIGSEGV."""
    code = ("import resource, sys; from factmark import yamlstrict\n"
            "try:\n    yamlstrict.load(sys.stdin.read(), 'f.yaml')\n"
            "except yamlstrict.YAMLError as err:\n    print(err.finding.format())\n"
            f"print({PEAK_KB})\n")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], input="a: " + NESTING[style](depth), capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    finding, peak_kb = result.stdout.splitlines()
    assert re.fullmatch(rf"f\.yaml:{2 if style == 'block' else 1}:\d+: FM104 nesting deeper than 64 levels", finding)
    assert time.perf_counter() - start < 20
    assert int(peak_kb) < 200_000


@pytest.mark.parametrize("style", sorted(NESTING))
def test_deep_annotation_file_check_and_build(site: Site, style: str) -> None:
    """30,000 levels in an annotation file (SIGSEGV before): check and build both refuse with FM104."""
    site.doc(BODY)
    site.write(A, "document: speech.md\nannotations: " + NESTING[style](30_000) + "\n")
    check, build = run(site, "check"), run(site, "build", "-d", str(site.root / "site"), timeout=120)
    for result in (check, build):
        assert result.returncode == 1, result.stderr[-2000:]
        assert "Traceback" not in result.stdout + result.stderr
        assert re.search(rf"^{A}:{3 if style == 'block' else 2}:\d+: FM104 nesting deeper than 64 levels$",
                         result.stdout + result.stderr,
                         re.MULTILINE)
    assert not (site.root / "site").exists()


@pytest.mark.parametrize("depth", [30_000, 1_000_000])
def test_deep_front_matter(site: Site, depth: int) -> None:
    site.write(C, front(editorial_notes=NESTING["flow"](depth)))
    result = run(site, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert findings(result.stdout) == [f"{C}:9:82: FM104 nesting deeper than 64 levels"]


@pytest.mark.parametrize("depth", [30_000, 1_000_000])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_mkdocs_yml(site: Site, style: str, depth: int) -> None:
    """mkdocs.yml is read by PyYAML's recursive loader (and MkDocs'): it is depth-checked before either runs."""
    site.doc(BODY)
    site.write("mkdocs.yml", site.root.joinpath("mkdocs.yml").read_text(encoding="utf-8")
               + "extra:\n  deep: " + NESTING[style](depth) + "\n")
    for result in (run(site, "check"), run(site, "build", "-d", str(site.root / "site"))):
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert re.fullmatch(rf"mkdocs\.yml:{11 if style == 'flow' else 12}:\d+: FM104 nesting deeper than 64 levels\n",
                            "".join(line + "\n" for line in findings(result.stdout + result.stderr)))
    assert not (site.root / "site").exists()


STATUS_CONFIG = """\
      statuses:
        documented:
          label: {label}
"""


@pytest.mark.parametrize(("label", "finding"), [
    (r'"Docu\ud800mented"', "mkdocs.yml:12:18: FM003 status 'documented' label contains U+D800 (an unpaired "
     "surrogate, at character 5), which cannot be published (hint: remove it)"),
    (r'"Docu\x1b[2Jmented"', "mkdocs.yml:12:18: FM003 status 'documented' label contains U+001B (a control "
     "character, at character 5), which cannot be published (hint: remove it)"),
    (r'"Documented\nannotations/forged.yaml:1:1: FM000 forged"', "mkdocs.yml:12:18: FM402 status 'documented' label "
     "must be one line of text without tabs (hint: it is shown on every page)"),
    (r'"\u200b\u2063"', "mkdocs.yml:12:18: FM205 status 'documented' label has no visible character; it needs text "
     "(hint: spaces, zero-width and bidi marks or combining marks alone show nothing)"),
    ('"  "', "mkdocs.yml:12:18: FM402 status 'documented' needs a non-empty 'label'"),
])
def test_hostile_status_label(site: Site, label: str, finding: str) -> None:
    """The status table in mkdocs.yml: the same text rules, for check and for the build (MkDocs' own YAML reader)."""
    site.doc(BODY)
    config = site.root.joinpath("mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("  - factmark\n", "  - factmark:\n" + STATUS_CONFIG.format(label=label)))
    for result in (run(site, "check"), run(site, "build", "-d", str(site.root / "site"))):
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert findings(result.stdout + result.stderr) == [finding]


def test_hostile_publisher_name(site: Site) -> None:
    site.doc(BODY)
    config = site.root.joinpath("mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("  - factmark\n", '  - factmark:\n      publisher: {name: "\\ud800"}\n'))
    for result in (run(site, "check"), run(site, "build", "-d", str(site.root / "site"))):
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert findings(result.stdout + result.stderr) == [
            "mkdocs.yml:10:25: FM003 factmark 'publisher' name contains U+D800 (an unpaired surrogate, at character "
            "1), which cannot be published (hint: remove it)"]


@pytest.mark.parametrize(("setting", "finding"), [
    ('site_name: "Te\\ud800st"\n', "10:12: FM003 setting site_name contains U+D800 (an unpaired surrogate, "
     "at character 3)"),
    ('nav:\n  - "Home\\x00": index.md\n', "11:5: FM003 a key in setting nav[0] contains U+0000 (a control character, "
     "at character 5)"),
    ('extra:\n  a: &x [1, *x]\n  b: "\\uffff"\n', "12:6: FM003 setting extra.b contains U+FFFF (a Unicode "
     "noncharacter, at character 1)"),
])
def test_unpublishable_characters_anywhere_in_mkdocs_yml(site: Site, setting: str, finding: str) -> None:
    """MkDocs prints settings into pages: every string of mkdocs.yml must be publishable (anchors may loop)."""
    site.doc(BODY)
    site.write("mkdocs.yml", site.root.joinpath("mkdocs.yml").read_text(encoding="utf-8") + setting)
    for result in (run(site, "check"), run(site, "build", "-d", str(site.root / "site"))):
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert findings(result.stdout + result.stderr) == [
            f"mkdocs.yml:{finding}, which cannot be published (hint: remove it)"]


@pytest.mark.parametrize("ident", sorted({"annotations", "filter-documented", "filter-disputed", "filter-all",
                                          "annotations-title", "search-status"}))
def test_every_reserved_id_is_refused_by_the_build(site: Site, ident: str) -> None:
    site.doc(BODY)
    site.write(A, entry(id=ident))
    result = run(site, "build", "-d", str(site.root / "site"))
    assert result.returncode == 1
    assert [f.split(" FM211 ")[0] for f in findings(result.stderr)] == [f"{A}:3:9:"]


def test_headings_never_take_an_annotation_id(site: Site) -> None:
    """A heading that reads like an annotation's HTML id gets an id of its own (slugify prefixes ``s-``)."""
    site.doc("# Fm a1\n\n## fm-a1--text\n\n" + BODY)
    site.write(A, entry())
    out = site.root / "site"
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    ids = re.findall(r'\bid="([^"]+)"', (out / "speech" / "index.html").read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert {"fm-a1", "fm-a1--text"} <= set(ids)


def test_template_checks_agree_with_the_build(site: Site) -> None:
    """Front matter `template`: check refuses what MkDocs cannot load, and the build refuses with the same line."""
    site.write(C, front(template="../../x"))
    check, build = run(site, "check"), run(site, "build", "-d", str(site.root / "site"))
    assert (check.returncode, build.returncode) == (1, 1)
    assert "TemplateNotFound" not in build.stderr
    assert findings(check.stdout) == findings(build.stderr) == expected("front-matter-template-traversal", alone=True)


def test_ten_thousand_tiny_annotations_in_bounded_time(site: Site) -> None:
    """Many annotation files of many annotations each: check stays quick (here 2,500 in each of 4 files)."""
    for n in range(4):
        sentences = " ".join(f"Claim {n} {i} holds." for i in range(2_500))
        site.write(f"content/t{n}.md", DOC + sentences + "\n")
        site.write(f"annotations/t{n}.yaml", f"document: t{n}.md\nannotations:\n" + "".join(
            entry(id=f"c{i}", quote=f'"Claim {n} {i} holds."').split("annotations:\n", 1)[1]
            for i in range(2_500)))
    start = time.perf_counter()
    result = run(site, "check", timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert time.perf_counter() - start < 60


@pytest.mark.parametrize(("value", "valid"), [
    ("2025-02-31", False), ("2024-02-29", True), ("2025-01-03\n", False), ("0000-01-01", False),
    ("2025-13-01", False), ("2025-12-31", True),
])
def test_both_validators_agree_on_dates(value: str, valid: bool) -> None:
    """The fast gate (fastjsonschema) and jsonschema give the same verdict, on the same translated patterns."""
    _agree("reviewed", value, valid)


@pytest.mark.parametrize(("value", "valid"), [
    ("One sentence.", True), ("one\ntwo", False), ("a\tb", False), ("\u200b", False), ("\u0301", False),
    ("e\u0301", True), ("a\u2028b", False), ("\u00a0", False),
])
def test_both_validators_agree_on_one_line_text(value: str, valid: bool) -> None:
    _agree("summary", value, valid)


@pytest.mark.parametrize(("value", "valid"), [("a1", True), ("a1\n", False), ("annotations", True), ("a--b", False)])
def test_both_validators_agree_on_ids(value: str, valid: bool) -> None:
    _agree("id", value, valid)


def _agree(key: str, value: str, valid: bool) -> None:
    import fastjsonschema

    from factmark import validate, yamlstrict

    data = yamlstrict.load(entry(), "f.yaml").data
    data["annotations"][0][key] = value
    statuses = ("documented", "disputed", "uncorroborated")
    slow = not list(validate._validator("annotations.schema.json", statuses).iter_errors(data))
    try:
        validate._gate("annotations.schema.json", statuses)(data)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    assert (fast, slow) == (valid, valid)


def test_schema_files_stay_ecma_patterns() -> None:
    """The files editors read keep ECMA's ``$``; only the validators' copy reads ``\\Z`` (Python)."""
    import json

    from factmark import validate

    for name in ("annotations.schema.json", "document.schema.json"):
        text = (Path(validate.__file__).parent / "schema" / name).read_text(encoding="utf-8")
        assert "\\\\Z" not in text
        patterns = re.findall(r'"pattern": "([^"]*)"', json.dumps(validate.schema(name)))
        assert patterns and not any(p.endswith("$") for p in patterns)


def test_legal_but_unusual_text_keeps_the_feed_and_pages_well_formed(site: Site) -> None:
    """What the rules let through (combining marks, emoji, bidi controls, markup-like text) stays inert XML/HTML."""
    from xml.etree import ElementTree

    summary = "Cafe\u0301 \U0001F600 \u202eevil\u202c <b>&amp; ]]> \u00a0end."
    site.doc(BODY)
    site.write("mkdocs.yml", "site_url: https://example.org/\n" + site.root.joinpath("mkdocs.yml").read_text("utf-8"))
    site.write(A, entry(summary='"' + summary.replace("\\", "\\\\") + '"'))
    out = site.root / "site"
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    feed = ElementTree.parse(out / "feed.xml").getroot()
    texts = ["".join(e.itertext()) for e in feed.iter() if e.tag.endswith("summary") or e.tag.endswith("content")]
    assert any(summary in t for t in texts), texts
    assert "<b>" not in (out / "speech" / "index.html").read_text(encoding="utf-8").split("<main", 1)[1]


def test_python_reads_every_schema_pattern_as_editors_do() -> None:
    """Each pattern, as the validators run it (Python), accepts exactly what ECMA 262 (editors) accepts."""
    import json
    import shutil

    from factmark import validate

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: no ECMA 262 engine to compare with")
    samples = ["a1", "a1\n", "\na1", "2025-01-03", "2025-01-03\n", "2025-12", "x.md", "x.md\n", "/x.md", "en",
               "en\n", "https://x", " ", "\u00a0", "\u200b", "a\u2028", "\u2028"]
    schema_dir = Path(validate.__file__).parent / "schema"
    written = [p for name in ("annotations.schema.json", "document.schema.json")
               for p in re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', (schema_dir / name).read_text(encoding="utf-8"))]
    patterns = sorted({json.loads(p) for p in written})
    script = ("const [patterns, samples] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(patterns.map(p => samples.map(s => new RegExp(p, 'u').test(s)))));")
    ecma = json.loads(subprocess.run([node, "-e", script], input=json.dumps([patterns, samples]), capture_output=True,
                                     text=True, timeout=60, check=True).stdout)
    python = [[re.search(validate.python_patterns({"pattern": p})["pattern"], s) is not None for s in samples]
              for p in patterns]
    assert python == ecma
