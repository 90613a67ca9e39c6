"""Evaluation report: every metric a user needs to trust a probability, at their base rate."""

from dataclasses import asdict, dataclass, field

import numpy as np

from fraudrisk.bands import DEFAULT_BANDS, band_of
from fraudrisk.calibration import shift_prevalence
from fraudrisk.metrics import ECE_BINS, calibration_fit, prevalence_weights, probability_metrics


@dataclass
class EvaluationReport:
    """What :func:`evaluate_predictions` measured.

    Attributes
    ----------
    metrics : dict
        ROC AUC, PR AUC, accuracy, log-loss, Brier and Brier skill, ECE with its noise floor,
        recall at 1 % false-positive rate.
    calibration : dict
        Slope and intercept of ``logit P(fraud) ~ logit(p)`` with 90 % bootstrap intervals, and
        the 90 % range of the slope under perfect calibration.
    bands : list of dict
        Per band: lower bound, share of shops, fraud rate inside, precision and recall of
        flagging this band and above.
    reliability : list of dict
        Per probability bin: weight, mean probability, observed fraud rate, and the 90 % range
        the observed rate would fall in if the probabilities were perfectly calibrated.
    distribution : dict
        Histograms of the probability for fraudulent and legitimate shops.
    setting : dict
        Base rates, source, binning.
    """

    metrics: dict
    calibration: dict
    bands: list
    reliability: list
    distribution: dict
    setting: dict = field(default_factory=dict)

    def to_dict(self):
        """Plain-JSON dict."""
        return asdict(self)


def _calibration(y_true, proba, evaluated, weight, prevalence, n_boot=200, random_state=0):
    """Slope and intercept, their bootstrap intervals, and their range under perfect calibration.

    Under importance weighting the slope estimate is noisy and biased on a few hundred rows, so
    the report also gives the 90 % range of slopes that labels drawn from the probabilities
    themselves produce: a measured slope inside it is no evidence of miscalibration.
    """

    rng = np.random.default_rng(random_state)
    boot_slopes, boot_intercepts, null_slopes = [], [], []
    for _ in range(n_boot):
        rows = rng.integers(0, len(y_true), len(y_true))
        if y_true[rows].min() != y_true[rows].max():
            slope, intercept = calibration_fit(y_true[rows], evaluated[rows], weight[rows])
            boot_slopes.append(slope)
            boot_intercepts.append(intercept)
        labels = (rng.random(len(proba)) < proba).astype(int)
        if labels.min() != labels.max():
            w = prevalence_weights(labels, prevalence) if prevalence else np.ones(len(labels))
            null_slopes.append(calibration_fit(labels, evaluated, w)[0])
    slope, intercept = calibration_fit(y_true, evaluated, weight)
    return {
        "slope": slope,
        "slope_ci90": [float(np.quantile(boot_slopes, 0.05)), float(np.quantile(boot_slopes, 0.95))],
        "slope_if_calibrated_90": [float(np.quantile(null_slopes, 0.05)), float(np.quantile(null_slopes, 0.95))],
        "intercept": intercept,
        "intercept_ci90": [float(np.quantile(boot_intercepts, 0.05)), float(np.quantile(boot_intercepts, 0.95))],
        "method": "weighted logistic fit of the label on logit(p); 200 row-bootstrap resamples; "
        "range if calibrated from 200 label draws from the probabilities themselves",
    }


def _band_rows(y_true, proba, weight, bands):
    names = [band_of(p, bands) for p in proba]
    total, fraud = weight.sum(), (weight * y_true).sum()
    rows = []
    for position, (name, bound) in enumerate(bands):
        inside = np.array([n == name for n in names])
        at_or_above = np.isin(names, [b for b, _ in bands[position:]])
        flagged = weight[at_or_above].sum()
        caught = (weight * y_true)[at_or_above].sum()
        rows.append(
            {
                "band": name,
                "lower_bound": bound,
                "share": float(weight[inside].sum() / total),
                "fraud_rate_inside": float((weight * y_true)[inside].sum() / weight[inside].sum())
                if inside.any()
                else None,
                "precision_at_and_above": float(caught / flagged) if flagged else None,
                "recall_at_and_above": float(caught / fraud) if fraud else None,
            }
        )
    return rows


