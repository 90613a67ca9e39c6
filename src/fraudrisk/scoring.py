"""``score`` for one shop and ``score_batch`` for many: one code path for both."""

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from fraudrisk._parse import is_missing
from fraudrisk._table_validation import validate_table, without_read_error
from fraudrisk.bands import band_of, bands_of
from fraudrisk.exceptions import SchemaError
from fraudrisk.explain import occlusion_effects, top_reasons
from fraudrisk.features._view import PAGE_FIELDS, utc_now
from fraudrisk.persistence import load_model
from fraudrisk.red_flags import red_flags
from fraudrisk.schema import iter_raw_records, validate_record


@dataclass(frozen=True)
class ScoreResult:
    """The score of one shop.

    Attributes
    ----------
    url : str
    probability : float
        Calibrated probability that the shop is fraudulent, in [0, 1], at the model's
        training base rate or at ``prevalence`` when one was given.
    band : str
        Named risk band (see :mod:`fraudrisk.bands`).
    reasons : list of Reason
        Attribute families that raise this shop's probability most, strongest first.
    red_flags : list of RedFlag
        Hard evidence found in the record itself (invalid enterprise number, look-alike
        domain ...). Red flags do not change the probability.
    """

    url: str
    probability: float
    band: str
    reasons: list = field(default_factory=list)
    red_flags: list = field(default_factory=list)


def _printable_url(url):
    """A bad row's raw url as text any output can hold (lone surrogates escaped), or None."""
    if not isinstance(url, str):
        return None if is_missing(url) else repr(url)[:300]
    return url if url.isascii() else url.encode("utf-8", "backslashreplace").decode("utf-8")


def _validated(records, first_index, stop_at_error, unread=()):
    """``(canonical record or SchemaError, raw url)`` per record, in order.

    A DataFrame (every chunk of a file) is validated a column at a time, each distinct text
    once, and the ``unread`` fields only checked (:mod:`fraudrisk._table_validation`); other
    input record by record, stopping after the first error when ``stop_at_error``.
    """
    if isinstance(records, pd.DataFrame) and records.columns.is_unique:
        urls = records["url"].to_numpy(dtype=object) if "url" in records.columns else [None] * len(records)
        yield from zip(validate_table(records, first_index, unread), urls, strict=True)
        return
    for index, raw in enumerate(iter_raw_records(records), start=first_index):
        raw_url = raw.get("url") if isinstance(raw, dict) else None
        try:
            yield validate_record(without_read_error(raw, index), index), raw_url
        except SchemaError as error:
            yield error, raw_url
            if stop_at_error:
                return


@lru_cache(maxsize=1)
def shipped_model():
    """The model shipped in the package, loaded (and verified) once per process."""
    return load_model()


def _score_valid(model, records, prevalence, with_reasons, now):
    """Probabilities (and reasons) for canonical records: the one core of all scoring."""
    features = model.featurizer_.transform_canonical(records, now, only=model.columns_read())
    if not with_reasons:
        return model.predict_proba_features(features, prevalence), None
    proba, effects = occlusion_effects(model, features, prevalence)
    return proba, [top_reasons(effects, row, record) for row, record in enumerate(records)]


def score(record, model=None, prevalence=None, *, reasons=True, seal_members=None):
    """Score one shop.

    Parameters
    ----------
    record : dict
        One shop record; only ``url`` is required (see :mod:`fraudrisk.schema`).
    model : FraudRiskModel, optional
        Default: the shipped model.
    prevalence : float in (0, 1), optional
        Base rate of fraud where you deploy; default: the training base rate.
    reasons : bool, default=True
        Compute the reasons (one more model evaluation on a dozen variants of the record);
        False leaves ``ScoreResult.reasons`` empty and is about twice as fast.
    seal_members : dict, optional
        Trust-seal members (:func:`fraudrisk.red_flags.load_seal_members`) to check claimed seals.

    Returns
    -------
    ScoreResult

    Raises
    ------
    SchemaError
        When the record breaks the schema.

    Examples
    --------
    >>> import fraudrisk
    >>> result = fraudrisk.score({"url": "https://shop.example.be"})
    >>> 0.0 <= result.probability <= 1.0
    True
    """
    model = model or shipped_model()
    canonical = validate_record(record)
    proba, found = _score_valid(model, [canonical], prevalence, reasons, utc_now())
    probability = float(proba[0])
    flags = red_flags(canonical, seal_members)
    band = band_of(probability, model.bands_)
    return ScoreResult(canonical["url"], probability, band, found[0] if found else [], flags)


def score_batch(
    records, model=None, prevalence=None, *, reasons=False, errors="raise", seal_members=None, first_index=0
):
    """Score many shops; one output row per input row, in input order.

    Parameters
    ----------
    records : list of dict or pandas.DataFrame
        Shop records.
    model : FraudRiskModel, optional
        Default: the shipped model.
    prevalence : float in (0, 1), optional
        Base rate of fraud where you deploy.
    reasons : bool, default=False
        Add ``reasons`` (top reasons) and ``red_flags`` columns, as text, ``"; "``-separated.
    errors : {"raise", "report"}, default="raise"
        "raise" stops at the first bad record with :class:`SchemaError`; "report" gives that
        row an ``error`` text and an empty probability and goes on.
    seal_members : dict, optional
        Trust-seal members to check claimed seals against (with ``reasons=True``).
    first_index : int, default=0
        Index of the first record in error messages (for chunks of a larger file).

    Returns
    -------
    pandas.DataFrame
        Columns ``url``, ``probability``, ``band`` (and ``reasons``, ``error`` when asked).
    """
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', got {errors!r}")
    model = model or shipped_model()
    # a model that reads no link or price (the shipped one) only needs them checked, not parsed
    reads_page = reasons or model.reads_page()
    unread = () if reads_page else PAGE_FIELDS
    valid, urls, error_texts = [], [], []
    for outcome, raw_url in _validated(records, first_index, stop_at_error=errors == "raise", unread=unread):
        if isinstance(outcome, SchemaError):
            if errors == "raise":
                raise outcome
            valid.append(None)
            urls.append(_printable_url(raw_url))
            error_texts.append(str(outcome))
        else:
            valid.append(outcome)
            urls.append(outcome["url"])
            error_texts.append("")
    good = [record for record in valid if record is not None]
    proba = np.full(len(valid), np.nan)
    texts = [""] * len(valid)
    flag_texts = [""] * len(valid)
    if good:
        scores, found = _score_valid(model, good, prevalence, reasons, utc_now())
        positions = [i for i, record in enumerate(valid) if record is not None]
        proba[positions] = scores
        for i, row_reasons in zip(positions, found or [], strict=False):
            texts[i] = "; ".join(reason.message for reason in row_reasons)
            flag_texts[i] = "; ".join(flag.message for flag in red_flags(valid[i], seal_members))
    result = pd.DataFrame({"url": urls, "probability": proba, "band": bands_of(proba, model.bands_)})
    if reasons:
        result["reasons"] = texts
        result["red_flags"] = flag_texts
    if errors == "report":
        result["error"] = error_texts
    return result
