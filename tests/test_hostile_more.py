"""Issue 12, what an outside red-team still broke: each class with its example and cases of our own.

Every case runs ``build.py`` in a bounded child process (conftest.run: a wall-clock timeout, an
address-space limit, the child's own peak memory) and asserts the exact findings of ``check``;
where the build applies, it refuses with the same findings and leaves the previous site, or
succeeds where the check passed. Classes: a refused configured folder is never read; findings
and the work behind them are bounded per file; mkdocs.yml values the build interprets; line
separators only some YAML readers break at; ``fix``'s report; front-matter positions; YAML tags;
MkDocs' log lines.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DOC, MKDOCS_YML, Run, Site, annotation, annotations_file, run

from factmark import engine, project, settings

PEAK_MB = 300
GOOD = annotations_file(annotation("Hello world"))
HINT_402 = "(hint: see https://www.mkdocs.org/user-guide/configuration/)"
HINT_405 = "(hint: name a folder of the repository, relative to mkdocs.yml, such as 'content')"
FM004 = ("FM004 more problems in this file are not shown; the check lists the first 100 of each file "
         "(hint: fix those above and run the check again)")
HINT_107 = "(hint: remove the tag; quote the value if it is text)"
HINT_108 = ("(hint: end lines with a line feed (LF); inside a double-quoted text write the character as an escape "
            "such as \\u2028)")


def make(root: Path, *, config: str = "", files: dict[str, str] | None = None) -> Site:
    """A project whose one text says "Hello world." and is annotated once; ``config`` is appended to mkdocs.yml."""
    site = Site(root)
    site.doc("Hello world.\n")
    site.write("annotations/speech.yaml", GOOD)
    if config:
        site.write("mkdocs.yml", MKDOCS_YML + config)
    for rel, text in (files or {}).items():
        site.write(rel, text)
    return site


def check(site: Site, *args: str) -> Run:
    found = run(site, "check", *args)
    assert "Traceback" not in found.output, found.output[-3000:]
    assert found.peak_mb < PEAK_MB, f"peak RSS {found.peak_mb:.0f} MB"
    return found


def build(site: Site) -> tuple[Run, Path]:
    out = site.root / "site"
    out.mkdir(exist_ok=True)
    (out / "keep.txt").write_text("the previous site\n")
    built = run(site, "build", "-d", str(out))
    assert "Traceback" not in built.output, built.output[-3000:]
    assert built.peak_mb < PEAK_MB, f"peak RSS {built.peak_mb:.0f} MB"
    return built, out


def refused_alike(site: Site, expected: list[str]) -> None:
    """check fails with exactly ``expected``; the build refuses with the same findings and keeps the old site."""
    found = check(site)
    assert (found.code, found.lines) == (1, expected)
    built, out = build(site)
    assert built.code == 1
    for line in expected:
        assert line in built.output.replace(str(site.root) + "/", "")
    assert (out / "keep.txt").read_text() == "the previous site\n"


def builds(site: Site) -> Path:
    found = check(site)
    assert (found.code, found.lines) == (0, []), found.output
    built, out = build(site)
    assert built.code == 0, built.output[-3000:]
    return out


# --- 1. a refused configured folder is never read -------------------------------------------------

def outside_theme(tmp_path: Path) -> tuple[Site, Path]:
    """A project whose theme.custom_dir is a folder outside it, holding a template with a colliding id."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.html").write_text('<div id="fm-secret-zz"></div>\n')
    site = make(tmp_path / "proj", files={"annotations/speech.yaml": annotations_file(
        annotation("Hello world", id="secret-zz"))})
    site.write("mkdocs.yml", MKDOCS_YML.replace("custom_dir: templates", f"custom_dir: {outside}"))
    return site, outside


def test_a_theme_folder_outside_the_project_is_refused_and_never_read(tmp_path: Path) -> None:
    """The example: FM405, and no FM211 quoting an id from a file of the outside folder."""
    site, outside = outside_theme(tmp_path)
    refused_alike(site, [f"mkdocs.yml:1:1: FM405 theme.custom_dir '{outside}' is not a folder inside the project "
                         f"{HINT_405}"])