def _reliability(y_true, proba, evaluated, weight, prevalence, n_bins=ECE_BINS, n_draws=300):
    """Per-bin observed rate, and the 90 % range it would have under perfect calibration."""
    bins = np.minimum((evaluated * n_bins).astype(int), n_bins - 1)
    rng = np.random.default_rng(0)
    simulated = np.full((n_draws, n_bins), np.nan)
    for draw in range(n_draws):
        labels = (rng.random(len(proba)) < proba).astype(int)
        w = prevalence_weights(labels, prevalence) if prevalence and 0 < labels.mean() < 1 else np.ones(len(labels))
        totals = np.bincount(bins, weights=w, minlength=n_bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            simulated[draw] = np.bincount(bins, weights=w * labels, minlength=n_bins) / totals
    rows = []
    for index in range(n_bins):
        inside = bins == index
        if not inside.any():
            continue
        w = weight[inside]
        rows.append(
            {
                "bin": [index / n_bins, (index + 1) / n_bins],
                "rows": int(inside.sum()),
                "weight": float(w.sum()),
                "mean_probability": float(np.average(evaluated[inside], weights=w)),
                "observed_rate": float(np.average(y_true[inside], weights=w)),
                "calibrated_range_90": [float(np.nanquantile(simulated[:, index], q)) for q in (0.05, 0.95)],
            }
        )
    return rows


def evaluate_predictions(y_true, proba, *, prevalence=None, model_rate=None, bands=DEFAULT_BANDS, source=""):
    """Evaluate probabilities against labels, optionally as at another base rate.

    Parameters
    ----------
    y_true : array-like of {0, 1}
        Labels (1 = fraudulent).
    proba : array-like of float
        Probabilities as the model gives them (calibrated at ``model_rate``), for shops the
        model never saw (held-out data or out-of-fold predictions).
    prevalence : float, optional
        Evaluate as at this base rate: importance weights on rows, probabilities re-based.
    model_rate : float, optional
        Base rate the probabilities are calibrated at; default the rows' own.
    bands : tuple of (str, float)
        Risk bands, applied to the (re-based) probabilities.
    source : str
        Where the predictions come from, for the report.

    Returns
    -------
    EvaluationReport
    """
    y_true = np.asarray(y_true, dtype=int)
    proba = np.asarray(proba, dtype=float)
    model_rate = float(y_true.mean()) if model_rate is None else model_rate
    weight, evaluated = np.ones(len(y_true)), proba
    if prevalence is not None:
        weight = prevalence_weights(y_true, prevalence)
        evaluated = shift_prevalence(proba, model_rate, prevalence)
    edges = np.linspace(0, 1, 21)
    return EvaluationReport(
        metrics=probability_metrics(y_true, proba, prevalence=prevalence, model_rate=model_rate),
        calibration=_calibration(y_true, proba, evaluated, weight, prevalence),
        bands=_band_rows(y_true, evaluated, weight, tuple(bands)),
        reliability=_reliability(y_true, proba, evaluated, weight, prevalence),
        distribution={
            "edges": edges.tolist(),
            "fraudulent": np.histogram(evaluated[y_true == 1], edges)[0].tolist(),
            "legitimate": np.histogram(evaluated[y_true == 0], edges)[0].tolist(),
        },
        setting={
            "source": source,
            "n": int(len(y_true)),
            "rows_base_rate": float(y_true.mean()),
            "model_base_rate": model_rate,
            "evaluated_at_base_rate": prevalence or float(y_true.mean()),
            "weighting": "importance weights to the stated base rate" if prevalence else "none",
            "ece_binning": f"{ECE_BINS} equal-width bins over [0, 1]",
            "ece_noise_floor": "90th percentile of the ECE of labels drawn from the probabilities "
            "themselves (500 draws), weighted and re-based like the measured ECE",
        },
    )
