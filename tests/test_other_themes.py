"""The plugin added to an existing MkDocs site with the built-in ``mkdocs`` theme or Material for MkDocs.

Each test writes a newsroom's site into tmp_path (``docs/`` as MkDocs' default, no copy of factmark's
theme, pages without front matter) and runs ``factmark`` and ``mkdocs`` as the newsroom would, in
child processes: plain pages must come out byte for byte as without the plugin, the annotated text
with its highlights, entries, styles, ClaimReview and a place in the theme's own search.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("material", reason="mkdocs-material is a test dependency (pip install -e '.[test]')")

THEMES = ("mkdocs", "material")
SECONDS = 120
WORD = "Zanzibarian"  # appears only in the annotated text: the search must find it there
PLUGINS = "plugins:\n  - search\n  - factmark\n"

PLAIN = """\
# Welcome

!!! note "A plain note"
    This page has *no* annotations and no front matter.

    ```python
    print("a fence in a note")
    ```

A paragraph with a class.
{: .lead }

[Read the speech](speech.md){ .md-button }
"""

ABOUT = """\
About: this line would be front matter for MkDocs' meta-data, and it stays the theme's business.

## Who we are {: #who }
"""

SPEECH = """\
---
title: The mayor's speech
kind: speech
author: The Mayor
date: "2026-11-01"
language: en
provenance:
  - text: Delivered at city hall.
---

# The mayor's speech {: #speech }

The mayor said the bridge cost 12 million euros in 2024.

!!! warning "Transcription"
    The speech was transcribed from video.

    ```python
    print("a fence in an annotated note")
    ```

The {WORD} ferry will run again.
{: .lead }
""".replace("{WORD}", WORD)

ANNOTATIONS = """\
document: speech.md
annotations:
  - id: bridge-cost
    quote: "the bridge cost 12 million euros"
    status: disputed
    summary: "The city's budget lists 15 million euros."
    sources:
      - url: "https://city.example/budget"
        publisher: City of Example
        excerpt: "Bridge: 15 million euros."
    reviewed: "2026-11-20"
"""


def config(theme: str, extensions: str = "", plugins: str = PLUGINS) -> str:
    """mkdocs.yml of the newsroom's site; the mkdocs theme is told not to load highlight.js from its CDN."""
    options = "  highlightjs: false\n" if theme == "mkdocs" else ""
    return (f"site_name: Newsroom\nsite_url: https://news.example/\ntheme:\n  name: {theme}\n{options}"
            "markdown_extensions:\n  - admonition\n  - attr_list\n  - pymdownx.superfences\n"
            f"{extensions}{plugins}")


@dataclass
class Result:
    code: int
    output: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if re.search(r"\bFM\d{3}\b", line)]


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def newsroom(root: Path, theme: str, **extra: str) -> Path:
    """A small existing site with the plugin added: two plain pages and one annotated text."""
    write(root, {"mkdocs.yml": config(theme), "docs/index.md": PLAIN, "docs/about.md": ABOUT,
                 "docs/speech.md": SPEECH, "annotations/speech.yaml": ANNOTATIONS, **extra})
    return root


def _run(root: Path, *argv: str) -> Result:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764633600", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, *argv], cwd=root, capture_output=True, text=True, timeout=SECONDS,
                          env=env, check=False)
    return Result(done.returncode, done.stdout + done.stderr)


def factmark(root: Path, *args: str) -> Result:
    return _run(root, "-c", "import sys; from factmark import cli; sys.exit(cli.main(sys.argv[1:]))",
                "-f", "mkdocs.yml", *args)


