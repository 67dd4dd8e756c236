"""``factmark sources verify`` and ``factmark sources archive``: the online commands (opt-in, never in a build).

``verify`` fetches every source and every snapshot (:mod:`fetch`, politely) and reports for each
whether it is reachable (its status code or error), where a redirect ended, and whether the
excerpt is still on the page (:mod:`htmltext`). Problems are findings at the source's line, as
the check prints them. With ``record`` it writes what it learnt into the annotation files through
the round-trip writer (comments, order and quoting kept): ``status: dead`` for an address that is
gone (404, 410, a host that no longer exists) and ``verified:`` for a source found with its
excerpt; without it no file is touched.

``archive`` finds a snapshot for each source that has none: first the Wayback Machine's
availability API, then, with credentials, a Save Page Now capture; it records ``archived``.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

from . import archives, edit, htmltext, roundtrip
from .fetch import Fetcher, Policy, Response, bounded_map
from .findings import Finding
from .project import Project
from .yamlstrict import describe, load

GONE = {404, 410}  # statuses that say the address no longer serves anything
GONE_ERRORS = ("Name or service not known", "nodename nor servname", "No address associated")  # no such host


@dataclass
class Checked:
    """One fetched address of one source: the source itself or one of its snapshots."""

    file: str
    line: int
    col: int
    where: str  # annotations[0].sources[1] (or ….archived[0])
    annotation: str
    url: str
    snapshot: bool
    status: int | None = None
    error: str | None = None
    final_url: str | None = None
    excerpt: str = "unchecked"  # found, missing or unchecked (not text, not reached)
    bytes_read: int = 0
    truncated: bool = False

    @property
    def reachable(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.error is None

    @property
    def gone(self) -> bool:
        return self.status in GONE or any(e in (self.error or "") for e in GONE_ERRORS)

    def finding(self) -> Finding | None:
        """FM600/FM602 for an unreachable source/snapshot, FM601/FM603 for a missing excerpt, FM604/FM605 when
        robots.txt or the time bound kept it from being fetched."""
        what = "snapshot" if self.snapshot else "source"
        if self.error and self.error.startswith("robots.txt"):
            return self._at("FM604", f"{what} {self.url} was not fetched: its site's robots.txt disallows it",
                            "check it by hand; factmark honours robots.txt")
        if self.error and self.error.startswith("not checked"):
            return self._at("FM605", f"{what} {self.url} was not checked: the time limit was reached",
                            "run again later, or give sources verify a larger --time-limit")
        if not self.reachable:
            why = f"HTTP {self.status}" if self.status is not None and not self.error else (
                f"HTTP {self.status}, {self.error}" if self.status is not None else self.error)
            hint = ("find its new address, or mark it status: dead and link a snapshot" if not self.snapshot
                    else "replace the snapshot with one that loads")
            return self._at("FM602" if self.snapshot else "FM600", f"{what} {self.url} is unreachable: {why}", hint)
        if self.excerpt == "missing":
            cut = f" (only its first {self.bytes_read:,} bytes were read)" if self.truncated else ""
            return self._at("FM603" if self.snapshot else "FM601", f"the excerpt is no longer on the {what}'s page "
                            f"{self.final_url or self.url}{cut}", "read the page again: the passage may have moved "
                            "or changed; cite a snapshot that still holds it")
        return None

    def _at(self, code: str, message: str, hint: str) -> Finding:
        return Finding(self.file, self.line, self.col, code, f"{self.where} ({self.annotation}): {message}", hint)

    def line_text(self) -> str:
        """The human report's line for it."""
        state = (f"HTTP {self.status}" if self.status is not None else self.error or "not fetched")
        if self.error and self.status is not None:
            state += f", {self.error}"
        moved = f", redirected to {self.final_url}" if self.final_url and self.final_url != self.url else ""
        cut = f", cut at {self.bytes_read:,} bytes" if self.truncated else ""
        return f"{self.file}:{self.line}:{self.col}: {self.url}: {state}{moved}{cut}; excerpt {self.excerpt}"


@dataclass(frozen=True)
class _Task:
    file: str
    path: Path
    indices: tuple[int, int, int | None]  # annotation, source, snapshot (None: the source itself)
    line: int
    col: int
    annotation: str
    url: str
    excerpt: str
    archived: bool  # whether the source has a snapshot


