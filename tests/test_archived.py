"""Archived copies: the format and its check, Robust Links on the page, TimeState in the W3C export,
and ``factmark sources archive`` against an archive stand-in on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import collectionpages
import pytest
import yaml
from conftest import MKDOCS_YML, Site, annotation, annotations_file
from test_opendata import Assertions, assertions, w3c_suite

from factmark import cli

WAYBACK = "https://web.archive.org/web/20250103120000/https://example.org/report"
PERMA = "https://perma.cc/ABCD-1234"
OWN = "https://warc.newsroom.example/replay/20250104083000/https://example.org/report"
WITH_OWN_ARCHIVE = MKDOCS_YML.replace("  - factmark\n", """\
  - factmark:
      archives:
        - name: Our WARC store
          prefix: https://warc.newsroom.example/replay/
          timestamped: true
""") + "site_url: https://factchecks.example/\n"


def source_extra(status: str | None, *snapshots: tuple[str, str]) -> str:
    """YAML lines that give the test source of :func:`conftest.annotation` its snapshots and status."""
    lines = "".join(f'          - url: "{url}"\n            date: "{date}"\n' for url, date in snapshots)
    return ("        archived:\n" + lines if snapshots else "") + (f"        status: {status}\n" if status else "")


def with_source(quote: str, ident: str, status: str | None, *snapshots: tuple[str, str]) -> str:
    return annotation(quote, id=ident).replace('        excerpt: "The passage."\n',
                                               '        excerpt: "The passage."\n' + source_extra(status, *snapshots))


def check(site: Site, capsys: pytest.CaptureFixture[str], *entries: str) -> list[str]:
    site.write("annotations/speech.yaml", annotations_file(*entries))
    return site.check(capsys)[1]


# --- the check -------------------------------------------------------------------------------


def test_snapshots_of_configured_archives_pass(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("mkdocs.yml", WITH_OWN_ARCHIVE)
    site.doc("The sky is blue and the grass is green.\n")
    found = check(site, capsys, with_source("The sky is blue", "a1", "dead", (WAYBACK, "2025-01-03"),
                                            (PERMA, "2025-01-05"), (OWN, "2025-01-04"),
                                            ("http://web.archive.org/web/20250103120000id_/http://www.example.org:80/report/",
                                             "2025-01-03")))
    assert found == []


def test_each_snapshot_that_is_not_evidence_is_refused_at_its_line(site: Site,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    site.doc("The sky is blue and the grass is green.\n")
    found = check(site, capsys, with_source(
        "The sky is blue", "a1", "usurped",
        (WAYBACK, "2025-01-04"),  # the timestamp says the 3rd
        ("https://archive.ph/abcd", "2025-01-04"),
        ("https://web.archive.org/web/2025/https://example.org/report", "2025-01-04"),
        ("https://web.archive.org/web/20250103120000/https://example.org/other", "2025-01-03"),
        (OWN, "2025-01-04")),  # not configured in this site
        with_source("the grass is green", "a2", "usurped"))
    codes = [(line.split(":")[1], line.split()[1]) for line in found]
    assert codes == [("15", "FM242"), ("16", "FM241"), ("18", "FM242"), ("20", "FM243"), ("22", "FM240"),
                     ("36", "FM244")], found
    assert "English Wikipedia deprecated it in February 2026 after archived pages were found altered" in found[1]
    assert "(2025-01-03)" in found[0] and 'hint: date: "2025-01-03"' in found[0]
    assert "configured archive (the Internet Archive, perma.cc)" in found[4]


def test_a_site_may_accept_archive_today_by_listing_it(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - factmark\n", "  - factmark:\n      archives:\n"
                                                "        - {name: archive.today, prefix: 'https://archive.ph/'}\n"))
    site.doc("The sky is blue.\n")
    entry = with_source("The sky is blue", "a1", None, ("https://archive.ph/abcd", "2025-01-04"))
    assert check(site, capsys, entry) == []


@pytest.mark.parametrize(("option", "message"), [
    ("archives: yes", "must be a list of archives"),
    ("archives:\n        - {name: X, prefix: 'ftp://x.example/'}", "prefix must be an http(s) address ending in '/'"),
    ("archives:\n        - {name: X, prefix: 'https://x.example/', timestamped: maybe}", "timestamped must be true"),
    ("archives:\n        - {prefix: 'https://x.example/'}", "needs a non-empty 'name'"),
])
def test_a_bad_archives_option_is_fm402_at_its_line(site: Site, capsys: pytest.CaptureFixture[str], option: str,
                                                   message: str) -> None:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - factmark\n", f"  - factmark:\n      {option}\n"))
    site.doc("The sky is blue.\n")
    code, lines = site.check(capsys)
    assert code == 1 and len(lines) == 1 and " FM402 " in lines[0] and message in lines[0], lines
    assert lines[0].startswith("mkdocs.yml:1") and lines[0].split(":")[1] in ("10", "11"), lines


# --- the page and the open data ------------------------------------------------------------------


class Links(HTMLParser):
    """Every <a> of the Annotations list, with its attributes, and the text of each source item."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, Any]] = []
        self.items: list[str] = []
        self.entries = False
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "section" and named.get("id") == "fm-annotations":
            self.entries = True
        if self.entries and tag == "li" and "fm-source" in (named.get("class") or ""):
            self.items.append("")
        if self.entries and tag == "a":
            self.links.append({**named, "item": len(self.items) - 1})

    def handle_data(self, data: str) -> None:
        if self.entries and self.items:
            self.items[-1] += data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One site with a live, a dead and a usurped source, all archived, and a dead one without a copy."""
    site = Site(tmp_path_factory.mktemp("archived"))
    site.write("mkdocs.yml", WITH_OWN_ARCHIVE)
    site.doc("The sky is blue. The grass is green. Water is wet. Fire is hot.\n")
    site.write("annotations/speech.yaml", annotations_file(
        with_source("The sky is blue", "live", None, (WAYBACK, "2025-01-03"), (PERMA, "2025-01-05")),
        with_source("The grass is green", "dead", "dead", (WAYBACK, "2025-01-03"), (OWN, "2025-01-04")),
        with_source("Water is wet", "usurped", "usurped", (PERMA, "2025-01-05")),
        with_source("Fire is hot", "gone", "dead")))
    assert cli.main(["-q", "-f", str(site.root / "mkdocs.yml"), "build", "-d", str(site.root / "site")]) == 0
    return site.root / "site"


def page_links(built: Path) -> Links:
    parser = Links()
    parser.feed((built / "speech" / "index.html").read_text(encoding="utf-8"))
    return parser


ROBUST = ("data-originalurl", "data-versionurl", "data-versiondate")


def test_every_link_to_an_archived_source_carries_the_robust_links_attributes(built: Path) -> None:
    html = (built / "speech" / "index.html").read_text(encoding="utf-8")
    links = [a for a in page_links(built).links if "fm-back" not in (a.get("class") or "")
             and "fm-permalink" not in (a.get("class") or "")]
    by_item = [[a for a in links if a["item"] == i] for i in range(4)]
    for i, item in enumerate(by_item[:3]):
        for a in item:
            if "fm-original" in (a.get("class") or ""):
                continue  # the dead original itself, linked after its snapshot
            assert all(a.get(k) for k in ROBUST), (i, a)
            assert a["data-originalurl"] == "https://example.org/report"
    assert not any(k in a for a in by_item[3] for k in ROBUST)  # no snapshot, no version to name
    assert "fm-card" not in html  # the notes copy each source's first link, attributes and all (factmark.js)


def test_a_live_source_links_the_original_first_then_each_archived_copy(built: Path) -> None:
    parser = page_links(built)
    live = [a for a in parser.links if a["item"] == 0]
    assert live[0]["href"].startswith("https://example.org/report#:~:text=")
    assert live[0]["data-versionurl"] == WAYBACK and live[0]["data-versiondate"] == "2025-01-03"
    copies = [a for a in live if a.get("class") == "fm-archived"]
    assert [(a["href"], a["data-versionurl"], a["data-versiondate"]) for a in copies] == [
        (WAYBACK, WAYBACK, "2025-01-03"), (PERMA, PERMA, "2025-01-05")]
    assert "archived copy of 3 January 2025; archived copy of 5 January 2025" in parser.items[0]


def test_a_dead_source_links_its_snapshot_first_and_a_usurped_one_never_links_the_original(built: Path) -> None:
    parser = page_links(built)
    dead = [a for a in parser.links if a["item"] == 1]
    assert dead[0]["href"].startswith(WAYBACK + "#:~:text=")
    assert [a["href"] for a in dead if a.get("class") == "fm-original"] == ["https://example.org/report"]
    assert [a["href"] for a in dead if a.get("class") == "fm-archived"] == [OWN]
    assert "(dead link)" in parser.items[1]
    usurped = [a for a in parser.links if a["item"] == 2]
    assert usurped[0]["href"].startswith(PERMA + "#:~:text=")
    assert not any(a["href"].startswith("https://example.org") for a in usurped)
    assert "now belongs to someone else and is not linked" in parser.items[2]
    firsts = [next(a for a in parser.links if a["item"] == i)["href"].split("#")[0] for i in range(4)]
    assert firsts == ["https://example.org/report", WAYBACK, PERMA, "https://example.org/report"]  # what a note copies
    gone = [a for a in parser.links if a["item"] == 3]
    assert len(gone) == 1 and gone[0]["href"].startswith("https://example.org/report#")  # nothing better to link
    assert "(dead link; no archived copy is known)" in parser.items[3]


def test_the_w3c_export_gives_each_archived_source_a_time_state(built: Path) -> None:
    items = collectionpages.items(built)
    states = {i["id"].rsplit("#fm-", 1)[1]: [b.get("state") for b in i["body"] if b.get("purpose") == "linking"]
              for i in items}
    assert states["live"] == [[
        {"type": "TimeState", "cached": WAYBACK, "sourceDate": "2025-01-03T12:00:00Z"},
        {"type": "TimeState", "cached": PERMA, "sourceDate": "2025-01-05T00:00:00Z"}]]
    assert states["dead"][0][1] == {"type": "TimeState", "cached": OWN, "sourceDate": "2025-01-04T08:30:00Z"}
    assert states["usurped"] == [{"type": "TimeState", "cached": PERMA, "sourceDate": "2025-01-05T00:00:00Z"}]
    assert states["gone"] == [None]
    registry, root = w3c_suite()  # crawled once for both lists of assertions
    musts, optionals = (Assertions(registry, assertions(root, f"annotations/annotation{kind}.test"))
                        for kind in ("Musts", "Optionals"))
    assert {i["id"]: musts.failed(i) for i in items if musts.failed(i)} == {}
    timed = ("4.3-stateFound.json", "4.3.1-timeState.json", "4.3.1-cached.json")
    for item in items:  # the MAY assertions on states pass where a source has a snapshot; `cached` fails elsewhere
        failed = optionals.failed(item)
        has_state = any(b.get("state") for b in item["body"])
        assert not set(timed) & set(failed) if has_state else "4.3.1-cached.json" in failed, item["id"]
    broken = {**items[0], "body": [{**b, "state": {"type": "TimeState", "cached": WAYBACK}} for b in items[0]["body"]]}
    assert "4.3.1-timeStateValid.json" in musts.failed(broken)  # guard: a TimeState without sourceDate fails



# --- sources archive, against a stand-in of the Wayback Machine's APIs on 127.0.0.1 ------------------


class Archive(ThreadingHTTPServer):
    """Speaks the availability API (GET /wayback/available?url=) and Save Page Now 2 (POST /save with
    ``url=``, Authorization ``LOW key:secret``; GET /save/status/<job_id>), as archive.org documents them."""

    daemon_threads = True
    requests: list[tuple[str, str, str]]  # method, path, Authorization
    polls: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class ArchiveHandler(BaseHTTPRequestHandler):
    server: Archive

    def log_message(self, *args: object) -> None:
        pass

    def answer(self, data: object, status: int = 200) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.requests.append(("GET", self.path, self.headers.get("Authorization", "")))
        parts = urlsplit(self.path)
        if parts.path == "/wayback/available":
            url = parse_qs(parts.query)["url"][0]
            if "known" not in url:
                return self.answer({"archived_snapshots": {}})
            return self.answer({"url": url, "archived_snapshots": {"closest": {
                "available": True, "url": f"{self.server.base}/web/20240506070809/{url}",
                "timestamp": "20240506070809", "status": "200"}}})
        if parts.path == "/save/status/spn2-1":
            self.server.polls += 1
            if self.server.polls < 2:
                return self.answer({"status": "pending", "job_id": "spn2-1"})
            return self.answer({"status": "success", "job_id": "spn2-1", "timestamp": "20251130101112",
                                "original_url": "https://fresh.example/page", "duration_sec": 6.2})
        return self.answer({"status": "error", "message": "no such job"}, 404)

    def do_POST(self) -> None:
        auth = self.headers.get("Authorization", "")
        self.server.requests.append(("POST", self.path, auth))
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        if self.path != "/save" or auth != "LOW key:secret" or self.headers.get("Accept") != "application/json":
            return self.answer({"status": "error", "message": "unauthorized"}, 401)
        return self.answer({"url": form["url"][0], "job_id": "spn2-1"})


@pytest.fixture
def archive_server() -> Iterator[Archive]:
    httpd = Archive(("127.0.0.1", 0), ArchiveHandler)
    httpd.requests, httpd.polls = [], 0
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()


def archive_site(site: Site, base: str) -> Path:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - factmark\n", f"""\
  - factmark:
      archives:
        - name: the stand-in
          prefix: {base}/web/
          timestamped: true