def mkdocs_without_plugin(root: Path, out: Path) -> Result:
    """The same site built by MkDocs alone, without factmark in its plugins."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert PLUGINS in text
    (root / "without.yml").write_text(text.replace(PLUGINS, "plugins:\n  - search\n"), encoding="utf-8")
    return _run(root, "-m", "mkdocs", "build", "-q", "-f", "without.yml", "-d", str(out))


@pytest.fixture(scope="module", params=THEMES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    """(theme, the site built with the plugin, the same site built without it)."""
    theme = request.param
    root = newsroom(tmp_path_factory.mktemp(theme), theme)
    check = factmark(root, "check")
    assert check.code == 0, check.output
    build = factmark(root, "build", "-d", str(root / "site"))
    assert build.code == 0 and "Traceback" not in build.output, build.output
    plain = mkdocs_without_plugin(root, root / "plain-site")
    assert plain.code == 0, plain.output
    return theme, root / "site", root / "plain-site"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_pages_without_annotations_are_byte_identical(built: tuple[str, Path, Path]) -> None:
    _, site, plain = built
    compared = 0
    for path in sorted(plain.rglob("*.html")):
        rel = path.relative_to(plain)
        if rel.parts[0] == "speech":
            assert (site / rel).read_bytes() != path.read_bytes()  # the annotated text is factmark's
            continue
        assert (site / rel).read_bytes() == path.read_bytes(), rel
        compared += 1
    assert compared >= 3  # index, about, 404
    home = page(site, "")
    assert '<div class="admonition note">' in home and '<p class="lead">' in home  # the site's own extensions


def test_annotated_text_has_highlight_marker_and_entry(built: tuple[str, Path, Path]) -> None:
    _, site, _ = built
    html = page(site, "speech")
    assert re.search(r'<mark id="fm-bridge-cost--text" class="fm-hl fm-disputed"[^>]*>the bridge cost 12 '
                     r'million euros</mark>', html)
    assert 'class="fm-marker fm-disputed" href="#fm-bridge-cost"' in html
    assert re.search(r'<li class="fm-entry fm-disputed" id="fm-bridge-cost"', html)
    # escaped, by factmark's environment; once, in the entry: the script fills the notes from there
    body = html[html.index("<body"):]
    assert body.count("The city&#39;s budget lists 15 million euros.") == 1


def test_annotated_text_keeps_the_sites_markdown_extensions(built: tuple[str, Path, Path]) -> None:
    _, site, _ = built
    html = page(site, "speech")
    assert re.search(r'<div class="admonition warning">\s*<p class="admonition-title">Transcription</p>', html)
    assert re.search(r'<pre><code class="language-python">print\(&quot;a fence in an annotated note&quot;\)', html)
    assert f'<p class="lead">The {WORD} ferry will run again.</p>' in html
    assert '<h1 id="speech">' in html and "{:" not in html


def test_annotated_text_links_factmarks_styles_and_script(built: tuple[str, Path, Path]) -> None:
    _, site, _ = built
    html = page(site, "speech")
    head = html[:html.index("</head>")]
    css = re.search(r'<link rel="stylesheet" href="([^"]+/annotations\.css)">', head)
    notes = re.search(r'<link rel="stylesheet" href="([^"]+/notes\.css)">', head)
    script = re.search(r'<script src="([^"]+/factmark\.js)" defer></script>', head)
    assert css and notes and script, head[-2000:]
    for url in (css.group(1), notes.group(1), script.group(1)):
        assert (site / "speech" / url).resolve().is_file(), url
    assert (site / "speech" / css.group(1)).resolve() == (site / "assets/factmark/annotations.css").resolve()
    assert "--fm-disputed: #ffd2c2" in head


def test_annotated_text_has_its_claim_review(built: tuple[str, Path, Path]) -> None:
    _, site, _ = built
    html = page(site, "speech")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    reviews = [item for block in blocks for item in json.loads(block) if item.get("@type") == "ClaimReview"]
    assert [r["url"] for r in reviews] == ["https://news.example/speech/#fm-bridge-cost"]
    assert reviews[0]["itemReviewed"]["author"]["name"] == "The Mayor"


def test_the_themes_search_indexes_the_annotated_text(built: tuple[str, Path, Path]) -> None:
    _, site, _ = built
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    hits = [doc["location"] for doc in index["docs"] if WORD in doc["text"]]
    assert hits and all(location.startswith("speech/") for location in hits), hits


@pytest.mark.parametrize("theme", THEMES)
def test_front_matter_is_needed_only_by_annotated_texts(theme: str, tmp_path: Path) -> None:
    root = newsroom(tmp_path, theme, **{"docs/speech.md": SPEECH.split("---\n", 2)[2]})
    expected = "docs/speech.md:1:1: FM401 annotated text does not start with a YAML front-matter block"
    check = factmark(root, "check")
    assert check.code == 1 and [line.split(" (hint")[0] for line in check.lines] == [expected], check.output
    build = factmark(root, "build", "-d", str(root / "site"))
    assert build.code == 1 and expected in build.output and "Traceback" not in build.output
    assert not (root / "site").exists()


@pytest.mark.parametrize("theme", THEMES)
def test_an_annotated_text_needs_only_a_title(theme: str, tmp_path: Path) -> None:
    """A newsroom's page with just a title can be annotated; its ClaimReview names no author or date then."""
    speech = "---\ntitle: The mayor's speech\n---\n" + SPEECH.split("---\n", 2)[2]
    root = newsroom(tmp_path, theme, **{"docs/speech.md": speech})
    check = factmark(root, "check")
    assert check.code == 0, check.output
    build = factmark(root, "build", "-d", str(root / "site"))
    assert build.code == 0 and "Traceback" not in build.output, build.output
    html = page(root / "site", "speech")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert [r["itemReviewed"] for r in json.loads(block.group(1))] == [{"@type": "Claim"}]
    assert 'id="fm-bridge-cost--text"' in html