def test_a_template_name_is_not_looked_up_in_a_refused_theme_folder(tmp_path: Path) -> None:
    site, outside = outside_theme(tmp_path)
    site.write("content/speech.md", DOC.replace("kind: speech\n", "kind: speech\ntemplate: leak.html\n")
               + "Hello world.\n")
    refused_alike(site, [  # the template is looked for nowhere: the refused folder is no theme folder
        "content/speech.md:4:11: FM406 template 'leak.html' is not in the theme's templates (no theme folder) "
        "(hint: remove the key to use the default page template)",
        f"mkdocs.yml:1:1: FM405 theme.custom_dir '{outside}' is not a folder inside the project {HINT_405}"])


def test_a_theme_folder_reached_through_a_link_is_not_read(tmp_path: Path) -> None:
    _, outside = outside_theme(tmp_path)
    site = make(tmp_path / "linked", files={"annotations/speech.yaml": annotations_file(
        annotation("Hello world", id="secret-zz"))})
    (site.root / "theme").symlink_to(outside)
    site.write("mkdocs.yml", MKDOCS_YML.replace("custom_dir: templates", "custom_dir: theme"))
    refused_alike(site, ["mkdocs.yml:1:1: FM405 theme.custom_dir 'theme' is reached through a symbolic link "
                         f"{HINT_405}"])


