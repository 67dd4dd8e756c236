"""``check --format sarif``: a SARIF 2.1.0 log that validates and that GitHub code scanning accepts.

The schema is the OASIS one, shipped in tests/fixtures/sarif/ (from github:oasis-tcs/sarif-spec,
sarif-2.1/schema/sarif-schema-2.1.0.json at commit e0583813964ec43cea53b6b531b402866095ed1f, the
errata01 schema whose id the log names). GitHub's required properties are those its page "SARIF
support for code scanning" marks **Required**
(https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning);
``partialFingerprints`` is the one left out, which the upload action computes when it is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import jsonschema
import pytest
from conftest import REPO, Site, annotation, annotations_file

from factmark import rules

SCHEMA = json.loads((REPO / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
BODY = "The budget grew by ten percent in 2024.\n"


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    """A repository whose site lies in ``site/``, with an error (FM301), a warning (FM105) and a file name
    with a space, checked from the repository's top with ``-f site/mkdocs.yml``, as CI runs it."""
    top = tmp_path_factory.mktemp("repo")
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    site = Site(top / "site")
    site.doc(BODY)
    site.doc(BODY, "two words.md")
    site.write("annotations/speech.yaml", annotations_file(annotation("fell by 40 percent")))
    site.write("annotations/two words.yaml", annotations_file(annotation("budget grew"), document="two words.md")
               .replace("document: two", "document:  two"))
    done = subprocess.run([sys.executable, "-m", "factmark.cli", "check", "-f", "site/mkdocs.yml", "--format", "sarif"],
                          cwd=top, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    return done.returncode, json.loads(done.stdout)


def test_the_log_validates_against_the_sarif_schema(logged: tuple[int, dict[str, Any]]) -> None:
    code, log = logged
    assert code == 1  # FM301 is an error
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
    broken = {**log, "runs": [{"results": []}]}  # the schema does catch what is wrong: a run needs its tool
    assert list(jsonschema.Draft4Validator(SCHEMA).iter_errors(broken))


def test_githubs_required_properties(logged: tuple[int, dict[str, Any]]) -> None:
    _, log = logged
    assert log["$schema"] and log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "factmark" and driver["version"]
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == list(rules.RULES)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] == rules.RULES[rule["id"]]
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["helpUri"].startswith("https://") and "CONTRIBUTING.md" in rule["helpUri"]
        assert rule["defaultConfiguration"]["level"] == rules.severity(rule["id"])
    assert run["results"]
    for result in run["results"]:
        assert result["message"]["text"] and result["ruleId"] in rules.RULES
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] and location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = location["region"]
        assert all(isinstance(region[k], int) and region[k] >= 1
                   for k in ("startLine", "startColumn", "endLine", "endColumn"))


def test_results_name_files_from_the_repositorys_top_with_their_level(logged: tuple[int, dict[str, Any]]) -> None:
    _, log = logged
    found = sorted((r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    r["locations"][0]["physicalLocation"]["region"]["startLine"],
                    r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in log["runs"][0]["results"])
    assert found == [("FM105", "warning", "site/annotations/two%20words.yaml", 1, 1),
                     ("FM301", "error", "site/annotations/speech.yaml", 4, 12)]
    fm301 = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "FM301")
    assert fm301["message"]["text"].startswith("quote of 'a1' is not in content/speech.md (hint: ")


def test_the_workflow_documents_the_upload() -> None:
    workflow = (REPO / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8")
    assert "--format sarif" in workflow and "github/codeql-action/upload-sarif" in workflow
