from __future__ import annotations

import pytest

from schoolzorg.lib.postcodes import display_postcode, normalise_postcode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3061 ab", "3061AB"),
        ("3061AB", "3061AB"),
        (" 3061  AB ", "3061AB"),
        ("3061", "3061"),
        ("0123AB", ""),
        ("30611", ""),
        ("ABCD", ""),
        ("", ""),
        ("3061 A", ""),
    ],
)
def test_normalise_postcode(raw, expected):
    assert normalise_postcode(raw) == expected


def test_display_postcode_puts_the_space_back():
    assert display_postcode("3061ab") == "3061 AB"
    assert display_postcode("3061") == "3061"
