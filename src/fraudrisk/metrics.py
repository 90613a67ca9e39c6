"""Quality metrics for probabilities, including the noise floor of the calibration error."""

import numpy as np
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score

ECE_BINS = 15
"""ECE uses 15 equal-width probability bins over [0, 1]."""


def expected_calibration_error(y_true, proba, n_bins=ECE_BINS):
    """Expected calibration error with equal-width bins.

    The weighted mean, over bins, of ``|mean(y) - mean(p)|`` with bin weight = share of rows.

    Parameters
    ----------
    y_true : array-like of {0, 1}
        Labels.
    proba : array-like of float in [0, 1]
        Predicted probabilities of class 1.
    n_bins : int, default=15
        Number of equal-width bins.

    Returns
    -------
    float

    Examples
    --------
    >>> expected_calibration_error([0, 1, 1, 0], [0.1, 0.9, 0.6, 0.4], n_bins=2)
    0.25
    """
    y_true = np.asarray(y_true, dtype=float)
    proba = np.asarray(proba, dtype=float)
    bins = np.minimum((proba * n_bins).astype(int), n_bins - 1)
    gap = np.bincount(bins, weights=y_true - proba, minlength=n_bins)
    return float(np.abs(gap).sum() / max(len(proba), 1))


def ece_noise_floor(proba, n_draws=500, quantile=0.9, random_state=0, n_bins=ECE_BINS):
    """The ECE that perfectly calibrated probabilities show by chance on these rows.

    Labels are drawn from ``Bernoulli(proba)`` ``n_draws`` times; the ``quantile`` of the
    resulting ECEs is returned. A measured ECE below it is indistinguishable from perfect
    calibration on this many rows.

    Parameters
    ----------
    proba : array-like of float in [0, 1]
        Predicted probabilities of class 1.
    n_draws : int, default=500
        Simulated label draws.
    quantile : float, default=0.9
        Quantile of the simulated ECEs to return.
    random_state : int, default=0
        Seed of the simulation.
    n_bins : int, default=15
        Number of equal-width bins.

    Returns
    -------
    float
    """
    proba = np.asarray(proba, dtype=float)
    rng = np.random.default_rng(random_state)
    draws = rng.random((n_draws, len(proba))) < proba
    eces = [expected_calibration_error(labels, proba, n_bins) for labels in draws]
    return float(np.quantile(eces, quantile))


def probability_metrics(y_true, proba, threshold=0.5):
    """ROC AUC, accuracy, log-loss, Brier score, ECE and its noise floor, as a dict."""
    y_true = np.asarray(y_true, dtype=int)
    proba = np.clip(np.asarray(proba, dtype=float), 0.0, 1.0)
    return {
        "n": int(len(y_true)),
        "roc_auc": float(roc_auc_score(y_true, proba)),
        "accuracy": float(accuracy_score(y_true, proba >= threshold)),
        "log_loss": float(log_loss(y_true, proba, labels=[0, 1])),
        "brier": float(brier_score_loss(y_true, proba)),
        "ece": expected_calibration_error(y_true, proba),
        "ece_noise_floor_p90": ece_noise_floor(proba),
        "ece_bins": f"{ECE_BINS} equal-width bins",
    }
