"""`make bench`: factmark against a plain `mkdocs build` of the same content, and the floor.

For each size it generates a seeded synthetic site shaped like a real one
(``generate.py``: texts of 1,500-4,000 words, annotations with long notes and
several sources; a home page and a claims page), checks that factmark and plain MkDocs produce the same set of
pages (besides factmark's numbered claims pages), then times, interleaved and in
fresh processes: `build.py` (factmark), `mkdocs build` without the plugin
(default theme, Python-Markdown), a bare markdown-it-py render (the floor) and
`build.py check`. Prints a table (with peak memory, the size of each site and of
its search index) and writes it as JSON.
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
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
NUMBERED = re.compile(r"claims/[a-z][a-z0-9-]*/[0-9]+")  # factmark's numbered claims pages


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        detail = process.stderr.read().decode()[-2000:] if process.stderr else ""
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{detail}")
    return elapsed, usage.ru_maxrss / 1024


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
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, command in cmds.items():  # interleaved: one of each, then again
                samples[name].append(timed(command))
        numbered = {p for p in pages(root / "site-f") if NUMBERED.fullmatch(p)}  # only factmark lists every claim
        if pages(root / "site-f") - numbered != pages(root / "site-p"):
            raise SystemExit(f"factmark and plain MkDocs built different pages at {documents} documents")
        median = {name: statistics.median(t for t, _ in s) for name, s in samples.items()}
        rss = {name: max(m for _, m in s) for name, s in samples.items()}
        total = documents * annotations
        row = {
            "documents": documents, "annotations": total, "pages": len(pages(root / "site-f")),
            "numbered_claims_pages": len(numbered),
            "seconds": median, "peak_rss_mb": rss,
            "factmark_over_plain": median["factmark"] / median["plain"],
            "factmark_over_floor": median["factmark"] / median["floor"],
            "build_us_per_annotation": 1e6 * median["factmark"] / total,
            "check_us_per_annotation": 1e6 * median["check"] / total,
            "build_ms_per_document": 1e3 * median["factmark"] / documents,
            "input_mb": {"content": megabytes(root / "content"), "annotations": megabytes(root / "annotations")},
            "site_mb": {"factmark": megabytes(root / "site-f"), "plain": megabytes(root / "site-p")},
            "search_mb": {name: megabytes(root / site / "search" / "search_index.json")
                          for name, site in (("factmark", "site-f"), ("plain", "site-p"))},
        }
        if latency_at == documents:
            row["preview_latency_s"], row["preview_status_latency_s"] = preview_latency(root)
        rows.append(row)
        shutil.rmtree(root)
        print(line(row), flush=True)
    return rows


HEADER = (f"{'docs':>6} {'annots':>7} {'factmark s':>10} {'plain s':>8} {'floor s':>8} {'check s':>8} "
          f"{'f/plain':>8} {'f/floor':>8} {'RSS MB':>7} {'plain RSS':>9} {'site MB f/p':>12} {'search MB f/p':>14} "
          f"{'us/annot':>9} {'ms/doc':>7} {'preview s':>9} {'status s':>8}")


def line(r: dict) -> str:
    s = r["seconds"]
    preview = f"{r['preview_latency_s']:.2f}" if "preview_latency_s" in r else "-"
    status = f"{r['preview_status_latency_s']:.2f}" if "preview_status_latency_s" in r else "-"
    return (f"{r['documents']:>6} {r['annotations']:>7} {s['factmark']:>10.2f} {s['plain']:>8.2f} {s['floor']:>8.2f} "
            f"{s['check']:>8.2f} {r['factmark_over_plain']:>8.2f} {r['factmark_over_floor']:>8.2f} "
            f"{r['peak_rss_mb']['factmark']:>7.0f} {r['peak_rss_mb']['plain']:>9.0f} "
            f"{r['site_mb']['factmark']:>6.1f}/{r['site_mb']['plain']:<5.1f} "
            f"{r['search_mb']['factmark']:>7.1f}/{r['search_mb']['plain']:<6.1f} {r['build_us_per_annotation']:>9.1f} "
            f"{r['build_ms_per_document']:>7.1f} {preview:>9} {status:>8}")


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
        growth = rows[-1]["build_ms_per_document"] / rows[0]["build_ms_per_document"]
        print(f"time per document at {rows[-1]['documents']} / at {rows[0]['documents']}: {growth:.2f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
