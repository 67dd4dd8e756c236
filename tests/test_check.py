"""Each rule of `python build.py check`: exact position, code, message and exit status."""

from __future__ import annotations

import json

import pytest
from conftest import Site, annotation, annotations_file

from factmark import cli
from factmark.rules import RULES

BODY = "He said *the budget* grew by 4 percent in 2024.\n\nThe budget grew again.\n"


def run(site: Site, capsys: pytest.CaptureFixture[str], yaml_text: str) -> tuple[int, list[str]]:
    site.doc(BODY)
    site.write("annotations/speech.yaml", yaml_text)
    return site.check(capsys)


def test_clean_project_exits_zero(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run(site, capsys, annotations_file(annotation("grew by 4 percent")))
    assert (code, lines) == (0, [])


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        pytest.param("document: speech.md\nannotations: [\n",
                     "annotations/speech.yaml:3:1: FM101 expected the node content, but found '<stream end>' "
                     "(hint: the file ends too early: a bracket, brace or quote is not closed)", id="malformed"),
        pytest.param("document: speech.md\ndocument: speech.md\nannotations: []\n",
                     "annotations/speech.yaml:2:1: FM102 duplicate key 'document' (first at line 1) "
                     "(hint: remove one of them; YAML would silently keep only the last)", id="duplicate-key"),
        pytest.param("document: &d speech.md\nannotations: *d\n",
                     "annotations/speech.yaml:2:14: FM103 aliases (*name) are not allowed", id="alias"),
        pytest.param("- a\n- b\n", "annotations/speech.yaml:1:1: FM203 the file is a list; it must be a mapping "
                     "with 'document' and 'annotations'", id="top-level-list"),
        pytest.param("", "annotations/speech.yaml:1:1: FM203 the file is empty; it must be a mapping "
                     "with 'document' and 'annotations'", id="empty"),
        pytest.param("document: speech.md\n", "annotations/speech.yaml:1:1: FM201 the file is missing required "
                     "key 'annotations'", id="missing-annotations"),
        pytest.param(annotations_file(annotation("grew by 4 percent", extra="    sumary: x\n")),
                     "annotations/speech.yaml:14:5: FM202 unknown key 'sumary' in annotations[0] "
                     "(hint: did you mean 'summary'?)", id="unknown-key"),
        pytest.param(annotations_file(annotation("grew by 4 percent", status="disputd")),
                     "annotations/speech.yaml:5:13: FM206 unknown status 'disputd' (hint: did you mean 'disputed'? "
                     "allowed: documented, disputed, uncorroborated)", id="unknown-status"),
        pytest.param(annotations_file(annotation("grew by 4 percent", id="2024")),
                     "annotations/speech.yaml:3:9: FM203 annotations[0].id must be text, got the number 2024 "
                     '(hint: quote it: "2024")', id="number-for-text"),
        pytest.param(annotations_file(annotation("grew by 4 percent", id="Bad Id")),
                     "annotations/speech.yaml:3:9: FM204 annotations[0].id 'Bad Id' is not valid (hint: Stable "
                     "identifier, unique in the file: lowercase letters and digits joined by single hyphens. "
                     "It becomes the annotation's permalink.)", id="bad-id"),
        pytest.param(annotations_file(annotation("grew by 4 percent").replace(
            '"https://example.org/report"', '"javascript:alert(1)"')),
                     "annotations/speech.yaml:8:14: FM207 annotations[0].sources[0].url 'javascript:alert(1)' is not "
                     "an http(s) URL (hint: use an absolute address starting with https:// or http://)",
                     id="javascript-url"),
        pytest.param(annotations_file(annotation("grew by 4 percent").replace(
            '"https://example.org/report"', '"https://exa mple.org/x"')),
                     "annotations/speech.yaml:8:14: FM207 annotations[0].sources[0].url 'https://exa mple.org/x' is "
                     "malformed: the host name is not valid", id="malformed-url"),
        pytest.param(annotations_file(annotation("grew by 4 percent").replace('reviewed: "2025-12-09"',
                                                                              "reviewed: no")),
                     "annotations/speech.yaml:13:15: FM204 annotations[0].reviewed 'no' is not valid (hint: A calendar "
                     'date written as a quoted string: "YYYY-MM-DD".)', id="yaml-no-stays-text"),
        pytest.param(annotations_file(annotation("grew by 4 percent").split("    sources:")[0]
                                      + '    sources: []\n    reviewed: "2025-12-09"\n'),
                     "annotations/speech.yaml:7:14: FM205 annotations[0].sources is empty; it needs at least one item",
                     id="no-sources"),
        pytest.param(annotations_file(annotation("grew by 4 percent").replace('"Example Agency"', "on")
                                      .replace("Example Agency", "on")),
                     "annotations/speech.yaml:10:20: FM203 annotations[0].sources[0].publisher: unquoted on is read "
                     'as a boolean by YAML 1.1 tools (hint: quote it: "on")', id="yaml-on-is-flagged"),
        pytest.param(annotations_file(annotation("grew by 4 percent").replace('"The passage."', '"  "')),
                     "annotations/speech.yaml:12:18: FM205 annotations[0].sources[0].excerpt is empty; it needs text",
                     id="blank-excerpt"),
        pytest.param(annotations_file(annotation("grew by 4 percent"), annotation("budget grew again")),
                     "annotations/speech.yaml:14:9: FM208 duplicate annotation id 'a1' (hint: first used at line 3; "
                     "ids must be unique in the file)", id="duplicate-id"),
        pytest.param(annotations_file(annotation("grew by 4 percent"), document="speach.md"),
                     "annotations/speech.yaml:1:11: FM209 document 'speach.md' does not exist "
                     "(hint: did you mean 'speech.md'?)", id="missing-document"),
        pytest.param(annotations_file(annotation("grew by 4 percent"), document="../mkdocs.md"),
                     "annotations/speech.yaml:1:11: FM209 document '../mkdocs.md' is outside content/",
                     id="outside-content"),
        pytest.param(annotations_file(annotation("fell by 40 percent")),
                     "annotations/speech.yaml:4:12: FM301 quote of 'a1' is not in content/speech.md (hint: closest "
                     'passage (line 11, 78% similar): "grew by 4 percent"; the difference: [-fell-]{+grew+} by '
                     "[-40-]{+4+} percent)", id="quote-not-found"),
        pytest.param(annotations_file(annotation("grew by 5 percent")),
                     "annotations/speech.yaml:4:12: FM306 quote of 'a1' no longer matches content/speech.md; candidate "
                     '(line 11, 94% similar, by fuzzy search): "grew by 4 percent" (hint: the difference: grew by '
                     "[-5-]{+4+} percent; run 'factmark fix' to apply it)", id="quote-drifted"),
        pytest.param(annotations_file(annotation("grew by 4 percent"), annotation("grew by 4 percent", id="a2")),
                     "annotations/speech.yaml:15:12: FM305 'a2' highlights the same span as 'a1' (hint: merge the two "
                     "annotations, or quote different words)", id="identical-span"),
        pytest.param(annotations_file(annotation("grew by 4 percent").replace(
                         '        excerpt:', '        kind: official\n        excerpt:')),
                     "annotations/speech.yaml:12:15: FM204 annotations[0].sources[0].kind 'official' is not valid "
                     "(hint: What kind of evidence it is. primary: the document itself (a court record, an official "
                     "notice or release, the letter as first published). news: a news report about it. other: "
                     "anything else (an encyclopedia, an advocacy group, a blog).)", id="source-kind"),
        pytest.param(annotations_file(annotation("budget grew")),
                     "annotations/speech.yaml:4:12: FM302 quote of 'a1' occurs 2 times in content/speech.md "
                     '(hint: add a prefix or suffix to pick one — line 11: prefix: "the"; line 13: prefix: "The")',
                     id="quote-twice"),
        pytest.param(annotations_file(annotation("budget grew", extra='    prefix: "She said"\n')),
                     "annotations/speech.yaml:4:12: FM303 prefix/suffix of 'a1' do not sit next to the quote, found "
                     "at line 11, line 13 of content/speech.md (hint: prefix must end right before the quote and "
                     "suffix start right after it)", id="prefix-mismatch"),
        pytest.param(annotations_file(annotation("in 2024. The budget")),
                     "annotations/speech.yaml:4:12: FM304 quote of 'a1' runs across two blocks of content/speech.md "
                     "(hint: a quote lies within one paragraph, heading, list item or table cell; split it into two "
                     "annotations)", id="cross-block"),
    ],
)
def test_rule(site: Site, capsys: pytest.CaptureFixture[str], yaml_text: str, expected: str) -> None:
    code, lines = run(site, capsys, yaml_text)
    assert code == 1
    assert lines == [expected]


