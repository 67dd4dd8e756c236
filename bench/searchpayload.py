"""What a reader's browser downloads for its first search: ``python bench/searchpayload.py SITE [WORD...]``.

The built site is served on 127.0.0.1 by a server that counts the bytes of every response body; Debian's
Chromium opens ``search.html?q=WORD`` with an empty cache, and the search's share is what it fetched
under ``search/`` (Pagefind's script, worker, WebAssembly, index chunks, filters and result fragments)
plus the page's own script. Counting at the server sees the fetches of Pagefind's worker too, which the
page's network events do not. ``bench/run.py`` may call :func:`first_query`.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import sys
import threading
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


_TEXT = (".js", ".json", ".html", ".css", "/")


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records each response body's path and length."""

    sent: list[tuple[str, int, int]]

    def log_message(self, format: str, *args: object) -> None:
        return None

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        data = source.read()
        outputfile.write(data)
        path = self.path.partition("?")[0]
        # what a host that compresses text (as GitHub Pages and most do) would send; Pagefind's own files
        # (.pagefind, .pf_*) are gzip already
        squeezed = len(gzip.compress(data, 6)) if path.endswith(_TEXT) else len(data)
        self.sent.append((path, len(data), squeezed))


def first_query(site: Path, word: str, browser: Browser | None = None) -> dict[str, object]:
    """Bytes fetched to show the results of ``word`` on a cold cache, in all and for the search alone.

    ``browser``: a Chromium already running (a test's); otherwise Debian's is launched for this.
    """
    if browser is None:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                return first_query(site, word, chromium)
            finally:
                chromium.close()
    sent: list[tuple[str, int, int]] = []
    handler = type("Handler", (_Counting,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()  # an empty cache
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/search.html?q={word}")
        page.wait_for_function("document.getElementById('fm-search-summary').textContent.length > 0",
                               timeout=120_000)
        page.wait_for_load_state("networkidle")
        results = page.locator("#fm-search-results > li").count()
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    search = [item for item in sent if item[0].startswith("/search/") or item[0].endswith("/search.js")]
    return {"word": word, "results_drawn": results, "requests": len(sent),
            "total_bytes": sum(item[1] for item in sent), "search_bytes": sum(item[1] for item in search),
            "search_bytes_compressed": sum(item[2] for item in search),
            "fragments": sum(1 for item in search if item[0].endswith(".pf_fragment")),
            "largest": [item[:2] for item in sorted(search, key=lambda item: -item[1])[:8]]}


def main(argv: list[str]) -> int:
    site, *words = argv
    for word in words or ["the"]:
        print(json.dumps(first_query(Path(site), word)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
