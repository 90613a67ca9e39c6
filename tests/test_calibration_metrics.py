import numpy as np
import pytest

from fraudrisk.calibration import apply_platt, fit_platt, shift_prevalence
from fraudrisk.metrics import ece_noise_floor, expected_calibration_error, probability_metrics


def test_prevalence_shift_formula_by_hand():
    # p = 0.8 at a 50 % base rate, deployed at 10 %: odds 4 * (0.1/0.9) / (0.5/0.5) = 4/9.
    assert shift_prevalence([0.8], 0.5, 0.1)[0] == pytest.approx((4 / 9) / (1 + 4 / 9))
    assert shift_prevalence([0.3, 0.9], 0.25, 0.25) == pytest.approx([0.3, 0.9])


def test_prevalence_shift_matches_resampled_data():
    rng = np.random.default_rng(0)
    score = rng.normal(size=400_000)
    y = (rng.random(score.size) < 1 / (1 + np.exp(-2 * score))).astype(int)  # base rate 0.5
    proba = 1 / (1 + np.exp(-2 * score))  # perfectly calibrated at the training base rate
    keep = (y == 0) | (rng.random(y.size) < 0.05 / 0.95)  # resample positives down to ~5 %
    target = y[keep].mean()
    shifted = shift_prevalence(proba[keep], y.mean(), target)
    # Re-based probabilities stay calibrated on the resampled population, bin by bin.
    assert shifted.mean() == pytest.approx(target, rel=0.03)
    for low, high in ((0.0, 0.05), (0.05, 0.3), (0.3, 1.0)):
        in_bin = (shifted >= low) & (shifted < high)
        assert y[keep][in_bin].mean() == pytest.approx(shifted[in_bin].mean(), abs=0.01)


def test_prevalence_must_be_a_probability():
    with pytest.raises(ValueError, match="prevalence must be strictly between 0 and 1, got 1.5"):
        shift_prevalence([0.5], 0.5, 1.5)


def test_platt_recovers_a_known_distortion():
    rng = np.random.default_rng(1)
    true = rng.uniform(0.02, 0.98, 50_000)
    y = (rng.random(true.size) < true).astype(int)
    logit = np.log(true / (1 - true))
    distorted = 1 / (1 + np.exp(-logit / 2))  # over-confident scores squeezed towards 0.5
    slope, intercept = fit_platt(distorted, y)
    assert slope == pytest.approx(2, rel=0.05) and abs(intercept) < 0.05
    assert np.abs(apply_platt(distorted, (slope, intercept)) - true).max() < 0.05


def test_ece_by_hand():
    # Two bins: [0, .5) holds (0, .1), (0, .4) -> gap |0 - .25| * 2; [.5, 1] holds (1, .6), (1, .9) -> |1 - .75| * 2.
    assert expected_calibration_error([0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9], n_bins=2) == pytest.approx(0.25)
    assert expected_calibration_error([1, 0], [1.0, 0.0]) == 0


def test_noise_floor_covers_calibrated_draws():
    rng = np.random.default_rng(2)
    proba = rng.uniform(size=300)
    floor = ece_noise_floor(proba, random_state=3)
    eces = [expected_calibration_error(rng.random(300) < proba, proba) for _ in range(400)]
    assert 0.85 <= np.mean(np.array(eces) <= floor) <= 0.95
    assert floor > expected_calibration_error([1, 0], [1.0, 0.0])


def test_probability_metrics_by_hand():
    metrics = probability_metrics([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.1])
    assert metrics["accuracy"] == 0.75 and metrics["roc_auc"] == 1.0
    assert metrics["brier"] == pytest.approx((0.04 + 0.09 + 0.36 + 0.01) / 4)
    assert metrics["log_loss"] == pytest.approx(-np.mean(np.log([0.8, 0.7, 0.4, 0.9])))