def test_every_problem_is_reported_at_once(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    text = annotations_file(annotation("grew by 4 percent", status="fals"), annotation("nowhere", id="a2"))
    code, lines = run(site, capsys, text)
    assert code == 1
    assert [line.split(": ")[1].split()[0] for line in lines] == ["FM206", "FM301"]


def test_content_without_front_matter(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/transcript.md", "SMITH: We never raised taxes.\nJONES: You did.\n")
    code, lines = site.check(capsys)
    assert code == 1
    assert lines == ["content/transcript.md:1:1: FM401 content file does not start with a YAML front-matter block "
                     "(hint: start the file with '---', 'title: ...', '---'; without it MkDocs may swallow opening "
                     "lines such as 'NAME: text' as metadata)"]


def test_front_matter_is_validated(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("content/x.md", "---\ntitle: X\nkind: letter\ndate: 2025-12-08\n---\nText.\n")
    code, lines = site.check(capsys)
    assert code == 1
    assert lines == ["content/x.md:2:1: FM201 the file is missing required key 'author' "
                     "(hint: required when 'kind' is given)",
                     "content/x.md:2:1: FM201 the file is missing required key 'language' "
                     "(hint: required when 'kind' is given)",
                     "content/x.md:2:1: FM201 the file is missing required key 'provenance' "
                     "(hint: required when 'kind' is given)",
                     'content/x.md:4:7: FM203 date: unquoted 2025-12-08 is read as a date by YAML 1.1 tools '
                     '(hint: quote it: "2025-12-08")']


def test_two_files_for_one_document(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("annotations/other.yaml", annotations_file(annotation("budget grew again")))
    code, lines = run(site, capsys, annotations_file(annotation("grew by 4 percent")))
    assert code == 1
    assert lines == ["annotations/speech.yaml:1:11: FM210 document 'speech.md' is already annotated by "
                     "annotations/other.yaml (hint: keep one annotation file per document)"]


def test_not_utf8(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc(BODY)
    site.write("annotations/speech.yaml", b"document: speech.md\nannotations:\n  - id: caf\xe9\n")
    code, lines = site.check(capsys)
    assert (code, lines) == (1, ["annotations/speech.yaml:3:12: FM001 byte 0xe9 is not valid UTF-8 "
                                 "(hint: save the file as UTF-8)"])


def test_json_and_github_formats(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc(BODY)
    site.write("annotations/speech.yaml", annotations_file(annotation("fell by 40 percent")))
    code, lines = site.check(capsys, "--format", "json")
    data = json.loads("\n".join(lines))
    assert code == 1
    assert data[0] | {"hint": ""} == {"path": "annotations/speech.yaml", "line": 4, "column": 12, "code": "FM301",
                                      "severity": "error", "message": "quote of 'a1' is not in content/speech.md",
                                      "hint": ""}
    code, lines = site.check(capsys, "--format", "github")
    assert lines[0].startswith("::error file=annotations/speech.yaml,line=4,col=12,title=FM301::FM301 quote of 'a1'")


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", "--format", "xml"])
    assert exc.value.code == 2


def test_every_code_used_is_documented() -> None:
    import re
    from pathlib import Path

    source = "".join(p.read_text() for p in Path(cli.__file__).parent.glob("*.py"))
    used = set(re.findall(r'"(FM\d{3})"', source)) - {"FM000"}
    assert used <= set(RULES), used - set(RULES)
    assert set(RULES) - used == set(), "documented rules that no check emits"
