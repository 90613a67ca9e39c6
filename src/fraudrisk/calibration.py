"""Probability calibration (Platt scaling on the logit) and prior-shift to a deployment base rate."""

import numpy as np
from sklearn.linear_model import LogisticRegression

_EPS = 1e-3


def logit(proba):
    """Log-odds of probabilities clipped to [0.001, 0.999]."""
    proba = np.clip(np.asarray(proba, dtype=float), _EPS, 1 - _EPS)
    return np.log(proba / (1 - proba))


def fit_platt(scores, y):
    """Fit ``p = sigmoid(a * logit(score) + b)``; return ``(a, b)`` as floats.

    Parameters
    ----------
    scores : array-like of float in [0, 1]
        Out-of-fold ensemble probabilities.
    y : array-like of {0, 1}
        Labels of the same rows.

    Returns
    -------
    tuple of float
    """
    regression = LogisticRegression(C=1e4).fit(logit(scores)[:, None], np.asarray(y))
    return float(regression.coef_[0, 0]), float(regression.intercept_[0])


def apply_platt(scores, coefficients):
    """Calibrated probabilities from ensemble scores and Platt ``(a, b)``."""
    slope, intercept = coefficients
    return 1.0 / (1.0 + np.exp(-(slope * logit(scores) + intercept)))


def shift_prevalence(proba, train_rate, target_rate):
    """Re-base calibrated probabilities from the training base rate to a deployment base rate.

    Bayes' rule with a changed prior (the likelihoods stay the same):

    ``p' = r1 p / (r1 p + r0 (1 - p))`` with ``r1 = target / train`` and
    ``r0 = (1 - target) / (1 - train)``.

    Parameters
    ----------
    proba : array-like of float in [0, 1]
        Probabilities calibrated at ``train_rate``.
    train_rate : float in (0, 1)
        Base rate of fraud in the training data.
    target_rate : float in (0, 1)
        Base rate of fraud where the model is deployed.

    Returns
    -------
    ndarray of float

    Examples
    --------
    >>> float(shift_prevalence([0.5], 0.5, 0.01)[0])
    0.01
    """
    if not (0 < target_rate < 1):
        raise ValueError(f"prevalence must be strictly between 0 and 1, got {target_rate!r}")
    proba = np.asarray(proba, dtype=float)
    r1 = target_rate / train_rate
    r0 = (1 - target_rate) / (1 - train_rate)
    return r1 * proba / (r1 * proba + r0 * (1 - proba))
