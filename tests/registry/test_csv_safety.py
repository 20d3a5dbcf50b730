"""Formula neutralisation: every trigger is neutralised, and restore() reverses it exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.csv_safety import TRIGGERS, neutralise, restore


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_every_trigger_is_prefixed(trigger):
    assert neutralise(f"{trigger}cmd|' /C calc'!A0") == f"'{trigger}cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Chợ Đông Anh", "Chợ Đông Anh"),
        ("", ""),
        ("-12", "-12"),  # a number, not a formula
        ("-0.5", "-0.5"),
        ("-1+1", "'-1+1"),
        ("-COD", "'-COD"),
        ("'=A1", "''=A1"),  # its own apostrophe survives the import
        ("'text", "'text"),  # an apostrophe before no trigger is not touched
        ("a=b", "a=b"),
    ],
)
def test_written_values(value, written):
    assert neutralise(value) == written
    assert restore(written) == value


def test_non_text_values_are_left_alone():
    for value in (None, 5, -5, 1.5, True):
        assert neutralise(value) == value
        assert restore(value) == value


@given(st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", "1", "."])))
def test_restore_reverses_neutralise_exactly(value):
    written = neutralise(value)
    assert restore(written) == value
    assert written[:1] not in TRIGGERS or _is_negative_number(written)


def _is_negative_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return text.startswith("-")
