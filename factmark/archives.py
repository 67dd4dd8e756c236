"""Web archives a source's snapshot may live in, and what a snapshot address must say.

A snapshot is evidence only if a reader can trust where it is kept and what it claims to be, so
the check accepts snapshots in configured archives alone (the Internet Archive and perma.cc by
default, a newsroom's own WARC/pywb replay beside them), and reads a Wayback-style address
(``<prefix><14-digit timestamp>/<original>``) for what it states: the time it was taken must be
the snapshot's ``date`` and the original must be the source's ``url``. archive.today is refused
unless a site lists it itself: English Wikipedia deprecated it in February 2026 after archived
pages were found altered (the Signpost, https://signpost.toolforge.org/2026-03-10/Technology_report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Archive:
    """A web archive: its name for messages, the prefix of its snapshot addresses, and their form."""

    name: str
    prefix: str  # "https://web.archive.org/web/": every snapshot address starts with it (the scheme may differ)
    timestamped: bool = False  # addresses are <prefix><YYYYMMDDhhmmss>[xx_]/<original>, as Wayback and pywb write them


DEFAULT_ARCHIVES: tuple[Archive, ...] = (
    Archive("the Internet Archive", "https://web.archive.org/web/", timestamped=True),
    Archive("perma.cc", "https://perma.cc/"),
)

# archive.today's names (https://en.wikipedia.org/wiki/Archive.today lists them); refused unless configured
REFUSED_HOSTS = ("archive.today", "archive.ph", "archive.is", "archive.li", "archive.vn", "archive.fo", "archive.md")
REFUSED_REASON = ("archive.today is refused: English Wikipedia deprecated it in February 2026 after archived pages "
                  "were found altered")
_STAMPED = re.compile(r"([0-9]+)([a-z]{2}_)?/(.+)", re.DOTALL)


def refused_host(url: str) -> bool:
    """Whether ``url`` lies on one of archive.today's names."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == name or host.endswith("." + name) for name in REFUSED_HOSTS)


def _unschemed(url: str) -> str:
    return url.split("://", 1)[1] if "://" in url else url


def archive_of(url: str, archives: tuple[Archive, ...]) -> Archive | None:
    """The configured archive whose prefix ``url`` starts with (http or https alike), or None."""
    bare = _unschemed(url)
    return next((a for a in archives if bare.startswith(_unschemed(a.prefix)) and bare != _unschemed(a.prefix)), None)


@dataclass(frozen=True)
class Stamped:
    """What a Wayback-style snapshot address states: when it was taken and of which address."""

    timestamp: str  # the digits as written (14 when well formed)
    original: str

    @property
    def day(self) -> str:
        """YYYY-MM-DD of the timestamp."""
        return f"{self.timestamp[:4]}-{self.timestamp[4:6]}-{self.timestamp[6:8]}"

    @property
    def moment(self) -> str:
        """xsd:dateTime of the timestamp, in UTC as Wayback timestamps are."""
        t = self.timestamp
        return f"{self.day}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"


def stamped(url: str, archive: Archive) -> Stamped | None:
    """The timestamp and original of a snapshot address of a timestamped archive; None when it has no such form."""
    if not archive.timestamped:
        return None
    match = _STAMPED.fullmatch(_unschemed(url)[len(_unschemed(archive.prefix)):])
    return Stamped(match[1], match[3]) if match else None


def same_address(a: str, b: str) -> bool:
    """Whether two addresses name one page as archives record it: scheme, ``www.``, a default port, a final
    slash, percent-encoding and the fragment do not matter (Wayback stores ``http://x:80/`` for ``https://x``)."""
    return _key(a) == _key(b)


def _key(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    shown_port = "" if port in (None, 80, 443) else str(port)
    return f"{host}:{shown_port}", unquote(parts.path).rstrip("/"), unquote(parts.query)

