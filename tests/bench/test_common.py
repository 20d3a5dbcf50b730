"""The benchmark's shared helpers (bench/common.py): one percentile for both scripts."""

import math

import pytest

from bench.common import machine, percentile


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([1, 2, 3, 4], 0.5, 2),  # nearest rank: ceil(0.5 × 4) = 2nd
        ([1, 2, 3, 4, 5], 0.5, 3),
        ([4, 1, 3, 2], 1.0, 4),  # unordered input
        (list(range(1, 101)), 0.99, 99),
        (list(range(1, 101)), 0.95, 95),
        (list(range(1, 11)), 0.95, 10),  # ceil(9.5) = 10th
        ([7], 0.01, 7),
    ],
)
def test_nearest_rank_percentile(values, fraction, expected):
    assert percentile(values, fraction) == expected


def test_percentile_of_nothing_is_nan_and_fraction_is_checked():
    assert math.isnan(percentile([], 0.5))
    with pytest.raises(ValueError):
        percentile([1], 0)


def test_both_scripts_use_the_shared_percentile():
    from bench import load, run

    assert run.percentile is percentile
    assert load.percentile is percentile


def test_machine_describes_the_cpus():
    assert machine()["cpus"] >= 1