def _tasks(project: Project) -> list[_Task]:
    """Every source and snapshot address of the project's annotation files, in file order."""
    tasks = []
    for path in sorted(project.annotation_paths.values()):
        display = project.display(path)
        located = load(path.read_text(encoding="utf-8-sig"), display)
        for i, ann in enumerate(located.data.get("annotations") or []):
            for j, src in enumerate(ann.get("sources") or []):
                targets = [(None, src["url"])] + [(k, s["url"]) for k, s in enumerate(src.get("archived") or [])]
                for k, url in targets:
                    at = ("annotations", i, "sources", j, *(("archived", k) if k is not None else ()), "url")
                    line, col = located.where(at)
                    tasks.append(_Task(display, path, (i, j, k), line, col, ann["id"], url, src["excerpt"],
                                       bool(src.get("archived"))))
    return tasks


def _checked(task: _Task, response: Response | None) -> Checked:
    i, j, k = task.indices
    where = describe(("annotations", i, "sources", j, *(("archived", k) if k is not None else ())))
    result = Checked(task.file, task.line, task.col, where, task.annotation, task.url, k is not None)
    if response is None:
        result.error = "not checked: the time limit was reached"
        return result
    result.status, result.error, result.bytes_read = response.status, response.error, response.bytes_read
    result.final_url, result.truncated = response.final_url, response.truncated
    if result.reachable:
        text = htmltext.page_text(response.body, response.headers)
        if text is not None:
            result.excerpt = "found" if htmltext.excerpt_in(task.excerpt, text) else "missing"
    return result


def verify(project: Project, policy: Policy) -> tuple[list[Checked], list[_Task]]:
    """Fetch every source and snapshot within the policy's bounds; one :class:`Checked` each, in file order."""
    tasks = _tasks(project)
    fetcher = Fetcher(policy)
    responses = bounded_map([lambda t=t: fetcher.get(t.url) for t in tasks], policy.concurrency, fetcher.deadline)
    return [_checked(t, r) for t, r in zip(tasks, responses, strict=True)], tasks


def report(results: list[Checked], form: str) -> str:
    """The report: one line per address (human), or a JSON list of every field."""
    if form == "json":
        return json.dumps([{**asdict(r), "reachable": r.reachable, "redirected": bool(
            r.final_url and r.final_url != r.url)} for r in results], indent=2)
    return "\n".join(r.line_text() for r in results)


def record(project: Project, results: list[Checked], tasks: list[_Task]) -> tuple[list[str], list[Finding]]:
    """Write each source's ``status`` (dead once gone, live again once found) and ``verified`` date.

    Only sources (not snapshots) are recorded, and only files with a change are written.
    """
    day = datetime.datetime.now(datetime.UTC).date().isoformat()  # a record of when it was seen, not a build
    by_file: dict[Path, list[tuple[_Task, Checked]]] = {}
    for task, result in zip(tasks, results, strict=True):
        if not result.snapshot:
            by_file.setdefault(task.path, []).append((task, result))
    changes: list[str] = []
    failed: list[Finding] = []
    for path, pairs in by_file.items():
        data = roundtrip.load(path.read_text(encoding="utf-8-sig"))
        lines = []
        for task, result in pairs:
            i, j, _ = task.indices
            src = data["annotations"][i]["sources"][j]
            lines += _update(src, result, day, f"{task.file}: {result.where} ({task.annotation})")
        if lines:
            problem = edit.write(path, data, project.display(path))
            failed += [problem] if problem else []
            changes += lines if not problem else []
    return changes, failed


def _update(src: CommentedMap, result: Checked, day: str, name: str) -> list[str]:
    status = str(src.get("status", "live"))
    if result.gone and status == "live":
        src["status"] = "dead"
        return [f"{name}: status dead ({f'HTTP {result.status}' if result.status else result.error})"]
    if result.reachable and result.excerpt == "found":
        lines = []
        if status == "dead":
            src["status"] = roundtrip.restyle(src["status"], "live")
            lines.append(f"{name}: status live again")
        if str(src.get("verified", "")) != day:
            src["verified"] = roundtrip.restyle(src.get("verified"), day) if "verified" in src else Quoted(day)
            lines.append(f"{name}: verified {day}")
        return lines
    return []


@dataclass(frozen=True)
class Endpoints:
    """Where ``archive`` asks: the availability API, Save Page Now, and the replay prefix of its captures."""

    availability: str = "https://archive.org/wayback/available"
    save: str = "https://web.archive.org/save"
    replay: str = "https://web.archive.org/web/"
    auth: str | None = None  # "accesskey:secret" of an archive.org account (FACTMARK_SPN_AUTH), for Save Page Now
    poll: float = 5.0  # seconds between status requests of a capture


