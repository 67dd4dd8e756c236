"""The check reads the theme where MkDocs finds it, and ``factmark init`` starts a site that passes.

A site that names ``theme: factmark`` has no templates folder: the theme is the installed package's
(``factmark.theme``), found through its ``mkdocs.themes`` entry point. Template names (FM406), the page's
own ids (FM211), content files in the place of theme files (FM404), links to theme files (FM410) and
``extra_css`` are judged against that folder, after a ``custom_dir`` when there is one, and against the
themes a theme ``extends``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Site, annotation, annotations_file
from factmark.theme import THEME_DIR
from mkdocs.utils import get_themes

from factmark import cli, render, themefiles

INSTALLED = """\
site_name: test
docs_dir: content
theme: factmark
plugins:
  - search
  - factmark
"""


@pytest.fixture
def installed(tmp_path: Path) -> Site:
    """A project without a templates folder, using the installed theme."""
    site = Site(tmp_path / "project")
    shutil.rmtree(site.root / "templates")  # Site copies the checkout's; a newsroom has none
    site.write("mkdocs.yml", INSTALLED)
    site.doc("Prices fell. Wages rose.\n")
    site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell")))
    return site


def build(site: Site, capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(site.root.parent / "out")])
    captured = capfd.readouterr()
    return code, captured.out + captured.err


def test_the_installed_theme_needs_no_templates_folder(installed: Site, capfd: pytest.CaptureFixture[str]) -> None:
    assert installed.check(capfd) == (0, [])
    installed.write("content/index.md", "---\ntitle: Home\ntemplate: home.html\n---\n\n# Home\n")
    installed.write("mkdocs.yml", INSTALLED + "extra_css:\n  - assets/factmark.css\n")
    assert installed.check(capfd) == (0, [])
    code, printed = build(installed, capfd)
    assert code == 0, printed
    page = (installed.root.parent / "out" / "speech" / "index.html").read_text(encoding="utf-8")
    assert 'class="fm-hl fm-documented"' in page and 'id="fm-a1"' in page


def test_a_template_not_in_the_theme_names_the_installed_templates(installed: Site,
                                                                   capfd: pytest.CaptureFixture[str]) -> None:
    installed.write("content/index.md", "---\ntitle: Home\ntemplate: nope.html\n---\n\n# Home\n")
    code, lines = installed.check(capfd)
    shown = THEME_DIR.as_posix()
    assert code == 1
    assert lines == [f"content/index.md:3:11: FM406 template 'nope.html' is not in the theme's templates ({shown}/) "
                     "(hint: use one of: 404.html, claims.html, home.html, main.html, method.html, search.html)"]
    code, printed = build(installed, capfd)
    assert code == 1 and lines[0] in printed.replace(str(installed.root) + "/", "") and "Traceback" not in printed


def test_a_template_of_the_custom_dir_comes_first(installed: Site, capfd: pytest.CaptureFixture[str]) -> None:
    installed.write("mkdocs.yml", INSTALLED.replace("theme: factmark\n",
                                                    "theme:\n  name: factmark\n  custom_dir: overrides\n"))
    installed.write("overrides/letter.html", '{% extends "main.html" %}\n')
    installed.write("content/index.md", "---\ntitle: Home\ntemplate: letter.html\n---\n\n# Home\n")
    assert installed.check(capfd) == (0, [])


def test_a_content_file_cannot_replace_an_installed_theme_file(installed: Site,
                                                               capfd: pytest.CaptureFixture[str]) -> None:
    installed.write("content/assets/factmark.css", b"body{}")
    code, lines = installed.check(capfd)
    assert (code, lines) == (1, [
        "content/assets/factmark.css:1:1: FM404 would replace a file of the theme at assets/factmark.css in the site "
        "(hint: rename or move it; names that differ only in case are the same file on case-insensitive file "
        "systems)"])


def test_links_to_installed_theme_files_are_links_to_the_site(installed: Site,
                                                              capfd: pytest.CaptureFixture[str]) -> None:
    installed.write("mkdocs.yml", INSTALLED + "strict: true\nvalidation:\n  unrecognized_links: warn\n")
    installed.doc("Prices fell. Wages rose. [Styles](assets/factmark.css), [missing](assets/nope.css).\n")
    code, lines = installed.check(capfd)
    assert code == 1 and len(lines) == 1 and lines[0].startswith("content/speech.md:") and " FM410 " in lines[0]
    assert "assets/nope.css" in lines[0]


def test_annotation_ids_cannot_take_the_installed_themes_ids(installed: Site,
                                                             capfd: pytest.CaptureFixture[str]) -> None:
    installed.write("annotations/speech.yaml", annotations_file(annotation("Prices fell", id="annotations")))
    code, lines = installed.check(capfd)
    assert code == 1 and len(lines) == 1
    assert " FM211 annotation id 'annotations' would give the HTML id 'fm-annotations'" in lines[0]
    assert "(factmark/annotations.html)" in lines[0]


def test_an_unknown_theme_is_refused_by_check_and_build_alike(installed: Site,
                                                              capfd: pytest.CaptureFixture[str]) -> None:
    installed.write("mkdocs.yml", INSTALLED.replace("theme: factmark", "theme: no-such-theme"))
    code, lines = installed.check(capfd)
    assert code == 1 and len(lines) == 1
    # MkDocs' own validation names it, as the build's would, with the installed themes
    assert lines[0].startswith("mkdocs.yml:3:8: FM412 'theme': Unrecognised theme name: 'no-such-theme'. "
                               "The available installed themes are: ")
    assert "factmark" in lines[0] and "mkdocs" in lines[0]
    code, printed = build(installed, capfd)
    assert code == 1 and lines[0] in printed and "Traceback" not in printed


def test_a_theme_with_neither_name_nor_custom_dir_is_refused(installed: Site,
                                                             capfd: pytest.CaptureFixture[str]) -> None:
    installed.write("mkdocs.yml", INSTALLED.replace("theme: factmark", "theme:\n  name: null"))
    assert installed.check(capfd) == (1, ["mkdocs.yml:4:3: FM412 'theme': At least one of 'name' or 'custom_dir' "
                                          "must be defined. (hint: see MkDocs' configuration reference, "
                                          "https://www.mkdocs.org/user-guide/configuration/#theme)"])


@pytest.fixture
def child_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An installed theme ``child`` that extends factmark: a package and its entry point on sys.path."""
    where = tmp_path / "installed"
    (where / "childtheme").mkdir(parents=True)
    (where / "childtheme" / "__init__.py").write_text("", encoding="utf-8")
    (where / "childtheme" / "mkdocs_theme.yml").write_text("extends: factmark\n", encoding="utf-8")
    (where / "childtheme" / "letter.html").write_text('{% extends "main.html" %}\n', encoding="utf-8")
    info = where / "childtheme-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: childtheme\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[mkdocs.themes]\nchild = childtheme\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(where))
    get_themes.cache_clear()  # MkDocs lists the installed themes once per process; the check validates with it
    yield where / "childtheme"
    get_themes.cache_clear()


