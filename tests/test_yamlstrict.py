"""Strict YAML: no 1.1 surprises, no aliases, no duplicate keys, positions for everything."""

from __future__ import annotations

import pytest

from factmark.yamlstrict import YAMLError, load


def test_yaml_1_1_surprises_stay_text() -> None:
    data = load("a: no\nb: 2025-12-08\nc: 1.10\nd: on\ne: 1:20\nf: 42\ng: true\nh:\n", "f.yaml").data
    assert data == {"a": "no", "b": "2025-12-08", "c": "1.10", "d": "on", "e": "1:20", "f": 42, "g": True, "h": None}


def test_positions_of_keys_and_values() -> None:
    located = load("a:\n  - x: 1\n    y: two\n", "f.yaml")
    assert located.where(("a", 0, "y")) == (3, 8)
    assert located.where(("a", 0, "y"), key=True) == (3, 5)
    assert located.where(("a", 0, "missing")) == (2, 5)  # falls back to the enclosing mapping


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: 1\na: 2\n", "FM102"),
        ("a: &x [1]\nb: *x\n", "FM103"),
        ("a: &a [x,x,x]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n", "FM103"),  # an alias bomb never expands
        ("[" * 20_000 + "]" * 20_000, "FM104"),
        ("a: [" * 100 + "]" * 100, "FM104"),
        ("a: 1\n---\nb: 2\n", "FM101"),
        ("? [a]\n: 1\n", "FM101"),
    ],
)
def test_refused(text: str, code: str) -> None:
    with pytest.raises(YAMLError) as err:
        load(text, "f.yaml")
    assert err.value.finding.code == code
