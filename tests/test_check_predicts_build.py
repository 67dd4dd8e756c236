"""`check` predicts the build for links and the nav: MkDocs' `validation:` under the plugin, as without it.

Each case is built three ways: plain MkDocs (no factmark, `theme: mkdocs`) in strict mode, the
factmark plugin without strict mode (which must log the very same warnings), and `build.py` itself,
whose `check` must report a finding exactly where the strict builds fail.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from conftest import TEMPLATES, annotation, annotations_file
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from factmark import cli

FRONT = "---\ntitle: {title}\n---\n\n"  # four lines: a body's first line is line 5 of its file
B_MD = FRONT.format(title="B") + "# B head\n\n## Sub\n\nSome words.\n"
ALL_WARN = {"omitted_files": "warn", "absolute_links": "warn", "unrecognized_links": "warn", "anchors": "warn"}


def write_project(root: Path, files: dict[str, str], *, factmark: bool, validation: dict[str, object] | None,
                  extra: str = "") -> Path:
    """A project with ``files`` in content/; plain MkDocs or the factmark plugin (its theme copied in), the same
    Markdown."""
    for rel, text in files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    theme = ("theme:\n  name: null\n  custom_dir: templates\n  static_templates: [404.html, search.html]\n"
             "plugins:\n  - search\n  - factmark\n") if factmark else "theme: mkdocs\nplugins:\n  - search\n"
    if factmark:
        shutil.copytree(TEMPLATES, root / "templates")  # a theme outside the project is refused (FM405)
    levels = "".join(f"  {k}: {v}\n" for k, v in (validation or {}).items() if not isinstance(v, dict))
    for section, values in ((k, v) for k, v in (validation or {}).items() if isinstance(v, dict)):
        levels += f"  {section}:\n" + "".join(f"    {k}: {v}\n" for k, v in values.items())
    config = root / "mkdocs.yml"
    config.write_text(f"site_name: test\ndocs_dir: content\n{theme}{extra}"
                      + (f"validation:\n{levels}" if levels else ""), encoding="utf-8")
    return config


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def mkdocs_run(config: Path, *, strict: bool) -> tuple[bool, list[str]]:
    """Build in this process with MkDocs' own machinery: did it succeed, and which warnings did it log."""
    records, logger = _Records(), logging.getLogger("mkdocs")
    logger.addHandler(records)
    try:
        mkdocs_build.build(load_config(str(config), strict=strict, site_dir=str(config.parent / "out")))
        ok = True
    except Abort:
        ok = False
    finally:
        logger.removeHandler(records)
    return ok, [m for m in records.messages if not m.startswith(("Aborted", "factmark found"))]


def factmark_run(config: Path, capfd: pytest.CaptureFixture[str]) -> tuple[int, list[str], int, str]:
    """`build.py check` (exit code, findings) and `build.py build` (exit code, everything it printed)."""
    root = config.parent
    capfd.readouterr()
    check = cli.main(["-f", str(config), "check"])
    findings = [line.replace(str(root) + "/", "") for line in capfd.readouterr().out.splitlines() if line]
    build = cli.main(["-f", str(config), "build", "-d", str(root / "site")])
    output = capfd.readouterr()
    return check, findings, build, output.out + output.err


def a_md(body: str) -> str:
    return FRONT.format(title="A") + "# A head\n\n" + body  # the body starts on line 7


