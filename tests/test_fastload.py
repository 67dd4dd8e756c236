"""The loader's shortcuts must decide exactly as the slow path they stand in for."""

import re

from factmark import yamlstrict

# the set _MAYBE_UNPUBLISHABLE stood for when it was written as a positive class: the BMP ranges
# _UNPUBLISHABLE names, its two BMP noncharacters, and every character beyond the BMP
_SPELLED_OUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                          "\U00010000-\U0010ffff]")


def test_maybe_unpublishable_is_the_same_set_on_every_code_point() -> None:
    """The negated class must match exactly the characters the spelled-out class matches."""
    differ = [hex(cp) for cp in range(0x110000)
              if (yamlstrict._MAYBE_UNPUBLISHABLE.match(chr(cp)) is None) != (_SPELLED_OUT.match(chr(cp)) is None)]
    assert differ == []


def test_maybe_unpublishable_covers_every_unpublishable_character() -> None:
    """Whatever _UNPUBLISHABLE refuses, the cheap pre-test must flag, or the per-string check is skipped."""
    missed = [hex(cp) for cp in range(0x110000)
              if yamlstrict._UNPUBLISHABLE.match(chr(cp)) and not yamlstrict._MAYBE_UNPUBLISHABLE.match(chr(cp))]
    assert missed == []
