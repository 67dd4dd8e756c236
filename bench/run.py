"""`make bench`: factmark against a plain `mkdocs build` of the same content, and the floor.

For each size (``--sizes``, texts of 50 annotations by default: 100, 1,000 and 3,000; ask for
10000 too) it generates a seeded site shaped like a real one (``generate.py``: texts of
1,500-4,000 words, annotations with long Markdown notes and several sources; a home page and a
claims page), then runs, interleaved (one of each, ``--runs`` times) and in fresh processes:
`build.py` (factmark), `mkdocs build` without the plugin (default theme, Python-Markdown), a bare
markdown-it-py render (the floor) and `build.py check`. It checks that factmark and plain MkDocs
made the same pages (besides factmark's numbered claims pages) and prints one row per size: the
median wall time of each, factmark's ratio to plain in wall and in CPU time (CPU time, of the
process and every child, is the steadier figure on a machine shared with other work; the load
average closes each row), peak RSS, the size of each site and of its search files (``search/``,
``pagefind/``), what the first query downloads when the search can say (``searchpayload.py``),
and, at ``--latency-at``, how long an edit takes to show in the live preview. The rows are also
written as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
NUMBERED = re.compile(r"claims/[a-z][a-z0-9-]*/[0-9]+")  # factmark's numbered claims pages


def timed(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system, with every child it waited for: the engine's process and
    the forked workers) and peak RSS (MB, of the largest process) of one fresh process.

    CPU time is the steadier figure on a shared machine: other users' work lengthens the wall time
    of a run, but not the time its own processes spend on a core."""
    with tempfile.TemporaryFile() as errors:  # not a pipe: one read only at the end stops a child that fills it
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            detail = errors.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{detail}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def commands(root: Path) -> dict[str, list[str]]:
    return {
        "factmark": [PY, str(REPO / "build.py"), "-f", str(root / "mkdocs.yml"), "build", "-d", str(root / "site-f")],
        "plain": [PY, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs-plain.yml"), "-d", str(root / "site-p")],
        "floor": [PY, str(REPO / "bench" / "floor.py"), str(root), str(root / "site-floor")],
        "check": [PY, str(REPO / "build.py"), "-f", str(root / "mkdocs.yml"), "check"],
    }


def pages(site: Path) -> set[str]:
    return {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}


def megabytes(path: Path) -> float:
    """Size on disk of a file, or of every file under a folder, in MB."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


SEARCH_FOLDERS = ("search", "pagefind")  # MkDocs' search plugin (lunr), Pagefind


FIRST_QUERY = "minister"  # a word of most generated texts: its index chunk is among the largest


def search_megabytes(site: Path) -> float:
    """What the site's search downloads at most: every file of its search folders, in MB."""
    return sum(megabytes(site / name) for name in SEARCH_FOLDERS if (site / name).is_dir())


def first_query_kilobytes(site: Path) -> float | None:
    """What the search downloads to show the results of a first query, in KB: Pagefind's files and the search
    page's script, not the page's own HTML, styles and fonts; Chromium on a cold cache (``bench/searchpayload.py``),
    for a word most texts hold; None when the site has no Pagefind search."""
    if not (site / "search" / "pagefind.js").is_file():
        return None
    import searchpayload  # type: ignore[import-not-found]  # beside this file, needs Chromium

    return float(searchpayload.first_query(site, FIRST_QUERY)["search_bytes"]) / 1e3  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def preview_latency(root: Path, edits: int = 3) -> tuple[float, float]:
    """Median seconds from saving an annotation file to the rebuilt page being served: for a new summary, and
    for a new status in the oldest text (which shifts every later claim on the numbered claims pages)."""
    port = free_port()
    server = subprocess.Popen([PY, str(REPO / "build.py"), "-f", str(root / "mkdocs.yml"), "serve", "-a",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/texts/text-00000/"
    path = root / "annotations" / "text-00000.yaml"
    original = path.read_text(encoding="utf-8")

    def wait_for(needle: str, limit: float) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if needle in response.read().decode("utf-8"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"the preview did not show {needle!r} within {limit} s")

    def timed_edit(text: str, needle: str) -> float:
        start = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        wait_for(needle, 600)
        return time.perf_counter() - start

    documented = 'status: "documented"\n    summary: "Synthetic verdict a0."'
    assert documented in original
    try:
        wait_for("Synthetic verdict a0.", 600)
        summary = [timed_edit(original.replace("Synthetic verdict a0.", f"Edited verdict {i}."), f"Edited verdict {i}.")
                   for i in range(edits)]
        status = []
        for i in range(edits):
            new = "disputed" if i % 2 == 0 else "documented"
            status.append(timed_edit(original.replace(documented, documented.replace("documented", new)),
                                     f'class="fm-hl fm-{new}" data-fm="a0"'))
        return statistics.median(summary), statistics.median(status)
    finally:
        path.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def run(sizes: list[int], annotations: int, runs: int, workdir: Path, latency_at: int | None) -> list[dict]:
    rows = []
    for documents in sizes:
        root = generate(workdir / f"site-{documents}", documents, annotations)
        cmds = commands(root)
        samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, command in cmds.items():  # interleaved: one of each, then again
                samples[name].append(timed(command))
        numbered = {p for p in pages(root / "site-f") if NUMBERED.fullmatch(p)}  # only factmark lists every claim
        if pages(root / "site-f") - numbered != pages(root / "site-p"):
            raise SystemExit(f"factmark and plain MkDocs built different pages at {documents} documents")
        median = {name: statistics.median(t for t, _, _ in s) for name, s in samples.items()}
        cpu = {name: statistics.median(c for _, c, _ in s) for name, s in samples.items()}
        rss = {name: max(m for _, _, m in s) for name, s in samples.items()}
        total = documents * annotations
        row = {
            "documents": documents, "annotations": total, "pages": len(pages(root / "site-f")),
            "numbered_claims_pages": len(numbered), "runs": runs,
            "seconds": median, "cpu_seconds": cpu, "peak_rss_mb": rss,
            "factmark_over_plain": median["factmark"] / median["plain"],
            "factmark_over_plain_cpu": cpu["factmark"] / cpu["plain"],
            "factmark_over_floor": median["factmark"] / median["floor"],
            "build_us_per_annotation": 1e6 * median["factmark"] / total,
            "check_us_per_annotation": 1e6 * median["check"] / total,
            "build_ms_per_document": 1e3 * median["factmark"] / documents,
            "build_cpu_ms_per_document": 1e3 * cpu["factmark"] / documents,
            "input_mb": {"content": megabytes(root / "content"), "annotations": megabytes(root / "annotations")},
            "site_mb": {"factmark": megabytes(root / "site-f"), "plain": megabytes(root / "site-p")},
            "search_mb": {name: search_megabytes(root / site) for name, site in (("factmark", "site-f"),
                                                                                  ("plain", "site-p"))},
            "first_query_kb": first_query_kilobytes(root / "site-f"),
            "load_average": os.getloadavg()[0],  # how busy the machine was (other users' work) as the row ended
        }
        if latency_at == documents:
            row["preview_latency_s"], row["preview_status_latency_s"] = preview_latency(root)
        rows.append(row)
        shutil.rmtree(root)
        print(line(row), flush=True)
    return rows


HEADER = (f"{'docs':>6} {'annots':>7} {'factmark s':>10} {'plain s':>8} {'f/p wall':>8} {'f/p CPU':>8} "
          f"{'floor s':>8} {'check s':>8} {'RSS MB f/p':>11} {'site MB f/p':>13} {'search MB f/p':>14} "
          f"{'1st query KB':>12} {'us/annot':>9} {'CPU ms/doc':>10} {'preview s':>9} {'status s':>8} {'load':>5}")


def line(r: dict) -> str:
    s = r["seconds"]
    preview = f"{r['preview_latency_s']:.2f}" if "preview_latency_s" in r else "-"
    status = f"{r['preview_status_latency_s']:.2f}" if "preview_status_latency_s" in r else "-"
    first = f"{r['first_query_kb']:.0f}" if r["first_query_kb"] is not None else "-"
    rss, site, search = r["peak_rss_mb"], r["site_mb"], r["search_mb"]
    return (f"{r['documents']:>6} {r['annotations']:>7} {s['factmark']:>10.2f} {s['plain']:>8.2f} "
            f"{r['factmark_over_plain']:>8.2f} {r['factmark_over_plain_cpu']:>8.2f} {s['floor']:>8.2f} "
            f"{s['check']:>8.2f} {rss['factmark']:>5.0f}/{rss['plain']:<5.0f} "
            f"{site['factmark']:>6.1f}/{site['plain']:<6.1f} {search['factmark']:>6.1f}/{search['plain']:<7.1f} "
            f"{first:>12} {r['build_us_per_annotation']:>9.1f} {r['build_cpu_ms_per_document']:>10.1f} "
            f"{preview:>9} {status:>8} {r['load_average']:>5.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,3000", help="documents per site, comma-separated")
    parser.add_argument("--annotations", type=int, default=50, help="annotations per document")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command per size (median)")
    parser.add_argument("--latency-at", type=int, default=1000, help="size at which to time the live preview")
    parser.add_argument("--out", default=str(REPO / "test-output" / "bench.json"), help="where to write the JSON")
    parser.add_argument("--workdir", default=str(REPO / "test-output" / "bench-sites"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(HEADER, flush=True)
    rows = run(sizes, args.annotations, args.runs, Path(args.workdir), args.latency_at)
    if len(rows) > 1:
        growth = rows[-1]["build_cpu_ms_per_document"] / rows[0]["build_cpu_ms_per_document"]
        memory = (rows[-1]["peak_rss_mb"]["factmark"] / rows[-1]["documents"]) / (
            rows[0]["peak_rss_mb"]["factmark"] / rows[0]["documents"])
        print(f"time per document at {rows[-1]['documents']} / at {rows[0]['documents']}: {growth:.2f} (CPU); "
              f"peak RSS per document: {memory:.2f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