def test_a_theme_that_extends_factmark_reads_both_folders(child_theme: Path, installed: Site,
                                                          capfd: pytest.CaptureFixture[str]) -> None:
    dirs, custom, problems = themefiles.folders("child", installed.root, "mkdocs.yml")
    assert (dirs, custom, problems) == ((child_theme, THEME_DIR), None, [])
    installed.write("mkdocs.yml", INSTALLED.replace("theme: factmark", "theme: child"))
    installed.write("content/index.md", "---\ntitle: Home\ntemplate: letter.html\n---\n\n# Home\n")
    installed.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n\n# Claims\n")
    assert installed.check(capfd) == (0, [])


def test_the_entries_come_from_factmark_whatever_the_theme(tmp_path: Path) -> None:
    """A site in the built-in mkdocs theme still renders factmark's annotation entries."""
    mkdocs_theme = themefiles.theme_folder(themefiles.installed()["mkdocs"])
    assert mkdocs_theme is not None and not (mkdocs_theme / "factmark").exists()
    env = render.entries_environment((mkdocs_theme,))
    assert Path(env.get_template(render.ENTRIES_TEMPLATE).filename or "") == THEME_DIR / render.ENTRIES_TEMPLATE
    override = tmp_path / "overrides" / "factmark"
    override.mkdir(parents=True)
    (override / "annotations.html").write_text("mine", encoding="utf-8")
    env = render.entries_environment((tmp_path / "overrides", mkdocs_theme))
    assert env.get_template(render.ENTRIES_TEMPLATE).render() == "mine"


