"""Hostile pull requests against what factmark prints and writes (issue 12).

Printed output: no value or file name can forge a finding line, send terminal
escapes or end a GitHub workflow command; printing never crashes on encoding.
Written output: no site folder setting replaces the checkout, its parent, the
content or anything factmark did not build; symlinks are never followed; builds
survive concurrency, kill -9, Ctrl-C, a full disk and a read-only folder with
one finding line (FM501/FM502/FM503) and the previous site intact; ``fix`` never
changes a value's text and ``new`` never writes to another document's file.

Disk-full and read-only cases mount a tmpfs or a read-only bind mount (root
only); where mounting is not permitted they skip and say why.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import MKDOCS_YML, REPO, Site, annotation, annotations_file

from factmark import cli, roundtrip, sitedir, yamlstrict
from factmark.findings import Finding

BODY = "He said the budget grew by 4 percent in 2024.\n\nThe budget grew again in 2025.\n"
HINT_501 = "(hint: set site_dir (or -d) to a folder of its own inside the project, such as 'site')"
HINT_502 = "(hint: free disk space, or make the site folder and its parent writable, then build again)"
HINT_503 = "(hint: free disk space, or make the file and its folder writable, then run the command again)"


def project(site: Site, status: str = "documented", summary: str = "One sentence.") -> Site:
    site.doc(BODY)
    entry = annotation("the budget grew by 4 percent", status=status).replace('"One sentence."', summary)
    site.write("annotations/speech.yaml", annotations_file(entry))
    return site


def check(site: Site, capfd: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    """``check``'s exit code and printed lines, for tests that also read MkDocs' output (capfd)."""
    capfd.readouterr()
    code = cli.main(["-f", str(site.root / "mkdocs.yml"), "check", *extra])
    return code, capfd.readouterr().out.splitlines()


def build(site: Site, *extra: str) -> int:
    return cli.main(["-f", str(site.root / "mkdocs.yml"), "build", *extra])


def digest(root: Path) -> dict[str, str]:
    """Every file and link under ``root`` (links by target, never followed)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".build-" in p.name or ".old-" in p.name)


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``python build.py ARGS`` in a child process, as an editor or CI runs it."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO), **env}, timeout=120, check=False)


def mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"mounting is not permitted here ({' '.join(args)}): {result.stderr.strip()}")


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A small RAM file system at ``path``: fills up for real."""
    path.mkdir(parents=True, exist_ok=True)
    mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[Path]:
    """``path`` bind-mounted read-only onto itself: even root cannot write there."""
    mount("--bind", str(path), str(path))
    try:
        mount("-o", "remount,ro,bind", str(path))
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(folder: Path) -> None:
    """Use up every free byte of the file system ``folder`` is on."""
    for name, chunk in (("filler", 65536), ("filler-small", 1)):
        with contextlib.suppress(OSError), open(folder / name, "wb") as out:
            while True:
                out.write(b"\0" * chunk)
                out.flush()


# --- printed output ---------------------------------------------------------------------------------------------


GONE = annotations_file(annotation("x", id="x1"), document="gone.md")  # one finding: FM209


def hostile_name(site: Site, name: str) -> str:
    """An annotation file whose name is hostile; its one finding (FM209) prints the name."""
    site.doc(BODY)
    site.write(f"annotations/{name}", GONE)
    return name


def test_a_file_name_with_terminal_escapes_is_printed_visibly(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    hostile_name(site, "x\x1b]0;pwned\x07\x1b[2J.yaml")
    code, lines = site.check(capsys)
    assert code == 1
    assert "\x1b" not in "".join(lines) and "\x07" not in "".join(lines)
    assert lines == ["annotations/x\\x1b]0;pwned\\x07\\x1b[2J.yaml:1:11: FM209 document 'gone.md' does not exist "
                     "(hint: paths are relative to content/)"]


def test_a_file_name_cannot_forge_a_second_finding_line(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    hostile_name(site, "x\nforged.yaml:1:1: FM000 forged\r\u2028\x85.yaml")
    code, lines = site.check(capsys)
    assert code == 1
    assert lines == ["annotations/x\\x0aforged.yaml:1:1: FM000 forged\\x0d\\u2028\\x85.yaml:1:11: FM209 document "
                     "'gone.md' does not exist (hint: paths are relative to content/)"]


def test_c1_controls_and_bidi_overrides_are_shown(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    hostile_name(site, "\x9b2J\u202egol\u2066\u200f\x7f.yaml")
    code, lines = site.check(capsys)
    assert code == 1
    assert lines[0].startswith("annotations/\\x9b2J\\u202egol\\u2066\\u200f\\x7f.yaml:1:11: FM209 ")


def test_every_form_of_a_finding_is_one_inert_line() -> None:
    """The mechanism, for values that reach a message some other way (a quote, a key, an argument)."""
    hostile = Finding("a\nb.yaml", 1, 2, "FM206", "status '\x1b[2J\nannotations/f.yaml:1:1: FM000 x\u2028\ud800'",
                      "use\r%0A")
    assert hostile.format() == ("a\\x0ab.yaml:1:2: FM206 status '\\x1b[2J\\x0aannotations/f.yaml:1:1: FM000 "
                                "x\\u2028\\ud800' (hint: use\\x0d%0A)")
    assert hostile.github() == ("::error file=a%0Ab.yaml,line=1,col=2,title=FM206::FM206 status '\\x1b[2J%0A"
                                "annotations/f.yaml:1:1: FM000 x\\u2028\\ud800' (hint: use%0D%250A)")
    text = json.dumps(hostile.as_json())
    assert text.isascii() and json.loads(text)["message"].endswith("x\u2028\\ud800'")


def test_github_format_cannot_start_a_second_workflow_command(site: Site,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    site.doc(BODY)
    site.write("annotations/x\n::warning file=a.md,line=1::pwned.yaml", "document: gone.md\nannotations: []\n")
    code, lines = site.check(capsys, "--format", "github")
    assert code == 1
    assert len(lines) == len([line for line in lines if line.startswith("::error ")]) >= 1
    assert lines[0].startswith("::error file=annotations/x%0A%3A%3Awarning file=a.md%2Cline=1%3A%3Apwned.yaml,"
                               "line=1,col=11,title=FM209::FM209 document 'gone.md' does not exist")


def test_github_format_escapes_percent_and_a_bidi_override_in_a_path(site: Site,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    site.doc(BODY)
    site.write("annotations/100%\u202eb.yaml", "document: gone.md\nannotations: []\n")
    code, lines = site.check(capsys, "--format", "github")
    assert code == 1
    assert lines[0].startswith("::error file=annotations/100%25\\u202eb.yaml,line=1,col=11,title=FM209::")
    assert "\u202e" not in "\n".join(lines)


def test_github_format_percent_encodes_line_breaks_in_the_message(site: Site,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    project(site, status='"a\\n::warning::b%0A"')
    code, lines = site.check(capsys, "--format", "github")
    assert code == 1 and len(lines) == 1
    assert lines[0] == ("::error file=annotations/speech.yaml,line=5,col=13,title=FM206::FM206 unknown status "
                        "'a%0A::warning::b%250A' (hint: allowed: documented, disputed, uncorroborated)")


def test_an_undecodable_file_name_prints_in_every_format(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    """A name that is not UTF-8 reaches Python as a lone surrogate (\\udcff): no format may crash on it."""
    site.doc(BODY)
    (site.root / "annotations").mkdir()
    (site.root / "annotations" / os.fsdecode(b"bad\xff\x1b.yaml")).write_text(GONE, encoding="utf-8")
    code, lines = site.check(capsys)
    assert (code, lines) == (1, ["annotations/bad\\udcff\\x1b.yaml:1:11: FM209 document 'gone.md' does not exist "
                                 "(hint: paths are relative to content/)"])
    code, lines = site.check(capsys, "--format", "github")
    assert lines[0].startswith("::error file=annotations/bad\\udcff\\x1b.yaml,line=1,col=11,title=FM209::")
    code, lines = site.check(capsys, "--format", "json")
    text = "\n".join(lines)
    assert code == 1 and text.isascii()
    assert [f["path"] for f in json.loads(text)] == ["annotations/bad\\udcff\x1b.yaml"]


def test_an_ascii_terminal_gets_escapes_not_a_traceback(site: Site) -> None:
    project(site, status='"vérifié ✓"')
    result = run(["check"], site.root, PYTHONIOENCODING="ascii", LANG="C", LC_ALL="C")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.startswith("annotations/speech.yaml:5:13: FM206 unknown status 'v\\xe9rifi\\xe9 \\u2713' ")


def test_an_ascii_terminal_build_prints_no_traceback(site: Site) -> None:
    project(site, summary='"Vérifié ✓ — über."')
    result = run(["build"], site.root, PYTHONIOENCODING="ascii", LANG="C", LC_ALL="C")
    assert (result.returncode, "Traceback" in result.stderr) == (0, False), result.stderr
    assert "Vérifié" in (site.root / "site" / "speech" / "index.html").read_text(encoding="utf-8")


def test_new_prints_a_hostile_document_argument_visibly(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    project(site)
    code = cli.main(["-f", str(site.root / "mkdocs.yml"), "new", "x\x1b[2J\nannotations/f.yaml:1:1: FM000.md", "q"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == ["no document 'x\\x1b[2J\\x0aannotations/f.yaml:1:1: FM000.md' in content/ "
                                "(documents: speech.md)"]


# --- where the site goes: FM501 in check and in build --------------------------------------------------------------


def configured(site: Site, value: str) -> Site:
    project(site)
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text(encoding="utf-8") + f"site_dir: {value}\n")
    return site


CONFIG_LINE = MKDOCS_YML.count("\n") + 1  # the line `configured` appends


@pytest.mark.parametrize(("value", "why"), [
    (".", "is the project folder; a build would replace the whole checkout"),
    ("..", "lies above the project folder; a build would replace the checkout and everything beside it"),
    ("/", "lies above the project folder; a build would replace the checkout and everything beside it"),
    ("content", "is or lies inside the content folder (docs_dir); a build would replace those files"),
    ("annotations/out", "is or lies inside the annotations folder; a build would replace those files"),
    (".git/site", "is or lies inside the .git folder; a build would replace those files"),
    ("./content/../annotations", "is or lies inside the annotations folder; a build would replace those files"),
])
def test_check_and_build_refuse_a_site_dir_over_the_project(site: Site, capfd: pytest.CaptureFixture[str],
                                                            value: str, why: str) -> None:
    configured(site, value)
    (site.root / ".git").mkdir()
    (site.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = digest(site.root)
    finding = f"mkdocs.yml:{CONFIG_LINE}:11: FM501 site_dir '{value}' {why} {HINT_501}"
    assert check(site, capfd) == (1, [finding])
    assert build(site) == 1
    err = capfd.readouterr().err
    assert finding in err.splitlines() and "Traceback" not in err
    assert digest(site.root) == before


@pytest.mark.parametrize(("given", "why"), [
    (".", "is the project folder; a build would replace the whole checkout"),
    ("..", "lies above the project folder; a build would replace the checkout and everything beside it"),
    ("../", "lies above the project folder; a build would replace the checkout and everything beside it"),
    ("content", "is or lies inside the content folder (docs_dir); a build would replace those files"),
    ("content/deep/site", "is or lies inside the content folder (docs_dir); a build would replace those files"),
    ("annotations", "is or lies inside the annotations folder; a build would replace those files"),
    ("templates/site", "is or lies inside the templates folder; a build would replace those files"),
])
def test_build_refuses_a_d_folder_over_the_project(site: Site, capfd: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, given: str, why: str) -> None:
    project(site)
    monkeypatch.chdir(site.root)
    before = digest(site.root.parent)
    assert build(site, "-d", given) == 1
    err = capfd.readouterr().err
    assert f"mkdocs.yml:1:1: FM501 the -d folder '{given}' {why} {HINT_501}" in err.splitlines()
    assert "Traceback" not in err
    assert digest(site.root.parent) == before


def test_a_site_dir_through_a_symlinked_parent_into_the_content_is_refused(site: Site,
                                                                          capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    (site.root / "out").symlink_to("content")
    before = digest(site.root)
    assert build(site, "-d", str(site.root / "out" / "site")) == 1
    assert "is or lies inside the content folder (docs_dir)" in capfd.readouterr().err
    assert digest(site.root) == before


def test_a_committed_site_symlink_is_never_followed(site: Site, capfd: pytest.CaptureFixture[str],
                                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    project(site)
    precious = tmp_path_factory.mktemp("precious")
    (precious / "thesis.txt").write_text("ten years of work\n", encoding="utf-8")
    (precious / "sitemap.xml.gz").write_bytes(b"looks like a site")
    (site.root / "site").symlink_to(precious)
    finding = (f"mkdocs.yml:1:1: FM501 site_dir 'site' is a symbolic link; a build never replaces a link or what it "
               f"points to {HINT_501}")
    assert check(site, capfd) == (1, [finding])
    assert build(site) == 1
    assert finding in capfd.readouterr().err.splitlines()
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "ten years of work\n"
    assert os.readlink(site.root / "site") == str(precious)


def test_a_dangling_site_symlink_is_refused_and_kept(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    (site.root / "site").symlink_to("/nonexistent/place")
    assert build(site) == 1
    assert "FM501 site_dir 'site' is a symbolic link" in capfd.readouterr().err
    assert os.readlink(site.root / "site") == "/nonexistent/place"


def test_a_plain_file_named_site_is_refused_and_builds_keep_working(site: Site,
                                                                    capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    (site.root / "site").write_text("my notes\n", encoding="utf-8")
    finding = f"mkdocs.yml:1:1: FM501 site_dir 'site' is an existing file, not a site {HINT_501}"
    assert check(site, capfd) == (1, [finding])
    for _ in range(2):  # the second build is not broken by anything the first left
        assert build(site) == 1
        err = capfd.readouterr().err
        assert finding in err.splitlines() and "Traceback" not in err
    assert (site.root / "site").read_text(encoding="utf-8") == "my notes\n"
    assert leftovers(site.root) == []
    (site.root / "site").unlink()
    assert build(site) == 0


def test_a_site_dir_outside_the_project_is_refused(site: Site, capfd: pytest.CaptureFixture[str],
                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    project(site)
    home = tmp_path_factory.mktemp("home")
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "taxes.pdf").write_bytes(b"%PDF")
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text(encoding="utf-8") + f"site_dir: {home}\n")
    finding = (f"mkdocs.yml:{CONFIG_LINE}:11: FM501 site_dir '{home}' lies outside the project; mkdocs.yml may only "
               f"name a folder inside it (use -d for another place) {HINT_501}")
    assert check(site, capfd) == (1, [finding])
    assert build(site) == 1
    assert finding in capfd.readouterr().err.splitlines()
    assert (home / "Documents" / "taxes.pdf").read_bytes() == b"%PDF"


def commit_all(root: Path) -> None:
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.mark.parametrize("folder", ["factmark-code", "drafts/notes"])
def test_a_folder_with_committed_files_is_refused(site: Site, capfd: pytest.CaptureFixture[str], folder: str) -> None:
    configured(site, folder)
    site.write(f"{folder}/engine.py", "print('precious')\n")
    site.write(f"{folder}/index.html", "<p>looks like a site</p>\n")
    commit_all(site.root)
    before = digest(site.root / folder)
    finding = (f"mkdocs.yml:{CONFIG_LINE}:11: FM501 site_dir '{folder}' holds files committed to the repository "
               f"({folder}/engine.py); a build would delete them {HINT_501}")
    assert check(site, capfd) == (1, [finding])
    assert build(site) == 1
    assert finding in capfd.readouterr().err.splitlines()
    assert build(site, "-d", str(site.root / folder)) == 1
    assert (f"mkdocs.yml:1:1: FM501 the -d folder '{site.root / folder}' holds files committed to the repository "
            f"({folder}/engine.py); a build would delete them {HINT_501}") in capfd.readouterr().err.splitlines()
    assert digest(site.root / folder) == before


def test_an_uncommitted_previous_site_is_replaced(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    commit_all(site.root)
    site.write("site/keep.txt", "the previous site\n")  # untracked, as a built site is
    assert check(site, capfd)[0] == 0
    assert build(site) == 0
    assert not (site.root / "site" / "keep.txt").exists() and (site.root / "site" / "speech" / "index.html").is_file()


def test_a_refused_site_folder_comes_with_every_finding_of_check(site: Site,
                                                                 capfd: pytest.CaptureFixture[str]) -> None:
    configured(site, ".")
    site.write("annotations/speech.yaml", annotations_file(annotation("not in the text")))
    code, lines = check(site, capfd)
    lines = [line for line in lines if line]  # files are separated by a blank line
    assert code == 1 and len(lines) == 2
    assert build(site) == 1
    assert [line for line in capfd.readouterr().err.splitlines() if ": FM" in line] == lines


def test_a_folder_with_spaces_and_an_empty_folder_are_fine(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    out = site.root / "my site\tfolder"
    out.mkdir()
    assert build(site, "-d", str(out)) == 0
    assert (out / "speech" / "index.html").is_file() and not (out / sitedir.MARKER).exists()
    assert build(site, "-d", str(out)) == 0  # and it replaces its own site again
    assert leftovers(site.root) == []
    assert "Traceback" not in capfd.readouterr().err


def test_a_legacy_site_old_symlink_to_precious_data_is_left_alone(site: Site,
                                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    project(site)
    precious = tmp_path_factory.mktemp("precious")
    (precious / "keep.txt").write_text("keep\n", encoding="utf-8")
    (site.root / ".site.old").symlink_to(precious)
    (site.root / ".site.old-123456789abc").symlink_to(precious)  # even in the name a build uses
    assert build(site) == 0
    assert build(site) == 0
    assert (precious / "keep.txt").read_text(encoding="utf-8") == "keep\n"
    assert (site.root / ".site.old").is_symlink() and (site.root / ".site.old-123456789abc").is_symlink()


def test_leftovers_of_killed_builds_are_removed_but_nothing_else(site: Site) -> None:
    project(site)
    ours = site.root / ".site.build-0123456789ab"
    ours.mkdir()
    (ours / sitedir.MARKER).write_text("x", encoding="utf-8")
    (ours / "half.html").write_text("<p>", encoding="utf-8")
    unmarked = site.root / ".site.old-ba9876543210"  # not marked by us: someone else's folder
    unmarked.mkdir()
    (unmarked / "mine.txt").write_text("mine\n", encoding="utf-8")
    (site.root / ".site.build-aaaaaaaaaaaa").mkdir()  # killed between creating and marking it: empty
    assert build(site) == 0
    assert leftovers(site.root) == [".site.old-ba9876543210"]
    assert (unmarked / "mine.txt").read_text(encoding="utf-8") == "mine\n"


# --- builds as processes: concurrency, kill -9, Ctrl-C -----------------------------------------------------------


def start(site: Site, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "-f", str(site.root / "mkdocs.yml"), "build",
                             *extra], cwd=site.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


def wait_for_staging(site: Site, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".site.build-") for p in site.root.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline, "the build never started"
        time.sleep(0.01)


def test_concurrent_builds_all_succeed(site: Site) -> None:
    project(site)
    builds = [start(site) for _ in range(3)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in builds]
    assert [code for code, _ in results] == [0, 0, 0], results
    assert not any("Traceback" in err for _, err in results)
    assert (site.root / "site" / "speech" / "index.html").is_file()
    assert leftovers(site.root) == []


def test_kill_9_leaves_nothing_the_next_build_does_not_clean(site: Site) -> None:
    project(site)
    assert build(site) == 0
    killed = start(site)
    wait_for_staging(site, killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    result = run(["build"], site.root)  # waits for a MkDocs the killed build left running, then cleans up
    assert (result.returncode, "Traceback" in result.stderr) == (0, False), result.stderr
    assert leftovers(site.root) == []
    assert (site.root / "site" / "speech" / "index.html").is_file()


def test_ctrl_c_keeps_the_previous_site(site: Site) -> None:
    project(site)
    assert build(site) == 0
    before = digest(site.root / "site")
    interrupted = start(site)
    wait_for_staging(site, interrupted)
    interrupted.send_signal(signal.SIGINT)
    _, err = interrupted.communicate(timeout=60)
    assert interrupted.returncode == 130, err
    assert "Traceback" not in err and "Interrupted." in err
    assert digest(site.root / "site") == before
    assert leftovers(site.root) == []


# --- full disk, read-only folders --------------------------------------------------------------------------------


def test_a_full_disk_during_the_build_is_one_finding(site: Site, capfd: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    project(site)
    with tmpfs(tmp_path / "disk", "2m") as disk:
        out = disk / "site"
        assert build(site, "-d", str(out)) == 0
        before = digest(out)
        fill(disk)
        capfd.readouterr()
        assert build(site, "-d", str(out)) == 1
        err = capfd.readouterr().err
        assert ("mkdocs.yml:1:1: FM502 cannot write or replace the site: No space left on device; the previous "
                f"site is unchanged {HINT_502}") in err.splitlines()
        assert "Traceback" not in err
        assert digest(out) == before
        assert leftovers(disk) == []


def test_a_read_only_site_folder_is_one_finding(site: Site, capfd: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    project(site)
    with tmpfs(tmp_path / "disk", "4m") as disk:
        out = disk / "site"
        assert build(site, "-d", str(out)) == 0
        before = digest(out)
        mount("-o", "remount,ro", str(disk))
        capfd.readouterr()
        assert build(site, "-d", str(out)) == 1
        err = capfd.readouterr().err
        assert ("mkdocs.yml:1:1: FM502 cannot write or replace the site: Read-only file system; the previous "
                f"site is unchanged {HINT_502}") in err.splitlines()
        assert "Traceback" not in err and digest(out) == before


def test_a_read_only_mount_on_the_site_itself_is_one_finding(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    assert build(site) == 0
    before = digest(site.root / "site")
    with read_only(site.root / "site"):
        capfd.readouterr()
        assert build(site) == 1
        err = capfd.readouterr().err
        assert "mkdocs.yml:1:1: FM502 cannot write or replace the site: Device or resource busy;" in err
        assert "Traceback" not in err
    assert digest(site.root / "site") == before
    assert leftovers(site.root) == []


def test_a_read_only_project_checks_but_does_not_build_or_fix(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    path = site.root / "annotations" / "speech.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")  # FM105: fix rewrites
    before = digest(site.root)
    with read_only(site.root):
        code, lines = check(site, capfd)  # checking needs no write
        assert (code, [line.split()[1] for line in lines]) == (0, ["FM105"])  # a warning
        assert build(site) == 1
        err = capfd.readouterr().err
        assert "mkdocs.yml:1:1: FM502 cannot write or replace the site: Read-only file system;" in err
        assert cli.main(["-f", str(site.root / "mkdocs.yml"), "fix"]) == 1
        out, err = capfd.readouterr()
        assert (f"annotations/speech.yaml:1:1: FM503 cannot write the file: Read-only file system; it is unchanged "
                f"{HINT_503}") in err.splitlines()
        assert cli.main(["-f", str(site.root / "mkdocs.yml"), "new", "speech.md", "The budget grew again"]) == 1
        err = capfd.readouterr().err
        assert "annotations/speech.yaml:1:1: FM503 cannot write the file: Read-only file system" in err
        assert "Traceback" not in out + err
    assert digest(site.root) == before


def test_fix_and_new_on_a_full_disk_leave_the_file_whole(site: Site, capfd: pytest.CaptureFixture[str],
                                                         tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "1m") as disk:
        inside = Site(disk / "project")
        project(inside)
        path = disk / "project" / "annotations" / "speech.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
        before = path.read_bytes()
        fill(disk)
        config = str(disk / "project" / "mkdocs.yml")
        assert cli.main(["-f", config, "check", "--strict"]) == 1  # check still works on a full disk (FM105)
        assert cli.main(["-f", config, "fix"]) == 1
        assert cli.main(["-f", config, "new", "speech.md", "The budget grew again"]) == 1
        out, err = capfd.readouterr()
        assert err.count("annotations/speech.yaml:1:1: FM503 cannot write the file: No space left on device; "
                         "it is unchanged") == 2
        assert "Traceback" not in out + err
        assert path.read_bytes() == before
        assert sorted(p.name for p in path.parent.iterdir()) == ["speech.yaml"]  # no temporary file left


# --- fix keeps every value's text; new writes to the right file ----------------------------------------------------

TRICKY = ["1e400", "-1e400", "1e5", "1E+5", "3e-7", "0o17", "0x1F", "007", "1_000", "~", "null", "Null", "NULL",
          "yes", "No", "on", "True", "TRUE", "false", "2025-01-02", "2001-12-14t21:59:43.10-05:00", ".inf", "-.Inf",
          ".NaN", "-.5", "+1", "-0", "+0.0", "0b101", "12:30:00", "1.", "0.10", "1.0e+3", "0", "00", "+.5e-3"]


def scalar_texts(text: str) -> list[tuple[str, str]]:
    """Each scalar's source text and style, in order, as the YAML composer reads them."""
    out = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            out.append((node.value, node.style or ""))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(key)
                walk(value)

    walk(yaml.compose(text, Loader=yaml.SafeLoader))
    return out


