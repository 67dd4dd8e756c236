"""Editor support in any repository (issue 13): the schema factmark writes, its snippets, a real LSP client.

The consumer repository is a throw-away project with its own statuses (``misleading``); the client is
yaml-language-server (npm, pinned in the Makefile) spoken to over stdio by the small client below.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import MKDOCS_YML, REPO, Site, annotation, annotations_file, run

from factmark import cli, editorschema

SERVER = REPO / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SECONDS = 60  # per answer of the server; it answers in well under a second on an idle machine

STATUSES = """\
      statuses:
        documented: {label: Documented, description: "Sources show it.", colour: "#c8ebc9", symbol: "✓"}
        misleading: {label: Misleading, description: "True, but it leaves out what changes its meaning.", \
colour: "#ffd2c2", symbol: "!"}
"""
TEXT = "The budget grew by 4 percent last year. Unemployment fell to a record low.\n"
SCHEMA_NAME = editorschema.ANNOTATIONS
SCHEMA = f".factmark/{SCHEMA_NAME}"
OLD_MODELINE = "# yaml-language-server: $schema=../factmark/schema/annotations.schema.json\n"
MODELINE = "# yaml-language-server: $schema=../.factmark/annotations.schema.json\n"


def newsroom(root: Path, site_url: str | None = None) -> Site:
    """A consumer project: its own text, statuses documented and misleading, and no editor schema yet."""
    site = Site(root)
    config = MKDOCS_YML.replace("  - factmark\n", "  - factmark:\n" + STATUSES)
    site.write("mkdocs.yml", (f"site_url: {site_url}\n" if site_url else "") + config)
    site.doc(TEXT)
    return site


def factmark(site: Site, *args: str) -> int:
    return cli.main(["-f", str(site.root / "mkdocs.yml"), *args])


def with_status(site: Site, key: str) -> None:
    """Add a status to the site's mkdocs.yml."""
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    line = f'        {key}: {{label: {key.title()}, description: "Added later.", colour: "#dddddd", symbol: "~"}}\n'
    site.write("mkdocs.yml", config.replace("      statuses:\n", "      statuses:\n" + line))


# --- the schema in the repository -------------------------------------------------------------------------------

