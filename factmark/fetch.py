"""A polite HTTP client for ``factmark sources verify`` and ``sources archive`` (standard library only).

The commands visit other people's servers on a schedule, so every request is bounded and
courteous: a few at a time, one host at a time with a pause between its requests, robots.txt
honoured (``urllib.robotparser``, RFC 9309), a User-Agent naming factmark and its version,
timeouts, retries with exponential backoff on what may pass (timeouts, 429, 5xx), at most
``max_bytes`` read from any response (streamed, then the connection is closed), and one time
bound over the whole run, after which nothing more is asked and what is left is reported as
not checked. Workers are daemon threads: a server that never answers cannot keep the command
from ending. No dependency is added: urllib does all of this, and a newsroom's CI has it.
"""

from __future__ import annotations

import queue
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, TypeVar
from urllib.parse import urlsplit

from . import __version__

USER_AGENT = f"factmark/{__version__} (fact-check source verification)"
ROBOTS_AGENT = "factmark"  # the product token robots.txt groups name
RETRIED = {429, 500, 502, 503, 504}
CHUNK = 65_536
T = TypeVar("T")


@dataclass(frozen=True)
class Policy:
    """How hard the commands may press: the defaults suit a newsroom's nightly run over public sites."""

    concurrency: int = 4  # requests in flight at once
    host_interval: float = 1.0  # seconds between two requests to one host
    timeout: float = 15.0  # seconds to connect, and for each read
    page_seconds: float = 60.0  # seconds for one response, however slowly its body trickles in
    retries: int = 2  # further attempts after a timeout, a refused connection, 429 or 5xx
    backoff: float = 2.0  # seconds before the first retry, doubling after each
    max_bytes: int = 5_000_000  # read at most this much of a response
    time_limit: float = 900.0  # seconds for the whole run
    user_agent: str = USER_AGENT