def endpoints_from_env(**given: Any) -> Endpoints:
    """The endpoints, with credentials from ``FACTMARK_SPN_AUTH`` (never from a file in the repository)."""
    return Endpoints(**{k: v for k, v in given.items() if v is not None}, auth=os.environ.get("FACTMARK_SPN_AUTH"))


def archive(project: Project, policy: Policy, ends: Endpoints) -> tuple[list[str], list[Finding]]:
    """Find or make a snapshot of every source without one, and record it (``archived: [{url, date}]``)."""
    fetcher = Fetcher(policy)
    settings = project.settings
    tasks = [t for t in _tasks(project) if t.indices[2] is None and not t.archived]
    found = bounded_map([lambda t=t: _snapshot(fetcher, ends, t.url) for t in tasks], policy.concurrency,
                        fetcher.deadline)
    changes: list[str] = []
    failed: list[Finding] = []
    by_file: dict[Path, list[tuple[_Task, tuple[str, str] | str]]] = {}
    for task, result in zip(tasks, found, strict=True):
        result = result or "the time limit was reached"
        if isinstance(result, tuple) and archives.archive_of(result[0], settings.archives) is None:
            result = f"the archive answered {result[0]}, which is not in a configured archive"
        by_file.setdefault(task.path, []).append((task, result))
    for path, pairs in by_file.items():
        data = roundtrip.load(path.read_text(encoding="utf-8-sig"))
        lines = []
        for task, result in pairs:
            name = f"{task.file}: {describe(('annotations', task.indices[0], 'sources', task.indices[1]))}"
            if isinstance(result, str):
                code = "FM611" if result.startswith("no snapshot") else "FM610"
                failed.append(Finding(task.file, task.line, task.col, code, f"{task.url} was not archived: {result}",
                                      "set FACTMARK_SPN_AUTH to an archive.org account's 'accesskey:secret' to "
                                      "capture it" if code == "FM611" else "try again later"))
                continue
            src = data["annotations"][task.indices[0]]["sources"][task.indices[1]]
            snap = CommentedMap([("url", Quoted(result[0])), ("date", Quoted(result[1]))])
            src["archived"] = CommentedSeq([snap])
            lines.append(f"{name} ({task.annotation}): archived {result[0]}")
        if lines:
            problem = edit.write(path, data, project.display(path))
            failed += [problem] if problem else []
            changes += lines if not problem else []
    return changes, failed


def _snapshot(fetcher: Fetcher, ends: Endpoints, url: str) -> tuple[str, str] | str:
    """(snapshot url, YYYY-MM-DD) from the availability API, else from a Save Page Now capture; or why not."""
    reply = fetcher.get(f"{ends.availability}?{urlencode({'url': url})}", robots=False)
    closest = _json(reply).get("archived_snapshots", {}).get("closest") if reply.ok else None
    if isinstance(closest, dict) and closest.get("available") and str(closest.get("status")) == "200":
        stamp = str(closest.get("timestamp", ""))
        if len(stamp) == 14 and stamp.isdigit() and isinstance(closest.get("url"), str):
            return closest["url"], f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
    if not reply.ok:
        return f"the availability API answered {reply.status or reply.error}"
    if not ends.auth:
        return "no snapshot exists, and Save Page Now needs credentials (FACTMARK_SPN_AUTH)"
    return _capture(fetcher, ends, url)


def _capture(fetcher: Fetcher, ends: Endpoints, url: str) -> tuple[str, str] | str:
    """A Save Page Now 2 capture: POST url= to the save endpoint, then poll ``status/<job_id>`` until it ends."""
    headers = {"Accept": "application/json", "Authorization": f"LOW {ends.auth}"}
    reply = fetcher.get(ends.save, robots=False, data=urlencode({"url": url}).encode(), headers=headers)
    job = _json(reply).get("job_id")
    if not reply.ok or not isinstance(job, str):
        return f"Save Page Now refused the capture ({reply.status or reply.error}: {_json(reply).get('message', '')})"
    while fetcher.left() > ends.poll:
        time.sleep(ends.poll)
        status = _json(fetcher.get(f"{ends.save}/status/{quote(job, safe='')}", robots=False, headers=headers))
        if status.get("status") == "success":
            stamp, original = str(status.get("timestamp", "")), str(status.get("original_url") or url)
            if len(stamp) == 14 and stamp.isdigit():
                return f"{ends.replay}{stamp}/{original}", f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
            return "Save Page Now reported success without a timestamp"
        if status.get("status") != "pending":
            return f"Save Page Now failed: {status.get('message') or status.get('status_ext') or status}"
    return "the capture did not finish within the time limit"


def _json(reply: Response) -> dict[str, Any]:
    try:
        data = json.loads(reply.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