def test_no_reader_lists_or_opens_a_refused_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every way a folder is read (walk, glob, rglob, scandir, open) is watched while the project loads."""
    site, outside = outside_theme(tmp_path)
    site.write("content/speech.md", DOC.replace("kind: speech\n", "kind: speech\ntemplate: leak.html\n")
               + "Hello world. A [link](leak.html).\n")
    touched: list[str] = []

    def watch(original):  # type: ignore[no-untyped-def]
        def wrapper(first, *args, **kwargs):  # type: ignore[no-untyped-def]
            if str(first).startswith(str(outside)):
                touched.append(str(first))
            return original(first, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(os, "walk", watch(os.walk))
    monkeypatch.setattr(os, "scandir", watch(os.scandir))
    monkeypatch.setattr(Path, "glob", watch(Path.glob))
    monkeypatch.setattr(Path, "rglob", watch(Path.rglob))
    monkeypatch.setattr(Path, "read_text", watch(Path.read_text))
    found = project.Project(settings.load(site.root / "mkdocs.yml")).load()
    assert {f.code for f in found} <= {"FM405", "FM406", "FM410"}  # leak.html is found nowhere: nothing was read
    assert "FM405" in {f.code for f in found}
    assert touched == []


def test_new_refuses_an_annotations_folder_outside_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    site = make(tmp_path / "proj")
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - factmark\n", f"  - factmark:\n      annotations_dir: {outside}\n"))
    made = run(site, "new", "speech.md", "Hello world")
    assert made.code == 1
    assert (f"mkdocs.yml:1:1: FM405 annotations_dir '{outside}' is not a folder inside the project {HINT_405}"
            in made.output)
    assert list(outside.iterdir()) == []


# --- 2. findings and the work behind them are bounded per file ------------------------------------

def many(text: str) -> str:
    return "document: speech.md\nannotations:\n" + text


SHAPES = {
    "140,000 empty entries": many("  - {}\n" * 140_000),
    "80,000 empty sources": GOOD.replace("    sources:\n", "    sources:\n" + "      - {}\n" * 80_000),
    "4,500 long unknown keys": many("".join(f"  - {{k{'x' * 200}{i}: 1}}\n" for i in range(4_500))),
    "3,200 duplicate ids": many("".join(annotation("Hello world", id="a1") for _ in range(3_200))),
    "3,000 absent quotes": many("".join(annotation(f"absent quote {i}", id=f"a{i}") for i in range(3_000))),
    "120,000 entries that are not mappings": many("  - no\n" * 120_000),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_file_of_countless_problems_is_bounded(tmp_path: Path, shape: str) -> None:
    """The first 100 findings and one FM004, in seconds and bounded memory; the build refuses alike."""
    site = make(tmp_path, files={"annotations/speech.yaml": SHAPES[shape]})
    found = check(site)
    assert found.code == 1
    assert len(found.lines) == 101, found.lines[-3:]
    assert sum(FM004 in line for line in found.lines) == 1
    assert all(line.startswith("annotations/speech.yaml:") for line in found.lines)
    assert found.seconds < 30, f"{found.seconds:.1f} s"
    built, out = build(site)
    assert built.code == 1 and FM004 in built.output
    assert (out / "keep.txt").is_file()


@pytest.mark.parametrize(("entries", "shown"), [(100, 100), (101, 101)])
def test_the_cap_starts_after_the_hundredth_finding(tmp_path: Path, entries: int, shown: int) -> None:
    site = make(tmp_path, files={"annotations/speech.yaml": many("  - 1\n" * entries)})
    found = check(site)
    assert (found.code, len(found.lines)) == (1, shown)
    assert (FM004 in found.lines[-1]) == (entries > 100)
    assert found.lines[0] == "annotations/speech.yaml:3:5: FM203 annotations[0] must be a mapping, got the number 1"


# --- 3. mkdocs.yml values the build interprets ----------------------------------------------------

# Each is refused where MkDocs' own validation (run by the check, mkconfig.py) refuses it, at its line:col;
# None: MkDocs accepts it and so does the build, so check must pass too (ftp: and a bad port are MkDocs' to allow).
CONFIG_CASES: dict[str, str | None] = {
    'site_url: "javascript:alert(1)//"': "10:11: FM412 'site_url'",
    'site_url: "ftp://example.org/"': None,
    'site_url: "https:///no-host"': "10:11: FM412 'site_url'",
    'site_url: "https://example.org:port/"': None,
    "repo_url: javascript:x": "10:11: FM412 'repo_url'",
    'use_directory_urls: "yes"': "10:21: FM412 'use_directory_urls'",
    "strict: 1": "10:9: FM412 'strict'",
    "copyright: [1]": "10:12: FM412 'copyright'",
    "edit_uri: {a: 1}": "10:11: FM412 'edit_uri'",
    "extra: [1]": "10:8: FM412 'extra'",
    'dev_addr: "nowhere"': "10:11: FM412 'dev_addr'",
    "watch: [no-such-folder]": "10:8: FM412 'watch'",
    "foo: 1": "10:1: FM413 'foo'",
    "pages: []": "10:8: FM412 'pages'",
    "site_name: !relative foo": "1:1: FM412 MkDocs cannot read mkdocs.yml",
    "site_name: !relative": "10:12: FM412 'site_name'",
    "extra:\n  a: !foo 1": "1:1: FM412 MkDocs cannot read mkdocs.yml",
    "extra:\n  a: !ENV {x: 1}": "1:1: FM412 MkDocs cannot read mkdocs.yml",
    "theme:\n  name: null\n  custom_dir: templates\n  locale: english": "4:3: FM412 'theme'",
}


def verdicts_agree(site: Site) -> Run:
    """check and build give the same verdict; where refused, the build prints check's findings and keeps the site."""
    found = check(site)
    built, out = build(site)
    assert built.code == found.code and "Traceback" not in found.output + built.output, built.output[-2000:]
    if found.code:
        for line in found.lines:
            assert line in built.output.replace(str(site.root) + "/", "")
        assert (out / "keep.txt").read_text() == "the previous site\n"
    return found


@pytest.mark.parametrize("setting", list(CONFIG_CASES))
def test_check_refuses_what_the_build_would(tmp_path: Path, setting: str) -> None:
    site = make(tmp_path, config=setting + "\n")
    if setting.startswith("theme:"):  # a second theme key would be a duplicate: replace the theme block
        site.write("mkdocs.yml", MKDOCS_YML.replace("  name: null\n", "  name: null\n  locale: english\n"))
    found = verdicts_agree(site)
    expected = CONFIG_CASES[setting]
    if expected is None:
        assert found.code == 0, found.lines
    else:
        assert found.code == 1 and len(found.lines) == 1 and found.lines[0].startswith(f"mkdocs.yml:{expected}"), (
            found.lines)


