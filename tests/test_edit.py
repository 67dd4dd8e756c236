"""`build.py new` and `build.py fix`: the commands that write annotation files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import Site

from factmark import cli

ANNOTATIONS = """\
# yaml-language-server: $schema=https://news.example/schema/annotations.schema.json
# Checked against the budget office report.
document: speech.md
annotations:
  - id: growth
    quote: "grew by 4 percent in 2024"  # the headline figure
    prefix: "The budget"
    status: documented
    summary: "The budget office reports 4 percent growth."
    note: |
      A block scalar
      that must survive.
    sources:
      - url: "https://example.org/report"
        publisher: Budget Office
        excerpt: 'Spending rose 4 percent.'
    reviewed: "2025-12-09"
"""


def run(site: Site, *args: str) -> int:
    return cli.main(["-f", str(site.root / "mkdocs.yml"), *args])


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


def test_new_appends_a_skeleton_the_check_refuses(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc("The budget grew by 4 percent. Later the budget grew again.\n")
    assert run(site, "new", "speech.md", "grew by 4 percent") == 0
    assert capsys.readouterr().out.startswith("annotations/speech.yaml: added 'grew-by-4-percent'")
    text = (site.root / "annotations" / "speech.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert '    quote: "grew by 4 percent"\n    status: "TODO: documented, disputed or uncorroborated"\n' in text
    code, lines = site.check(capsys)
    assert code == 1
    assert lines[0] == ("annotations/speech.yaml:6:13: FM106 annotations[0].status is still a placeholder "
                        "(hint: documented, disputed or uncorroborated)")
    assert {line.split()[1] for line in lines if line} == {"FM106"}


def test_new_pins_a_repeated_quote_and_keeps_ids_unique(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc("The budget grew. Later the budget grew again.\n")
    assert run(site, "new", "speech.md", "budget grew", "--occurrence", "2") == 0
    assert run(site, "new", "speech.md", "budget grew") == 0
    text = (site.root / "annotations" / "speech.yaml").read_text(encoding="utf-8")
    assert '  - id: budget-grew\n    quote: "budget grew"\n    prefix: "the"\n' in text
    assert '  - id: budget-grew-2\n    quote: "budget grew"\n    prefix: "The"\n' in text


def test_new_refuses_a_quote_not_in_the_text(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc("The budget grew by 4 percent.\n")
    assert run(site, "new", "speech.md", "budget shrank by 4 percent") == 1
    assert capsys.readouterr().err.strip() == (
        'the quote is not in content/speech.md; closest passage (line 11, 82% similar): "budget grew by 4 percent."; '
        "the difference: budget [-shrank-]{+grew+} by 4 percent{+.+}")
    assert not (site.root / "annotations" / "speech.yaml").exists()


def test_fix_follows_a_corrected_text_through_git_and_keeps_comments(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc("The budget grew by 4 percent in 2024. Later it shrank.\n")
    path = site.write("annotations/speech.yaml", ANNOTATIONS)
    assert run(site, "check") == 0
    git(site.root, "init", "-q")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "v1")
    site.doc("The budget grew by 4.2 percent in 2024. Later it shrank.\n")  # the text is corrected
    code, lines = site.check(capsys)
    assert code == 1
    assert lines[0].startswith("annotations/speech.yaml:6:12: FM306 quote of 'growth' no longer matches "
                               "content/speech.md; candidate (line 11, 93% similar, by diff against ")
    assert lines[0].endswith('"grew by 4.2 percent in 2024" (hint: the difference: grew by 4{+.2+} percent in 2024; '
                             "run 'factmark fix' to apply it)")
    assert run(site, "fix") == 0
    out = capsys.readouterr().out
    assert "'growth' quote changed from \"grew by 4 percent in 2024\" to \"grew by 4.2 percent in 2024\"" in out
    fixed = path.read_text(encoding="utf-8")
    assert fixed == (ANNOTATIONS.replace('"grew by 4 percent in 2024"  #', '"grew by 4.2 percent in 2024" #')
                     .replace('    prefix: "The budget"\n', ""))
    assert run(site, "fix") == 0  # a second run changes nothing
    assert path.read_text(encoding="utf-8") == fixed


def test_fix_leaves_an_ambiguous_candidate_to_a_human(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc("Costs grew by 5 percent. Costs grew by 5 percent again.\n")
    site.write("annotations/speech.yaml", ANNOTATIONS.replace("grew by 4 percent in 2024", "Costs grew by 6 percent")
               .replace('    prefix: "The budget"\n', ""))
    assert run(site, "fix") == 1
    out = capsys.readouterr().out
    assert "'growth' left for a human: the candidate \"Costs grew by 5 percent\" is not applied because it occurs " \
           "more than once" in out


def test_fix_restores_the_canonical_layout(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc("The budget grew by 4 percent in 2024.\n")
    path = site.write("annotations/speech.yaml", ANNOTATIONS.replace("\n", "\r\n"))
    assert site.check(capsys) == (0, ["annotations/speech.yaml:1:1: FM105 warning: the file uses CRLF line endings; "
                                      "the canonical layout uses LF (hint: run 'factmark fix' to rewrite it)"])
    assert run(site, "fix") == 0
    assert path.read_text(encoding="utf-8") == ANNOTATIONS
    path.write_text(ANNOTATIONS.replace("document: speech.md", "document:   speech.md"), encoding="utf-8")
    capsys.readouterr()
    assert site.check(capsys) == (0, ["annotations/speech.yaml:3:1: FM105 warning: 'document:' must be followed "
                                      "by exactly one space (hint: run 'factmark fix' to rewrite it)"])
    assert run(site, "fix") == 0
    assert path.read_text(encoding="utf-8") == ANNOTATIONS


LAYOUT_VARIANTS = {
    "canonical": ANNOTATIONS,
    "extra space after a colon": ANNOTATIONS.replace("status: documented", "status:  documented"),
    "items indented two more": ANNOTATIONS.split("annotations:\n")[0] + "annotations:\n" + "".join(
        "  " + line if line.strip() else line for line in ANNOTATIONS.split("annotations:\n")[1].splitlines(True)),
    "three spaces after the dash": ANNOTATIONS.split("annotations:\n")[0] + "annotations:\n" + "".join(
        line.replace("  - id", "  -   id") if line.startswith("  - id") else ("  " + line if line.strip() else line)
        for line in ANNOTATIONS.split("annotations:\n")[1].splitlines(True)),
    "sources indented less": ANNOTATIONS.replace("      - url:", "    - url:").replace(
        "        publisher", "      publisher").replace("        excerpt", "      excerpt"),
    "no final newline": ANNOTATIONS.rstrip("\n"),
    "a flow list": ANNOTATIONS.replace("    reviewed:", "    corrections: []\n    reviewed:"),
    "a comment and blank lines": ANNOTATIONS.replace("annotations:\n", "annotations:\n\n  # first\n"),
}


@pytest.mark.parametrize("variant", sorted(LAYOUT_VARIANTS))
def test_fast_layout_rule_agrees_with_the_ruamel_round_trip(variant: str) -> None:
    """FM105 fires exactly when `fix` (ruamel.yaml) would change the file."""
    from factmark import roundtrip, yamlstrict

    text = LAYOUT_VARIANTS[variant]
    unchanged = roundtrip.dump(roundtrip.load(text)) == text
    finding = roundtrip.layout_finding("f.yaml", text, yamlstrict.load(text, "f.yaml"))
    assert (finding is None) == unchanged, (variant, finding)
