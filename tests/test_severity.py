"""Severities and rule selection, as ruff has them; `fix --diff`, `check --fix`; dates that exist.

Each test makes its own small site. A warning (FM105, a file in another layout) is printed but fails
neither `check` nor `factmark build` unless `--strict`; a plain `mkdocs build` logs it as a warning, so
MkDocs' strict mode decides. `--select`/`--ignore` and the plugin's `select:`/`ignore:` filter findings
in the check and the build alike, the command line over the configuration.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, Site, annotation, annotations_file

from factmark import cli, rules

BODY = "The budget grew by ten percent in 2024.\n"
CANONICAL = annotations_file(annotation("budget grew"))
OTHER_LAYOUT = CANONICAL.replace("document: speech.md", "document:  speech.md")  # valid, but not fix's layout
TODO = annotations_file(annotation("budget grew").replace('summary: "One sentence."', 'summary: "TODO one line"'))


def _site(root: Path, annotations: str, options: str = "") -> Site:
    site = Site(root)
    if options:
        site.write("mkdocs.yml", MKDOCS_YML.replace("  - factmark\n", f"  - factmark:\n{options}"))
    site.doc(BODY)
    site.write("annotations/speech.yaml", annotations)
    return site


def _build(site: Site, *extra: str) -> int:
    return cli.main(["-q", "-f", str(site.root / "mkdocs.yml"), "build", "-d", str(site.root / "out"), *extra])


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A valid site whose one annotation file is in another layout: FM105 and nothing else."""
    return _site(tmp_path_factory.mktemp("layout"), OTHER_LAYOUT)


def test_rules_have_a_deliberate_severity(capsys: pytest.CaptureFixture[str]) -> None:
    assert set(rules.WARNINGS) <= set(rules.RULES)
    assert all(why for why in rules.WARNINGS.values())  # each warning says why it is one
    assert rules.severity("FM105") == "warning" and rules.severity("FM301") == "error"
    assert cli.main(["rules"]) == 0
    shown = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()}
    assert shown == {code: rules.severity(code) for code in rules.RULES}


def test_a_warning_alone_passes_check_unless_strict(layout: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = layout.check(capsys)
    assert (code, lines) == (0, ["annotations/speech.yaml:1:1: FM105 warning: 'document:' must be followed by "
                                 "exactly one space (hint: run 'factmark fix' to rewrite it)"])
    assert layout.check(capsys, "--strict")[0] == 1
    code, lines = layout.check(capsys, "--format", "github")
    assert code == 0 and lines[0].startswith("::warning file=annotations/speech.yaml,line=1,col=1,title=FM105::")
    code, lines = layout.check(capsys, "--format", "json")
    assert code == 0 and [(f["code"], f["severity"]) for f in json.loads("\n".join(lines))] == [("FM105", "warning")]


def test_a_warning_alone_never_blocks_factmark_build(layout: Site, capfd: pytest.CaptureFixture[str]) -> None:
    assert _build(layout) == 0
    assert (layout.root / "out" / "speech" / "index.html").is_file()
    assert "annotations/speech.yaml:1:1: FM105 warning:" in capfd.readouterr().err  # as the check prints it
    (layout.root / "out" / "speech" / "index.html").unlink()
    assert _build(layout, "--strict") == 1
    assert "FM105 warning:" in capfd.readouterr().err
    assert not (layout.root / "out" / "speech" / "index.html").exists()  # the old site stays as it was


def test_plain_mkdocs_logs_a_warning_and_its_strict_mode_decides(layout: Site) -> None:
    def mkdocs(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(layout.root / "plain"), *extra],
                              cwd=layout.root, capture_output=True, text=True, timeout=120, check=False)

    done = mkdocs("--strict")
    assert done.returncode == 1 and "Aborted with 1 warnings in strict mode" in done.stdout + done.stderr
    assert "WARNING -  annotations/speech.yaml:1:1: FM105 warning:" in done.stderr
    assert mkdocs().returncode == 0


def test_select_and_ignore_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, TODO)
    code, lines = site.check(capsys)
    assert code == 1 and [line.split()[1] for line in lines] == ["FM106"]
    assert site.check(capsys, "--ignore", "FM106") == (0, [])
    assert site.check(capsys, "--ignore", "FM1") == (0, [])
    assert site.check(capsys, "--select", "FM3,FM2") == (0, [])
    assert site.check(capsys, "--select", "FM3", "--select", "FM106")[0] == 1  # repeated: the names add up
    assert site.check(capsys, "--select", "FM1", "--ignore", "FM106") == (0, [])  # the more specific wins
    assert site.check(capsys, "--select", "FM106", "--ignore", "FM1")[0] == 1
    assert site.check(capsys, "--ignore", "ALL") == (0, [])


@pytest.mark.parametrize(("args", "expected"), [
    (["--select", "FM999"], "--select:1:1: FM440 'FM999' is not a rule code or a prefix of one"),
    (["--ignore", "fm1"], "--ignore:1:1: FM440 'fm1' is not a rule code or a prefix of one"),
    (["--ignore", "FM5"], "--ignore:1:1: FM441 'FM5' names only rules that guard the build; they cannot be ignored"),
])
def test_a_wrong_rule_name_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                            expected: str) -> None:
    site = _site(tmp_path, TODO)
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "check", *args]) == 2
    assert capsys.readouterr().err.startswith(expected)


