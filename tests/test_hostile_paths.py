"""What content/ may publish, and paths that leave the project: hostile pull requests (issue 12).

Each case builds a throw-away project in which a stranger's pull request adds something
the site must not publish: a type that runs in the browser, a file that would replace the
theme's or the build's own, a symbolic link, a configured folder outside the project. The
check must print the exact findings and exit 1; the build must refuse with the same
findings, leave the previous site untouched and leak nothing planted outside the project.
Legal cases (inert media, hidden files) must pass both, and publish exactly what is allowed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import TEMPLATES, Site, annotation, annotations_file

from factmark import cli, contentfiles, project

SECRET = "SECRET-5f3a9c-outside"
LINK = "FM405 is a symbolic link; factmark never reads or publishes one " \
       "(hint: commit the file itself, inside the project, instead of a link to it)"
SPECIAL = "FM405 is not a plain file (hint: remove it; only files and folders are read)"
TYPES = "content/ holds Markdown (.md) and .avif, .csv, .gif, .jpeg, .jpg, .pdf, .png, .txt, .webp"
ACTIVE = ("HTML, SVG, scripts and styles run in the site's origin: write the page in Markdown, export a drawing as "
          "PNG; the theme's own files live in templates/")
RENAME = "rename it to .md (lowercase): only .md texts are checked, MkDocs would publish this one unchecked"
CONVERT = "convert it to one of those types, or link to it at its publisher's address"
CASE = "rename or move it; names that differ only in case are the same file on case-insensitive file systems"
CONFIG = "name a folder of the repository, relative to mkdocs.yml, such as 'content'"


def inherits(target: str) -> str:
    return (f"mkdocs.yml:1:10: FM405 INHERIT '{target}' is a link or lies outside the project; factmark never reads "
            "it (hint: inherit a file of the repository, such as base.yml)")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 8


def linked(path: str) -> str:
    return f"{path}:1:1: {LINK}"


def refused_type(path: str, kind: str, hint: str = ACTIVE) -> str:
    return f"{path}:1:1: FM403 {kind} are not published; {TYPES} (hint: {hint})"


def replaces(path: str, owner: str, dest: str) -> str:
    return f"{path}:1:1: FM404 would replace {owner} at {dest} in the site (hint: {CASE})"


def configured(problem: str) -> str:
    return f"mkdocs.yml:1:1: FM405 {problem} (hint: {CONFIG})"


@dataclass
class World:
    """The project (root), and a folder beside it holding what must never be published."""

    site: Site
    outside: Path

    @property
    def root(self) -> Path:
        return self.site.root

    def link(self, rel: str, target: str | Path) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # a link in the place of a file of the project
        os.symlink(target, path)

    def config(self, old: str, new: str) -> None:
        text = (self.root / "mkdocs.yml").read_text(encoding="utf-8")
        assert old in text
        self.site.write("mkdocs.yml", text.replace(old, new))


Case = tuple[Callable[[World], None], Callable[[World], list[str]]]


def _files(*names: str, data: str | bytes = "<script>alert(1)</script>") -> Callable[[World], None]:
    def make(world: World) -> None:
        for name in names:
            world.site.write(f"content/{name}", data)
    return make


def _content(files: dict[str, str]) -> Callable[[World], None]:
    def make(world: World) -> None:
        for name, data in files.items():
            world.site.write(f"content/{name}", data)
    return make


def _lines(*lines: str) -> Callable[[World], list[str]]:
    return lambda world: list(lines)


def _claims_page(world: World) -> None:
    world.site.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n")
    world.site.write("content/claims/disputed/7.md", "---\ntitle: Mine\n---\n\nAn editor's page.\n")


def _no_directory_urls(world: World) -> None:
    world.config("docs_dir: content\n", "docs_dir: content\nuse_directory_urls: false\n")
    world.site.write("content/404.md", "---\ntitle: Not found\n---\n")


def _outside_folder(key: str, value: str) -> Callable[[World], None]:
    def make(world: World) -> None:
        if key == "annotations_dir":
            world.config("  - factmark\n", f"  - factmark:\n      annotations_dir: {value}\n")
        elif key == "docs_dir":
            world.config("docs_dir: content\n", f"docs_dir: {value}\n")
        else:
            world.config("custom_dir: templates\n", f"custom_dir: {value}\n")
    return make


def _linked_folder(name: str, target: str) -> Callable[[World], None]:
    """Replace one of the project's folders by a link to a copy of it outside the project."""
    def make(world: World) -> None:
        copy = world.outside / target
        shutil.copytree(world.root / name, copy, dirs_exist_ok=True)
        (copy / "secret.txt").write_text(SECRET, encoding="utf-8")
        shutil.rmtree(world.root / name)
        world.link(name, copy)
    return make