# (id, a.md body, other files, validation, mkdocs.yml extra, the check's findings; none: every build passes)
CASES = [
    ("missing-page", "[x](missing.md)\n", {}, None, "",
     ["content/a.md:7:1: FM410 link 'missing.md' is not a file of content/ (hint: links name a page's .md file "
      "or another file of the site, relative to this page)"]),
    ("close-page", "Text [x](b2.md)\n", {}, None, "",
     ["content/a.md:7:6: FM410 link 'b2.md' is not a file of content/ (hint: did you mean 'b.md'?)"]),
    ("outside-docs", "See [config](../mkdocs.yml).\n", {}, None, "",
     ["content/a.md:7:5: FM410 link '../mkdocs.yml' points outside content/, which the site does not publish "
      "(hint: links name a page's .md file or another file of the site, relative to this page)"]),
    ("missing-anchor", "[x](b.md#nope)\n", {}, ALL_WARN, "",
     ["content/a.md:7:1: FM411 link 'b.md#nope': 'b.md' has no anchor '#nope' (hint: anchors are heading ids "
      "(lowercase, hyphens for spaces) and annotation permalinks '#fm-<id>')"]),
    ("anchor-case", "[x](b.md#B-head)\n", {}, ALL_WARN, "",
     ["content/a.md:7:1: FM411 link 'b.md#B-head': 'b.md' has no anchor '#B-head' (hint: did you mean '#b-head'?)"]),
    ("anchor-ok", "[x](b.md#b-head) [y](./b.md#sub) [z](b.md?x=1#sub) [top](#a-head)\n", {}, ALL_WARN, "", []),
    ("anchor-info", "[x](b.md#nope) [y](#nope)\n", {}, {"anchors": "info"}, "", []),
    ("self-anchor", "Line one.\nLine two [x](#nope).\n", {}, ALL_WARN, "",
     ["content/a.md:8:10: FM411 link '#nope': this page has no anchor '#nope' (hint: anchors are heading ids "
      "(lowercase, hyphens for spaces) and annotation permalinks '#fm-<id>')"]),
    ("absolute-warn", "[x](/b.md)\n", {}, ALL_WARN, "",
     ["content/a.md:7:1: FM410 absolute link '/b.md' is left as is and breaks wherever the site is not served "
      "at the root of its domain (hint: write it relative to this page: 'b.md')"]),
    ("absolute-info", "[x](/b.md)\n", {}, None, "", []),
    ("absolute-relative-to-docs", "[x](/b.md#sub) [y](/nope.md)\n", {},
     {"absolute_links": "relative_to_docs", "anchors": "warn"}, "",
     ["content/a.md:7:16: FM410 link '/nope.md' names 'nope.md', which is not a file of content/ (hint: links "
      "name a page's .md file or another file of the site, relative to this page)"]),
    ("directory-link", "[x](b/)\n", {}, ALL_WARN, "",
     ["content/a.md:7:1: FM410 link 'b/' names no file (MkDocs links by file name, such as 'page.md') "
      "(hint: did you mean 'b.md'?)"]),
    ("directory-link-info", "[x](b/)\n", {}, None, "", []),
    ("space-in-name", "[x](b%20c.md) [y](<b c.md#sub>)\n", {"b c.md": B_MD}, ALL_WARN, "", []),
    ("image", "![pic](pic.png) ![gone](gone.png)\n", {"pic.png": "png"}, ALL_WARN, "",
     ["content/a.md:7:17: FM410 link 'gone.png' is not a file of content/ (hint: links name a page's .md file "
      "or another file of the site, relative to this page)"]),
    ("table-cell", "| a | b |\n|---|---|\n| one | two [x](nope.md) |\n", {}, ALL_WARN, "",
     ["content/a.md:9:13: FM410 link 'nope.md' is not a file of content/ (hint: links name a page's .md file "
      "or another file of the site, relative to this page)"]),
    ("heading", "## See [b](b.md#nope)\n", {}, ALL_WARN, "",
     ["content/a.md:7:8: FM411 link 'b.md#nope': 'b.md' has no anchor '#nope' (hint: anchors are heading ids "
      "(lowercase, hyphens for spaces) and annotation permalinks '#fm-<id>')"]),
    ("blockquote-list-reference", "> quoted\n> [x][r]\n\n- item ![i](no.png)\n\n[r]: sub/none.md\n",
     {}, ALL_WARN, "",
     ["content/a.md:8:3: FM410 link 'sub/none.md' is not a file of content/ (hint: links name a page's .md file "
      "or another file of the site, relative to this page)",
      "content/a.md:10:8: FM410 link 'no.png' is not a file of content/ (hint: links name a page's .md file "
      "or another file of the site, relative to this page)"]),
    ("subfolder-relative", "[up](../b.md) [bad](b.md)\n", {}, ALL_WARN, "",
     ["content/sub/a.md:7:15: FM410 link 'b.md' names 'sub/b.md', which is not a file of content/ "
      "(hint: did you mean '../b.md'?)"]),
    ("external-and-refused-schemes", "[w](https://example.org/x#y) <https://example.org> [m](mailto:x@example.org) "
     "[j](javascript:alert(1)) [d](data:text/html,x)\n", {}, ALL_WARN, "", []),
    ("no-directory-urls", "[x](b.md#sub) [y](b.md#nope)\n", {}, ALL_WARN, "use_directory_urls: false\n",
     ["content/a.md:7:15: FM411 link 'b.md#nope': 'b.md' has no anchor '#nope' (hint: anchors are heading ids "
      "(lowercase, hyphens for spaces) and annotation permalinks '#fm-<id>')"]),
    ("nested-levels-win", "[x](b.md#nope)\n", {}, {"anchors": "info", "links": {"anchors": "warn"}}, "",
     ["content/a.md:7:1: FM411 link 'b.md#nope': 'b.md' has no anchor '#nope' (hint: anchors are heading ids "
      "(lowercase, hyphens for spaces) and annotation permalinks '#fm-<id>')"]),
    ("encoded-traversal", "[x](%2e%2e/mkdocs.yml)\n", {}, None, "",
     ["content/a.md:7:1: FM410 link '%2e%2e/mkdocs.yml' points outside content/, which the site does not publish "
      "(hint: links name a page's .md file or another file of the site, relative to this page)"]),
    ("deep-traversal-info", "[x](../../../../etc/passwd)\n", {}, None, "", []),
    ("deep-traversal-warn", "[x](../../../../etc/passwd)\n", {}, ALL_WARN, "",
     ["content/a.md:7:1: FM410 link '../../../../etc/passwd' names no file (MkDocs links by file name, such as "
      "'page.md') (hint: links name a page's .md file or another file of the site, relative to this page)"]),
    ("query-only-and-empty-fragment", "[x](?q=1) [y](b.md#) [z](doc.pdf#page=2)\n", {"doc.pdf": "%PDF"}, ALL_WARN,
     "", []),
    ("dot-link", "[x](.)\n", {}, ALL_WARN, "",
     ["content/a.md:7:1: FM410 link '.' names no file (MkDocs links by file name, such as 'page.md') "
      "(hint: did you mean 'a.md'?)"]),
    ("html-link", "[x](b.html)\n", {}, None, "",
     ["content/a.md:7:1: FM410 link 'b.html' is not a file of content/ (hint: did you mean 'b.md'?)"]),
    ("folder-with-index", "[x](sub/) [y](sub/index.md#b-head)\n", {"sub/index.md": B_MD}, ALL_WARN, "",
     ["content/a.md:7:1: FM410 link 'sub/' names no file (MkDocs links by file name, such as 'page.md') "
      "(hint: did you mean 'sub/index.md'?)"]),
    ("emphasis-and-setext", "Some *[x](nope.md)*\nheading\n---\n", {}, ALL_WARN, "",
     ["content/a.md:7:7: FM410 link 'nope.md' is not a file of content/ (hint: links name a page's .md file "
      "or another file of the site, relative to this page)"]),
    ("links-in-and-to-left-out-pages", "[d](drafts/c.md#nope) [t](templates/t.md#nope)\n",
     {"drafts/c.md": B_MD + "[x](nope.md)\n", "templates/t.md": B_MD + "[x](#nope)\n"}, ALL_WARN,
     "draft_docs: |\n  drafts/\n", []),
    ("nav-omits-text", "Text.\n", {}, ALL_WARN, "nav:\n  - a.md\n",
     ["content/b.md:1:1: FM409 'b.md' is not in the nav of mkdocs.yml (hint: add 'b.md' under 'nav:' in "
      "mkdocs.yml, or to 'not_in_nav:')"]),
    ("nav-omits-text-info", "Text.\n", {}, None, "nav:\n  - a.md\n", []),
    ("nav-not-in-nav", "Text.\n", {"drafts/c.md": B_MD, "templates/t.md": B_MD, "extra/d.md": B_MD}, ALL_WARN,
     "nav:\n  - a.md\nnot_in_nav: |\n  /b.md\n  extra/\ndraft_docs: |\n  drafts/\n", []),
    ("nav-missing-absolute-external", "Text.\n", {}, ALL_WARN,
     "nav:\n  - a.md\n  - B: b.md\n  - Gone: gone.md\n  - Abs: /abs.md\n  - Out: https://example.org/\n",
     ["mkdocs.yml:13:11: FM409 nav entry 'gone.md' is not a file of content/ (hint: remove it, or add the page)",
      "mkdocs.yml:14:10: FM409 nav entry '/abs.md' is an absolute path, left as a link to outside the site "
      "(hint: name the page's .md file, relative to content/)"]),
    ("nav-nested-section", "Text.\n", {}, ALL_WARN, "nav:\n  - Part:\n      - a.md\n      - Sub:\n"
     "          - b.md\n", []),
]