"""))
    site.doc("The sky is blue. The grass is green. Water is wet.\n")
    entries = [annotation("The sky is blue", id="known").replace("https://example.org/report",
                                                                   "https://known.example/report"),
               annotation("The grass is green", id="fresh").replace("https://example.org/report",
                                                                      "https://fresh.example/page"),
               with_source("Water is wet", "kept", None, (PERMA, "2025-01-05"))]
    return site.write("annotations/speech.yaml", "# our sources\n" + annotations_file(*entries))


def archive(site: Site, archive_server: Archive) -> int:
    base = archive_server.base
    return cli.main(["-f", str(site.root / "mkdocs.yml"), "sources", "archive", "--availability-api",
                     f"{base}/wayback/available", "--save-api", f"{base}/save", "--replay", f"{base}/web/",
                     "--poll", "0.05", "--host-delay", "0", "--retries", "0", "--time-limit", "10"])


def test_archive_records_a_found_snapshot_and_a_new_capture(site: Site, archive_server: Archive,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = archive_site(site, archive_server.base)
    monkeypatch.setenv("FACTMARK_SPN_AUTH", "key:secret")
    assert archive(site, archive_server) == 0
    out = capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    base = archive_server.base
    assert text.startswith("# our sources\n")
    assert (f'        archived:\n          - url: "{base}/web/20240506070809/https://known.example/report"\n'
            '            date: "2024-05-06"\n') in text
    assert (f'        archived:\n          - url: "{base}/web/20251130101112/https://fresh.example/page"\n'
            '            date: "2025-11-30"\n') in text
    assert text.count("archived:") == 3 and text.count(PERMA) == 1  # a source with a snapshot is left alone
    assert "(known): archived" in out and "(fresh): archived" in out
    saves = [r for r in archive_server.requests if r[0] == "POST"]
    assert saves == [("POST", "/save", "LOW key:secret")]  # only the source the archive did not hold
    assert archive_server.polls == 2  # pending, then success
    assert site.check(capsys) == (0, [])  # the recorded snapshots pass the check: timestamp, date and original agree


def test_archive_without_credentials_says_what_is_missing(site: Site, archive_server: Archive,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = archive_site(site, archive_server.base)
    monkeypatch.delenv("FACTMARK_SPN_AUTH", raising=False)
    assert archive(site, archive_server) == 1
    err = capsys.readouterr().err.replace(str(site.root) + "/", "")
    recorded = {a["id"]: a["sources"][0].get("archived") for a in yaml.safe_load(path.read_text())["annotations"]}
    assert recorded["known"] == [{"url": f"{archive_server.base}/web/20240506070809/https://known.example/report",
                                  "date": "2024-05-06"}]  # the snapshot that exists is still recorded
    assert recorded["fresh"] is None
    assert re.search(r"annotations/speech\.yaml:\d+:\d+: FM611 https://fresh\.example/page was not archived: no "
                     r"snapshot exists, and Save Page Now needs credentials \(FACTMARK_SPN_AUTH\)", err), err
    assert not [r for r in archive_server.requests if r[0] == "POST"]
