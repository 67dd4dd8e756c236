"""The live preview rebuilds when an annotation file is saved (loopback only, bounded wait)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import Site, annotation, annotations_file

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
