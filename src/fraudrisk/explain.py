"""Reasons behind a score: which attribute families push this shop's probability up.

A family's effect is measured by occlusion: its columns are set to a typical legitimate
value (a real legitimate training shop's values, nearest to the legitimate medians) and the
probability is computed again. The drop is the family's contribution. This works for any
fitted model, retrained ones included.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from fraudrisk.reason_text import describe

MIN_EFFECT = 0.01


@dataclass(frozen=True)
class Reason:
    """One reason behind a score.

    Attributes
    ----------
    code : str
        Stable identifier of the attribute family, e.g. ``"registration"``.
    message : str
        Plain-language sentence with the shop's own values.
    effect : float
        Probability points this family adds to this shop's score (positive raises risk).
    """

    code: str
    message: str
    effect: float


def family_slices(featurizer):
    """Map family name to the slice of its columns in the featurizer output."""
    slices, start = {}, 0
    for family, names in featurizer.family_columns().items():
        slices[family] = slice(start, start + len(names))
        start += len(names)
    return {family: columns for family, columns in slices.items() if columns.stop > columns.start}


def reference_profile(featurizer, legit_features):
    """Typical legitimate values: per family, the legitimate row nearest the column medians."""
    reference = np.full(legit_features.shape[1], np.nan)
    if len(legit_features) == 0:
        return reference
    for columns in family_slices(featurizer).values():
        block = legit_features[:, columns]
        observed = ~np.all(np.isnan(block), axis=1)
        if not observed.any():
            continue
        block = block[observed]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            median = np.nanmedian(block, axis=0)
            spread = np.nanstd(block, axis=0) + 1e-9
            distance = np.nansum(np.abs(block - median) / spread, axis=1) + np.isnan(block).sum(axis=1)
        reference[columns] = block[int(np.argmin(distance))]
    return reference


def occlusion_effects(model, features, prevalence=None):
    """Probability and per-family effects for each row of a featurized matrix.

    Returns
    -------
    proba : ndarray of shape (n,)
    effects : dict of family -> ndarray of shape (n,)
        ``proba - proba with that family set to its typical legitimate value``.
    """
    slices = family_slices(model.featurizer_)
    usable = {f: s for f, s in slices.items() if not np.all(np.isnan(model.reference_[s]))}
    stacked = [features]
    for columns in usable.values():
        variant = features.copy()
        variant[:, columns] = model.reference_[columns]
        stacked.append(variant)
    proba = model.predict_proba_features(np.vstack(stacked), prevalence).reshape(len(stacked), -1)
    return proba[0], {family: proba[0] - proba[i + 1] for i, family in enumerate(usable)}


def top_reasons(effects, row, record, top=3):
    """The ``top`` families that raise this row's probability the most, as :class:`Reason`."""
    ranked = sorted(((values[row], family) for family, values in effects.items()), reverse=True)
    return [
        Reason(family, describe(family, record), round(float(effect), 4))
        for effect, family in ranked[:top]
        if effect >= MIN_EFFECT
    ]
