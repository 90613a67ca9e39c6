"""``train``: featurize once, pick the tree ensemble by grouped out-of-fold log-loss, calibrate."""

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss

from fraudrisk._training_features import featurize_training_records
from fraudrisk.bands import DEFAULT_BAND_PREVALENCE, DEFAULT_TARGETS, choose_bands
from fraudrisk.ensemble import ENSEMBLES, CalibratedEnsembleClassifier
from fraudrisk.model import FraudRiskModel, check_labels
from fraudrisk.schema import iter_raw_records

LARGE_TRAINING_SET = 20_000
"""From this many records on, ``train`` uses its large-data recipe by default (see ``train``)."""
LARGE_SET_ROWS_PER_TREE = 20_000
"""Rows drawn for each random-forest tree in the large-data recipe."""


def train(
    X,
    y,
    *,
    groups=None,
    ensembles=None,
    n_estimators=300,
    max_samples="auto",
    cv=None,
    random_state=0,
    bands=None,
    band_targets=None,
    band_prevalence=DEFAULT_BAND_PREVALENCE,
    families=None,
    progress=None,
    workers=1,
):
    """Train a calibrated fraud-risk model on labelled shop records.

    Each candidate ensemble is fitted with out-of-fold calibration on folds grouped by host;
    the one with the lowest out-of-fold log-loss is kept. Same data and seed give the same
    model and the same predictions.

    Parameters
    ----------
    X : dict, list of dict or pandas.DataFrame
        Shop records (see :mod:`fraudrisk.schema`).
    y : array-like of {0, 1}
        1 = fraudulent.
    groups : array-like, optional
        Group of each record for cross-validation; default is the record's host.
    ensembles : sequence of str, optional
        Candidates compared by grouped out-of-fold log-loss, from ``ENSEMBLES``
        ("random_forest", "hist_gradient_boosting", "blend"). Default: all three, or only the
        random forest from ``LARGE_TRAINING_SET`` (20,000) records on.
    n_estimators : int, default=300
        Trees (or boosting iterations) per ensemble.
    max_samples : int, float, None or "auto", default="auto"
        Rows drawn for each random-forest tree (a float in (0, 1]: a share of the rows); None
        draws as many as there are training rows.
        "auto": None below ``LARGE_TRAINING_SET`` records, ``LARGE_SET_ROWS_PER_TREE`` (20,000)
        from there on.
    cv : int, optional
        Grouped folds for out-of-fold calibration and selection. Default: 5, or 3 from
        ``LARGE_TRAINING_SET`` records on (a third of 20,000+ shops is plenty to calibrate on).
    random_state : int, default=0
        Seed of folds and ensembles.
    bands : tuple of (str, float), optional
        Fixed risk bands. Default: chosen on the out-of-fold probabilities to meet
        ``band_targets``.
    band_targets : dict, optional
        Targets for :func:`fraudrisk.bands.choose_bands`; default
        :data:`fraudrisk.bands.DEFAULT_TARGETS`.
    band_prevalence : float, default=0.05
        Base rate of fraud at which the band targets must hold.
    families : tuple of str, optional
        Feature families to use; default all.
    progress : callable, optional
        Called with a short message at each stage (the CLI prints them on a terminal).
    workers : int, default=1
        Processes that validate and featurize records side by side (the model does not depend
        on it; fitting uses every core regardless).

    Returns
    -------
    FraudRiskModel
        Fitted; ``metadata_["selection"]`` holds each candidate's out-of-fold log-loss.

    Raises
    ------
    SchemaError
        When a record breaks the schema.
    ValueError
        When labels are not 0/1 or do not match the records.
    """
    say = progress or (lambda message: None)
    n_records = len(X) if isinstance(X, (list, tuple, pd.DataFrame)) else len(list(iter_raw_records(X)))
    labels = check_labels(y, n_records)
    large = n_records >= LARGE_TRAINING_SET
    ensembles = tuple(ensembles or (("random_forest",) if large else ENSEMBLES))
    max_samples = (LARGE_SET_ROWS_PER_TREE if large else None) if max_samples == "auto" else max_samples
    cv = cv or (3 if large else 5)
    say(f"validating and featurizing {n_records} shop records")
    featurizer, features, hosts = featurize_training_records(
        X, families=families, workers=workers, progress=_every_tenth(say, n_records)
    )
    groups = np.asarray(hosts if groups is None else groups)
    selection, best = {}, None
    for ensemble in ensembles:
        say(f"fitting {ensemble} with grouped out-of-fold calibration ({cv} folds)")
        classifier = CalibratedEnsembleClassifier(
            ensemble=ensemble,
            n_estimators=n_estimators,
            cv=cv,
            random_state=random_state,
            max_samples=max_samples,
        ).fit(features, labels, groups=groups)
        selection[ensemble] = float(log_loss(labels, classifier.oof_proba_, labels=[0, 1]))
        if best is None or selection[ensemble] < selection[best.ensemble]:
            best = classifier
    chosen = bands is None
    if chosen:
        bands = choose_bands(labels, best.oof_proba_, band_targets, band_prevalence, float(labels.mean()))
    model = FraudRiskModel(featurizer=featurizer, bands=bands)
    model.featurizer_ = featurizer
    model.classifier_ = best
    model.finish_fit(features, labels)
    model.metadata_ = {
        "ensemble": best.ensemble,
        "selection": {"criterion": "grouped out-of-fold log-loss", "candidates": selection},
        "bands": {
            "thresholds": [list(band) for band in bands],
            "targets": {k: list(v) for k, v in (band_targets or DEFAULT_TARGETS).items()} if chosen else None,
            "chosen_on": f"grouped out-of-fold probabilities, weighted to a {band_prevalence:.1%} base rate"
            if chosen
            else "given",
        },
        "n_records": n_records,
        "n_fraudulent": int(labels.sum()),
        "calibration": {
            "method": best.calibration_,
            "criterion": "cross-fitted grouped out-of-fold log-loss",
            "candidates": best.calibration_log_loss_,
        },
        "random_state": random_state,
        "n_estimators": n_estimators,
        "max_samples": max_samples,
        "cv": cv,
    }
    return model


def _every_tenth(say, total):
    """A records-done callback that reports about every tenth of ``total``."""
    step, reported = max(total // 10, 1), [0]

    def report(done):
        if done - reported[0] >= step or done == total:
            reported[0] = done
            say(f"featurized {done} of {total} records")

    return report
