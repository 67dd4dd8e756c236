"""`make bench` works: at a tiny size (benchmarks are never timed tests), it builds both sites,
checks they have the same pages, and writes the table as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "3,4", "--annotations", "5", "--runs", "1",
         "--latency-at", "3", "--out", str(out), "--workdir", str(tmp_path / "sites")],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].split()[:3] == ["docs", "annots", "factmark"]
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [(r["documents"], r["annotations"]) for r in rows] == [(3, 15), (4, 20)]
    assert rows[0]["pages"] == 5  # three texts, the home and claims pages, in both builds
    assert rows[0]["numbered_claims_pages"] == 0  # 5 claims per verdict fit on the claims page
    assert set(rows[0]["seconds"]) == {"factmark", "plain", "floor", "check"}
    assert rows[0]["preview_latency_s"] > 0 and rows[0]["preview_status_latency_s"] > 0
    assert "time per document at 4 / at 3" in result.stdout
