"""Named risk bands on the probability of fraud, and how their thresholds are chosen (actions: README)."""

import bisect

import numpy as np

DEFAULT_BANDS = (("low", 0.0), ("review", 0.2), ("high", 0.5), ("critical", 0.85))
"""(name, lower bound) pairs, ascending: a probability takes the last band whose bound it reaches."""


def band_of(probability, bands=DEFAULT_BANDS):
    """Return the band name for one probability (None for NaN).

    Examples
    --------
    >>> band_of(0.3)
    'review'
    """
    if probability != probability:
        return None
    bounds = [bound for _, bound in bands]
    return bands[max(bisect.bisect_right(bounds, probability) - 1, 0)][0]


def bands_of(probabilities, bands=DEFAULT_BANDS):
    """:func:`band_of` of every probability of an array, as a list (None for NaN).

    Examples
    --------
    >>> bands_of(np.array([0.3, np.nan]))
    ['review', None]
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    names = np.array([name for name, _ in bands] + [None], dtype=object)
    bounds = np.array([bound for _, bound in bands], dtype=np.float64)
    positions = np.maximum(np.searchsorted(bounds, probabilities, side="right") - 1, 0)
    positions[np.isnan(probabilities)] = len(bands)
    return names[positions].tolist()


DEFAULT_TARGETS = {"review": ("recall", 0.90), "high": ("precision", 0.80), "critical": ("precision", 0.95)}
"""Band targets: "review" and above catch 90 % of fraud; "high" and above are 80 % precise;
"critical" is 95 % precise (all at the base rate the bands are chosen for)."""

DEFAULT_BAND_PREVALENCE = 0.05
"""Base rate of fraud the default bands are chosen for (a marketplace or registry with 1 fake
shop in 20). Thresholds are probabilities, so they keep their meaning when you score at
another ``prevalence``; choose them for yours with ``train(..., band_prevalence=...)``."""


def _weighted_curve(y_true, proba, weight):
    order = np.argsort(-proba, kind="stable")
    proba, y_true, weight = proba[order], y_true[order], weight[order]
    true_pos = np.cumsum(weight * y_true)
    flagged = np.cumsum(weight)
    return proba, true_pos / flagged, true_pos / true_pos[-1]


def choose_bands(y_true, proba, targets=None, prevalence=None, model_rate=None):
    """Band thresholds chosen on out-of-fold probabilities to meet stated targets.

    For a ("precision", t) target the threshold is the lowest probability whose flagged set
    (probability >= threshold) still has precision >= t; for ("recall", t) the highest whose
    flagged set still catches >= t of the fraud. Thresholds are on the probability scale as
    scored at ``prevalence`` (rows importance-weighted to it). A lower band's threshold is
    capped at the next higher one, so the higher band's target always holds.

    Parameters
    ----------
    y_true : array-like of {0, 1}
        Labels.
    proba : array-like of float
        Out-of-fold probabilities calibrated at ``model_rate``.
    targets : dict of band -> (str, float), optional
        Default :data:`DEFAULT_TARGETS`; keys among review / high / critical.
    prevalence : float, optional
        Deployment base rate; default the rows' own.
    model_rate : float, optional
        Base rate the probabilities are calibrated at; default the rows' own.

    Returns
    -------
    tuple of (str, float)
        Bands for :func:`band_of`, starting with ("low", 0.0).
    """
    from fraudrisk.calibration import shift_prevalence
    from fraudrisk.metrics import prevalence_weights

    targets = DEFAULT_TARGETS if targets is None else targets
    y_true = np.asarray(y_true, dtype=int)
    proba = np.asarray(proba, dtype=float)
    weight = np.ones(len(y_true))
    if prevalence is not None:
        proba = shift_prevalence(proba, model_rate or float(y_true.mean()), prevalence)
        weight = prevalence_weights(y_true, prevalence)
    sorted_proba, precision, recall = _weighted_curve(y_true, proba, weight)
    thresholds = {}
    for name in ("review", "high", "critical"):
        if name not in targets:
            continue
        kind, goal = targets[name]
        if kind == "precision":
            ok = np.flatnonzero(precision >= goal)
            thresholds[name] = float(sorted_proba[ok.max()]) if ok.size else 1.0
        elif kind == "recall":
            ok = np.flatnonzero(recall >= goal)
            thresholds[name] = float(sorted_proba[ok.min()]) if ok.size else 0.0
        else:
            raise ValueError(f"band target kind must be 'precision' or 'recall', got {kind!r}")
    bands, ceiling = [], 1.0
    for name in ("critical", "high", "review"):
        if name in thresholds:
            ceiling = min(ceiling, round(thresholds[name], 4))
            bands.append((name, ceiling))
    return (("low", 0.0), *reversed(bands))