@pytest.mark.parametrize(("setting", "line"), [
    ('copyright: !!python/object/apply:os.system ["touch PWNED"]', "10:12: FM402"),
    ("extra:\n  x: !!python/name:evil.run", "1:1: FM412"),
    ("markdown_extensions:\n  - evil", "11:3: FM412"),
])
def test_python_in_mkdocs_yml_never_runs_a_file_of_the_checkout(tmp_path: Path, setting: str, line: str) -> None:
    """MkDocs' loader constructs !!python/ objects, and imports each Markdown extension it names, while it reads
    mkdocs.yml: neither check nor build may import evil.py of the pull request (or run os.system)."""
    site = make(tmp_path, config=setting + "\n", files={"evil.py": "open('PWNED', 'w').close()\nrun = 1\n"})
    found = verdicts_agree(site)
    assert found.code == 1 and found.lines[0].startswith(f"mkdocs.yml:{line}"), found.lines
    assert not (site.root / "PWNED").exists()


def test_a_site_url_from_the_environment_is_checked_as_the_build_reads_it(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    site = make(tmp_path, config='site_url: !ENV [FACTMARK_TEST_URL, "https://default.example/"]\n')
    monkeypatch.delenv("FACTMARK_TEST_URL", raising=False)
    assert "https://default.example/" in (builds(site) / "feed.xml").read_text(encoding="utf-8")
    monkeypatch.setenv("FACTMARK_TEST_URL", "https://from-env.example/")
    assert "https://from-env.example/" in (builds(site) / "feed.xml").read_text(encoding="utf-8")
    monkeypatch.setenv("FACTMARK_TEST_URL", "javascript:alert(1)//")
    found = verdicts_agree(site)
    assert found.code == 1 and found.lines[0].startswith("mkdocs.yml:10:11: FM412 'site_url'"), found.lines
    assert "javascript:alert" not in found.output  # an environment variable's value is never printed


def test_valid_values_of_every_checked_kind_build(tmp_path: Path) -> None:
    site = make(tmp_path, config=('site_url: "https://example.org/fact/"\nrepo_url: "https://example.org/repo"\n'
                                  "copyright: \"© 2026\"\nuse_directory_urls: false\nstrict: true\n"
                                  'dev_addr: "localhost:8001"\nwatch: [templates]\nextra: {a: 1}\n'))
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  name: null\n", "  name: null\n  locale: en\n"))
    assert (builds(site) / "speech.html").is_file()


# --- 4. line separators only some YAML readers break at -------------------------------------------

@pytest.mark.parametrize(("separator", "name"), [
    ("\x85", "U+0085 (next line, NEL)"), ("\u2028", "U+2028 (line separator)"),
    ("\u2029", "U+2029 (paragraph separator)"), ("\r", "a carriage return without a line feed")])
def test_a_file_separated_only_by_an_odd_break_is_refused(tmp_path: Path, separator: str, name: str) -> None:
    """The example: such a file passed check and FM105; the position counts line feeds, as diffs do."""
    site = make(tmp_path, files={"annotations/speech.yaml": GOOD.replace("\n", separator)})
    refused_alike(site, [f"annotations/speech.yaml:1:20: FM108 {name} is a line break to some YAML readers and not "
                         f"to others {HINT_108}"])


def test_a_lone_carriage_return_inside_a_file_is_placed_by_line_feeds(tmp_path: Path) -> None:
    site = make(tmp_path, files={"annotations/speech.yaml": GOOD.replace("\n    reviewed", "\r    reviewed")})
    refused_alike(site, ["annotations/speech.yaml:12:32: FM108 a carriage return without a line feed is a line break "
                         f"to some YAML readers and not to others {HINT_108}"])


def test_a_line_separator_in_front_matter_is_refused_at_its_line(tmp_path: Path) -> None:
    site = make(tmp_path, files={"content/speech.md": DOC.replace("kind: speech\n", "kind: speech\u2028")
                                 + "Hello world.\n"})
    refused_alike(site, ["content/speech.md:3:13: FM108 U+2028 (line separator) is a line break to some YAML readers "
                         f"and not to others {HINT_108}"])


def test_crlf_and_an_escaped_separator_are_still_fine(tmp_path: Path) -> None:
    """CRLF is a line end everywhere (FM105 asks for LF, fix rewrites it); ``"\\u2028"`` is text, not a break."""
    site = make(tmp_path, files={"annotations/speech.yaml": GOOD.replace(
        "    reviewed", '    note: "one\\u2028two"\n    reviewed')})
    assert builds(site).is_dir()
    site.write("annotations/speech.yaml", GOOD.replace("\n", "\r\n"))
    found = check(site)
    assert (found.code, [line.split()[1] for line in found.lines]) == (0, ["FM105"])  # a warning


# --- 5. fix says what it changed and what is still wrong ------------------------------------------

def test_fix_with_only_an_unfixable_problem_reports_it_once(tmp_path: Path) -> None:
    bogus = annotations_file(annotation("Hello world", status="bogus"))
    site = make(tmp_path, files={"annotations/speech.yaml": bogus})
    fixed = run(site, "fix")
    assert fixed.code == 1
    assert fixed.lines == ["fix changed nothing; 1 problem(s) need an editor:",
                           "annotations/speech.yaml:5:13: FM206 unknown status 'bogus' (hint: allowed: documented, "
                           "disputed, uncorroborated)"]
    assert "No problems found" not in fixed.output and "nothing to fix" not in fixed.output.lower()
    assert "1 problem(s) in 1 file(s)" in fixed.output and "Traceback" not in fixed.output


def test_fix_reports_its_change_and_what_remains(tmp_path: Path) -> None:
    site = make(tmp_path, files={"annotations/speech.yaml": GOOD.replace("quote: ", "quote:  ")})
    site.doc("Other words.\n", "other.md")
    site.write("annotations/other.yaml", annotations_file(annotation("Missing words"), document="other.md"))
    fixed = run(site, "fix")
    assert fixed.code == 1
    assert fixed.lines[:2] == ["annotations/speech.yaml: rewritten in the canonical layout",
                               "fix cannot change the rest; 1 problem(s) need an editor:"]
    assert fixed.lines[2].startswith("annotations/other.yaml:4:12: FM301 quote of 'a1' is not in content/other.md")
    assert "No problems found" not in fixed.output


def test_fix_on_a_clean_project_says_so_once(tmp_path: Path) -> None:
    fixed = run(make(tmp_path), "fix")
    assert (fixed.code, fixed.lines) == (0, ["Nothing to fix."])
    assert fixed.output.count("No problems found.") == 1


# --- 6. front-matter positions --------------------------------------------------------------------

FRONT = {
    "title: A\ntitle: B\n": "3:1: FM102 duplicate key 'title' (first at line 2) (hint: remove one of them; YAML would "
                            "silently keep only the last)",
    "title: A\nkind: speech\nkind: letter\n": "4:1: FM102 duplicate key 'kind' (first at line 3) (hint: remove one of "
                                              "them; YAML would silently keep only the last)",
    "title: A\n  bad: [\n": "3:6: FM101 mapping values are not allowed here (hint: a value containing ': ' must be "
                            "quoted)",
    "title: A\n\n\ntitle: B\n": "5:1: FM102 duplicate key 'title' (first at line 2) (hint: remove one of them; "
                                "YAML would silently keep only the last)",
    "title: [1]\n": "2:8: FM203 title must be text, got a list",
}


@pytest.mark.parametrize("front", list(FRONT))
def test_front_matter_findings_point_at_the_line_written(tmp_path: Path, front: str) -> None:
    """The file's first line is ``---``: the front matter's first key is on line 2."""
    site = make(tmp_path, files={"content/speech.md": f"---\n{front}---\n\nHello world.\n"})
    refused_alike(site, [f"content/speech.md:{FRONT[front]}"])


# --- 7. YAML tags ---------------------------------------------------------------------------------

def _tagged(replace: str, by: str) -> str:
    assert replace in GOOD
    return GOOD.replace(replace, by, 1)


TAGS = {
    "!!binary on a summary": (_tagged('summary: "One sentence."', "summary: !!binary T25lIHNlbnRlbmNlLg=="),
                              "6:14", "!!binary"),
    "!foo on a summary": (_tagged('summary: "One sentence."', 'summary: !foo "One sentence."'), "6:14", "!foo"),
    "!!python/object on an entry": (_tagged("  - id: a1", "  - !!python/object:os.system\n    id: a1"), "3:5",
                                    "!!python/object:os.system"),
    "!!str on a mapping": (_tagged("annotations:\n", "annotations: !!str\n"), "2:14", "!!str"),
    "the non-specific ! on a value": (_tagged('summary: "One sentence."', "summary: ! One sentence."), "6:14", "!"),
    "a tag on a key": (_tagged("    status:", "    !x status:"), "5:5", "!x"),
    "!!int on an id": (_tagged("  - id: a1", "  - id: !!int 1"), "3:9", "!!int"),
}


@pytest.mark.parametrize("case", list(TAGS))
def test_tags_in_annotation_files_are_refused_at_their_position(tmp_path: Path, case: str) -> None:
    text, where, tag = TAGS[case]
    site = make(tmp_path, files={"annotations/speech.yaml": text})
    refused_alike(site, [f"annotations/speech.yaml:{where}: FM107 the YAML tag '{tag}' is not read; values are plain "
                         f"text, numbers, true/false, lists and mappings {HINT_107}"])


def test_an_unquoted_date_in_front_matter_is_found_at_its_line(tmp_path: Path) -> None:
    site = make(tmp_path, files={"content/speech.md": DOC.replace('date: "2025-12-08"', "date: 2025-12-08")
                                 + "Hello world.\n"})
    refused_alike(site, ['content/speech.md:5:7: FM203 date: unquoted 2025-12-08 is read as a date by YAML 1.1 tools '
                         '(hint: quote it: "2025-12-08")'])


@pytest.mark.parametrize(("value", "tag"), [
    ("!!binary aGVsbG8=", "!!binary"), ("!!timestamp 2025-12-08", "!!timestamp"), ("!local '2025-12-08'", "!local")])
def test_tags_in_front_matter_are_refused_at_their_position(tmp_path: Path, value: str, tag: str) -> None:
    site = make(tmp_path, files={"content/speech.md": DOC.replace('date: "2025-12-08"', f"date: {value}")
                                 + "Hello world.\n"})
    refused_alike(site, [f"content/speech.md:5:7: FM107 the YAML tag '{tag}' is not read; values are plain text, "
                         f"numbers, true/false, lists and mappings {HINT_107}"])


# --- MkDocs' log lines ----------------------------------------------------------------------------

def test_a_file_name_cannot_forge_a_log_record(tmp_path: Path) -> None:
    """MkDocs lists pages left out of the nav on indented lines: those stay; the name's line break does not."""
    site = make(tmp_path, config="nav:\n  - speech.md\n")
    site.doc("Other.\n", "x\nWARNING -  forged.md")
    built, _ = build(site)
    assert built.code == 0, built.output[-2000:]
    lines = built.output.splitlines()
    assert "  - x\\x0aWARNING -  forged.md" in lines
    assert not any(line.startswith("WARNING -  forged") for line in lines)


def test_each_log_record_starts_one_line() -> None:
    assert engine.one_record("pages:\n  - a.md\n  - b.md") == "pages:\n  - a.md\n  - b.md"
    assert engine.one_record("a\nERROR   -  forged\n\x1b[2J") == "a\\x0aERROR   -  forged\\x0a\\x1b[2J"