def test_schema_lists_the_configured_statuses_and_new_points_to_it(site_root: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    site = newsroom(site_root)
    assert factmark(site, "new", "speech.md", "grew by 4 percent") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [f"{SCHEMA}: written for the statuses of mkdocs.yml",
                       ".factmark/document.schema.json: written for the statuses of mkdocs.yml"]
    text = (site.root / "annotations" / "speech.yaml").read_text(encoding="utf-8")
    assert text.startswith(MODELINE)
    assert 'status: "TODO: documented or misleading"' in text  # the placeholder names this site's statuses
    schema = json.loads((site.root / SCHEMA).read_text(encoding="utf-8"))
    assert (site.root / "annotations" / MODELINE.split("=")[1].strip()).resolve() == (site.root / SCHEMA).resolve()
    assert schema["$defs"]["status"]["enum"] == ["documented", "misleading"]
    assert schema["$defs"]["status"]["enumDescriptions"][1] == "True, but it leaves out what changes its meaning."
    previous = schema["$defs"]["correction"]["properties"]["previous_status"]
    assert previous.get("enum", ["documented", "misleading"]) == ["documented", "misleading"]  # inlined or a $ref
    assert "$id" not in schema and "factmark.example" not in json.dumps(schema)
    code, lines = site.check(capsys)
    assert code == 1 and {line.split()[1] for line in lines} == {"FM106"}  # the skeleton's TODOs, nothing else


def test_a_status_added_in_mkdocs_yml_makes_the_schema_stale_for_check_and_build(
        site_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = newsroom(site_root)
    site.write("annotations/speech.yaml", MODELINE + annotations_file(annotation("grew by 4 percent")))
    assert factmark(site, "schema") == 0
    capsys.readouterr()
    assert site.check(capsys) == (0, [])
    with_status(site, "satire")
    written = (site.root / SCHEMA).read_text(encoding="utf-8").splitlines()
    line = written.index('      "enum": [', written.index('    "status": {')) + 1  # the status list
    expected = (f"{SCHEMA}:{line}:1: FM212 warning: the editor schema lists the statuses documented, misleading; "
                "mkdocs.yml configures satire, documented, misleading; editors would flag valid files or miss "
                "errors (hint: run 'factmark schema' to write it again)")
    assert site.check(capsys) == (0, [expected])  # a warning: only editors read .factmark/
    assert site.check(capsys, "--strict")[0] == 1
    built = run(site, "build")  # check predicts the build: it prints the same warning and builds
    assert built.code == 0 and expected in built.output.replace(str(site.root) + "/", "")
    assert "Traceback" not in built.output and (site.root / "site").exists()
    assert factmark(site, "schema") == 0
    capsys.readouterr()
    assert site.check(capsys) == (0, [])
    assert json.loads((site.root / SCHEMA).read_text())["$defs"]["status"]["enum"] == [
        "satire", "documented", "misleading"]


def test_a_schema_that_is_not_json_is_stale(site_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = newsroom(site_root)
    site.write(SCHEMA, '{"half": ')
    assert site.check(capsys) == (0, [
        f"{SCHEMA}:1:1: FM212 warning: the editor schema is not the one this configuration and this factmark write; "
        "editors would flag valid files or miss errors (hint: run 'factmark schema' to write it again)"])


def test_a_modeline_naming_no_file_is_fm213_and_schema_repairs_only_that_line(
        site_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = newsroom(site_root)
    body = "# Checked against the budget office report.\r\n" + annotations_file(
        annotation("grew by 4 percent")).replace("\n", "\r\n")
    site.write("annotations/speech.yaml", ("\ufeff" + OLD_MODELINE.replace("\n", "\r\n") + body).encode("utf-8"))
    site.write("annotations/other.yaml", "# yaml-language-server: $schema=https://news.example/schema/a.json\n"
               + annotations_file(annotation("fell to a record low", status="misleading"), document="speech.md"))
    code, lines = site.check(capsys)
    assert code == 1
    assert "annotations/speech.yaml:1:33: FM213 warning: the schema modeline names " \
           "'../factmark/schema/annotations.schema.json', which is not a file of this repository, so editors get " \
           "no completion and no checks (hint: run " \
           "'factmark schema', which writes the editor schema and points each file's modeline to it " \
           "($schema=../.factmark/annotations.schema.json))" in lines
    assert not [line for line in lines if "other.yaml" in line and "FM213" in line]  # an address is not checked
    assert factmark(site, "schema") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "annotations/speech.yaml: the modeline now names ../.factmark/annotations.schema.json")
    repaired = (site.root / "annotations" / "speech.yaml").read_bytes().decode("utf-8")
    assert repaired == "\ufeff" + MODELINE.replace("\n", "\r\n") + body  # one line changed, BOM and CRLF kept
    assert not [line for line in site.check(capsys)[1] if "FM213" in line or "FM212" in line]


def test_schema_reports_a_folder_it_cannot_write(site_root: Path) -> None:
    site = newsroom(site_root)
    (site.root / ".factmark").write_text("a file where the folder goes", encoding="utf-8")
    result = run(site, "schema")
    assert result.code == 1 and "Traceback" not in result.output
    assert re.search(r"^\.factmark:1:1: FM503 cannot write the editor schema: .*; the old one is unchanged",
                     result.output.replace(str(site.root) + "/", ""), re.M)


def test_the_build_publishes_the_schema_at_its_id(site_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = newsroom(site_root, site_url="https://news.example/factcheck")
    site.write("annotations/speech.yaml", MODELINE + annotations_file(
        annotation("grew by 4 percent", status="misleading")))
    assert factmark(site, "schema") == 0
    built = run(site, "build")
    assert built.code == 0, built.output
    for name in editorschema.NAMES:
        published = (site.root / "site" / "schema" / name).read_text(encoding="utf-8")
        data = json.loads(published)
        assert data["$id"] == f"https://news.example/factcheck/schema/{name}"
        assert list(data)[:2] == ["$schema", "$id"]
        data.pop("$id")
        assert data == json.loads((site.root / ".factmark" / name).read_text(encoding="utf-8"))
    first = (site.root / "site" / "schema" / "annotations.schema.json").read_bytes()
    assert run(site, "build").code == 0
    assert (site.root / "site" / "schema" / "annotations.schema.json").read_bytes() == first


def test_this_repository_commits_its_current_schema() -> None:
    """The reference site's own annotation files name the schema it commits, and that schema is current."""
    from factmark import settings

    config = settings.load(REPO / "mkdocs.yml")
    assert editorschema.stale_findings(config, str) == []
    for path in sorted((REPO / "annotations").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith(editorschema.modeline(config, path)), path


def test_every_snippet_tab_stop_is_a_placeholder_the_check_refuses(site_root: Path) -> None:
    """A snippet left unfilled never passes: every default is TODO (FM106); statuses are a choice of the site's."""
    site = newsroom(site_root)
    schema = editorschema.schema(site.settings(), editorschema.ANNOTATIONS)
    snippets = list(_snippets(schema))
    assert {s["label"] for s in snippets} == {"annotation file", "annotation", "source", "correction", "withdrawal",
                                            "date", "snapshot"}
    bodies = [json.dumps(s["body"]) for s in snippets]
    stops = [stop for body in bodies for stop in re.findall(r"\$\{\d+[:|][^}]*\}", body)]
    assert stops and all(":TODO " in s or s.endswith("|documented,misleading|}") for s in stops), stops


def _snippets(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield from node.get("defaultSnippets", [])
        for value in node.values():
            yield from _snippets(value)
    elif isinstance(node, list):
        for value in node:
            yield from _snippets(value)


# --- a real client: yaml-language-server over stdio -------------------------------------------------------------

class LanguageServer:
    """A minimal LSP client: Content-Length framing, requests with ids, notifications, server requests answered."""

    SETTINGS: ClassVar[dict[str, Any]] = {"yaml": {"validate": True, "hover": True, "completion": True,
                                                   "schemaStore": {"enable": False}}}  # never the network

    def __init__(self, root: Path) -> None:
        if not SERVER.is_file():
            pytest.fail(f"{SERVER} is missing: `make test` installs it (NPM_PACKAGES in the Makefile)")
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], cwd=root, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ids = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": None, "rootUri": root.as_uri(), "workspaceFolders": [{"uri": root.as_uri(), "name": "n"}],
            "capabilities": {"workspace": {"configuration": True}, "textDocument": {
                "completion": {"completionItem": {"snippetSupport": True}},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "publishDiagnostics": {}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.SETTINGS})

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                return
            self.inbox.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        data = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.ids += 1
        ident = self.ids
        self._send({"id": ident, "method": method, "params": params})
        answer = self.wait(lambda m: m.get("id") == ident and "method" not in m)
        assert "error" not in answer, answer
        return answer["result"]

    def wait(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The next message ``wanted`` accepts, answering the server's own requests meanwhile."""
        deadline = time.monotonic() + SECONDS
        while True:
            try:
                message = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"yaml-language-server sent nothing wanted in {SECONDS} s") from None
            if "method" in message and "id" in message:  # configuration, capability registration...
                items = message.get("params", {}).get("items", [])
                result = [self.SETTINGS.get(i.get("section"), None) for i in items] if items else None
                self._send({"id": message["id"], "result": result})
            elif wanted(message):
                return message

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                               "text": text}})
        return uri

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        """The first non-empty diagnostics published for ``uri`` (the documents opened here all have some)."""
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"]["diagnostics"])["params"]["diagnostics"]

    def completion(self, uri: str, line: int, character: int) -> list[dict[str, Any]]:
        result = self.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": line, "character": character}})
        return result["items"] if isinstance(result, dict) else result

    def hover(self, uri: str, line: int, character: int) -> str:
        result = self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": line, "character": character}})
        return result["contents"]["value"] if result else ""

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=SECONDS)


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """The consumer repository: a folder of its own, outside this repository."""
    root = tmp_path / "newsroom"
    root.mkdir()
    return root


@pytest.fixture
def server(site_root: Path) -> Iterator[LanguageServer]:
    client = LanguageServer(site_root)
    try:
        yield client
    finally:
        client.close()


FILLED = {  # what an editor types into each tab stop, by the key it stands after
    "document": "speech.md", "id": "budget-growth", "quote": "grew by 4 percent", "summary": "The office reports it.",
    "url": "https://budget.example/report", "publisher": "Budget Office", "excerpt": "Spending rose 4 percent.",
    "reviewed": "2025-12-09", "date": "2025-12-01", "note": "The figure was for two years.",
}


_STOP = re.compile(r"\$\{\d+(?::(?P<default>[^}]*)|\|(?P<choices>[^|]*)\|)\}|\$\d+")


def expand(snippet: str, filled: bool) -> str:
    """A snippet as the editor leaves it: every tab stop its default (``filled=False``) or what an editor types
    (by the key it stands after)."""
    def stop(match: re.Match[str]) -> str:
        before = snippet[snippet.rfind("\n", 0, match.start()) + 1:match.start()]
        key = re.match(r"\s*(?:- )?(\w+):", before)
        assert key is not None, f"a tab stop after {before!r}"
        if match["choices"] is not None:
            return "misleading" if filled else match["choices"].split(",")[0]
        if filled:
            return FILLED[key[1]]
        assert match["default"] is not None, f"a tab stop without a default after {key[1]!r} inserts nothing"
        return match["default"]
    return _STOP.sub(stop, snippet)


def insert(text: str, item: dict[str, Any], filled: bool) -> str:
    """``text`` with completion ``item`` accepted, as an editor inserts it: later lines of a multi-line snippet
    get the leading whitespace of the line it is inserted on (LSP's adjustIndentation, VS Code's default)."""
    edit = item["textEdit"]
    start, end = edit["range"]["start"], edit["range"]["end"]
    lines = text.split("\n")
    indent = re.match(r"[ \t]*", lines[start["line"]])[0]  # type: ignore[index]
    new = expand(edit["newText"], filled).replace("\n", "\n" + indent)
    offset = sum(len(line) + 1 for line in lines[:start["line"]])
    return text[:offset + start["character"]] + new + text[offset + sum(
        len(line) + 1 for line in lines[start["line"]:end["line"]]) + end["character"]:]


FIRST = MODELINE + annotations_file(annotation("fell to a record low", id="record-low", status="misleading"))
SNIPPETS = {  # a snippet's label: the file it is offered in (the line asked on ends with the file's final newline),
    # and the line and column it is asked for at
    "annotation file": (MODELINE + "\n", 1, 0),
    "annotation": (FIRST + "  - \n", FIRST.count("\n"), 4),
    "source": (FIRST.replace('    reviewed: "2025-12-09"\n', "      - \n    reviewed: \"2025-12-09\"\n"),
               FIRST.count("\n") - 1, 8),
    "correction": (FIRST + "    corrections:\n      - \n", FIRST.count("\n") + 1, 8),
}


@pytest.mark.parametrize("label", sorted(SNIPPETS))
def test_each_snippet_the_server_offers_gives_a_file_check_accepts_once_filled(
        label: str, site_root: Path, server: LanguageServer, capsys: pytest.CaptureFixture[str]) -> None:
    site = newsroom(site_root)
    assert factmark(site, "schema") == 0
    capsys.readouterr()
    text, line, col = SNIPPETS[label]
    path = site.root / "annotations" / "speech.yaml"
    uri = server.open(path, text)
    described = {s["label"]: s["description"] for s in _snippets(editorschema.schema(site.settings(), SCHEMA_NAME))}
    offered = server.completion(uri, line, col)
    items = [i for i in offered if i["label"] == label and i.get("documentation") == described[label]]
    assert len(items) == 1, [(i["label"], i.get("documentation")) for i in offered]
    if label == "annotation file":
        assert "${4|documented,misleading|}" in items[0]["textEdit"]["newText"]  # the site's statuses to choose
    site.write("annotations/speech.yaml", insert(text, items[0], filled=False))
    code, lines = site.check(capsys)
    assert code == 1 and lines and {f.split()[1] for f in lines} == {"FM106"}, lines
    site.write("annotations/speech.yaml", insert(text, items[0], filled=True))
    code, lines = site.check(capsys)
    assert (code, lines) == (0, []), (lines, path.read_text(encoding="utf-8"))


def test_completion_offers_the_keys_and_the_configured_statuses(site_root: Path, server: LanguageServer) -> None:
    site = newsroom(site_root)
    assert factmark(site, "schema") == 0
    text = FIRST.replace("    status: misleading\n", "    status: \n")
    uri = server.open(site.root / "annotations" / "speech.yaml", text)
    lines = text.split("\n")
    status = lines.index("    status: ")
    values = {i["label"]: i for i in server.completion(uri, status, len("    status: "))}
    assert {"documented", "misleading"} <= values.keys() and "disputed" not in values
    assert values["misleading"]["documentation"] == "True, but it leaves out what changes its meaning."
    keys = {i["label"]: i["textEdit"]["newText"] for i in server.completion(
        server.open(site.root / "annotations" / "keys.yaml", MODELINE + "document: speech.md\nannotations:\n  - "),
        3, 4) if i.get("kind") == 10}
    assert {"id", "quote", "prefix", "suffix", "status", "summary", "note", "sources", "reviewed",
            "corrections"} <= keys.keys()
    assert keys["quote"] == "quote: " and keys["reviewed"].startswith('reviewed: "')  # a date is quoted


def test_hover_shows_the_descriptions(site_root: Path, server: LanguageServer) -> None:
    site = newsroom(site_root)
    assert factmark(site, "schema") == 0
    uri = server.open(site.root / "annotations" / "speech.yaml", FIRST)
    lines = FIRST.split("\n")
    quote = next(n for n, line in enumerate(lines) if line.startswith("    quote:"))
    assert "The exact words a reader sees" in server.hover(uri, quote, 6)
    status = next(n for n, line in enumerate(lines) if line.startswith("    status:"))
    assert "misleading: True, but it leaves out what changes its meaning." in server.hover(uri, status, 6)


def test_diagnostics_flag_a_bad_status_and_accept_a_configured_one(site_root: Path, server: LanguageServer,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    site = newsroom(site_root)
    assert factmark(site, "schema") == 0
    capsys.readouterr()
    text = MODELINE + annotations_file(annotation("grew by 4 percent", id="growth", status="misleading"),
                                       annotation("fell to a record low", id="record", status="disputed"))
    lines = text.split("\n")
    uri = server.open(site.root / "annotations" / "speech.yaml", text)
    found = [(d["range"]["start"]["line"], d["message"]) for d in server.diagnostics(uri)]
    bad = [n for n, line in enumerate(lines) if line == "    status: disputed"]
    assert found == [(bad[0], 'Value is not accepted. Valid values: "documented", "misleading".')]
    site.write("annotations/speech.yaml", text)
    code, out = site.check(capsys)  # the check agrees: the same status, the same line
    assert code == 1 and out == [f"annotations/speech.yaml:{bad[0] + 1}:13: FM206 unknown status 'disputed' "
                                 "(hint: allowed: documented, misleading)"]
