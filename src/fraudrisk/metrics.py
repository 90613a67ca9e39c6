"""Quality metrics for probabilities, with optional importance weights for another base rate.

Every function takes ``sample_weight``: with :func:`prevalence_weights` the metrics are those
the same model would show where fraud has another base rate.
"""

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    log_loss,
    roc_auc_score,
    roc_curve,
)

ECE_BINS = 15
"""ECE uses 15 equal-width probability bins over [0, 1]."""

_LOGIT_FLOOR = 1e-12


def prevalence_weights(y_true, prevalence):
    """Importance weights that turn the rows' base rate into ``prevalence``.

    Positives get ``prevalence / rate``, negatives ``(1 - prevalence) / (1 - rate)``, so the
    weighted share of positives is ``prevalence`` and the weights average to one.

    Examples
    --------
    >>> prevalence_weights([1, 0, 0, 0], 0.5).tolist()
    [2.0, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666]
    """
    y_true = np.asarray(y_true, dtype=int)
    rate = y_true.mean()
    return np.where(y_true == 1, prevalence / rate, (1 - prevalence) / (1 - rate))


def expected_calibration_error(y_true, proba, n_bins=ECE_BINS, sample_weight=None):
    """Expected calibration error with equal-width bins.

    The weighted mean, over bins, of ``|mean(y) - mean(p)|`` with bin weight = share of rows
    (or of ``sample_weight``).

    Parameters
    ----------
    y_true : array-like of {0, 1}
        Labels.
    proba : array-like of float in [0, 1]
        Predicted probabilities of class 1.
    n_bins : int, default=15
        Number of equal-width bins.
    sample_weight : array-like, optional
        Row weights.

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
    weight = np.ones_like(proba) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    bins = np.minimum((proba * n_bins).astype(int), n_bins - 1)
    gap = np.bincount(bins, weights=weight * (y_true - proba), minlength=n_bins)
    return float(np.abs(gap).sum() / max(weight.sum(), 1e-12))


def ece_noise_floor(
    proba, n_draws=500, quantile=0.9, random_state=0, n_bins=ECE_BINS, prevalence=None, model_rate=None
):
    """The ECE that perfectly calibrated probabilities show by chance on these rows.

    Labels are drawn from ``Bernoulli(proba)`` ``n_draws`` times; the ``quantile`` of the
    resulting ECEs is returned. With ``prevalence``, every draw is treated exactly as the
    measured ECE is: probabilities re-based from ``model_rate`` to ``prevalence`` and rows
    importance-weighted from the draw's base rate to ``prevalence``.

    Parameters
    ----------
    proba : array-like of float in [0, 1]
        Probabilities as the model gives them (calibrated at ``model_rate``).
    n_draws : int, default=500
        Simulated label draws.
    quantile : float, default=0.9
        Quantile of the simulated ECEs to return.
    random_state : int, default=0
        Seed of the simulation.
    n_bins : int, default=15
        Number of equal-width bins.
    prevalence : float, optional
        Base rate to evaluate at; default the rows' own (no weighting).
    model_rate : float, optional
        Base rate the probabilities are calibrated at; default their mean.

    Returns
    -------
    float
    """
    from fraudrisk.calibration import shift_prevalence

    proba = np.asarray(proba, dtype=float)
    rng = np.random.default_rng(random_state)
    shifted, eces = proba, []
    if prevalence is not None:
        shifted = shift_prevalence(proba, model_rate or float(proba.mean()), prevalence)
    for _ in range(n_draws):
        labels = (rng.random(len(proba)) < proba).astype(int)
        if prevalence is None or labels.min() == labels.max():
            eces.append(expected_calibration_error(labels, proba, n_bins))
        else:
            weight = prevalence_weights(labels, prevalence)
            eces.append(expected_calibration_error(labels, shifted, n_bins, weight))
    return float(np.quantile(eces, quantile))


def recall_at_fpr(y_true, proba, max_fpr=0.01, sample_weight=None):
    """Share of fraudulent shops caught while at most ``max_fpr`` of legitimate ones are flagged."""
    fpr, tpr, _ = roc_curve(y_true, proba, sample_weight=sample_weight)
    return float(tpr[fpr <= max_fpr].max())


def calibration_fit(y_true, proba, sample_weight=None):
    """Calibration slope and intercept: ``logit P(y=1) = intercept + slope * logit(p)``.

    Perfect calibration gives slope 1 and intercept 0. The log-odds are exact down to
    probabilities of 1e-12: clipping them at 0.001 like the model's calibrator does would bunch
    every shop re-based to a low base rate at one value and bias the slope upwards.
    """
    from sklearn.linear_model import LogisticRegression

    from fraudrisk.calibration import logit

    regression = LogisticRegression(C=1e6, max_iter=1000)
    regression.fit(logit(proba, _LOGIT_FLOOR)[:, None], np.asarray(y_true, dtype=int), sample_weight=sample_weight)
    return float(regression.coef_[0, 0]), float(regression.intercept_[0])


def probability_metrics(y_true, proba, prevalence=None, model_rate=None, threshold=0.5):
    """ROC AUC, PR AUC, accuracy, log-loss, Brier (and skill), ECE and its noise floor, as a dict.

    Parameters
    ----------
    y_true : array-like of {0, 1}
        Labels.
    proba : array-like of float in [0, 1]
        Probabilities as the model gives them, calibrated at ``model_rate``.
    prevalence : float, optional
        Evaluate as at this base rate: rows importance-weighted to it and probabilities
        re-based to it. Default: the rows' own base rate, unweighted.
    model_rate : float, optional
        Base rate the probabilities are calibrated at (the training base rate); default the
        rows' own base rate.
    threshold : float, default=0.5
        Probability at and above which a shop counts as flagged for accuracy.

    Returns
    -------
    dict
    """
    from fraudrisk.calibration import shift_prevalence

    y_true = np.asarray(y_true, dtype=int)
    proba = np.clip(np.asarray(proba, dtype=float), 0.0, 1.0)
    model_rate = float(y_true.mean()) if model_rate is None else model_rate
    weight, evaluated = np.ones(len(y_true)), proba
    if prevalence is not None:
        weight = prevalence_weights(y_true, prevalence)
        evaluated = shift_prevalence(proba, model_rate, prevalence)
    rate = float(np.average(y_true, weights=weight))
    brier = float(brier_score_loss(y_true, evaluated, sample_weight=weight))
    return {
        "n": int(len(y_true)),
        "base_rate": rate,
        "roc_auc": float(roc_auc_score(y_true, evaluated, sample_weight=weight)),
        "pr_auc": float(average_precision_score(y_true, evaluated, sample_weight=weight)),
        "accuracy": float(accuracy_score(y_true, evaluated >= threshold, sample_weight=weight)),
        "log_loss": float(log_loss(y_true, evaluated, labels=[0, 1], sample_weight=weight)),
        "brier": brier,
        "brier_skill": 1.0 - brier / (rate * (1 - rate)),
        "ece": expected_calibration_error(y_true, evaluated, sample_weight=weight),
        "ece_noise_floor_p90": ece_noise_floor(proba, prevalence=prevalence, model_rate=model_rate),
        "ece_bins": f"{ECE_BINS} equal-width bins",
        "recall_at_1pct_fpr": recall_at_fpr(y_true, evaluated, 0.01, weight),
    }