def test_guards_of_the_build_cannot_be_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, CANONICAL)
    site.write("content/page.html", "<script>alert(1)</script>")  # FM403: never published, whatever --ignore says
    assert [line.split()[1] for line in site.check(capsys, "--ignore", "ALL")[1]] == ["FM403"]


def test_select_and_ignore_in_mkdocs_yml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, TODO, "      ignore: [FM106]\n")
    assert site.check(capsys) == (0, [])
    assert _build(site) == 0 and (site.root / "out" / "speech" / "index.html").is_file()
    code, lines = site.check(capsys, "--select", "FM1")  # the command line's select replaces the configuration's
    assert code == 1 and [line.split()[1] for line in lines] == ["FM106"]
    assert _build(site, "--select", "FM1") == 1  # the build's command line reaches the plugin too
    capsys.readouterr()


def test_the_build_takes_ignore_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, TODO)
    assert _build(site) == 1
    assert _build(site, "--ignore", "FM106") == 0 and (site.root / "out" / "speech" / "index.html").is_file()
    capsys.readouterr()


def test_a_wrong_rule_name_in_mkdocs_yml_is_found_at_its_line(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, TODO, "      select: [FM3]\n      ignore:\n        - FM106\n        - FM9\n")
    code, lines = site.check(capsys)
    assert code == 1
    assert lines == ["mkdocs.yml:13:11: FM440 factmark 'ignore' 'FM9' is not a rule code or a prefix of one "
                     "(hint: `factmark rules` lists every code; a prefix such as FM3 names a group)"]
    assert _build(site) == 1


def test_fix_diff_writes_nothing_and_check_fix_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, OTHER_LAYOUT)
    path = site.root / "annotations" / "speech.yaml"
    config = str(site.root / "mkdocs.yml")
    assert cli.main(["-f", config, "fix", "--diff"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == ["--- a/annotations/speech.yaml", "+++ b/annotations/speech.yaml", "@@ -1,4 +1,4 @@"]
    assert "-document:  speech.md" in out and "+document: speech.md" in out
    assert path.read_text(encoding="utf-8") == OTHER_LAYOUT  # written: nothing
    assert cli.main(["-f", config, "check", "--fix", "--strict"]) == 0
    assert capsys.readouterr().out.splitlines() == ["annotations/speech.yaml: rewritten in the canonical layout"]
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert cli.main(["-f", config, "fix", "--diff"]) == 0 and capsys.readouterr().out == ""


def test_check_fix_reports_what_remains(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, OTHER_LAYOUT)
    site.doc(BODY, "other.md")
    site.write("annotations/other.yaml", TODO.replace("document: speech.md", "document: other.md"))
    code, lines = site.check(capsys, "--fix")
    assert code == 1
    assert lines[0] == "annotations/speech.yaml: rewritten in the canonical layout"
    assert [line.split(":")[0] + " " + line.split()[1] for line in lines[1:]] == ["annotations/other.yaml FM106"]


@pytest.mark.parametrize(("field", "line", "col"), [("reviewed", 13, 15), ("date", 11, 15)])
def test_a_day_that_does_not_exist_is_refused_in_check_and_build(tmp_path: Path, capfd: pytest.CaptureFixture[str],
                                                                 field: str, line: int, col: int) -> None:
    old = '"2025-12-09"' if field == "reviewed" else '"2025-01-02"'
    site = _site(tmp_path, CANONICAL.replace(old, '"2026-02-31"'))
    code, lines = site.check(capfd)
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith(f"annotations/speech.yaml:{line}:{col}: FM204 ")
    assert "'2026-02-31' is not a date in the calendar: February 2026 has 28 days" in lines[0]
    if field == "reviewed":  # the build runs the same check (one build is enough to show it)
        assert _build(site) == 1 and not (site.root / "out").exists()
        assert lines[0] in capfd.readouterr().err.replace(str(site.root) + "/", "")


def test_a_correction_dated_on_a_day_that_does_not_exist_is_refused(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    extra = '    corrections:\n      - date: "2025-04-31"\n        note: "Summary reworded."\n'
    site = _site(tmp_path, annotations_file(annotation("budget grew", extra=extra)))
    code, lines = site.check(capsys)
    assert code == 1 and lines[0].startswith("annotations/speech.yaml:15:15: FM204 ")
    assert "April 2025 has 30 days" in lines[0]


def test_fix_diff_shows_a_moved_quote_and_check_fix_applies_it(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, annotations_file(annotation("grew by ten percent in 2024")))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=site.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=site.root, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=site.root, check=True)
    site.doc(BODY.replace("ten percent", "tenth percent"))  # the text is corrected
    path = site.root / "annotations" / "speech.yaml"
    before = path.read_text(encoding="utf-8")
    config = str(site.root / "mkdocs.yml")
    assert cli.main(["-f", config, "fix", "--diff"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert '-    quote: "grew by ten percent in 2024"' in out
    assert '+    quote: "grew by tenth percent in 2024"' in out
    assert path.read_text(encoding="utf-8") == before
    assert cli.main(["-f", config, "check", "--fix"]) == 0
    assert "'a1' quote changed from" in capsys.readouterr().out
    assert '    quote: "grew by tenth percent in 2024"\n' in path.read_text(encoding="utf-8")
