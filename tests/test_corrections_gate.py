"""`check --base`: a published verdict changes only with a correction readers see; stale reviews warn.

A temporary repository holds the published site (main); each test edits the work tree, runs the
check against main, and puts the published file back.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import collectionpages
import pytest
import yaml
from conftest import MKDOCS_YML, Site, annotation

from factmark import cli

TEXT = "I served in the army for 34 years.\n\nThe sky is green today.\n\nThe bridge opened in 1990.\n"
CORRECTION = ('    corrections:\n      - date: "2026-01-05"\n        previous_status: documented\n'
              '        note: "The service record says 30 years."\n')
OLD_CORRECTION = '    corrections:\n      - date: "2025-12-10"\n        note: "A source was added."\n'


def entry(quote: str, ident: str, status: str = "documented", summary: str = "One sentence.",
          reviewed: str = "2025-12-09", extra: str = "") -> str:
    return (annotation(quote, id=ident, status=status, extra=extra).replace('"One sentence."', json.dumps(summary))
            .replace('reviewed: "2025-12-09"', f'reviewed: "{reviewed}"'))


def published(a1: str = "", a2: str = "", a3: str = "", withdrawn: str = "") -> str:
    """The published file, or with the given entries in place of its own (``-``: left out)."""
    entries = [a1 or entry("I served in the army for 34 years.", "a1", summary="Records show 34 years of service."),
               a2 or entry("The sky is green today.", "a2", "disputed", extra=OLD_CORRECTION),
               a3 or entry("The bridge opened in 1990.", "a3", reviewed="2026-11-20")]
    return "document: speech.md\nannotations:\n" + "".join(e for e in entries if e != "-") + withdrawn


A1_DISPUTED = entry("I served in the army for 34 years.", "a1", "disputed", "Records show 34 years of service.")
WITHDRAWN_A3 = ('withdrawn:\n  - id: a3\n    quote: "The bridge opened in 1990."\n    status: documented\n'
                '    date: "2026-01-06"\n    note: "The bridge in the speech is another one."\n')


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


def epoch(day: str) -> str:
    return str(int(datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC).timestamp()))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("gate"))
    site.write("mkdocs.yml", MKDOCS_YML.replace("site_name: test\n", "site_name: test\nsite_url: https://example.org/\n")
               .replace("  - factmark\n", "  - factmark:\n      review_max_age_days: 180\n"))
    site.write("content/method.md", "---\ntitle: Method\ntemplate: method.html\n---\n\n# Method\n")
    site.doc(TEXT)
    site.write("annotations/speech.yaml", published())
    git(site.root, "init", "-q", "-b", "main")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "published")
    return site


@pytest.fixture(autouse=True)
def restored(repo: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Today is 2026-01-10 (no review is stale) unless a test says otherwise; the work tree is put back after."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-01-10"))
    yield
    git(repo.root, "checkout", "-q", "--", ".")
    git(repo.root, "clean", "-qfd")


def check(repo: Site, capsys: pytest.CaptureFixture[str], text: str, *args: str) -> tuple[int, list[str]]:
    repo.write("annotations/speech.yaml", text)
    return repo.check(capsys, *args)


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_a_status_change_without_a_correction_fails_at_the_annotation(repo: Site,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    text = published(a1=A1_DISPUTED)
    code, lines = check(repo, capsys, text, "--base", "main")
    assert code == 1
    assert lines == [f"annotations/speech.yaml:{line_of(text, '  - id: a1')}:5: FM220 the published annotation 'a1' "
                     "changes its verdict from documented to disputed (since main) without a corrections entry (hint: "
                     'add to the annotation: corrections: [{date: "YYYY-MM-DD", previous_status: documented, note: '
                     '"what was wrong and what changed"}]; it is shown on the page, the Method page, the feed and the '
                     "open data)"]
    assert check(repo, capsys, text)[0] == 0  # without --base there is nothing published to compare with


@pytest.mark.parametrize(("summary", "fails"), [
    ("Records show 30 years of service.", True),
    ("Records do not show 34 years of service.", True),
    ("records show 34 years of service", False),  # case and punctuation
    ("Records shwo 34 years of service.", True),  # a short word's typo is not told from another word
    ("Records show 34 years of sevrice.", False),  # a typo fix
])
def test_the_substance_of_a_summary_needs_a_correction(repo: Site, capsys: pytest.CaptureFixture[str], summary: str,
                                                      fails: bool) -> None:
    text = published(a1=entry("I served in the army for 34 years.", "a1", summary=summary))
    code, lines = check(repo, capsys, text, "--base", "main")
    assert (code, [line.split(" ")[1] for line in lines]) == ((1, ["FM220"]) if fails else (0, []))
    if fails:
        assert "changes the substance of its summary" in lines[0] and "previous_status" not in lines[0]


def test_a_status_change_names_the_published_verdict(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    vague = A1_DISPUTED + CORRECTION.replace("        previous_status: documented\n", "")
    code, lines = check(repo, capsys, published(a1=vague), "--base", "main")
    assert code == 1
    assert lines == [f"annotations/speech.yaml:{line_of(published(a1=vague), '  - id: a1')}:5: FM221 the correction "
                     "of 'a1' does not say the published verdict: previous_status must be documented (hint: add "
                     "previous_status: documented to the new corrections entry)"]
    assert check(repo, capsys, published(a1=A1_DISPUTED + CORRECTION), "--base", "main") == (0, [])


def test_published_corrections_stay_as_they_were(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    edited = entry("The sky is green today.", "a2", "disputed", extra=OLD_CORRECTION.replace("added", "removed"))
    text = published(a2=edited)
    code, lines = check(repo, capsys, text, "--base", "main")
    assert code == 1
    assert lines == [f"annotations/speech.yaml:{line_of(text, '  - id: a2')}:5: FM222 a correction of 'a2' published "
                     "at main was changed or removed (hint: published corrections stay as they were; add another one)"]


def test_removing_a_published_annotation_needs_a_withdrawal(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = check(repo, capsys, published(a3="-"), "--base", "main")
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("annotations/speech.yaml:1:11: FM223 the published annotation 'a3' "
                                                   "was removed (since main) without a withdrawn: record")
    assert check(repo, capsys, published(a3="-", withdrawn=WITHDRAWN_A3), "--base", "main") == (0, [])


def test_removing_the_whole_text_is_reported_at_the_configuration(repo: Site,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (repo.root / "annotations/speech.yaml").unlink()
    (repo.root / "content/speech.md").unlink()
    code, lines = repo.check(capsys, "--base", "main")
    assert code == 1
    assert [line.split(": FM223 ")[0] for line in lines] == ["mkdocs.yml:1:1"] * 3
    assert "'a1' of speech.md was removed with its text" in lines[0]


def test_a_withdrawn_id_is_not_an_annotation_s(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    text = published(withdrawn=WITHDRAWN_A3)
    code, lines = check(repo, capsys, text)
    assert code == 1
    assert lines == [f"annotations/speech.yaml:{line_of(text, '  - id: a3', ) + 12}:9: FM224 withdrawn id 'a3' is also "
                     f"used at line {line_of(text, '  - id: a3')} (hint: a withdrawn annotation keeps its id; give the "
                     "annotation on the text another one)"]


def test_an_old_review_is_a_warning(repo: Site, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-07-01"))  # 204 days after a1's and a2's review
    text = published()
    code, lines = check(repo, capsys, text)
    assert code == 0  # a warning: the verdict is still published
    assert lines == [f"annotations/speech.yaml:{line_of(text, f'  - id: {a}')}:5: FM230 warning: '{a}' was last "
                     "reviewed 2025-12-09, more than 180 days before 2026-07-01 (review_max_age_days) (hint: review "
                     "the verdict against its sources again and update 'reviewed' (and add a correction if it changes))"
                     for a in ("a1", "a2")]
    code, lines = repo.check(capsys, "--format", "github")  # a warning on the pull request, not an error
    assert code == 0 and [line[:line.index("::FM230 ") + 7] for line in lines] == [
        f"::warning file=annotations/speech.yaml,line={line_of(text, f'  - id: {a}')},col=5,title=FM230::FM230"
        for a in ("a1", "a2")]


def test_the_option_is_checked(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("mkdocs.yml", (repo.root / "mkdocs.yml").read_text().replace("180", "soon"))
    code, lines = repo.check(capsys)
    assert code == 1
    assert lines == ["mkdocs.yml:11:28: FM402 factmark 'review_max_age_days' must be a whole number of days, at least "
                     "1, got 'soon'"]


@pytest.mark.parametrize("base", ["no-such-branch", "--output=x"])
def test_an_unknown_base_is_a_usage_error(repo: Site, capsys: pytest.CaptureFixture[str], base: str) -> None:
    assert cli.main(["-f", str(repo.root / "mkdocs.yml"), "check", f"--base={base}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"factmark: '{base}' is not a revision of the repository at ") and "\n" not in err


def test_a_corrected_verdict_is_published_everywhere(repo: Site, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With its entry, the status change passes, and the correction shows on the text's page, the Method page,
    the feed and the W3C export; the withdrawal on the page, the Method page and the feed; old reviews 'as of'."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-07-01"))
    text = published(a1=A1_DISPUTED.replace("2025-12-09", "2026-01-05") + CORRECTION, a3="-", withdrawn=WITHDRAWN_A3)
    code, lines = check(repo, capsys, text, "--base", "main")
    assert (code, [line.split(" ")[1] for line in lines]) == (0, ["FM230"])  # a2, reviewed 2025-12-09
    out = repo.root / "site"
    assert cli.main(["-f", str(repo.root / "mkdocs.yml"), "-q", "build", "-d", str(out)]) == 0
    page = (out / "speech/index.html").read_text()
    entry_a1 = page[page.index('id="fm-a1"'):page.index('id="fm-a2"')]
    assert ('<li><strong>Corrected <time datetime="2026-01-05">5 January 2026</time>:</strong> The service record says '
            "30 years. (earlier verdict: documented)</li>") in entry_a1
    assert "fm-as-of" not in entry_a1  # reviewed again with the correction
    entry_a2 = page[page.index('id="fm-a2"'):page.index('class="fm-withdrawn"')]
    assert '(as of <time datetime="2025-12-09">9 December 2025</time>)' in entry_a2
    assert ('<li id="fm-a3"><strong>Withdrawn <time datetime="2026-01-06">6 January 2026</time>:</strong> the '
            "annotation of <q>The bridge opened in 1990.</q> (earlier verdict: Documented). The bridge in the speech "
            "is another one.</li>") in page
    method = (out / "method/index.html").read_text()
    assert ('<a href="../speech/#fm-a1">A speech</a>: The service record says 30 years. The verdict changed from '
            "documented to disputed.</li>") in method
    assert ('<a href="../speech/#fm-a3">A speech</a>: the annotation of <q>The bridge opened in 1990.</q> (documented) '
            "was withdrawn. The bridge in the speech is another one.</li>") in method
    feed = (out / "feed.xml").read_text()
    assert ("<title>Corrected: Disputed: I served in the army for 34 years.</title>\n"
            "    <updated>2026-01-05T00:00:00Z</updated>") in feed
    assert "<summary>Records show 34 years of service. Corrected 2026-01-05: The service record says 30 years." in feed
    assert "<title>Withdrawn: Documented: The bridge opened in 1990.</title>" in feed
    items = collectionpages.items(out)
    modified = {item["id"].rsplit("#fm-", 1)[1]: item["modified"] for item in items}
    assert modified == {"a1": "2026-01-05T00:00:00Z", "a2": "2025-12-10T00:00:00Z"}


def test_the_workflow_init_writes_enforces_corrections_and_summarises(tmp_path: Path) -> None:
    """The steps of `factmark init`'s workflow, run as the runner's shell runs them: on a pull request the check
    compares with its base commit and the diff goes to the job summary; on a push (no base) neither compares."""
    site = tmp_path / "news"
    assert cli.main(["init", "-q", str(site)]) == 0
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "published")
    base = subprocess.run(["git", "-C", str(site), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    example = site / "annotations/example.yaml"
    example.write_text(example.read_text(encoding="utf-8").replace("status: documented", "status: disputed", 1),
                       encoding="utf-8")
    workflow = yaml.safe_load((site / ".github/workflows/factmark.yml").read_text(encoding="utf-8"))
    steps = {s.get("name"): s for s in workflow["jobs"]["check"]["steps"]}
    summary = tmp_path / "summary.md"

    def step(name: str, base_sha: str) -> subprocess.CompletedProcess[str]:
        assert steps[name]["env"] == {"BASE": "${{ github.event.pull_request.base.sha }}"}
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               "BASE": base_sha, "GITHUB_STEP_SUMMARY": str(summary)}
        return subprocess.run(["bash", "-c", steps[name]["run"]], cwd=site, capture_output=True, text=True,
                              env=env, timeout=120, check=False)

    checked = step("Check", base)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert checked.stdout.startswith("::error file=annotations/example.yaml,line=")
    assert "title=FM220::" in checked.stdout
    assert step("Check", "").returncode == 0  # a push to main: nothing published to compare with
    assert steps["What changes for readers"]["if"] == "github.event_name == 'pull_request'"
    summarised = step("What changes for readers", base)
    assert summarised.returncode == 0, summarised.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### What this changes for readers\n\n1 change(s) for readers in 1 text(s)")
    assert "verdict **documented** → **disputed**" in text


def test_the_last_annotation_of_a_text_can_be_withdrawn(repo: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """A file may list no annotation once it lists what was withdrawn; the page still says what was."""
    text = "document: speech.md\nannotations: []\n" + WITHDRAWN_A3 + "".join(
        f'  - id: {a}\n    quote: "{q}"\n    status: {s}\n{summary}    date: "2026-01-06"\n    note: "Withdrawn."\n'
        for a, q, s, summary in (("a1", "I served in the army for 34 years.", "documented", ""),
                                 ("a2", "The sky is green today.", "disputed", '    summary: "It is blue."\n')))
    assert check(repo, capsys, text, "--base", "main") == (0, [])
    assert check(repo, capsys, "document: speech.md\nannotations: []\n")[1] == [
        "annotations/speech.yaml:2:14: FM205 annotations is empty; it needs at least one item"]
    repo.write("annotations/speech.yaml", text)
    project, problems = repo.load()
    assert problems == []
    page = project.render_page("speech.md").html
    assert page.count('<li id="fm-a') == 3 and "<strong>Withdrawn" in page
    assert ('<li id="fm-a1"><strong>Withdrawn <time datetime="2026-01-06">6 January 2026</time>:</strong> the '
            "annotation of <q>I served in the army for 34 years.</q> (earlier verdict: Documented). "
            "Withdrawn.</li>") in page
    assert ("the annotation of <q>The sky is green today.</q> (earlier verdict: Disputed), which said: It is blue. "
            "Withdrawn.</li>") in page