@dataclass
class Response:
    """What one fetch found: a status or an error, where it ended, and the first ``max_bytes`` of the body."""

    url: str
    status: int | None = None
    error: str | None = None
    final_url: str | None = None
    headers: Message | None = None
    body: bytes = b""
    bytes_read: int = 0
    truncated: bool = False  # the body reached max_bytes and was cut there
    robots: bool = False  # robots.txt disallows it: not fetched
    unchecked: bool = False  # the time bound was reached first: not fetched

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def redirected(self) -> bool:
        return self.final_url is not None and self.final_url != self.url


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only (urllib would also follow one to ftp:), each in its host's turn."""

    def __init__(self, turn: Callable[[str], bool]) -> None:
        self.turn = turn

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to a non-http(s) address: {newurl}", headers, fp)
        if not self.turn(urlsplit(newurl).netloc):
            raise urllib.error.URLError("not checked: the time limit was reached")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Fetcher:
    """Fetches with :class:`Policy`; thread-safe, one instance per run (it holds the hosts' turns and robots)."""

    policy: Policy
    deadline: float = 0.0  # time.monotonic() after which nothing is fetched
    _turns: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _robot_locks: dict[str, threading.Lock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.deadline = self.deadline or time.monotonic() + self.policy.time_limit
        self._opener = urllib.request.build_opener(_HttpOnly(self._turn))

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def get(self, url: str, *, robots: bool = True, data: bytes | None = None,
            headers: dict[str, str] | None = None) -> Response:
        """``url`` (POST when ``data`` is given), after robots.txt allows it, retried as the policy says."""
        if robots and not self.allowed(url):
            return Response(url, robots=True, error="robots.txt disallows it")
        delay = self.policy.backoff
        for attempt in range(self.policy.retries + 1):
            response = self._once(url, data, headers or {})
            retry = response.status in RETRIED or (response.status is None and not response.unchecked)
            if not retry or attempt == self.policy.retries:
                return response
            wait = _retry_after(response, delay)
            if wait >= self.left():
                return response
            time.sleep(wait)
            delay *= 2
        raise AssertionError("unreachable")  # the loop returns on its last attempt

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets factmark fetch ``url`` (read once per origin).

        As RFC 9309 says: a robots.txt that is missing (4xx) allows everything; one the server fails to
        serve (5xx) disallows everything; 401 and 403 disallow (urllib.robotparser's reading). A host that
        cannot be reached at all is left to the page's own fetch, which reports the error.
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            lock = self._robot_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._read_robots(origin)
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        response = self._once(origin + "/robots.txt", None, {})
        parser = urllib.robotparser.RobotFileParser()
        if response.status is None:
            return None
        if response.status in (401, 403) or response.status >= 500:
            parser.disallow_all = True
        elif response.ok:
            parser.parse(response.body.decode("utf-8", "replace").splitlines())
        else:
            parser.allow_all = True
        return parser

    def _turn(self, host: str) -> bool:
        """Wait for this host's next turn (``host_interval`` after its last request); False past the deadline."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._turns.get(host, 0.0))
            self._turns[host] = start + self.policy.host_interval
        if start >= self.deadline:
            return False
        time.sleep(start - now)
        return True

    def _once(self, url: str, data: bytes | None, headers: dict[str, str]) -> Response:
        if self.left() <= 0 or not self._turn(urlsplit(url).netloc):
            return Response(url, unchecked=True, error="not checked: the time limit was reached")
        request = urllib.request.Request(url, data=data, headers={"User-Agent": self.policy.user_agent,
                                                                  "Accept-Encoding": "identity", **headers})
        timeout = max(0.1, min(self.policy.timeout, self.left()))
        try:
            with self._opener.open(request, timeout=timeout) as reply:
                return self._read(url, reply, reply.status)
        except urllib.error.HTTPError as err:
            with err:
                return self._read(url, err, err.code)
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            return Response(url, error=str(reason) or type(reason).__name__)

    def _read(self, url: str, reply: Any, status: int) -> Response:
        """The body, streamed until ``max_bytes``, the page's own time or the run's deadline."""
        limit = self.policy.max_bytes
        stop = min(time.monotonic() + self.policy.page_seconds, self.deadline)
        chunks, total = [], 0
        try:
            while total < limit:
                if time.monotonic() >= stop:
                    return Response(url, status, error="the response took too long", final_url=reply.geturl(),
                                    headers=reply.headers, bytes_read=total)
                chunk = reply.read(min(CHUNK, limit - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        except (OSError, ValueError) as err:
            return Response(url, status, error=f"reading the response failed: {err}", final_url=reply.geturl(),
                            headers=reply.headers, bytes_read=total)
        truncated = total >= limit  # reading one more byte to be sure would read past the limit
        return Response(url, status, final_url=reply.geturl(), headers=reply.headers, body=b"".join(chunks),
                        bytes_read=total, truncated=truncated)


def _retry_after(response: Response, delay: float) -> float:
    """The wait before the next attempt: the server's Retry-After in seconds (at most 4 backoffs), else ``delay``."""
    value = response.headers.get("Retry-After") if response.headers is not None else None
    if value is not None and value.strip().isdigit():
        return min(float(value), delay * 4)
    return delay


def bounded_map(jobs: list[Callable[[], T]], workers: int, deadline: float) -> list[T | None]:
    """Run ``jobs`` on ``workers`` daemon threads; each result in order, None for a job not done by ``deadline``."""
    results: list[T | None] = [None] * len(jobs)
    todo: queue.Queue[int] = queue.Queue()
    for i in range(len(jobs)):
        todo.put(i)
    done = threading.Semaphore(0)

    def work() -> None:
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[i] = jobs[i]()
            finally:
                done.release()

    for _ in range(max(1, min(workers, len(jobs)))):
        threading.Thread(target=work, daemon=True).start()
    for _ in jobs:
        if not done.acquire(timeout=max(0.0, deadline - time.monotonic()) + 1.0):
            break  # past the bound (and a second's grace for a job finishing its last read)
    return results
