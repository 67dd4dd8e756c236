"""``factmark diff``'s three outputs: for a terminal, for a pull request (Markdown), for tools (JSON).

Each line says what a reader will see differently, grouped by text. The Markdown goes into a
pull-request comment or ``$GITHUB_STEP_SUMMARY``, where every quoted text is escaped: a quote or
summary can hold ``*``, ``[link](…)``, ``<img>`` or ``@someone`` and must show as written, never
format, link or notify. The JSON's keys are stable (README: ``factmark diff --format json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .verdictdiff import KINDS, Change

FORMAT_VERSION = 1
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")  # no emphasis, code, link, image, table or issue reference
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"}


def _line(text: str) -> str:
    return " ".join(text.split())


def md(text: str) -> str:
    """Text that Markdown (GitHub's included) shows as written: one line, no markup, link, HTML or mention."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _line(text))
    return "".join(_HTML.get(ch, ch) for ch in escaped)


def _describe(change: Change, q: Callable[[str], str], code: Callable[[str], str], text: Callable[[str], str]) -> str:
    """One change in words; ``q`` quotes a reader's text, ``code`` shows an id or a status, ``text`` shows the
    rest of what was written (a note, the passages a correction changed)."""
    ident = code(change.annotation or "")
    if change.kind == "text-added":
        return "new text"
    if change.kind == "text-removed":
        return "text removed"
    if change.kind == "text-corrected":
        title = f"; title {q(change.before)} → {q(change.after)}" if change.before != change.after else ""
        return f"text corrected: {text(change.detail or '')}{title}"
    if change.kind == "annotation-added":
        return f"new annotation {ident} ({code(change.after)}): {q(change.quote or '')}"
    if change.kind == "annotation-removed":
        return (f"annotation {ident} ({code(change.before)}) removed: {q(change.quote or '')} — "
                f"{text(change.detail or '')}")
    if change.kind == "status-changed":
        return f"{ident} verdict {code(change.before)} → {code(change.after)}: {q(change.quote or '')}"
    if change.kind == "summary-changed":
        what = "summary changed" if change.detail == "substance" else "summary reworded"
        return f"{ident} {what}: {q(change.before)} → {q(change.after)}"
    if change.kind == "quote-moved":
        old, new = change.before, change.after
        if old["quote"] != new["quote"]:
            return f"{ident} quote changed: {q(old['quote'])} → {q(new['quote'])}"
        return (f"{ident} quote moved: {q(new['quote'])} now at characters {new['start']} to {new['end']} "
                f"(was {old['start']} to {old['end']})")
    if change.kind == "source-added":
        return f"{ident} source added: {q(change.after)}"
    if change.kind == "source-removed":
        return f"{ident} source removed: {q(change.before)}"
    return f"{ident} correction {code(change.detail or '')}: {q(change.after)}"


def _plain_quote(text: str) -> str:
    return f'"{_line(text)}"'


def _grouped(changes: list[Change]) -> list[tuple[str, str, list[Change]]]:
    groups: dict[str, tuple[str, list[Change]]] = {}
    for change in changes:
        groups.setdefault(change.document, (change.title, []))[1].append(change)
    return [(path, title, items) for path, (title, items) in groups.items()]


def _headline(changes: list[Change]) -> str:
    if not changes:
        return "No change for readers."
    texts = len({c.document for c in changes})
    return f"{len(changes)} change(s) for readers in {texts} text(s)"


def human(changes: list[Change], base: str, head: str) -> str:
    """For a terminal: a headline, then each text's changes, one per line."""
    lines = [f"factmark diff {base} → {head}: {_headline(changes)}"]
    for path, title, items in _grouped(changes):
        lines += ["", f'{path} "{_line(title)}"']
        lines += [f"  {_describe(c, _plain_quote, str, _line)}" for c in items]
    return "\n".join(lines) + "\n"


def markdown(changes: list[Change], base: str, head: str) -> str:
    """For a pull request: a heading, the headline, then a list per text."""
    lines = ["### What this changes for readers", "", f"{md(_headline(changes))} Compared: {md(base)} → {md(head)}."]
    for path, title, items in _grouped(changes):
        lines += ["", f"**{md(title)}** ({md(path)})", ""]
        lines += [f"- {_describe(c, lambda t: '“' + md(t) + '”', lambda t: '**' + md(t) + '**', md)}" for c in items]
    return "\n".join(lines) + "\n"


def as_json(changes: list[Change], base: dict[str, Any], head: dict[str, Any]) -> str:
    """``{"version", "base", "head", "counts", "changes"}``: counts of every kind (zeros included), in KINDS order."""
    counts = {kind: sum(c.kind == kind for c in changes) for kind in KINDS}
    return json.dumps({"version": FORMAT_VERSION, "base": base, "head": head, "counts": counts,
                       "changes": [c.as_json() for c in changes]}, ensure_ascii=False, indent=2) + "\n"