def test_a_round_trip_keeps_the_text_of_every_tricky_scalar() -> None:
    text = "".join(f"k{i}: {value}\n" for i, value in enumerate(TRICKY))
    text += "list:\n  - " + "\n  - ".join(TRICKY) + "\n" + "".join(f"{value}: key\n" for value in TRICKY[:6])
    assert roundtrip.dump(roundtrip.load(text)) == text
    assert scalar_texts(roundtrip.dump(roundtrip.load(text))) == scalar_texts(text)


def test_new_keeps_the_text_of_every_scalar_in_the_file_it_appends_to(site: Site,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """`new` rewrites the whole file: 1e400 written by an editor must not come back as .inf (nor +1 as 1, ~ as '')."""
    site.doc(BODY)
    tricky = "".join(f"      # {value}\n      - {value}\n" for value in TRICKY)
    entry = annotation("the budget grew by 4 percent").replace('summary: "One sentence."', "summary: 1e400")
    text = annotations_file(entry).replace("annotations:\n", "extras:\n  values:\n" + tricky + "annotations:\n", 1)
    path = site.write("annotations/speech.yaml", text)
    before = scalar_texts(path.read_text(encoding="utf-8"))
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "new", "speech.md", "The budget grew again"]) == 0
    after = path.read_text(encoding="utf-8")
    assert scalar_texts(after)[:len(before)] == before
    assert "summary: 1e400\n" in after and "id: the-budget-grew-again" in after
    assert after.count(".inf") == text.count(".inf")  # only where the editor wrote it


