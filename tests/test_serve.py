"""The live preview: incremental rebuilds equal a full build; bad edits keep the last good page."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import MKDOCS_YML, Site, annotation, annotations_file

from factmark import cli

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch_until(url: str, needle: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body = response.read().decode("utf-8")
            if needle in body:
                return body
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds} s")


def test_serve_rebuilds_on_annotation_change(site: Site) -> None:
    site.doc("Prices fell by half.\n")
    path = site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell", status="documented")))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "-f", str(site.root / "mkdocs.yml"), "serve",
         "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/speech/"
        fetch_until(url, 'class="fm-hl fm-documented"')
        path.write_text(annotations_file(annotation("by half", status="disputed")), encoding="utf-8")
        body = fetch_until(url, 'class="fm-hl fm-disputed"')
        assert "fm-documented\"" not in body.split("<main")[1].split("fm-annotations")[0]
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def serving(site: Site, log: Path) -> Iterator[str]:
    """Run `build.py serve` on a free port with its site_url, so a full build can be compared byte for byte."""
    port = free_port()
    site.write("mkdocs.yml", MKDOCS_YML + f"site_url: http://127.0.0.1:{port}/\n")
    temp = log.parent / "tmp"  # its own temporary folder: other tests' servers may run at the same time
    temp.mkdir()
    with log.open("w") as err:
        server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "-f", str(site.root / "mkdocs.yml"),
                                   "serve", "-a", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=err,
                                  env={**os.environ, "TMPDIR": str(temp)})
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert not list(temp.glob("factmark-serve-*"))  # stopping removed its site


def wait_for_log(log: Path, needle: str, count: int = 1, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8")
        if text.count(needle) >= count:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not logged {count} time(s):\n{log.read_text(encoding='utf-8')}")


def test_incremental_rebuild_equals_a_full_build(site: Site, tmp_path: Path) -> None:
    site.doc("Prices fell by half. Wages rose.\n")
    path = site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell")))
    log = tmp_path / "serve.log"
    with serving(site, log) as root:
        fetch_until(root + "speech/", 'class="fm-hl fm-documented" data-fm="a1">Prices fell')
        path.write_text(annotations_file(annotation("Wages rose", status="disputed")), encoding="utf-8")
        fetch_until(root + "speech/", 'class="fm-hl fm-disputed" data-fm="a1">Wages rose')
        site.doc("Prices fell by half. Wages rose. Rents were flat.\n")
        served = fetch_until(root + "speech/", "Rents were flat.")
        wait_for_log(log, "factmark: rebuilt speech.md", count=2)
        out = tmp_path / "full"
        assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
        # Pagefind runs again after the page is served: the same pages make the same index (its files are
        # named by hashes of what they hold, and the entry names them)
        entry = (out / "search" / "pagefind-entry.json").read_bytes()
        fetch_until(root + "search/pagefind-entry.json", entry.decode("utf-8"), seconds=60)
        wait_for_log(log, "factmark: search index rebuilt")
        assert log.read_text(encoding="utf-8").count("Documentation built") == 1  # no full rebuild happened
    served = re.sub(r"<script>\s*var livereload.*?</script>\s*", "", served, flags=re.S)  # the server's own
    assert served == (out / "speech" / "index.html").read_text(encoding="utf-8")
    assert (out / "speech" / "annotations.jsonld").read_bytes()  # the full build writes it too


def test_a_bad_edit_keeps_the_last_good_page_and_says_where(site: Site, tmp_path: Path) -> None:
    site.doc("Prices fell by half.\n")
    path = site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell")))
    log = tmp_path / "serve.log"
    with serving(site, log) as root:
        good = 'class="fm-hl fm-documented" data-fm="a1">Prices fell'
        fetch_until(root + "speech/", good)
        path.write_text(annotations_file(annotation("Prices rose")), encoding="utf-8")
        text = wait_for_log(log, "FM301")
        assert "annotations/speech.yaml:" in text and "Traceback" not in text
        assert good in fetch_until(root + "speech/", "Prices fell")
        path.write_text(annotations_file(annotation("by half", status="disputed")), encoding="utf-8")
        fetch_until(root + "speech/", 'class="fm-hl fm-disputed" data-fm="a1">by half')


def test_a_new_annotation_file_rebuilds_everything(site: Site, tmp_path: Path) -> None:
    site.doc("Prices fell by half.\n")
    site.doc("Wages rose.\n", name="other.md")
    site.write("annotations/speech.yaml", annotations_file(annotation("Prices fell")))
    log = tmp_path / "serve.log"
    with serving(site, log) as root:
        fetch_until(root + "speech/", 'data-fm="a1">Prices fell')
        site.write("annotations/other.yaml", annotations_file(annotation("Wages rose", status="disputed"),
                                                              document="other.md"))
        fetch_until(root + "other/", 'class="fm-hl fm-disputed" data-fm="a1">Wages rose')
        wait_for_log(log, "Documentation built", count=2)


def test_numbered_claims_pages_follow_an_edit(site: Site, tmp_path: Path) -> None:
    site.doc("Prices fell. Wages rose. Rents were flat.\n")
    site.write("content/claims.md", "---\ntitle: Claims\ntemplate: claims.html\n---\n")
    first, second, third = (annotation("Prices fell", status="disputed"),
                            annotation("Wages rose", id="a2", status="disputed"),
                            annotation("Rents were flat", id="a3", status="disputed"))
    path = site.write("annotations/speech.yaml", annotations_file(first, second))
    log = tmp_path / "serve.log"
    with serving(site, log) as root:
        fetch_until(root + "claims/", "Wages rose")
        site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text().replace(
            "  - factmark\n", "  - factmark:\n      claims_per_page: 1\n"))  # a full rebuild, two disputed pages
        fetch_until(root + "claims/disputed/2/", "Wages rose")
        wait_for_log(log, "Documentation built", count=2)
        path.write_text(annotations_file(first, second, third), encoding="utf-8")  # one page more
        assert "Rents were flat" in fetch_until(root + "claims/disputed/3/", "page 3 of 3")
        assert "Wages rose" in fetch_until(root + "claims/disputed/2/", "page 2 of 3")
        path.write_text(annotations_file(first, third.replace("a3", "a2")), encoding="utf-8")  # one page fewer
        served = fetch_until(root + "claims/disputed/2/", "page 2 of 2")
        assert "Rents were flat" in served
        try:
            urllib.request.urlopen(root + "claims/disputed/3/", timeout=5)
            raise AssertionError("page 3 is still served")
        except urllib.error.HTTPError as err:
            assert err.code == 404
        wait_for_log(log, "factmark: rebuilt speech.md", count=2)
        assert log.read_text(encoding="utf-8").count("Documentation built") == 2  # both edits were incremental
    out = tmp_path / "full"
    assert cli.main(["-f", str(site.root / "mkdocs.yml"), "build", "-d", str(out)]) == 0
    served = re.sub(r"<script>\s*var livereload.*?</script>\s*", "", served, flags=re.S)
    assert served == (out / "claims" / "disputed" / "2" / "index.html").read_text(encoding="utf-8")
    assert not (out / "claims" / "disputed" / "3").exists()
