"""The corrections policy, enforced: a published verdict changes only with a correction readers can see.

``check --base REV`` compares the site with what ``REV`` published (IFCN principle 5; Google's
fact-check eligibility asks for a corrections policy). A published annotation is one present at
``REV``. Changing its status or the substance of its summary (:func:`verdictdiff.substantive`)
needs a new ``corrections:`` entry; a status change's entry names the published verdict as its
``previous_status``; removing the annotation needs a ``withdrawn:`` record in its file. Published
corrections and withdrawals are never edited or removed. Pure: two snapshots in, findings out.
"""

from __future__ import annotations

from dataclasses import replace

from .findings import Finding
from .model import Withdrawal
from .verdictdiff import Snapshot, Verdict, substantive

_ENTRY = ('add to the annotation: corrections: [{date: "YYYY-MM-DD", %snote: "what was wrong and what changed"}]; '
          'it is shown on the page, the Method page, the feed and the open data')


def findings(base: Snapshot, head: Snapshot, base_name: str, config_file: str) -> list[Finding]:
    """FM220-FM223 for every published verdict ``head`` changes without saying so."""
    found: list[Finding] = []
    for key, old in sorted(base.verdicts.items()):
        new = head.verdicts.get(key)
        found += _removed(old, head, base_name, config_file) if new is None else _changed(old, new, base_name)
    for (path, ident), record in sorted(base.withdrawn.items()):
        text = head.texts.get(path)
        if text is None or text.annotation_file is None:
            continue  # the whole text went: FM223 at its annotations says so
        if not _same(head.withdrawn.get((path, ident)), record):
            found.append(Finding(text.annotation_file, text.line, text.col, "FM222",
                                 f"the withdrawal of '{ident}' published at {base_name} was changed or removed",
                                 "a published withdrawal stays as it was; add a correction instead"))
    return sorted(found)


def _same(now: Withdrawal | None, then: Withdrawal) -> bool:
    return now is not None and replace(now, line=0, col=0) == replace(then, line=0, col=0)


def _changed(old: Verdict, new: Verdict, base_name: str) -> list[Finding]:
    at = (new.file, new.line, new.col)
    found = []
    if any(c not in new.corrections for c in old.corrections):
        found.append(Finding(*at, "FM222", f"a correction of '{new.id}' published at {base_name} was changed or "
                             "removed", "published corrections stay as they were; add another one"))
    added = [c for c in new.corrections if c not in old.corrections]
    what = [f"its verdict from {old.status} to {new.status}"] if old.status != new.status else []
    if substantive(old.summary, new.summary):
        what.append("the substance of its summary")
    if what and not added:
        found.append(Finding(*at, "FM220", f"the published annotation '{new.id}' changes {' and '.join(what)} "
                             f"(since {base_name}) without a corrections entry",
                             _ENTRY % (f"previous_status: {old.status}, " if old.status != new.status else "")))
    elif old.status != new.status and not any(c.previous_status == old.status for c in added):
        found.append(Finding(*at, "FM221", f"the correction of '{new.id}' does not say the published verdict: "
                             f"previous_status must be {old.status}", f"add previous_status: {old.status} to "
                             "the new corrections entry"))
    return found


def _removed(old: Verdict, head: Snapshot, base_name: str, config_file: str) -> list[Finding]:
    if (old.document, old.id) in head.withdrawn:
        return []
    text = head.texts.get(old.document)
    if text is None or text.annotation_file is None:
        where = (config_file, 1, 1) if text is None else (text.display, 1, 1)
        return [Finding(*where, "FM223", f"the published annotation '{old.id}' of {old.document} was removed with "
                        f"{'its text' if text is None else 'its annotation file'} (since {base_name}); readers "
                        "are not told", "keep the text and its annotation file, with a withdrawn: record for each "
                        "annotation taken off")]
    return [Finding(text.annotation_file, text.line, text.col, "FM223",
                    f"the published annotation '{old.id}' was removed (since {base_name}) without a withdrawn: "
                    "record", f'add to the file: withdrawn: [{{id: {old.id}, quote: "...", status: {old.status}, '
                    'date: "YYYY-MM-DD", note: "why it was withdrawn"}]')]