@pytest.mark.parametrize(("body", "others", "validation", "extra", "expected"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_check_predicts_plain_mkdocs(tmp_path: Path, capfd: pytest.CaptureFixture[str], body: str,
                                     others: dict[str, str], validation: dict[str, object] | None, extra: str,
                                     expected: list[str]) -> None:
    page = "sub/a.md" if "../b.md" in body else "a.md"
    files = {page: a_md(body), "b.md": B_MD, **others}
    plain = write_project(tmp_path / "plain", files, factmark=False, validation=validation, extra=extra)
    ours = write_project(tmp_path / "factmark", files, factmark=True, validation=validation, extra=extra)
    plain_ok, plain_warnings = mkdocs_run(plain, strict=True)
    ours_ok, ours_warnings = mkdocs_run(ours, strict=False)  # not strict: the plugin logs what MkDocs would
    assert ours_ok
    assert ours_warnings == plain_warnings
    check, findings, build, err = factmark_run(ours, capfd)
    assert findings == expected
    assert (check, build) == ((0, 0) if plain_ok else (1, 1))
    assert plain_ok == (not expected)
    assert "Traceback" not in err
    if expected:
        assert all(line in err for line in expected)  # the build refuses with the same findings
        assert not (tmp_path / "factmark" / "site").exists()


def annotated(tmp_path: Path, body_a: str) -> Path:
    """factmark only: b.md carries an annotation, so its page has the permalink #fm-claim."""
    files = {"a.md": a_md(body_a), "b.md": B_MD}
    config = write_project(tmp_path, files, factmark=True, validation=ALL_WARN)
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "b.yaml").write_text(annotations_file(
        annotation("Some words.", id="claim", extra="    note: \"See [a](a.md#nope) and [b](#fm-nope).\"\n"),
        document="b.md"), encoding="utf-8")
    return config


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param("[c](b.md#fm-claim) [e](b.md#fm-claim--title) [l](b.md#fm-annotations)\n", [], id="permalinks"),
    pytest.param("[c](b.md#fm-claims)\n",
                 ["content/a.md:7:1: FM411 link 'b.md#fm-claims': 'b.md' has no anchor '#fm-claims' "
                  "(hint: did you mean '#fm-claim'?)"], id="permalink-typo"),
    pytest.param("[c](#fm-claim)\n",
                 ["content/a.md:7:1: FM411 link '#fm-claim': this page has no anchor '#fm-claim' "
                  "(hint: '#fm-claim' is on 'b.md#fm-claim')"], id="permalink-of-another-page"),
])
def test_annotation_permalinks_are_anchors(tmp_path: Path, capfd: pytest.CaptureFixture[str], body: str,
                                           expected: list[str]) -> None:
    """Links to ``#fm-<id>``: the ids the renderer gives the entries; a note's relative link is no link."""
    check, findings, build, err = factmark_run(annotated(tmp_path, body), capfd)
    assert findings == expected
    assert (check, build) == ((1, 1) if expected else (0, 0))
    assert "Traceback" not in err
    if not expected:
        html = (tmp_path / "site" / "b" / "index.html").read_text(encoding="utf-8")
        assert 'id="fm-claim"' in html and "See [a](a.md#nope)" in html  # the note's link stayed text


