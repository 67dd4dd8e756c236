"""Reviews that have grown old: a site option says how old a verdict's ``reviewed`` date may get.

Facts change; a verdict reviewed two years ago may no longer hold. With ``review_max_age_days``
set, the check warns (FM230) about each annotation reviewed longer ago than that, and its entry
says "as of <reviewed>" beside the verdict. "Today" is never the clock, so that two builds of one
commit stay byte-identical: it is the day of ``SOURCE_DATE_EPOCH`` when set (``factmark build``
sets it to the commit's date), else the date of the project's last commit; with neither there is
no today and nothing is stale.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

from .findings import Finding
from .model import AnnotationFile


def today(root: Path) -> datetime.date | None:
    """The day reviews are measured against: ``SOURCE_DATE_EPOCH``'s, else the last commit's (UTC)."""
    stamp = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not stamp.isdigit():
        try:
            stamp = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                                   text=True, check=False, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return None
    if not stamp.isdigit():
        return None
    return datetime.datetime.fromtimestamp(int(stamp), datetime.UTC).date()


def cutoff(root: Path, max_age_days: int | None) -> str | None:
    """The oldest ``reviewed`` date that is not stale ("YYYY-MM-DD"), or None when nothing can be."""
    day = today(root) if max_age_days is not None else None
    if day is None or max_age_days is None:
        return None
    try:
        return (day - datetime.timedelta(days=max_age_days)).isoformat()
    except OverflowError:  # more days than the calendar has before today: nothing is that old
        return None


def is_stale(reviewed: str, stale_before: str | None) -> bool:
    """Whether a review date lies before the cutoff (ISO dates compare as text)."""
    return stale_before is not None and reviewed < stale_before


def findings(files: list[AnnotationFile], stale_before: str | None, max_age_days: int | None) -> list[Finding]:
    """FM230, a warning, at each annotation reviewed before ``stale_before``."""
    return [Finding(ann.file, ann.line, ann.col, "FM230",
                    f"'{ann.id}' was last reviewed {ann.reviewed}, more than {max_age_days} days before "
                    f"{_after(stale_before, max_age_days)} (review_max_age_days)",
                    "review the verdict against its sources again and update 'reviewed' (and add a correction "
                    "if it changes)")
            for parsed in files for ann in parsed.annotations if is_stale(ann.reviewed, stale_before)]


def _after(stale_before: str | None, days: int | None) -> str:
    assert stale_before is not None and days is not None
    return (datetime.date.fromisoformat(stale_before) + datetime.timedelta(days=days)).isoformat()
