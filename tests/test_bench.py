"""`make bench` works: at a tiny size (benchmarks are never timed tests), it builds both sites,
checks they have the same pages, and writes the table as JSON; its generator makes what the issue
(16) asks of a realistic corpus."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from generate import STATUSES, generate  # noqa: E402


def test_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "3,4", "--annotations", "5", "--runs", "1",
         "--latency-at", "3", "--out", str(out), "--workdir", str(tmp_path / "sites")],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    header = result.stdout.splitlines()[0]
    assert header.split()[:3] == ["docs", "annots", "factmark"]
    for column in ("f/p wall", "f/p CPU", "RSS MB f/p", "site MB f/p", "search MB f/p", "1st query KB"):
        assert column in header
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [(r["documents"], r["annotations"]) for r in rows] == [(3, 15), (4, 20)]
    first = rows[0]
    assert first["pages"] == 5  # three texts, the home and claims pages, in both builds
    assert first["numbered_claims_pages"] == 0  # 5 claims per verdict fit on the claims page
    assert set(first["seconds"]) == set(first["cpu_seconds"]) == {"factmark", "plain", "floor", "check"}
    assert all(v > 0 for v in first["cpu_seconds"].values())
    assert first["factmark_over_plain_cpu"] == first["cpu_seconds"]["factmark"] / first["cpu_seconds"]["plain"]
    assert first["peak_rss_mb"]["factmark"] > 0 and first["peak_rss_mb"]["plain"] > 0
    assert 0 < first["search_mb"]["factmark"] < first["site_mb"]["factmark"]
    assert 0 < first["search_mb"]["plain"] < first["site_mb"]["plain"]
    assert 0 < first["first_query_kb"] * 1e3 <= first["search_mb"]["factmark"] * 1e6  # a first query fetches part of it
    assert first["preview_latency_s"] > 0 and first["preview_status_latency_s"] > 0
    assert "time per document at 4 / at 3" in result.stdout


def _words(markdown: str) -> int:
    body = markdown.split("---", 2)[2]
    return len([line for line in body.split() if not line.startswith("#")])


def test_the_generated_corpus_is_shaped_like_real_annotations(tmp_path: Path) -> None:
    """Texts of 1,500-4,000 words; notes of 300-800 characters of Markdown; 2-4 sources with title, publisher,
    date and a 100-300-character excerpt, some in Spanish; quotes of 6-30 words; all statuses; some overlapping."""
    root = generate(tmp_path / "site", 4, 50)
    texts = sorted((root / "content" / "texts").glob("*.md"))
    assert len(texts) == 4
    statuses, spanish, overlapping, notes_with_markup = set(), 0, 0, 0
    for text in texts:
        markdown = text.read_text(encoding="utf-8")
        assert 1500 <= _words(markdown) <= 4000 + 200  # whole paragraphs: the last may run past the target
        data = yaml.load((root / "annotations" / f"{text.stem}.yaml").read_text(encoding="utf-8"),
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        assert data["document"] == f"texts/{text.name}" and len(data["annotations"]) == 50
        visible = " ".join(re.sub(r"^## ", "", markdown, flags=re.M).split())  # as the check folds it
        spans = []
        for ann in data["annotations"]:
            assert 6 <= len(ann["quote"].split()) <= 30
            assert visible.count(ann["quote"]) == 1
            assert 300 <= len(ann["note"]) <= 800
            notes_with_markup += "**" in ann["note"] and "](https://" in ann["note"]
            assert 2 <= len(ann["sources"]) <= 4
            for source in ann["sources"]:
                assert {"url", "title", "publisher", "date", "excerpt"} <= source.keys()
                assert 100 <= len(source["excerpt"]) <= 300
                spanish += any(word in source["excerpt"] for word in (" la ", " el ", " un "))
            statuses.add(ann["status"])
            start = visible.find(ann["quote"])
            spans.append((start, start + len(ann["quote"])))
        spans.sort()
        overlapping += sum(b[0] < a[1] for a, b in itertools.pairwise(spans))
    assert statuses == set(STATUSES)
    assert spanish > 0 and overlapping > 0 and notes_with_markup == 4 * 50


def test_the_breakdown_says_which_process_spent_what(tmp_path: Path) -> None:
    """`bench/breakdown.py`, which the closing notes of performance work quote, sees the command line and the engine
    with their CPU time and RSS (Pagefind, a fraction of a second on three texts, may fall between two samples),
    and profiles the engine down to factmark's own rendering."""
    root = generate(tmp_path / "site", 3, 5)
    result = subprocess.run([sys.executable, str(REPO / "bench" / "breakdown.py"), str(root), "--cprofile", "40"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {line[:42].strip(): line[42:].split() for line in result.stdout.splitlines()[2:6]}
    assert {"factmark (command line: check, then waits)", "engine (MkDocs with the plugin)"} <= rows.keys()
    engine = rows["engine (MkDocs with the plugin)"]
    assert float(engine[2]) > 0 and float(engine[3]) > 20  # CPU seconds, and an interpreter's RSS at least
    assert re.search(r"factmark/project\.py:\d+\(render", result.stdout)  # the pages, rendered in the engine
    assert not (root / "site").exists()  # built into a temporary folder
