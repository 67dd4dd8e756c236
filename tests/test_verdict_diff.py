"""`factmark diff`: two git revisions of a site made here, every kind of change, in each format."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import DOC, Site, annotation

from factmark import cli
from factmark.verdictdiff import KINDS, substantive

BASE_TEXT = ("I served in the army for 34 years.\n\nThe sky is green today.\n\nWe won the cup. We won the cup.\n\n"
             "Taxes rose by ten percent.\n\nThe bridge opened in 1990.\n")
HEAD_TEXT = BASE_TEXT.replace("34 years", "35 years")
TRICKY = "*Bold* [link](https://evil.example/) <img src=x> @someone #12"


def entry(quote: str, ident: str, status: str = "documented", summary: str = "One sentence.",
          url: str = "https://example.org/report", extra: str = "") -> str:
    return (annotation(quote, id=ident, status=status, extra=extra)
            .replace('"One sentence."', json.dumps(summary)).replace("https://example.org/report", url))


BASE = "document: speech.md\nannotations:\n" + "".join([
    entry("I served in the army for 34 years.", "a1", summary="Records show 34 years of service."),
    entry("The sky is green today.", "a2", "disputed"),
    entry("The bridge opened in 1990.", "a4"),
    entry("Taxes rose by ten percent.", "a5", summary="The goverment raised taxes."),
    entry("We won the cup.", "a6", extra='    suffix: " We won the cup."\n'),
])
HEAD = "document: speech.md\nannotations:\n" + "".join([
    entry("I served in the army for 35 years.", "a1", "disputed", "Records show 30 years of service.",
          extra='    corrections:\n      - date: "2026-01-05"\n        previous_status: documented\n'
                '        note: "The service record says 30 years."\n'),
    entry("Taxes rose by ten percent.", "a5", summary="The government raised taxes.", url="https://example.org/new"),
    entry("We won the cup.", "a6", extra='    prefix: "We won the cup. "\n'),
    entry("The bridge opened in 1990.", "a3", "uncorroborated", TRICKY),
]) + ('withdrawn:\n  - id: a2\n    quote: "The sky is green today."\n    status: disputed\n    date: "2026-01-06"\n'
      '    note: "The speech was about a painting."\n')


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """main: the published site; branch pr: one commit with every kind of change, then a work-tree edit."""
    site = Site(tmp_path_factory.mktemp("diff"))
    site.doc(BASE_TEXT)
    site.write("content/old.md", DOC.replace("A speech", "An old letter") + "Gone soon.\n")
    site.write("annotations/speech.yaml", BASE)
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "published")
    git(site.root, "checkout", "-qb", "pr")
    site.doc(HEAD_TEXT)
    (site.root / "content/old.md").unlink()
    site.write("content/other.md", DOC.replace("A speech", "Another speech") + "New words.\n")
    site.write("annotations/speech.yaml", HEAD)
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "the pull request")
    site.write("annotations/speech.yaml", HEAD.replace("status: uncorroborated", "status: disputed"))  # not committed
    return site


def diff(site: Site, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(["-f", str(site.root / "mkdocs.yml"), "diff", *args])
    return code, capsys.readouterr().out


def test_json_lists_every_kind_of_change_with_stable_keys(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = diff(repo, capsys, "main", "pr", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["version", "base", "head", "counts", "changes"]
    assert data["base"]["revision"] == "main" and len(data["base"]["commit"]) == 40
    assert data["head"] == {"revision": "pr", "commit": git(repo.root, "rev-parse", "pr").strip()}
    assert list(data["counts"]) == list(KINDS)
    assert all(data["counts"][kind] >= 1 for kind in KINDS), data["counts"]
    assert all(list(c) == ["kind", "document", "title", "annotation", "quote", "before", "after", "detail", "file",
                           "line"] for c in data["changes"])
    by = {(c["kind"], c["document"], c["annotation"]): c for c in data["changes"]}
    assert by[("text-added", "other.md", None)]["after"] == "Another speech"
    assert by[("text-removed", "old.md", None)]["before"] == "An old letter"
    assert by[("text-corrected", "speech.md", None)]["detail"] == '"34" → "35"'
    assert by[("annotation-added", "speech.md", "a3")]["after"] == "uncorroborated"
    removed = by[("annotation-removed", "speech.md", "a2")]
    assert (removed["before"], removed["quote"]) == ("disputed", "The sky is green today.")
    assert removed["detail"] == "withdrawn 2026-01-06: The speech was about a painting."
    assert by[("annotation-removed", "speech.md", "a4")]["detail"] == "no withdrawal record"
    status = by[("status-changed", "speech.md", "a1")]
    assert (status["before"], status["after"], status["file"]) == ("documented", "disputed", "annotations/speech.yaml")
    assert status["line"] == HEAD.splitlines().index("  - id: a1") + 1
    assert by[("summary-changed", "speech.md", "a1")]["detail"] == "substance"
    assert by[("summary-changed", "speech.md", "a5")]["detail"] == "wording"
    quote = by[("quote-moved", "speech.md", "a1")]
    assert (quote["before"]["quote"], quote["after"]["quote"]) == ("I served in the army for 34 years.",
                                                                  "I served in the army for 35 years.")
    moved = by[("quote-moved", "speech.md", "a6")]  # the same words, the other occurrence
    assert moved["before"]["quote"] == moved["after"]["quote"] == "We won the cup."
    assert moved["after"]["start"] - moved["before"]["start"] == len("We won the cup. ")
    assert by[("source-added", "speech.md", "a5")]["after"] == "https://example.org/new"
    assert by[("source-removed", "speech.md", "a5")]["before"] == "https://example.org/report"
    assert by[("correction-added", "speech.md", "a1")]["after"] == "The service record says 30 years."
    assert ("quote-moved", "speech.md", "a5") not in by  # a text corrected before a quote moves nothing


def test_human_output_says_each_change_in_reader_terms(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = diff(repo, capsys, "main", "pr")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("factmark diff main (") and lines[0].endswith("→ pr: 14 change(s) for readers in 3 "
                                                                              "text(s)")
    for expected in ['other.md "Another speech"', "  new text", 'old.md "An old letter"', "  text removed",
                     'speech.md "A speech"', '  text corrected: "34" → "35"',
                     '  new annotation a3 (uncorroborated): "The bridge opened in 1990."',
                     '  annotation a2 (disputed) removed: "The sky is green today." — withdrawn 2026-01-06: The '
                     'speech was about a painting.',
                     '  annotation a4 (documented) removed: "The bridge opened in 1990." — no withdrawal record',
                     '  a1 verdict documented → disputed: "I served in the army for 35 years."',
                     '  a1 summary changed: "Records show 34 years of service." → "Records show 30 years of service."',
                     '  a5 summary reworded: "The goverment raised taxes." → "The government raised taxes."',
                     '  a1 quote changed: "I served in the army for 34 years." → "I served in the army for 35 years."',
                     '  a6 quote moved: "We won the cup." now at characters 77 to 92 (was 61 to 76)',
                     '  a5 source added: "https://example.org/new"',
                     '  a5 source removed: "https://example.org/report"',
                     '  a1 correction 2026-01-05: "The service record says 30 years."']:
        assert expected in lines, expected


def test_markdown_is_escaped_for_a_pull_request(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = diff(repo, capsys, "main", "pr", "--format", "markdown")
    assert code == 0
    assert out.startswith("### What this changes for readers\n\n14 change(s) for readers in 3 text(s) Compared: main (")
    assert "**A speech** (speech.md)" in out
    assert "- **a1** verdict **documented** → **disputed**: “I served in the army for 35 years.”" in out
    assert ("- annotation **a4** (**documented**) removed: “The bridge opened in 1990.” — no withdrawal record"
            in out)
    tricky = next(line for line in out.splitlines() if "a3" in line and "new annotation" in line)
    assert tricky == "- new annotation **a3** (**uncorroborated**): “The bridge opened in 1990.”"


def test_the_work_tree_is_the_default_head_and_the_merge_base_the_default_base(
        repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = diff(repo, capsys, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["base"] == {"revision": None, "commit": git(repo.root, "merge-base", "main", "HEAD").strip()}
    assert data["head"] == {"revision": None, "commit": None}
    added = next(c for c in data["changes"] if c["kind"] == "annotation-added")
    assert added["after"] == "disputed"  # the uncommitted edit
    code, out = diff(repo, capsys, "pr", "--format", "markdown")  # from the pull request's commit to the work tree
    assert code == 0
    assert out.splitlines()[2].startswith("1 change(s) for readers in 1 text(s) Compared: pr (")
    assert "- **a3** verdict **uncorroborated** → **disputed**: “The bridge opened in 1990.”" in out


def test_markdown_escapes_what_a_summary_holds(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    edited = HEAD.replace("status: uncorroborated", "status: disputed").replace(json.dumps(TRICKY), '"Plain."')
    repo.write("annotations/speech.yaml", edited)
    try:
        code, out = diff(repo, capsys, "pr", "--format", "markdown")
    finally:
        repo.write("annotations/speech.yaml", HEAD.replace("status: uncorroborated", "status: disputed"))
    line = next(line for line in out.splitlines() if "summary changed" in line)
    assert code == 0
    assert line == ("- **a3** summary changed: “\\*Bold\\* \\[link\\](https://evil.example/) &lt;img src=x&gt; "
                    "&#64;someone \\#12” → “Plain.”")


def test_an_unknown_revision_is_one_line_and_exit_2(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["-f", str(repo.root / "mkdocs.yml"), "diff", "no-such-branch"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("factmark: 'no-such-branch' is not a revision of the repository at ")


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("It is blue.", "it is blue", False),  # case and punctuation
    ("It  is\tblue.", "It is blue.", False),  # spacing
    ("The goverment raised taxes.", "The government raised taxes.", False),  # one typo fix
    ("The goverment raised taxess.", "The government raised taxes.", False),  # two
    ("The goverment rased taxess.", "The government raised taxes.", True),  # three is a rewrite
    ("It is not blue.", "It is now blue.", True),  # a short word: one letter changes its meaning
    ("It rose 14 percent.", "It rose 15 percent.", True),  # a number
    ("Records show it.", "Records do not show it.", True),  # words added
    ("Records show it.", "Records contradict it.", True),  # a word replaced
])
def test_substance_of_a_summary(before: str, after: str, expected: bool) -> None:
    assert substantive(before, after) is expected
