"""The compiled fast validator (fastjsonschema) must reject exactly what jsonschema rejects.

It only decides whether jsonschema needs to run; if it were ever more lenient,
a broken file would pass unexplained. Every mutation below breaks one rule of
the schema in one place.
"""

from __future__ import annotations

import copy
from typing import Any

import fastjsonschema
import pytest
from conftest import annotation, annotations_file

from factmark import validate, yamlstrict

STATUSES = ("documented", "disputed", "uncorroborated")


def base() -> dict[str, Any]:
    """A valid file whose first annotation has every optional key, each of which the mutations then break."""
    first = annotation("budget grew", extra='    prefix: "The"\n    suffix: " by"\n    note: "A note."\n'
                       '    corrections:\n      - date: "2025-12-10"\n        note: "Summary reworded."\n')
    return yamlstrict.load(annotations_file(first, annotation("in 2024", id="a2", status="disputed")), "x").data


def mutations() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {"unchanged": base()}
    ann = base()["annotations"][0]
    for key in list(ann):
        for name, value in (("missing", None), ("number", 7), ("list", ["x"]), ("empty", ""), ("blank", "  "),
                            ("huge", "x" * 6000)):
            data = base()
            if name == "missing":
                del data["annotations"][0][key]
            else:
                data["annotations"][0][key] = value
            out[f"{key}-{name}"] = data
    for key in ("url", "publisher", "excerpt", "date", "via", "title", "kind"):
        for name, value in (("javascript", "javascript:alert(1)"), ("number", 3), ("empty", "")):
            data = base()
            data["annotations"][0]["sources"][0][key] = value
            out[f"source-{key}-{name}"] = data
    for name, change in (("extra-top", lambda d: d.update(extra=1)), ("no-annotations", lambda d: d.pop("annotations")),
                         ("annotations-empty", lambda d: d.update(annotations=[])),
                         ("document-absolute", lambda d: d.update(document="/etc/x.md")),
                         ("sources-empty", lambda d: d["annotations"][0].update(sources=[])),
                         ("correction-bad", lambda d: d["annotations"][0].update(corrections=[{"date": "x"}])),
                         ("quote-too-long", lambda d: d["annotations"][0].update(quote="q" * 2001))):
        data = copy.deepcopy(base())
        change(data)
        out[name] = data
    return out


MUTATIONS = mutations()


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_gate_agrees_with_jsonschema(name: str) -> None:
    data = MUTATIONS[name]
    slow_valid = not list(validate._validator("annotations.schema.json", STATUSES).iter_errors(data))
    try:
        validate._gate("annotations.schema.json", STATUSES)(data)
        fast_valid = True
    except fastjsonschema.JsonSchemaException:
        fast_valid = False
    assert fast_valid == slow_valid