def test_failed_link_check_keeps_previous_site(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    config = write_project(tmp_path, {"a.md": a_md("[x](b.md)\n"), "b.md": B_MD}, factmark=True,
                           validation=ALL_WARN)
    assert factmark_run(config, capfd)[::2] == (0, 0)
    marker = tmp_path / "site" / "kept.txt"
    marker.write_text("old site", encoding="utf-8")
    (tmp_path / "content" / "a.md").write_text(a_md("[x](b.md#gone)\n"), encoding="utf-8")
    check, findings, build, err = factmark_run(config, capfd)
    assert (check, build) == (1, 1)
    assert findings[0].startswith("content/a.md:7:1: FM411 link 'b.md#gone'")
    assert marker.read_text(encoding="utf-8") == "old site"
    assert "Traceback" not in err


def test_bad_validation_level_is_a_finding(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """MkDocs refuses an unknown level; so does the check, before anything else."""
    config = write_project(tmp_path, {"a.md": a_md("Text.\n")}, factmark=True, validation={"anchors": "loud"})
    check, findings, build, err = factmark_run(config, capfd)
    assert findings == ["mkdocs.yml:11:3: FM412 'validation': Sub-option 'links': Sub-option 'anchors': Expected one "
                        "of ['warn', 'info', 'ignore'], got 'loud' (hint: see MkDocs' configuration reference, "
                        "https://www.mkdocs.org/user-guide/configuration/#validation)"]
    assert (check, build) == (1, 1)
    assert findings[0] in err and "Traceback" not in err


def test_links_in_a_long_page_are_found_in_parallel(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Large projects load texts in worker processes, which drop the tokens: links survive the trip."""
    files = {f"t{i:03}.md": a_md(f"[next](t{i + 1:03}.md#a-head)\n") for i in range(200)}
    config = write_project(tmp_path, files, factmark=True, validation=ALL_WARN)
    capfd.readouterr()
    assert cli.main(["-f", str(config), "check"]) == 1
    out = capfd.readouterr().out.replace(str(tmp_path) + "/", "")
    assert out.splitlines()[0] == ("content/t199.md:7:1: FM410 link 't200.md#a-head' is not a file of content/ "
                                   "(hint: did you mean 't120.md#a-head'?)")


@pytest.mark.parametrize(("nav", "expected"), [
    pytest.param("nav:\n  A: a.md\n", "mkdocs.yml:10:1: FM409 the nav must be a list, got a mapping of 1 key(s)",
                 id="mapping"),
    pytest.param("nav:\n  - Part:\n      Sub: a.md\n", "mkdocs.yml:10:1: FM409 a nav section must be a list, got a "
                 "mapping of 1 key(s)", id="section-mapping"),
    pytest.param("nav:\n  - a.md\n  - 5\n", "mkdocs.yml:10:1: FM409 a nav entry must be a string or a mapping of "
                 "one title, got 5", id="number"),
    pytest.param("nav:\n  - A: a.md\n    B: b.md\n", "mkdocs.yml:10:1: FM409 a nav entry must be a string or a "
                 "mapping of one title, got a mapping of 2 key(s)", id="two-titles"),
])
def test_nav_shapes_mkdocs_refuses(tmp_path: Path, capfd: pytest.CaptureFixture[str], nav: str, expected: str) -> None:
    """MkDocs refuses these navs (or warns, which strict mode refuses): the check says so at the nav."""
    config = write_project(tmp_path, {"a.md": a_md("Text.\n"), "b.md": B_MD}, factmark=True, validation=None,
                           extra=nav)
    check, findings, build, err = factmark_run(config, capfd)
    finding = expected + (" (hint: each nav entry is a page ('a.md'), a titled page ('Title: a.md') or a titled "
                          "list ('Part: [a.md, b.md]'))")
    assert findings == [finding]
    assert (check, build) == (1, 1)
    assert finding in err and "Traceback" not in err  # the same finding, before MkDocs reads the nav


def test_deeply_nested_nav_is_a_finding(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Refused as mkdocs.yml is read (``yamlstrict.nesting_problem``, FM104), before any walk of the nav."""
    config = write_project(tmp_path, {"a.md": a_md("Text.\n")}, factmark=True, validation=None,
                           extra="nav: " + "[{s: " * 3000 + "a.md" + "}]" * 3000 + "\n")
    check, findings, build, err = factmark_run(config, capfd)
    assert len(findings) == 1 and findings[0].startswith("mkdocs.yml:10:163: FM104 ")
    assert (check, build) == (1, 1)
    assert findings[0] in err and "Traceback" not in err


@pytest.mark.parametrize(("nav", "expected"), [
    pytest.param("nav: &n\n  - a.md\n  - X: *n\n",
                 ["mkdocs.yml:10:1: FM409 the nav contains itself (a YAML alias inside its own anchor) (hint: each "
                  "nav entry is a page ('a.md'), a titled page ('Title: a.md') or a titled list ('Part: [a.md, "
                  "b.md]'))"], id="cycle"),
    pytest.param("nav:\n  - A: &part\n      - a.md\n  - B: *part\n  - b.md\n", [], id="shared-part"),
])
def test_nav_aliases(tmp_path: Path, capfd: pytest.CaptureFixture[str], nav: str, expected: list[str]) -> None:
    """A nav that contains itself is refused within seconds (MkDocs would recurse until it crashed); a part
    shared through an alias is walked once and builds."""
    config = write_project(tmp_path, {"a.md": a_md("Text.\n"), "b.md": B_MD}, factmark=True, validation=ALL_WARN,
                           extra=nav)
    check, findings, build, err = factmark_run(config, capfd)
    assert findings == expected
    assert (check, build) == ((1, 1) if expected else (0, 0))
    assert all(line in err for line in expected) and "Traceback" not in err


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param("[x](b.md#niño) [y](b.md#ni%C3%B1o) [z](#über-uns)\n", [], id="unicode-anchors"),
    pytest.param("[x](b.md#nino)\n", ["content/a.md:7:1: FM411 link 'b.md#nino': 'b.md' has no anchor '#nino' "
                                      "(hint: did you mean '#niño'?)"], id="unicode-anchor-ascii"),
    pytest.param("Text[^1].\n\n[^1]: See [x](nope.md).\n",
                 ["content/a.md:9:11: FM410 link 'nope.md' is not a file of content/ (hint: links name a page's .md "
                  "file or another file of the site, relative to this page)"], id="footnote"),
])
def test_factmark_markdown_links(tmp_path: Path, capfd: pytest.CaptureFixture[str], body: str,
                                 expected: list[str]) -> None:
    """Markdown only factmark's parser reads this way (Unicode heading ids, footnotes): check and build agree."""
    files = {"a.md": FRONT.format(title="A") + "# A head\n## Über uns\n" + body,  # the body starts on line 7
             "b.md": B_MD + "\n## Niño\n"}
    config = write_project(tmp_path, files, factmark=True, validation=ALL_WARN)
    check, findings, build, err = factmark_run(config, capfd)
    assert findings == expected
    assert (check, build) == ((1, 1) if expected else (0, 0))
    assert "Traceback" not in err


def test_check_predicts_the_strict_build_whatever_strict_says(tmp_path: Path,
                                                               capfd: pytest.CaptureFixture[str]) -> None:
    """`build.py build` always runs MkDocs strict, so `strict: false` changes nothing for the check;
    a plain `mkdocs build` that is not strict logs MkDocs' warning and writes the site."""
    config = write_project(tmp_path, {"a.md": a_md("[x](b.md#nope)\n"), "b.md": B_MD}, factmark=True,
                           validation=ALL_WARN, extra="strict: false\n")
    check, findings, build, err = factmark_run(config, capfd)
    assert (check, build) == (1, 1)
    assert findings[0].startswith("content/a.md:7:1: FM411 link 'b.md#nope'") and findings[0] in err
    ok, warnings = mkdocs_run(config, strict=False)
    assert ok and warnings == ["Doc file 'a.md' contains a link 'b.md#nope', but the doc 'b.md' does not contain "
                               "an anchor '#nope'."]
