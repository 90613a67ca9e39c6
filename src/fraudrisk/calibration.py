"""Probability calibration (Platt scaling on the logit) and prior-shift to a deployment base rate."""

import numpy as np
from sklearn.linear_model import LogisticRegression

_EPS = 1e-3


def logit(proba, floor=_EPS):
    """Log-odds of probabilities clipped to [floor, 1 - floor] (default [0.001, 0.999])."""
    proba = np.clip(np.asarray(proba, dtype=float), floor, 1 - floor)
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


class PlattCalibrator:
    """Sigmoid calibration: ``p = sigmoid(a * logit(score) + b)``."""

    name = "sigmoid"

    def fit(self, scores, y):
        """Fit on ensemble scores and 0/1 labels; returns self."""
        self.coefficients_ = fit_platt(scores, y)
        return self

    def predict(self, scores):
        """Calibrated probabilities for ensemble scores."""
        return apply_platt(scores, self.coefficients_)


class IsotonicCalibrator:
    """Isotonic calibration: a non-decreasing step function of the score, kept inside [0.001, 0.999]."""

    name = "isotonic"

    def fit(self, scores, y):
        """Fit on ensemble scores and 0/1 labels; returns self."""
        from sklearn.isotonic import IsotonicRegression

        regression = IsotonicRegression(y_min=_EPS, y_max=1 - _EPS, out_of_bounds="clip")
        regression.fit(np.asarray(scores, dtype=float), np.asarray(y, dtype=float))
        self.thresholds_ = regression.X_thresholds_
        self.values_ = regression.y_thresholds_
        return self

    def predict(self, scores):
        """Calibrated probabilities for ensemble scores (linear between the fitted steps)."""
        return np.interp(np.asarray(scores, dtype=float), self.thresholds_, self.values_)


class BetaCalibrator:
    """Beta calibration (Kull et al. 2017): ``logit p = a log(s) - b log(1 - s) + c``.

    Unlike sigmoid scaling it can correct the two tails of the score separately.
    """

    name = "beta"

    def _design(self, scores):
        scores = np.clip(np.asarray(scores, dtype=float), _EPS, 1 - _EPS)
        return np.column_stack([np.log(scores), -np.log1p(-scores)])

    def fit(self, scores, y):
        """Fit on ensemble scores and 0/1 labels; returns self."""
        regression = LogisticRegression(C=1e4).fit(self._design(scores), np.asarray(y))
        self.coefficients_ = (*map(float, regression.coef_[0]), float(regression.intercept_[0]))
        return self

    def predict(self, scores):
        """Calibrated probabilities for ensemble scores."""
        a, b, c = self.coefficients_
        design = self._design(scores)
        return 1.0 / (1.0 + np.exp(-(a * design[:, 0] + b * design[:, 1] + c)))


CALIBRATORS = {"sigmoid": PlattCalibrator, "isotonic": IsotonicCalibrator, "beta": BetaCalibrator}


def cross_fitted(method, scores, y, folds):
    """Out-of-fold calibrated probabilities: the calibrator of each fold never sees its rows."""
    out = np.empty(len(y))
    for train, test in folds:
        out[test] = CALIBRATORS[method]().fit(scores[train], y[train]).predict(scores[test])
    return out


def choose_calibration(scores, y, folds, methods=("sigmoid", "isotonic")):
    """Pick the calibration method with the lowest cross-fitted log-loss.

    Parameters
    ----------
    scores : ndarray
        Out-of-fold ensemble scores.
    y : ndarray of {0, 1}
        Labels.
    folds : list of (train_index, test_index)
        The folds that produced ``scores``.
    methods : sequence of str
        Candidates among ``CALIBRATORS``.

    Returns
    -------
    best : str
    log_losses : dict of str -> float
    oof : dict of str -> ndarray
        Cross-fitted calibrated probabilities per method.
    """
    from sklearn.metrics import log_loss

    oof = {method: cross_fitted(method, scores, y, folds) for method in methods}
    losses = {method: float(log_loss(y, proba, labels=[0, 1])) for method, proba in oof.items()}
    return min(losses, key=losses.get), losses, oof
