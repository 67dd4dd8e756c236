"""Where a factmark build's time and memory go: ``python bench/breakdown.py SITE_ROOT [--cprofile N]``.

``bench/run.py`` says how long a build takes; this says what bounds it. It runs ``build.py build`` on a
generated site (``generate.py``, or any site with a ``mkdocs.yml``) and samples the process tree from
/proc every 0.2 s: for each kind of process (the command line, the site engine, its forked render
workers, Pagefind) when it ran, its CPU seconds and its peak RSS. A forked worker starts as a copy of the
engine, so its RSS counts pages it shares with the engine; the sum of the peaks overstates what the
machine needed. With ``--cprofile N`` the engine also runs under cProfile (which slows it, so its
timeline is not the build's) and the N functions of most cumulative time (factmark's, its theme's, and
the libraries it calls) are printed: on a site of fewer than 128 texts the pages render in the engine
itself (``project.PARALLEL_FROM``), so the profile holds them. A process's CPU time is as last sampled,
up to 0.2 s before it ended. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 1e6
OWN = r"factmark/|templates/|markdown_it/|jinja2/|yaml/|subprocess|mkdocs/commands/build"


@dataclass
class Seen:
    """What the samples saw of one process: its kind, first and last sample, CPU seconds and peak RSS."""

    kind: str
    first: float
    last: float = 0.0
    cpu: float = 0.0
    rss_mb: float = 0.0
    pids: set[int] = field(default_factory=set)


def _stat(pid: int) -> tuple[int, float, float] | None:
    """Parent pid, CPU seconds and RSS (MB) of ``pid`` from /proc, or None once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE_MB


def _kind(pid: int, ppid: int, root: int) -> str:
    """A process's kind from its command line; a forked worker has its engine's command line, not its parent."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    line = b" ".join(argv).decode(errors="replace")
    if pid == root:
        return "factmark (command line: check, then waits)"
    if "pagefind" in line:
        return "Pagefind (search index)"
    if "factmark.engine" in line:
        return "engine (MkDocs with the plugin)" if ppid == root else "render workers (forked from the engine)"
    return line[:60]


def sample(command: list[str], log: Path, every: float = 0.2) -> tuple[float, list[Seen]]:
    """Run ``command``, sampling its process tree; the wall seconds and what was seen of each process.

    What it prints (findings on stdout, MkDocs' log on stderr) goes to the file ``log``, shown if it fails: a pipe
    read only at the end would stop a build that prints more than the pipe holds."""
    start = time.perf_counter()
    with log.open("wb") as printed:
        process = subprocess.Popen(command, stdout=printed, stderr=subprocess.STDOUT)
    seen: dict[int, Seen] = {}
    while process.poll() is None:
        now = time.perf_counter() - start
        tree, parents = {process.pid}, {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (stat := _stat(int(entry))):
                parents[int(entry)] = stat
        grew = True
        while grew:  # every descendant of the command
            found = {pid for pid, (ppid, _, _) in parents.items() if ppid in tree} - tree
            tree |= found
            grew = bool(found)
        for pid in tree & parents.keys():
            ppid, cpu, rss = parents[pid]
            if pid not in seen:  # its command line is read once
                seen[pid] = Seen(_kind(pid, ppid, process.pid), now)
            one = seen[pid]
            one.last, one.cpu, one.rss_mb = now, cpu, max(one.rss_mb, rss)
        time.sleep(every)
    wall = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"the build failed ({process.returncode}):\n{log.read_text(errors='replace')[-2000:]}")
    kinds: dict[str, Seen] = {}
    for pid, one in seen.items():
        into = kinds.setdefault(one.kind, Seen(one.kind, one.first))
        into.first, into.last = min(into.first, one.first), max(into.last, one.last)
        into.cpu += one.cpu
        into.rss_mb = max(into.rss_mb, one.rss_mb)
        into.pids.add(pid)
    return wall, sorted(kinds.values(), key=lambda s: s.first)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a site's folder, holding mkdocs.yml (bench/generate.py makes one)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also profile the engine; top N")
    args = parser.parse_args()
    config = (args.root / "mkdocs.yml").resolve()
    with tempfile.TemporaryDirectory() as out:
        wall, kinds = sample([sys.executable, str(REPO / "build.py"), "-f", str(config), "build", "-d",
                              str(Path(out) / "site")], Path(out) / "build.log")
        print(f"build: {wall:.1f} s wall, {sum(k.cpu for k in kinds):.1f} s CPU")
        print(f"{'process':<42} {'from s':>7} {'to s':>7} {'CPU s':>7} {'peak RSS MB':>12} {'processes':>9}")
        for k in kinds:
            print(f"{k.kind:<42} {k.first:>7.1f} {k.last:>7.1f} {k.cpu:>7.1f} {k.rss_mb:>12.0f} {len(k.pids):>9}")
        if args.cprofile:
            stats = Path(out) / "engine.prof"
            profiler = cProfile.Profile()
            from factmark import engine

            profiler.enable()
            try:  # as cli.py starts it: the configuration, a position for findings, the rule selection, MkDocs' args
                engine.main([str(config), "1", "1", '{"select": null, "ignore": [], "strict": false}',
                             "build", "-q", "-f", str(config), "-d", str(Path(out) / "site-profiled")])
            finally:
                profiler.disable()
                profiler.dump_stats(stats)
            # factmark's own functions and the libraries it calls, not MkDocs' and click's wrappers around them
            pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(OWN, args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