@pytest.mark.parametrize(("extension", "code", "named"), [
    ("  - pymdownx.tabbed\n", "FM420", "'pymdownx.tabbed'"),
    ("  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n          class: mermaid\n"
     "          format: !!python/name:pymdownx.superfences.fence_code_format\n", "FM421", "(mermaid)"),
])
def test_an_extension_factmark_cannot_render_refuses_annotated_texts(extension: str, code: str, named: str,
                                                                     tmp_path: Path) -> None:
    root = newsroom(tmp_path, "material")
    text = config("material").replace("  - pymdownx.superfences\n", "")
    write(root, {"mkdocs.yml": text.replace("plugins:\n", extension + "plugins:\n")})
    (root / "site").mkdir()
    (root / "site/old.html").write_text("the previous site", encoding="utf-8")
    check = factmark(root, "check")
    where = f"annotations/speech.yaml:1:11: {code} "
    assert check.code == 1 and len(check.lines) == 1, check.output
    assert check.lines[0].startswith(where) and named in check.lines[0] and "(hint: " in check.lines[0]
    build = factmark(root, "build")
    assert build.code == 1 and check.lines[0] in build.output and "Traceback" not in build.output, build.output
    assert (root / "site/old.html").read_text(encoding="utf-8") == "the previous site"


@pytest.mark.parametrize("theme", THEMES)
def test_an_unsupported_extension_leaves_sites_without_annotations_alone(theme: str, tmp_path: Path) -> None:
    root = newsroom(tmp_path, theme)
    (root / "annotations/speech.yaml").unlink()
    write(root, {"mkdocs.yml": config(theme, "  - pymdownx.tabbed\n")})
    check = factmark(root, "check")
    assert check.code == 0, check.output
    build = factmark(root, "build", "-d", str(root / "site"))
    assert build.code == 0, build.output
    plain = mkdocs_without_plugin(root, root / "plain-site")
    assert plain.code == 0, plain.output
    for name in ("index.html", "speech/index.html", "about/index.html"):
        assert (root / "site" / name).read_bytes() == (root / "plain-site" / name).read_bytes(), name


@pytest.mark.parametrize("theme", THEMES)
def test_attribute_lists_on_annotated_texts_keep_only_inert_attributes(theme: str, tmp_path: Path) -> None:
    hostile = textwrap.dedent("""
        A [link](https://example.org/){ onclick="alert(1)" href="javascript:alert(2)" .ok title="Fine" }
        and *words*{: style="color:red" #fm-bridge-cost .em }.
        """)
    root = newsroom(tmp_path, theme, **{"docs/speech.md": SPEECH + hostile})
    build = factmark(root, "build", "-d", str(root / "site"))
    assert build.code == 0, build.output
    html = page(root / "site", "speech")
    assert '<a href="https://example.org/" class="ok" title="Fine">link</a>' in html
    assert '<em class="em">words</em>' in html
    assert "onclick" not in html and "javascript:" not in html and "color:red" not in html


@pytest.mark.parametrize("theme", THEMES)
def test_check_and_build_read_the_extensions_text_model_alike(theme: str, tmp_path: Path) -> None:
    """A quote inside an admonition, and one ending where an attribute list was, pass check and are placed."""
    entries = ANNOTATIONS + textwrap.indent(textwrap.dedent("""\
          - id: video
            quote: "transcribed from video"
            status: documented
            summary: "The city's channel has the video."
            sources:
              - url: "https://city.example/video"
                publisher: City of Example
                excerpt: "Speech, 1 November."
            reviewed: "2026-11-20"
          - id: ferry
            quote: "ferry will run again."
            status: uncorroborated
            summary: "No timetable says so."
            sources:
              - url: "https://city.example/ferry"
                publisher: City of Example
                excerpt: "Timetables."
            reviewed: "2026-11-20"
        """), "  ")
    root = newsroom(tmp_path, theme, **{"annotations/speech.yaml": entries})
    check = factmark(root, "check")
    assert check.code == 0, check.output
    build = factmark(root, "build", "-d", str(root / "site"))
    assert build.code == 0, build.output
    html = page(root / "site", "speech")
    assert re.search(r'<div class="admonition warning">.*<mark id="fm-video--text"[^>]*>transcribed from video</mark>',
                     html, re.S)
    assert re.search(r'<p class="lead">The \w+ <mark id="fm-ferry--text"[^>]*>ferry will run again\.</mark>', html)


@pytest.mark.parametrize("theme", THEMES)
def test_a_plain_page_naming_a_template_the_theme_lacks_is_refused_by_check_and_build(theme: str,
                                                                                      tmp_path: Path) -> None:
    """Found by an outside trial: check passed, and the build stopped on MkDocs' TemplateNotFound (as FM502)."""
    root = newsroom(tmp_path, theme, **{"docs/about.md": "---\ntemplate: home.html\n---\n\n" + ABOUT})
    check = factmark(root, "check")
    assert check.code == 1 and len(check.lines) == 1, check.output
    assert check.lines[0].startswith("docs/about.md:2:11: FM406 template 'home.html' is not in the theme's templates")
    build = factmark(root, "build", "-d", str(root / "site"))
    assert build.code == 1 and check.lines[0] in build.output and "Traceback" not in build.output
    assert "FM502" not in build.output and not (root / "site").exists()
    write(root, {"docs/about.md": "---\ntemplate: main.html\n---\n\n" + ABOUT})  # one the theme has
    assert factmark(root, "check").code == 0
