"""``check --format sarif``: the findings as a SARIF 2.1.0 log, which GitHub code scanning shows.

One run of one tool (factmark), every rule described once (its code, its text, its default
level), each finding one result at its file, line and column. File addresses are relative
to the top of the repository (uriBaseId ``%SRCROOT%``), as code scanning matches them with the
files of the commit; a site in a subfolder (``-f site/mkdocs.yml``) names ``site/annotations/x.yaml``.
The fields GitHub documents as required for an upload are all there; ``partialFingerprints`` is
left to the upload action, which computes it from the file (GitHub's documented behaviour).
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .findings import Finding, _exact
from .rules import RULES, WARNINGS, severity

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _about() -> tuple[str, str | None]:
    """factmark's version and the address of its documentation (the package's ``Documentation`` URL)."""
    try:
        meta = metadata.metadata("factmark")
    except metadata.PackageNotFoundError:
        return "0", None
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [] if ", " in entry)
    return meta["Version"], urls.get("Documentation")


def top(folder: Path) -> Path:
    """The top of the repository holding ``folder`` (a folder holding ``.git``), or ``folder`` outside one."""
    folder = folder.resolve()
    return next((f for f in (folder, *folder.parents) if (f / ".git").exists()), folder)


def log(findings: list[Finding], root: Path) -> dict[str, Any]:
    """The SARIF log of ``findings``, whose paths are relative to the project folder ``root``."""
    version, docs = _about()
    base = top(root)
    rules = []
    for code, text in RULES.items():
        rule: dict[str, Any] = {
            "id": code, "shortDescription": {"text": text},
            "fullDescription": {"text": text + (f" It is a warning: {WARNINGS[code]}." if code in WARNINGS else "")},
            "help": {"text": f"{text} Every rule, with its remedy: factmark's CONTRIBUTING.md, '4. Check'."},
            "defaultConfiguration": {"level": severity(code)}}
        if docs:
            rule["helpUri"] = f"{docs}#4-check"
        rules.append(rule)
    driver: dict[str, Any] = {"name": "factmark", "version": version, "semanticVersion": version, "rules": rules}
    if docs:
        driver["informationUri"] = docs
    index = {code: n for n, code in enumerate(RULES)}
    results = [_result(f, root.resolve(), base, index) for f in findings]
    return {"$schema": SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": results}]}  # %SRCROOT% is the checkout, wherever it is


def _result(finding: Finding, root: Path, base: Path, index: dict[str, int]) -> dict[str, Any]:
    path = Path(finding.path) if Path(finding.path).is_absolute() else root / finding.path
    shown = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()
    uri = quote(shown, safe="/", errors="backslashreplace")  # a URI reference: spaces and the rest percent-encoded
    text = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
    return {"ruleId": finding.code, "ruleIndex": index[finding.code], "level": finding.severity,
            "message": {"text": _exact(text)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": finding.line, "startColumn": finding.col,
                           "endLine": finding.line, "endColumn": finding.col + 1}}}]}