def _linked_config(world: World) -> None:
    shutil.copy(world.root / "mkdocs.yml", world.outside / "mkdocs.yml")
    world.link("mkdocs.yml", world.outside / "mkdocs.yml")


def _inherit(target: str) -> Callable[[World], None]:
    def make(world: World) -> None:
        world.site.write("base.yml", "site_name: base\n")
        world.link("linked", world.outside)
        world.config("site_name: test\n", f"INHERIT: {target}\nsite_name: test\n")
    return make


def _fifo(world: World) -> None:
    os.mkfifo(world.root / "content" / "photo.png")


def _yaml_folder(world: World) -> None:
    (world.root / "annotations" / "folder.yaml").mkdir(parents=True)


CASES: dict[str, Case] = {
    # types that run in the browser, in every spelling
    "html-script": (_files("evil.html"), _lines(refused_type("content/evil.html", "'.html' files"))),
    "svg-onload": (_files("pic.svg", data='<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
                   _lines(refused_type("content/pic.svg", "'.svg' files"))),
    "html-upper": (_files("EVIL.HTML"), _lines(refused_type("content/EVIL.HTML", "'.HTML' files"))),
    "svg-mixed-case": (_files("pic.Svg"), _lines(refused_type("content/pic.Svg", "'.Svg' files"))),
    "svgz": (_files("pic.svgz"), _lines(refused_type("content/pic.svgz", "'.svgz' files"))),
    "xhtml": (_files("a.xhtml"), _lines(refused_type("content/a.xhtml", "'.xhtml' files"))),
    "htm": (_files("a.htm"), _lines(refused_type("content/a.htm", "'.htm' files"))),
    "shtml": (_files("a.shtml"), _lines(refused_type("content/a.shtml", "'.shtml' files"))),
    "mjs": (_files("a.mjs"), _lines(refused_type("content/a.mjs", "'.mjs' files"))),
    "wasm": (_files("a.wasm", data=b"\0asm\1\0\0\0"), _lines(refused_type("content/a.wasm", "'.wasm' files"))),
    "css": (_files("news/style.css"), _lines(refused_type("content/news/style.css", "'.css' files"))),
    "xml-stylesheet": (_files("a.xml"), _lines(refused_type("content/a.xml", "'.xml' files"))),
    "double-extension": (_files("notes.txt.html"), _lines(refused_type("content/notes.txt.html", "'.html' files"))),
    "trailing-dot": (_files("evil.html."),  # Windows servers drop the dot: evil.html
                     _lines(refused_type("content/evil.html.", "files without an extension", CONVERT))),
    "trailing-space": (_files("evil.html "), _lines(refused_type("content/evil.html ", "'.html ' files", CONVERT))),
    "no-extension": (_files("CNAME", data="evil.example"),
                     _lines(refused_type("content/CNAME", "files without an extension", CONVERT))),
    "jsonld-elsewhere": (_files("data.json", data="{}"), _lines(refused_type("content/data.json", "'.json' files",
                                                                             CONVERT))),
    "markdown-unchecked": (_files("page.markdown", data="---\ntitle: x\n---\n"),
                           _lines(refused_type("content/page.markdown", "'.markdown' files", RENAME))),
    "md-upper": (_files("PAGE.MD", data="---\ntitle: x\n---\n"),
                 _lines(refused_type("content/PAGE.MD", "'.MD' files", RENAME))),
    "index-html-alone": (_files("news/index.html"), _lines(refused_type("content/news/index.html", "'.html' files"))),
    # files that would replace the theme's, the build's or another content file
    "theme-script": (_files("assets/factmark.js", data="alert(1)"),
                     _lines(replaces("content/assets/factmark.js", "a file of the theme", "assets/factmark.js"))),
    "theme-script-case": (_files("Assets/FACTMARK.JS", data="alert(1)"),
                          _lines(replaces("content/Assets/FACTMARK.JS", "a file of the theme", "Assets/FACTMARK.JS"))),
    "theme-style": (_files("assets/factmark.css", data="body{display:none}"),
                    _lines(replaces("content/assets/factmark.css", "a file of the theme", "assets/factmark.css"))),
    "search-script": (_files("search/main.js", data="alert(1)"),
                      _lines(replaces("content/search/main.js", "the site search's files", "search/main.js"))),
    "search-worker": (_files("search/worker.js", "search/lunr.js", data="alert(1)"),
                      _lines(replaces("content/search/lunr.js", "the site search's files", "search/lunr.js"),
                             replaces("content/search/worker.js", "the site search's files", "search/worker.js"))),
    "search-index": (_files("search/search_index.json", data="{}"),
                     _lines(replaces("content/search/search_index.json", "the site search's files",
                                     "search/search_index.json"))),
    "search-image": (_files("search/logo.png", data=PNG),
                     _lines(replaces("content/search/logo.png", "the site search's files", "search/logo.png"))),
    "search-page": (_files("search.html"),
                    _lines(replaces("content/search.html", "a file of the theme", "search.html"))),
    "not-found-page": (_files("404.html"), _lines(replaces("content/404.html", "a file of the theme", "404.html"))),
    "sitemap": (_files("sitemap.xml", "sitemap.xml.gz"),
                _lines(replaces("content/sitemap.xml", "MkDocs' sitemap", "sitemap.xml"),
                       replaces("content/sitemap.xml.gz", "MkDocs' sitemap", "sitemap.xml.gz"))),
    "feed": (_files("feed.xml"), _lines(replaces("content/feed.xml", "factmark's feed", "feed.xml"))),
    "open-data": (_files("annotations.jsonld", "speech/annotations.jsonld", data="{}"),
                  _lines(replaces("content/annotations.jsonld", "factmark's open data", "annotations.jsonld"),
                         replaces("content/speech/annotations.jsonld",
                                  "the open data factmark writes beside a text's page", "speech/annotations.jsonld"))),
    "index-html-beside-index-md": (_content({"index.md": "---\ntitle: Home\n---\n", "index.html": "<script>"}),
                                   _lines(replaces("content/index.html", "content/index.md", "index.html"))),
    "readme-beside-index": (_files("about/index.md", "about/README.md", data="---\ntitle: About\n---\n"),
                            _lines(replaces("content/about/README.md", "content/about/index.md",
                                            "about/index.html"))),
    "page-and-folder-index": (_files("about.md", "about/index.md", data="---\ntitle: About\n---\n"),
                              _lines(replaces("content/about/index.md", "content/about.md", "about/index.html"))),
    "names-differing-in-case": (_files("Photo.png", "photo.png", data=PNG),
                                _lines(replaces("content/photo.png", "content/Photo.png", "photo.png"))),
    "names-differing-in-composition": (_files("caf\u00e9.png", "cafe\u0301.png", data=PNG),
                                       _lines(replaces("content/caf\u00e9.png", "content/cafe\u0301.png",
                                                       "caf\u00e9.png"))),
    "future-claims-page": (_claims_page, _lines(replaces("content/claims/disputed/7.md",
                                                         "page 7 of the disputed claims",
                                                         "claims/disputed/7/index.html"))),
    "page-over-404": (_no_directory_urls, _lines(replaces("content/404.md", "a file of the theme", "404.html"))),
    # links and special files
    "environ-link": (lambda w: w.link("content/env.txt", "/proc/self/environ"), _lines(linked("content/env.txt"))),
    "png-to-passwd": (lambda w: w.link("content/pic.png", "/etc/passwd"), _lines(linked("content/pic.png"))),
    "md-outside": (lambda w: w.link("content/notes.md", w.outside / "secret.md"), _lines(linked("content/notes.md"))),
    "folder-outside": (lambda w: w.link("content/texts", w.outside), _lines(linked("content/texts"))),
    "folder-into-git": (lambda w: w.link("content/git", "../.git"), _lines(linked("content/git"))),
    "link-loop": (lambda w: w.link("content/loop.md", "loop.md"), _lines(linked("content/loop.md"))),
    "dangling-link": (lambda w: w.link("content/gone.png", "no/such/file.png"), _lines(linked("content/gone.png"))),
    "link-inside": (lambda w: w.link("content/copy.md", "speech.md"), _lines(linked("content/copy.md"))),
    "hidden-link": (lambda w: w.link("content/.env", "/proc/self/environ"), _lines(linked("content/.env"))),
    "fifo": (_fifo, _lines(f"content/photo.png:1:1: {SPECIAL}")),
    "annotation-link": (lambda w: w.link("annotations/speech.yaml", w.outside / "secret.yaml"),
                        _lines(linked("annotations/speech.yaml"))),
    "annotation-folder": (_yaml_folder, _lines(f"annotations/folder.yaml:1:1: {SPECIAL}")),
    "template-link": (lambda w: w.link("templates/assets/extra.css", w.outside / "secret.txt"),
                      _lines(linked("templates/assets/extra.css"))),
    # configured folders
    "annotations-dir-parent": (_outside_folder("annotations_dir", "../outside"), lambda w: [
        configured(f"annotations_dir '{w.outside}' is not a folder inside the project")]),
    "annotations-dir-etc": (_outside_folder("annotations_dir", "/etc"), _lines(
        configured("annotations_dir '/etc' is not a folder inside the project"))),
    "annotations-dir-root": (_outside_folder("annotations_dir", "."), _lines(
        configured("annotations_dir '.' is not a folder inside the project"))),
    "docs-dir-outside": (_outside_folder("docs_dir", "../outside"), lambda w: [
        configured(f"docs_dir '{w.outside}' is not a folder inside the project")]),
    "custom-dir-etc": (_outside_folder("custom_dir", "/etc"), _lines(
        configured("theme.custom_dir '/etc' is not a folder inside the project"))),
    "templates-linked": (_linked_folder("templates", "theme"), _lines(
        configured("theme.custom_dir 'templates' is reached through a symbolic link"))),
    "annotations-linked": (_linked_folder("annotations", "annotations"), _lines(
        configured("annotations_dir 'annotations' is reached through a symbolic link"))),
    "content-linked": (_linked_folder("content", "content"), _lines(
        configured("docs_dir 'content' is reached through a symbolic link"))),
    "config-linked": (_linked_config, _lines(
        "mkdocs.yml:1:1: FM405 mkdocs.yml is a symbolic link; factmark never reads one "
        "(hint: commit the configuration itself)")),
    "config-inherits-environ": (_inherit("/proc/self/environ"), _lines(inherits("/proc/self/environ"))),
    "config-inherits-outside": (_inherit("../outside/secret.yaml"), _lines(inherits("../outside/secret.yaml"))),
    "config-inherits-a-link": (_inherit("linked/base.yml"), _lines(inherits("linked/base.yml"))),
    "config-inherits-itself": (_inherit("mkdocs.yml"), _lines(
        "mkdocs.yml:1:10: FM402 INHERIT 'mkdocs.yml' inherits itself, or the chain is longer than 8 files "
        "(hint: end the chain with a file without INHERIT)")),
    "config-not-a-mapping": (lambda w: w.site.write("mkdocs.yml", "- site_name\n"), _lines(
        "mkdocs.yml:1:1: FM402 mkdocs.yml must be a mapping of settings")),
}


@pytest.fixture
def world(tmp_path: Path) -> World:
    """A valid project with one annotated text, and secrets beside it, outside the project."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "secret.md").write_text(f"---\ntitle: {SECRET}\n---\n\n{SECRET}\n", encoding="utf-8")
    (outside / "secret.yaml").write_text(f"document: {SECRET}\n", encoding="utf-8")
    site = Site(tmp_path / "project")
    site.doc("Prices fell. Wages rose.\n")
    site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell")))
    site.write(".git/config", f"[remote]\n\turl = https://{SECRET}@example.org/x\n")
    return World(site, outside)


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build(world: World, out: Path) -> int:
    return cli.main(["-f", str(world.root / "mkdocs.yml"), "build", "-d", str(out)])


def test_the_starting_project_is_clean(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert world.site.check(capsys) == (0, [])


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_refuses(world: World, capsys: pytest.CaptureFixture[str], name: str) -> None:
    make, expect = CASES[name]
    make(world)
    started = time.monotonic()
    code, lines = world.site.check(capsys)
    lines = [line for line in lines if line]
    assert (code, lines) == (1, expect(world))
    assert time.monotonic() - started < 10  # a pipe or a link loop is never opened
    assert SECRET not in "\n".join(lines)


@pytest.mark.parametrize("name", sorted(CASES))
def test_build_refuses_with_the_same_findings(world: World, capfd: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("FACTMARK_TEST_SECRET", SECRET)  # what /proc/self/environ would publish
    make, expect = CASES[name]
    out = world.root.parent / "site"
    out.mkdir()
    (out / "index.html").write_text("the previous site", encoding="utf-8")
    before = tree(out)
    make(world)
    assert build(world, out) == 1
    captured = capfd.readouterr()
    printed = captured.out + captured.err  # findings of mkdocs.yml itself are printed before MkDocs starts
    for line in expect(world):
        assert line in printed.splitlines()
    assert "Traceback" not in printed and SECRET not in printed
    assert tree(out) == before
    assert sorted(p.name for p in world.root.parent.iterdir()) == ["outside", "project", "site"]  # no staging left


MEDIA = {"photo.png": PNG, "photo.jpg": b"\xff\xd8\xff\xe0", "scan.jpeg": b"\xff\xd8\xff\xe1", "anim.gif": b"GIF89a",
         "pic.webp": b"RIFF\0\0\0\0WEBP", "pic.avif": b"\0\0\0\x1cftypavif", "record.pdf": b"%PDF-1.7\n",
         "notes.txt": b"<script>alert(1)</script>\n", "figures.csv": b"year,value\n2024,4\n",
         "news/UPPER.PNG": PNG}


def test_inert_media_are_published_byte_for_byte(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    for name, data in MEDIA.items():
        world.site.write(f"content/{name}", data)
    assert world.site.check(capsys) == (0, [])
    out = world.root.parent / "site"
    assert build(world, out) == 0
    for name, data in MEDIA.items():
        assert (out / name).read_bytes() == data
    published = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    theme = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file()}
    search = {p for p in published if p.startswith("search/")}  # Pagefind's index (tests/test_search.py)
    assert search and "search/pagefind.js" in search
    assert published - set(MEDIA) - theme - search <= {"speech/index.html", "sitemap.xml", "sitemap.xml.gz",
                                                       "schema/annotations.schema.json", "schema/document.schema.json"}


@pytest.mark.parametrize("exclude_docs", [None, "!.hidden/\n  !.evil.html"])
def test_hidden_files_are_never_published(world: World, capsys: pytest.CaptureFixture[str],
                                          exclude_docs: str | None) -> None:
    """MkDocs leaves out dotfiles; when ``exclude_docs`` lets them back in, the plugin still drops them."""
    if exclude_docs is not None:
        world.config("docs_dir: content\n", f"docs_dir: content\nexclude_docs: |\n  {exclude_docs}\n")
    world.site.write("content/.hidden/evil.html", f"<script>{SECRET}</script>")
    world.site.write("content/.evil.html", f"<script>{SECRET}</script>")
    world.site.write("content/.hidden/page.md", f"---\ntitle: {SECRET}\n---\n")
    assert world.site.check(capsys) == (0, [])
    out = world.root.parent / "site"
    assert build(world, out) == 0
    assert not any(SECRET.encode() in p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert not (out / ".hidden").exists() and not (out / ".evil.html").exists()


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("rel", ["index.md", "README.md", "a/README.md", "a/b.md", "a/b/index.md", "a/photo.png",
                                 "a.b/c.d.md"])
def test_destinations_agree_with_mkdocs(tmp_path: Path, rel: str, directory_urls: bool) -> None:
    from mkdocs.structure.files import File

    file = File(rel, str(tmp_path), str(tmp_path / "site"), directory_urls)
    assert contentfiles.destination(rel, directory_urls) == file.dest_uri


def test_preview_reloads_in_full_when_a_text_becomes_a_link(world: World) -> None:
    proj = project.Project(world.site.settings())
    assert proj.load() == []
    world.link("content/speech.md", world.outside / "secret.md")
    assert proj.reload({"speech.md"}, set()) is None


def test_relative_config_file_gives_the_same_findings(world: World, capfd: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """`python build.py` inside the checkout passes `-f mkdocs.yml` on to MkDocs as given."""
    monkeypatch.chdir(world.root)
    out = world.root.parent / "site"
    assert cli.main(["-f", "mkdocs.yml", "build", "-d", str(out)]) == 0
    world.site.write("content/evil.html", "<script>alert(1)</script>")
    assert cli.main(["-f", "mkdocs.yml", "check"]) == 1
    assert cli.main(["-f", "mkdocs.yml", "build", "-d", str(out)]) == 1
    expected = refused_type("content/evil.html", "'.html' files")
    captured = capfd.readouterr()
    assert expected in captured.out.splitlines() and expected in captured.err.splitlines()
    assert not (out / "evil.html").exists()


@pytest.mark.parametrize("target", ["secret.yaml", "elsewhere.yaml"])
def test_new_never_writes_through_a_link(world: World, capsys: pytest.CaptureFixture[str], target: str) -> None:
    """`build.py new` appends to the document's file: a link there would make it write outside the project."""
    outside = world.outside / target
    outside.write_text("document: speech.md\nannotations: []\n" if target == "elsewhere.yaml" else SECRET,
                       encoding="utf-8")
    before = outside.read_bytes()
    world.link("annotations/speech.yaml", outside)
    code = cli.main(["-f", str(world.root / "mkdocs.yml"), "new", "speech.md", "Wages rose"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [linked("annotations/speech.yaml")]
    assert outside.read_bytes() == before


def test_a_named_themes_files_are_never_replaced(world: World, capfd: pytest.CaptureFixture[str]) -> None:
    """Only the build knows where a named theme lives: the check passes, the build refuses (no MkDocs in check)."""
    world.config("  name: null\n", "  name: mkdocs\n")
    world.site.write("content/img/grid.png", PNG)  # a file of MkDocs' own 'mkdocs' theme
    out = world.root.parent / "site"
    assert build(world, out) == 1
    assert replaces("content/img/grid.png", "a file of the theme", "img/grid.png") in capfd.readouterr().err
    assert not out.exists()


def test_an_inherited_configuration_in_the_project_is_read_as_mkdocs_reads_it(
        world: World, capsys: pytest.CaptureFixture[str]) -> None:
    """A newsroom splits mkdocs.yml with INHERIT: the check merges the base file as MkDocs does, so its
    factmark options (a status of its own) hold in check and build alike."""
    config = (world.root / "mkdocs.yml").read_text(encoding="utf-8")
    world.site.write("config/base.yml", config.replace("  - factmark\n", "  - factmark:\n      statuses:\n"
                     "        misleading: {label: Misleading, description: Accurate but missing context.,"
                     " colour: '#dddddd', symbol: '~'}\n"))
    world.site.write("mkdocs.yml", "INHERIT: config/base.yml\nsite_name: A newsroom\n")
    world.site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell", status="misleading")))
    assert world.site.check(capsys) == (0, [])
    out = world.root.parent / "site"
    assert build(world, out) == 0
    page = (out / "speech" / "index.html").read_text(encoding="utf-8")
    assert "Misleading" in page and "A newsroom" in page
    world.site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell", status="documented")))
    code, lines = world.site.check(capsys)
    assert code == 1 and "FM206 unknown status 'documented'" in lines[0]