def test_this_repository_uses_the_installed_theme() -> None:
    """The reference site names the theme as a newsroom does; in a checkout the package maps it to templates/."""
    config = (Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    assert "theme:\n  name: factmark\n" in config and "custom_dir" not in config
    assert Path(__file__).resolve().parent.parent / "templates" == THEME_DIR


# `factmark init`


def test_init_writes_a_site_that_passes_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["init", str(tmp_path / "new" / "site")]) == 0
    written = capsys.readouterr().out.splitlines()
    root = tmp_path / "new" / "site"
    assert f"wrote {root.as_posix()}/mkdocs.yml" in written
    assert cli.main(["-f", str(root / "mkdocs.yml"), "check"]) == 0
    assert capsys.readouterr().out == ""
    statuses = {line.split(":")[1].strip() for line in (root / "annotations" / "example.yaml").read_text(
        encoding="utf-8").splitlines() if line.strip().startswith("status:")}
    assert statuses == {"documented", "disputed", "uncorroborated"}  # one annotation of each verdict
    sources = [line.split('"')[1] for line in (root / "annotations" / "example.yaml").read_text(
        encoding="utf-8").splitlines() if line.strip().startswith("- url:")]
    assert sources == ["https://pypi.org/project/mkdocs/", "https://yaml.org/spec/1.2.2/",
                       "https://www.w3.org/TR/annotation-model/"]


def test_init_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init"]) == 0
    assert (tmp_path / "mkdocs.yml").is_file() and (tmp_path / ".github" / "workflows" / "factmark.yml").is_file()
    capsys.readouterr()
    assert cli.main(["check"]) == 0


def test_init_writes_over_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "README.md").write_text("our own readme\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    os.symlink(tmp_path / "elsewhere.md", tmp_path / "content" / "index.md")  # a dangling link counts too
    assert cli.main(["init", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    hint = "(hint: run it in a new or empty folder, or move this file away)"
    assert [line for line in lines if line] == [
        f"{tmp_path.as_posix()}/content/index.md:1:1: FM430 the file exists; factmark init writes over nothing, "
        f"so it wrote no file {hint}",
        f"{tmp_path.as_posix()}/README.md:1:1: FM430 the file exists; factmark init writes over nothing, "
        f"so it wrote no file {hint}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "content"]
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "our own readme\n"
    assert not (tmp_path / "elsewhere.md").exists()


def test_init_into_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "site"
    target.write_text("", encoding="utf-8")
    assert cli.main(["init", str(target)]) == 1
    assert capsys.readouterr().out.splitlines()[0].startswith(f"{target.as_posix()}:1:1: FM430 ")


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() == 0,
                    reason="root writes into read-only folders, so the failure cannot be made")
def test_init_in_a_read_only_folder_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content").chmod(0o555)
    try:
        assert cli.main(["init", str(tmp_path)]) == 1
    finally:
        (tmp_path / "content").chmod(0o755)
    assert " FM432 " in capsys.readouterr().out
    assert not (tmp_path / "mkdocs.yml").exists()



def test_a_custom_dir_that_is_not_a_folder_is_refused(installed: Site, capfd: pytest.CaptureFixture[str]) -> None:
    installed.write("mkdocs.yml", INSTALLED.replace("theme: factmark",
                                                    "theme:\n  name: factmark\n  custom_dir: overrides"))
    line = ("mkdocs.yml:4:3: FM412 'theme': The path set in custom_dir ('overrides') does not exist. "
            "(hint: see MkDocs' configuration reference, https://www.mkdocs.org/user-guide/configuration/#theme)")
    assert installed.check(capfd) == (1, [line])
    code, printed = build(installed, capfd)
    assert code == 1 and line in printed and "Traceback" not in printed
