"""``train``: featurize once, pick the tree ensemble by grouped out-of-fold log-loss, calibrate."""

import numpy as np
from sklearn.metrics import log_loss

from fraudrisk._hosts import host_of
from fraudrisk.bands import DEFAULT_BAND_PREVALENCE, DEFAULT_TARGETS, choose_bands
from fraudrisk.ensemble import ENSEMBLES, CalibratedEnsembleClassifier
from fraudrisk.features import ShopFeaturizer
from fraudrisk.model import FraudRiskModel, check_labels
from fraudrisk.schema import validate_records


def train(
    X,
    y,
    *,
    groups=None,
    ensembles=ENSEMBLES,
    n_estimators=300,
    cv=5,
    random_state=0,
    bands=None,
    band_targets=None,
    band_prevalence=DEFAULT_BAND_PREVALENCE,
    families=None,
    progress=None,
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
    ensembles : sequence of str, default=("random_forest", "hist_gradient_boosting", "blend")
        Candidates compared by grouped out-of-fold log-loss.
    n_estimators : int, default=300
        Trees (or boosting iterations) per ensemble.
    cv : int, default=5
        Grouped folds for out-of-fold calibration and selection.
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
    say(f"validating {len(X)} shop records")
    records = validate_records(X)
    labels = check_labels(y, len(records))
    say("featurizing")
    featurizer = ShopFeaturizer(families=families).fit_canonical(records)
    features = featurizer.transform_canonical(records)
    groups = np.asarray([host_of(r["url"]) for r in records] if groups is None else groups)
    selection, best = {}, None
    for ensemble in ensembles:
        say(f"fitting {ensemble} with grouped out-of-fold calibration ({cv} folds)")
        classifier = CalibratedEnsembleClassifier(
            ensemble=ensemble,
            n_estimators=n_estimators,
            cv=cv,
            random_state=random_state,
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
        "n_records": len(records),
        "n_fraudulent": int(labels.sum()),
        "calibration": {
            "method": best.calibration_,
            "criterion": "cross-fitted grouped out-of-fold log-loss",
            "candidates": best.calibration_log_loss_,
        },
        "random_state": random_state,
        "n_estimators": n_estimators,
        "cv": cv,
    }
    return model