def test_fix_keeps_quotes_and_comments_of_tricky_text(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc(BODY)
    entry = annotation("the budget grew by 4 percent").replace('"One sentence."', "'1e400' # as written")
    path = site.write("annotations/speech.yaml", annotations_file(entry).replace("\n", "\r\n"))
    code, lines = site.check(capsys)
    assert (code, [line.split()[1] for line in lines]) == (0, ["FM105"])  # a warning
    before = scalar_texts(path.read_text(encoding="utf-8"))
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "fix"]) == 0
    after = path.read_text(encoding="utf-8")
    assert scalar_texts(after) == before
    assert "summary: '1e400' # as written\n" in after and "\r" not in after


def test_fix_on_a_hard_link_changes_only_the_annotation_file(site: Site,
                                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    project(site)
    path = site.root / "annotations" / "speech.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    other = tmp_path_factory.mktemp("elsewhere") / "elsewhere.yaml"
    os.link(path, other)
    before = other.read_bytes()
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "fix"]) == 0
    assert b"\r" not in path.read_bytes()
    assert other.read_bytes() == before


def test_new_never_appends_to_the_file_of_another_document(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc(BODY, "news/x.md")
    site.doc("The letter says the budget grew by 4 percent.\n", "letters/x.md")
    news = site.write("annotations/x.yaml", annotations_file(annotation("the budget grew"), document="news/x.md"))
    before = news.read_bytes()
    code = cli.main(["-f", str(site.root / "mkdocs.yml"), "new", "letters/x.md", "The letter says"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == ("annotations/x-2.yaml: added 'the-letter-says'; fill in every TODO, then run "
                                   "'factmark check'")
    assert news.read_bytes() == before
    assert yamlstrict.load((site.root / "annotations" / "x-2.yaml").read_text(encoding="utf-8"),
                           "f").data["document"] == "letters/x.md"


def test_new_appends_to_the_documents_file_whatever_its_name(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.doc(BODY, "letters/x.md")
    site.write("annotations/x.yaml", "not: [an annotation file\n")  # broken, and about nothing
    mine = site.write("annotations/zz-letter.yaml",
                      annotations_file(annotation("the budget grew by 4 percent"), document="letters/x.md"))
    code = cli.main(["-f", str(site.root / "mkdocs.yml"), "new", "letters/x.md", "The budget grew again"])
    assert code == 0
    assert capsys.readouterr().out.startswith("annotations/zz-letter.yaml: added 'the-budget-grew-again'")
    assert (site.root / "annotations" / "x.yaml").read_text(encoding="utf-8") == "not: [an annotation file\n"
    assert "id: the-budget-grew-again" in mine.read_text(encoding="utf-8")


# --- more of the same classes --------------------------------------------------------------------------------------


def test_an_ascii_terminal_failing_build_prints_findings_not_a_traceback(site: Site) -> None:
    project(site, status='"vérifié ✓"')
    result = run(["build"], site.root, PYTHONIOENCODING="ascii", LANG="C", LC_ALL="C")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "annotations/speech.yaml:5:13: FM206 unknown status 'v\\xe9rifi\\xe9 \\u2713'" in result.stderr
    assert not (site.root / "site").exists()


def test_mkdocs_messages_quote_hostile_text_visibly(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    """A content file name passes check; MkDocs names it in its log, which must not carry its escapes."""
    project(site)
    site.doc("Another text.\n", "evil\x1b[2J\u202e.md")
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text(encoding="utf-8") + "nav:\n  - speech.md\n")
    assert check(site, capfd)[0] == 0
    assert build(site) == 0
    err = capfd.readouterr().err
    assert "  - evil\\x1b[2J\\u202e.md" in err.splitlines()
    assert "\x1b" not in err and "\u202e" not in err and "Traceback" not in err


def test_a_d_folder_with_a_line_break_builds_and_is_reported_on_one_line(site: Site,
                                                                         capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    out = site.root / "new\n::warning::forged" / "site"
    assert build(site, "-d", str(out)) == 0
    ours = [line for line in capfd.readouterr().err.splitlines() if line.startswith("Site built in ")]
    assert ours == [f"Site built in {site.root}/new\\x0a::warning::forged/site"]
    assert (out / "speech" / "index.html").is_file()


def test_settings_errors_follow_the_requested_format(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    project(site)
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - factmark\n", "  - factmark:\n      claims_per_page: 0\n"))
    code, lines = site.check(capsys, "--format", "json")
    assert code == 1
    assert [(f["code"], f["path"]) for f in json.loads("\n".join(lines))] == [("FM402", "mkdocs.yml")]


def test_a_site_moved_aside_by_a_killed_swap_comes_back(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    project(site)
    assert build(site) == 0
    before = digest(site.root / "site")
    (site.root / "site").rename(site.root / ".site.old-0123456789ab")  # killed between the two renames
    broken = site.root / "annotations" / "speech.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: documented", "status: true"),
                      encoding="utf-8")
    assert build(site) == 1  # the new build fails: the previous site must be there
    assert "Traceback" not in capfd.readouterr().err
    assert digest(site.root / "site") == before
    assert leftovers(site.root) == []


def test_fix_never_writes_through_a_symlinked_annotation_file(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    site.doc(BODY)
    real = site.write("data/speech.yaml",
                      annotations_file(annotation("the budget grew by 4 percent")).replace("\n", "\r\n"))
    (site.root / "annotations").mkdir()
    (site.root / "annotations" / "speech.yaml").symlink_to(real)
    before = real.read_bytes()
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "fix"]) == 1
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert real.read_bytes() == before
    assert (site.root / "annotations" / "speech.yaml").is_symlink()


def test_new_on_a_full_disk_creates_no_file(site: Site, capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "1m") as disk:
        inside = Site(disk / "project")
        inside.doc(BODY)
        fill(disk)
        code = cli.main(["-f", str(disk / "project" / "mkdocs.yml"), "new", "speech.md", "The budget grew again"])
        err = capfd.readouterr().err
        assert code == 1
        assert err.splitlines() == [f"annotations/speech.yaml:1:1: FM503 cannot write the file: No space left on "
                                    f"device; it is unchanged {HINT_503}"]
        assert not (disk / "project" / "annotations").exists() or not any((disk / "project" / "annotations")
                                                                             .iterdir())
