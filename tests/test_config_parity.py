"""One source of truth for mkdocs.yml: `check`'s verdict on a configuration is the build's, and MkDocs' own.

Each case is a newsroom's configuration (options, INHERIT splits, !ENV, nav, validation levels,
unknown keys, wrong types, missing folders). It is run three ways: `check`, `build` (the same
command line, in this process) and plain MkDocs in strict mode with the factmark plugin, without
factmark's command line. `check` and `build` must report the very same findings, each at the line
of the setting in the file that sets it; MkDocs must refuse exactly the configurations they refuse,
but for the few settings factmark refuses on purpose (code no check has seen).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pytest
from conftest import TEMPLATES
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from factmark import cli

FINDING = re.compile(r"\S+:\d+:\d+: FM\d{3} ")
SECRET = "s3cr3t-token-value"
ENV = ("FM_TEST_NAME", "FM_TEST_PER_PAGE", "FM_TEST_SECRET", "FM_TEST_UNSET")
THEME = "theme:\n  name: null\n  custom_dir: templates\n  static_templates: [404.html, search.html]\n"
HEAD = "site_name: test\ndocs_dir: content\n"  # lines 1-2


def config(top: str = "", options: str = "", head: str = HEAD, plugins: str = "  - search\n") -> str:
    """An mkdocs.yml: ``head``, ``top`` (more settings), the theme (4 lines), the plugins with factmark's ``options``
    (each line indented under it)."""
    factmark = "  - factmark:\n" + "".join(f"      {line}\n" for line in options.splitlines()) if options else \
        "  - factmark\n"
    return f"{head}{top}{THEME}plugins:\n{plugins}{factmark}"


@dataclass
class Case:
    id: str
    files: dict[str, str]  # mkdocs.yml and any other file of the project (content/a.md is always there)
    expected: list[str]  # each finding's "path:line:col: CODE", in the order check prints them; none: it builds
    env: dict[str, str] = field(default_factory=dict)
    mkdocs_agrees: bool = True  # False: factmark refuses what MkDocs would run unchecked
    message: str = ""  # a part of the first finding's message, where its wording matters


BASE = "site_name: test\nplugins:\n  - search\n  - factmark:\n      claims_per_page: 5\n"  # an INHERIT base
CASES = [
    Case("plain", {"mkdocs.yml": config()}, []),
    Case("all-options", {"mkdocs.yml": config(options=(
        "annotations_dir: notes\nclaims_per_page: 3\npublisher:\n  name: The Desk\n  url: https://desk.example/\n"
        "statuses:\n  documented:\n    colour: '#aabbcc'\n  misleading:\n    label: Misleading\n"
        "    description: True in part.\n    colour: '#ddeeff'\n    symbol: '~'"))}, []),
    Case("unknown-top-level-key", {"mkdocs.yml": config(top="site_nmae: typo\n")},
         ["mkdocs.yml:3:1: FM413"], message="'site_nmae' is not a setting MkDocs knows"),
    Case("unknown-key-with-strict-false", {"mkdocs.yml": config(top="strict: false\nextra_thing: 1\n")},
         ["mkdocs.yml:4:1: FM413"]),
    Case("site-name-missing", {"mkdocs.yml": config(head="docs_dir: content\n")},
         ["mkdocs.yml:1:1: FM412"], message="'site_name': Required configuration not provided."),
    Case("use-directory-urls-maybe", {"mkdocs.yml": config(top="use_directory_urls: maybe\n")},
         ["mkdocs.yml:3:21: FM412"]),
    Case("docs-dir-missing", {"mkdocs.yml": config(head="site_name: test\ndocs_dir: nowhere\n")},
         ["mkdocs.yml:2:11: FM412"]),
    Case("site-dir-inside-docs-dir", {"mkdocs.yml": config(top="site_dir: content/out\n")}, ["mkdocs.yml:3:11: FM501"],
         message="site_dir 'content/out' is or lies inside the content folder", mkdocs_agrees=False),  # MkDocs: -d
    Case("custom-dir-missing", {"mkdocs.yml": config().replace("custom_dir: templates", "custom_dir: gone")},
         ["mkdocs.yml:4:3: FM412"], message="'theme': The path set in custom_dir ('gone') does not exist."),
    Case("nav-not-a-list", {"mkdocs.yml": config(top="nav:\n  a: a.md\n")}, ["mkdocs.yml:3:1: FM409"]),
    Case("nav-item-number", {"mkdocs.yml": config(top="nav:\n  - 5\n")}, ["mkdocs.yml:3:1: FM409"]),
    Case("nav-contains-itself", {"mkdocs.yml": config(top="nav: &nav\n  - a.md\n  - Again: *nav\n")},
         ["mkdocs.yml:3:1: FM409"], mkdocs_agrees=False, message="contains itself"),
    Case("nav-omits-a-text", {"mkdocs.yml": config(top="nav:\n  - a.md\nvalidation:\n  omitted_files: warn\n"),
                              "content/b.md": "---\ntitle: B\n---\n\nMore.\n"}, ["content/b.md:1:1: FM409"]),
    Case("nav-names-missing-page", {"mkdocs.yml": config(top="nav:\n  - a.md\n  - gone.md\n")},
         ["mkdocs.yml:5:5: FM409"]),
    Case("validation-level-unknown", {"mkdocs.yml": config(top="validation:\n  links:\n    anchors: loud\n")},
         ["mkdocs.yml:4:3: FM412"]),
    Case("plugin-not-installed", {"mkdocs.yml": config(plugins="  - search\n  - no-such-plugin\n")},
         ["mkdocs.yml:8:3: FM412"]),
    Case("markdown-extension-missing", {"mkdocs.yml": config(top="markdown_extensions:\n  - no_such_ext\n")},
         ["mkdocs.yml:4:3: FM412"], message="Failed to load extension 'no_such_ext'. ModuleNotFoundError"),
    Case("option-unknown", {"mkdocs.yml": config(options="colour: red")}, ["mkdocs.yml:10:7: FM402"],
         message="unknown factmark option 'colour'"),
    Case("option-enabled", {"mkdocs.yml": config(options="enabled: true")}, []),
    Case("option-disabled", {"mkdocs.yml": config(options="enabled: false")}, ["mkdocs.yml:10:16: FM402"],
         message="the factmark plugin cannot be disabled"),
    Case("option-claims-zero", {"mkdocs.yml": config(options="claims_per_page: 0")}, ["mkdocs.yml:10:24: FM402"]),
    Case("option-claims-text", {"mkdocs.yml": config(options="claims_per_page: ten")}, ["mkdocs.yml:10:24: FM402"]),
    Case("option-annotations-dir-number", {"mkdocs.yml": config(options="annotations_dir: 5")},
         ["mkdocs.yml:10:24: FM402"]),
    Case("option-publisher-url", {"mkdocs.yml": config(options="publisher:\n  name: Desk\n  url: ftp://desk")},
         ["mkdocs.yml:11:9: FM402"]),
    Case("option-every-problem-at-once", {"mkdocs.yml": config(options=(
        "claims_per_page: -1\nstatuses:\n  documented:\n    colour: red\n  disputed:\n    symbol: ''"))},
         ["mkdocs.yml:10:24: FM402", "mkdocs.yml:13:19: FM402", "mkdocs.yml:15:19: FM402"]),
    Case("inherit-split", {"mkdocs.yml": f"INHERIT: base.yml\ndocs_dir: content\n{THEME}", "base.yml": BASE}, []),
    Case("inherit-bad-option-in-base", {"mkdocs.yml": f"INHERIT: base.yml\ndocs_dir: content\n{THEME}",
                                        "base.yml": BASE.replace("claims_per_page: 5", "claims_per_page: 0")},
         ["base.yml:5:24: FM402"]),
    Case("inherit-unknown-key-in-base", {"mkdocs.yml": f"INHERIT: base.yml\ndocs_dir: content\n{THEME}",
                                         "base.yml": BASE + "site_colour: red\n"}, ["base.yml:6:1: FM413"]),
    Case("inherit-child-fixes-base", {"mkdocs.yml": f"INHERIT: base.yml\ndocs_dir: content\n{THEME}"
                                                    "use_directory_urls: false\n",
                                      "base.yml": BASE + "use_directory_urls: maybe\n"}, []),
    Case("inherit-bad-value-in-child", {"mkdocs.yml": f"INHERIT: base.yml\ndocs_dir: content\n{THEME}"
                                                      "use_directory_urls: maybe\n", "base.yml": BASE},
         ["mkdocs.yml:7:21: FM412"]),
    Case("env-default", {"mkdocs.yml": config(head="site_name: !ENV [FM_TEST_UNSET, 'A default']\n"
                                                   "docs_dir: content\n")}, []),
    Case("env-set", {"mkdocs.yml": config(head="site_name: !ENV FM_TEST_NAME\ndocs_dir: content\n")}, [],
         env={"FM_TEST_NAME": "The Desk"}),
    Case("env-unset-without-default", {"mkdocs.yml": config(head="site_name: !ENV FM_TEST_UNSET\ndocs_dir: content\n")},
         ["mkdocs.yml:1:12: FM412"]),
    Case("env-option", {"mkdocs.yml": config(options="claims_per_page: !ENV [FM_TEST_PER_PAGE, 100]")}, [],
         env={"FM_TEST_PER_PAGE": "7"}),
    Case("env-option-bad", {"mkdocs.yml": config(options="claims_per_page: !ENV [FM_TEST_PER_PAGE, 100]")},
         ["mkdocs.yml:10:24: FM402"], env={"FM_TEST_PER_PAGE": "none-such"}),
    Case("env-secret-never-shown", {"mkdocs.yml": config(head="site_name: test\ndocs_dir: !ENV FM_TEST_SECRET\n")},
         ["mkdocs.yml:2:11: FM412"], env={"FM_TEST_SECRET": SECRET}),
    Case("relative-tag", {"mkdocs.yml": config(top="extra:\n  folder: !relative $config_dir/templates\n")}, []),
    Case("relative-tag-where-mkdocs-wants-text", {"mkdocs.yml": config(top="watch:\n  - !relative $config_dir\n")},
         ["mkdocs.yml:4:3: FM412"]),
    Case("hooks-refused", {"mkdocs.yml": config(top="hooks:\n  - hook.py\n"), "hook.py": "x = 1\n"},
         ["mkdocs.yml:4:3: FM402"], mkdocs_agrees=False),
    Case("python-tag-refused", {"mkdocs.yml": config(top="extra:\n  x: !!python/object/apply:os.getcwd []\n")},
         ["mkdocs.yml:4:6: FM402"], mkdocs_agrees=False),
]


def _project(root: Path, case: Case) -> Path:
    shutil.copytree(TEMPLATES, root / "templates")
    (root / "content").mkdir()
    (root / "content" / "a.md").write_text("---\ntitle: A\n---\n\nSome words.\n", encoding="utf-8")
    for rel, text in case.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def _mkdocs_strict_builds(config: Path) -> bool:
    """Whether MkDocs itself, with the plugin but without factmark's command line, builds in strict mode.

    A crash is a failed build too: with the plugin disabled, the theme's templates stop on an undefined name.
    """
    try:
        mkdocs_build.build(load_config(str(config), strict=True, site_dir=str(config.parent / "plain")))
    except (MkDocsException, SystemExit, jinja2.TemplateError):
        return False
    return True


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_verdict_is_the_build_verdict(tmp_path: Path, capfd: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch, case: Case) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    config = _project(tmp_path, case)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("the previous site", encoding="utf-8")
    capfd.readouterr()
    check = cli.main(["-f", str(config), "check"])
    checked = capfd.readouterr()
    findings = [line for line in checked.out.splitlines() if line]
    build = cli.main(["-f", str(config), "build"])
    built = capfd.readouterr()
    refused = [line for line in (built.out + built.err).splitlines() if FINDING.match(line)]
    everything = checked.out + checked.err + built.out + built.err

    assert [FINDING.match(line)[0].rstrip() for line in findings] == case.expected, findings  # type: ignore[index]
    assert case.message in (findings[0] if findings else "")
    assert check == (1 if case.expected else 0)
    assert build == check, built.err
    assert refused == findings  # the same findings, word for word
    assert "Traceback" not in everything and SECRET not in everything
    if case.expected:
        assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "the previous site"
    else:
        assert {p.name for p in (tmp_path / "site").iterdir()} & {"a", "a.html"}
    if case.mkdocs_agrees:
        assert _mkdocs_strict_builds(config) == (not case.expected)
