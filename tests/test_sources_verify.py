"""``factmark sources verify`` against real HTTP servers on 127.0.0.1 that the tests start (no other network)."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import REPO, Site, annotations_file

from factmark import __version__, cli, scaffold

Verified = tuple[Site, bytes, dict[str, dict[str, object]], list[str], float]

EXCERPT = "The minister said the “bridge” will open in 2026 — not before."
PAGE = ("<html><head><title>x</title><script>var s = 'The minister said the bridge will open';</script></head>"
        "<body><p>Intro.</p><p>The minister <b>said</b> the \"bridge\" will open in 2026 &mdash; not\n   before.</p>"
        "</body></html>")
BIG = 50 * 1024 * 1024
LIMIT = 1_000_000
HOST_DELAY = 0.1  # seconds between two requests to the one test host


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping never holds the test up
    seen: list[tuple[float, str, str]]  # (time, path, User-Agent) of every request
    sent_big: int
    flaky: int

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up on a hanging page, as it should


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.seen.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
        path = self.path
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path in ("/keep", "/private/keep"):
            return self.send(200, PAGE.encode())
        if path == "/lost":
            return self.send(200, PAGE.replace("2026", "2030").encode())
        if path == "/moved":
            return self.send(301, b"", Location="/keep")
        if path == "/slow":
            time.sleep(0.4)
            return self.send(200, PAGE.encode())
        if path == "/hang":
            time.sleep(4)
            return self.send(200, PAGE.encode())
        if path == "/latin":  # declared windows-1252: curly quotes and a dash are single bytes there
            return self.send(200, PAGE.replace("&mdash;", "\u2014").replace("Intro", "Café").encode("cp1252"),
                             "text/html; charset=windows-1252")
        if path == "/flaky":
            self.server.flaky += 1
            return self.send(503, b"busy", **{"Retry-After": "0"}) if self.server.flaky == 1 \
                else self.send(200, PAGE.encode())
        if path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_532 + b"</p>"
            try:
                while self.server.sent_big < BIG:
                    self.wfile.write(chunk)
                    self.server.sent_big += len(chunk)
            except OSError:
                pass  # the client hung up at its limit, as it should
            return None
        return self.send(404, b"<p>Not here</p>")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.seen, httpd.sent_big, httpd.flaky = [], 0, 0
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()


CASES = ["keep", "lost", "moved", "missing", "hang", "slow", "latin", "big", "private/keep", "flaky"]


def source_site(root: Path, base: str, cases: list[str]) -> Site:
    site = Site(root)
    site.doc("".join(f"Claim number {n} is here.\n\n" for n in range(len(cases))))
    entries = "".join(f"""\
  - id: c{n}
    quote: "Claim number {n} is here."
    status: documented
    summary: "One sentence."
    sources:
      # the {case} case
      - url: "{base}/{case}"
        publisher: Example
        excerpt: "{EXCERPT}"
    reviewed: "2025-12-09"
