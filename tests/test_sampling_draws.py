"""The quick weighted draw (``model/choices.py``) gives exactly the draws of numpy's
``Generator.choice`` where the model draws categories: arrivals' zones, household sizes,
recruits' employers."""

import numpy as np
import pytest

from model.calibration.synth import SIZE_PROBS, household_size_draw
from model.choices import choose


def _cases():
    maker = np.random.default_rng(20110101)
    for case in range(200):
        count = int(maker.integers(1, 12))
        probabilities = maker.random(count) ** 3
        if case % 4 == 0:
            probabilities[maker.integers(count)] = 0.0  # a category nobody may draw
        if probabilities.sum() == 0:
            probabilities[0] = 1.0
        yield probabilities / probabilities.sum(), int(maker.integers(0, 300)), case


@pytest.mark.parametrize("probabilities, size, seed", list(_cases()))
def test_choose_is_choice(probabilities, size, seed):
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    drawn = choose(ours, probabilities, size)
    expected = numpys.choice(len(probabilities), size=size, p=probabilities)
    assert drawn.dtype == expected.dtype
    np.testing.assert_array_equal(drawn, expected)
    # and the generators are left in the same state
    assert ours.random() == numpys.random()


def test_household_sizes_are_choice():
    ours, numpys = np.random.default_rng(7), np.random.default_rng(7)
    sizes = household_size_draw(ours, 5000)
    np.testing.assert_array_equal(sizes, numpys.choice(np.arange(1, 7), size=5000, p=SIZE_PROBS))
    assert ours.random() == numpys.random()
