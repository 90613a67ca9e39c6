import numpy as np
import pytest

from fraudrisk.bands import band_of, choose_bands
from fraudrisk.calibration import shift_prevalence
from fraudrisk.metrics import (
    calibration_fit,
    expected_calibration_error,
    prevalence_weights,
    probability_metrics,
    recall_at_fpr,
)
from fraudrisk.report import evaluate_predictions
from fraudrisk.report_files import to_markdown, write_report


def _calibrated(n=200_000, seed=0, strength=2.5):
    rng = np.random.default_rng(seed)
    proba = 1 / (1 + np.exp(-strength * rng.normal(size=n)))
    return (rng.random(n) < proba).astype(int), proba


def test_small_metrics_by_hand():
    y = np.array([0, 0, 0, 0, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.7, 0.6, 0.9])
    # FPR steps of 0.25: at 0 false positives only the 0.9 fraud is caught.
    assert recall_at_fpr(y, p, 0.01) == 0.5
    metrics = probability_metrics(y, p)
    brier = np.mean((p - y) ** 2)
    assert metrics["brier"] == pytest.approx(brier)
    assert metrics["brier_skill"] == pytest.approx(1 - brier / (2 / 6 * 4 / 6))
    assert metrics["accuracy"] == pytest.approx(5 / 6)
    # Average precision: ranks 0.9 (TP), 0.7 (FP), 0.6 (TP): (1/2)(1) + (1/2)(2/3).
    assert metrics["pr_auc"] == pytest.approx(0.5 + 1 / 3)
    weighted = expected_calibration_error([0, 1], [0.2, 0.2], n_bins=5, sample_weight=[3, 1])
    assert weighted == pytest.approx(abs(0.25 - 0.2))


def test_calibration_slope_of_calibrated_and_overconfident_scores():
    y, p = _calibrated()
    slope, intercept = calibration_fit(y, p)
    assert slope == pytest.approx(1, abs=0.03) and intercept == pytest.approx(0, abs=0.03)
    logit = np.log(p / (1 - p))
    slope, _ = calibration_fit(y, 1 / (1 + np.exp(-2 * logit)))
    assert slope == pytest.approx(0.5, abs=0.03)


def test_prevalence_weighting_matches_a_resampled_data_set():
    y, p = _calibrated(seed=1)
    weighted = probability_metrics(y, p, prevalence=0.02)
    rng = np.random.default_rng(2)
    keep_positive = rng.random(len(y)) < (0.02 / 0.98) * (1 - y.mean()) / y.mean()
    keep = (y == 0) | keep_positive
    resampled_rate = y[keep].mean()
    resampled = probability_metrics(y[keep], shift_prevalence(p[keep], y.mean(), resampled_rate))
    assert resampled_rate == pytest.approx(0.02, rel=0.05)
    for name in ("roc_auc", "log_loss", "brier", "accuracy"):
        assert weighted[name] == pytest.approx(resampled[name], rel=0.05), name
    assert weighted["ece"] < weighted["ece_noise_floor_p90"] and resampled["ece"] < 0.01


def test_prevalence_weights_sum_to_the_target_rate():
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0])
    weights = prevalence_weights(y, 0.01)
    assert np.average(y, weights=weights) == pytest.approx(0.01) and weights.mean() == pytest.approx(1)


def test_chosen_bands_meet_their_targets():
    y, p = _calibrated(n=20_000, seed=3)
    targets = {"review": ("recall", 0.95), "high": ("precision", 0.8), "critical": ("precision", 0.95)}
    bands = choose_bands(y, p, targets)
    names = [name for name, _ in bands]
    bounds = [bound for _, bound in bands]
    assert names == ["low", "review", "high", "critical"] and bounds == sorted(bounds)
    flagged = np.array([band_of(value, bands) for value in p])
    assert y[np.isin(flagged, ["critical"])].mean() >= 0.95
    assert y[np.isin(flagged, ["high", "critical"])].mean() >= 0.80
    assert y[flagged != "low"].sum() / y.sum() >= 0.95
    for value, name in zip(p[:500], flagged[:500], strict=True):
        bound = dict(bands)[name]
        assert value >= bound
    at_one_percent = choose_bands(y, p, targets, prevalence=0.01)
    assert [name for name, _ in at_one_percent] == names


def test_unreachable_target_puts_the_band_at_the_top():
    bands = choose_bands([0, 1, 0, 1], [0.9, 0.8, 0.7, 0.1], {"critical": ("precision", 0.99)})
    assert bands == (("low", 0.0), ("critical", 1.0))


def test_report_and_files(tmp_path):
    y, p = _calibrated(n=3000, seed=4)
    report = evaluate_predictions(y, p, prevalence=0.05, source="synthetic")
    assert report.setting["evaluated_at_base_rate"] == 0.05
    assert report.calibration["slope_ci90"][0] <= report.calibration["slope"] <= report.calibration["slope_ci90"][1]
    assert sum(band["share"] for band in report.bands) == pytest.approx(1)
    text = to_markdown(report)
    assert "ECE noise floor" in text and "calibration slope" in text and "recall at 1 % FPR" in text
    written = {path.name for path in write_report(report, tmp_path / "out")}
    assert {"report.json", "report.md"} <= written
    pytest.importorskip("matplotlib")
    assert {"reliability.png", "scores.png"} <= written
    assert (tmp_path / "out" / "reliability.png").read_bytes()[:4] == b"\x89PNG"


def test_evaluate_recipe_is_out_of_fold(ktu):
    from fraudrisk.evaluation import evaluate_recipe

    X, y = ktu
    report = evaluate_recipe(X.iloc[:300], y[:300], cv=3, ensembles=("random_forest",), n_estimators=30)
    assert report.metrics["n"] == 300 and 0.5 < report.metrics["roc_auc"] <= 1


def test_bands_of_an_array_equal_band_of_each_probability():
    from fraudrisk.bands import DEFAULT_BANDS, band_of, bands_of

    rng = np.random.default_rng(5)
    bounds = [bound for _, bound in DEFAULT_BANDS]
    probabilities = np.concatenate(
        [rng.random(2000), bounds, np.nextafter(bounds, -1), np.nextafter(bounds, 2), [np.nan, -0.0, 1.0, -1.0]]
    )
    for bands in (DEFAULT_BANDS, (("only", 0.0),), (("a", 0.1), ("b", 0.1), ("c", 0.7))):
        assert bands_of(probabilities, bands) == [band_of(p, bands) for p in probabilities]


def test_calibration_slope_is_unbiased_when_rebased_probabilities_are_tiny():
    # Re-based to a 1 % base rate, most legitimate shops get p < 0.001; the slope must not
    # be bent by clipping their log-odds (it was 1.05 on these rows with clipping at 0.001).
    y, p = _calibrated(strength=4)
    rebased = shift_prevalence(p, y.mean(), 0.01)
    assert (rebased < 1e-3).mean() > 0.25
    slope, intercept = calibration_fit(y, rebased, prevalence_weights(y, 0.01))
    assert slope == pytest.approx(1, abs=0.02) and intercept == pytest.approx(0, abs=0.05)