""" for n, case in enumerate(cases))
    site.write("annotations/speech.yaml", annotations_file(entries))
    return site


@pytest.fixture(scope="module")
def verified(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Verified:
    site = source_site(tmp_path_factory.mktemp("verify"), f"http://127.0.0.1:{server.server_port}", CASES)
    before = (site.root / "annotations/speech.yaml").read_bytes()
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["-f", str(site.root / "mkdocs.yml"), "sources", "verify", "--format", "json",
                         "--host-delay", str(HOST_DELAY), "--timeout", "1", "--retries", "1", "--backoff", "0.05",
                         "--max-bytes", str(LIMIT)])
    seconds = time.monotonic() - started
    assert code == 1
    results = {r["url"].rsplit("/", 1)[1] if "private" not in r["url"] else "private/keep": r
               for r in json.loads(out.getvalue())}
    findings = [line for line in err.getvalue().splitlines() if " FM" in line]
    return site, before, results, findings, seconds


def test_each_case_is_reported(verified: Verified) -> None:
    _, _, results, _, _ = verified
    state = {case: (r["status"], r["reachable"], r["excerpt"]) for case, r in results.items()}
    assert state["keep"] == (200, True, "found")  # markup, entities, line breaks and script text do not matter
    assert state["lost"] == (200, True, "missing")
    assert state["moved"] == (200, True, "found") and results["moved"]["redirected"]
    assert str(results["moved"]["final_url"]).endswith("/keep")
    assert state["missing"] == (404, False, "unchecked")
    assert state["hang"][:2] == (None, False) and "timed out" in str(results["hang"]["error"])
    assert state["slow"] == (200, True, "found")
    assert state["latin"] == (200, True, "found")  # decoded with its declared charset
    assert state["flaky"] == (200, True, "found")  # a 503 is retried after the backoff
    assert state["private/keep"] == (None, False, "unchecked")
    assert results["private/keep"]["error"] == "robots.txt disallows it"


def test_a_huge_page_is_cut_at_the_limit(verified: Verified, server: Server) -> None:
    big = verified[2]["big"]
    assert big["bytes_read"] == LIMIT and big["truncated"] and big["excerpt"] == "missing"
    assert server.sent_big < BIG / 2  # the client hung up: the server never got to send the 50 MB


def test_problems_are_findings_at_the_source_lines(verified: Verified) -> None:
    site, _, _, findings, _ = verified
    root = str(site.root) + "/"
    codes = sorted((line.replace(root, "").split(":")[1], line.split()[1]) for line in findings)
    lines = {case: 9 + 10 * n for n, case in enumerate(CASES)}  # each source's url line
    assert codes == sorted([(str(lines["lost"]), "FM601"), (str(lines["missing"]), "FM600"),
                            (str(lines["hang"]), "FM600"), (str(lines["big"]), "FM601"),
                            (str(lines["private/keep"]), "FM604")]), findings
    assert any("only its first 1,000,000 bytes were read" in line for line in findings)
    assert all(line.replace(root, "").startswith("annotations/speech.yaml:") for line in findings)


def test_verify_is_polite_and_leaves_the_files_alone(verified: Verified, server: Server) -> None:
    site, before, _, _, seconds = verified
    assert (site.root / "annotations/speech.yaml").read_bytes() == before
    agents = {agent for _, _, agent in server.seen}
    assert agents == {f"factmark/{__version__} (fact-check source verification)"}
    assert [path for _, path, _ in server.seen].count("/robots.txt") == 1  # read once per host
    assert "/private/keep" not in [path for _, path, _ in server.seen]
    times = sorted(t for t, _, _ in server.seen)
    # one host, four workers: requests take turns HOST_DELAY apart (arrivals jitter by some milliseconds)
    assert times[-1] - times[0] >= HOST_DELAY * (len(times) - 1) - 0.05
    assert min(b - a for a, b in itertools.pairwise(times)) >= HOST_DELAY / 2
    assert seconds < 10  # the hanging page costs its timeout and one retry, not its four seconds each


def test_a_run_never_outlasts_its_time_limit(server: Server, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    site = source_site(tmp_path, f"http://127.0.0.1:{server.server_port}", ["hang", "hang", "hang", "keep"])
    started = time.monotonic()
    code = cli.main(["-q", "-f", str(site.root / "mkdocs.yml"), "sources", "verify", "--host-delay", "0.3",
                     "--timeout", "3", "--retries", "0", "--time-limit", "1.0", "--concurrency", "1"])
    err = capsys.readouterr().err
    assert code == 1 and time.monotonic() - started < 3.5
    assert "FM605" in err and "the time limit was reached" in err


def test_record_writes_status_and_verified_keeping_comments(server: Server, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    site = source_site(tmp_path, f"http://127.0.0.1:{server.server_port}", ["keep", "missing", "lost"])
    code = cli.main(["-f", str(site.root / "mkdocs.yml"), "sources", "verify", "--record", "--host-delay", "0",
                     "--retries", "0", "--timeout", "2"])
    out = capsys.readouterr().out
    text = (site.root / "annotations/speech.yaml").read_text(encoding="utf-8")
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert code == 1 and "# the keep case" in text and "# the missing case" in text
    blocks = text.split("  - id: ")[1:]
    assert f'        verified: "{today}"\n' in blocks[0] and "        status:" not in blocks[0]
    assert "        status: dead\n" in blocks[1] and "verified" not in blocks[1]
    assert "        status:" not in blocks[2] and "verified" not in blocks[2]  # reachable, but the excerpt is gone
    assert f"annotations[0].sources[0] (c0): verified {today}" in out and "(c1): status dead (HTTP 404)" in out
    assert cli.main(["-q", "-f", str(site.root / "mkdocs.yml"), "check"]) == 0  # still valid and canonical


def test_init_and_this_repository_schedule_verify_with_the_same_workflow() -> None:
    workflow = scaffold.files("2026-01-01")[".github/workflows/verify-sources.yml"]
    data = yaml.safe_load(workflow)
    assert data[True]["schedule"] and "workflow_dispatch" in data[True]  # YAML 1.1 reads `on` as true
    steps = "\n".join(step.get("run", "") for step in data["jobs"]["verify"]["steps"])
    assert "factmark sources verify --record" in steps and "gh pr create" in steps and "gh issue create" in steps
    ours = (REPO / ".github/workflows/verify-sources.yml").read_text(encoding="utf-8")
    assert ours == scaffold.VERIFY_WORKFLOW.format(install="make setup", factmark=".venv/bin/factmark")


def test_snapshots_are_verified_too(server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = f"http://127.0.0.1:{server.server_port}"
    site = source_site(tmp_path, base, ["keep"])
    site.write("mkdocs.yml", site.root.joinpath("mkdocs.yml").read_text().replace(
        "  - factmark\n", f"  - factmark:\n      archives:\n        - {{name: local, prefix: '{base}/'}}\n"))
    text = site.root.joinpath("annotations/speech.yaml").read_text()
    site.write("annotations/speech.yaml", text.replace("        publisher: Example\n", f"""\
        publisher: Example
        archived:
          - url: "{base}/snapshot-gone"
            date: "2025-01-01"
          - url: "{base}/lost"
            date: "2025-01-02"
          - url: "{base}/slow"
            date: "2025-01-03"
"""))
    code = cli.main(["-f", str(site.root / "mkdocs.yml"), "sources", "verify", "--host-delay", "0", "--retries", "0"])
    captured = capsys.readouterr()
    report = captured.out.replace(str(site.root) + "/", "").splitlines()
    assert code == 1 and report == [
        f"annotations/speech.yaml:9:14: {base}/keep: HTTP 200; excerpt found",
        f"annotations/speech.yaml:12:18: {base}/snapshot-gone: HTTP 404; excerpt unchecked",
        f"annotations/speech.yaml:14:18: {base}/lost: HTTP 200; excerpt missing",
        f"annotations/speech.yaml:16:18: {base}/slow: HTTP 200; excerpt found"]
    found = [line.split(" ", 2)[:2] for line in captured.err.replace(str(site.root) + "/", "").splitlines()
             if " FM" in line]
    assert found == [["annotations/speech.yaml:12:18:", "FM602"], ["annotations/speech.yaml:14:18:", "FM603"]]


@pytest.mark.parametrize("args", [["--max-bytes", "0"], ["--timeout", "soon"], ["--concurrency", "-1"]])
def test_a_bad_bound_is_a_usage_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["sources", "verify", *args])
    assert exc.value.code == 2 and f"argument {args[0]}" in capsys.readouterr().err
