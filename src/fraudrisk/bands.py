"""Named risk bands on the probability of fraud, and what each is for."""

import bisect

DEFAULT_BANDS = (("low", 0.0), ("review", 0.2), ("high", 0.5), ("critical", 0.85))
"""(name, lower bound) pairs, ascending: a probability takes the last band whose bound it reaches."""

BAND_ACTIONS = {
    "low": "no action",
    "review": "queue for a manual check",
    "high": "hold payments or warn buyers while an analyst checks",
    "critical": "act: suspend, block or report the shop",
}


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
