"""Honest quality figures: grouped-by-host cross-validation of a whole training recipe."""

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from fraudrisk._hosts import host_of
from fraudrisk.ensemble import grouped_folds
from fraudrisk.metrics import probability_metrics
from fraudrisk.schema import validate_records


def host_groups(X):
    """The host of every record, the grouping unit of cross-validation."""
    return np.asarray([host_of(record["url"]) for record in validate_records(X)])


def outer_folds(X, y, n_splits=5, random_state=0):
    """Stratified folds that keep every host in one fold."""
    return grouped_folds(np.asarray(y, dtype=int), host_groups(X), n_splits, random_state)


def cross_validated_proba(fit_predict, X, y, folds):
    """Out-of-fold probabilities: ``fit_predict(X_train, y_train, X_test)`` on every fold.

    Parameters
    ----------
    fit_predict : callable
        Trains on the first two arguments and returns probabilities for the third.
    X : pandas.DataFrame
        Inputs, indexed by position.
    y : array-like of {0, 1}
        Labels.
    folds : list of (train_index, test_index)
        From :func:`outer_folds`.

    Returns
    -------
    ndarray of float
    """
    y = np.asarray(y, dtype=int)
    proba = np.empty(len(y))
    for train_index, test_index in folds:
        proba[test_index] = fit_predict(X.iloc[train_index], y[train_index], X.iloc[test_index])
    return proba


def recipe_fit_predict(**train_kwargs):
    """A ``fit_predict`` that runs :func:`fraudrisk.train` (selection and calibration included)."""
    from fraudrisk.training import train

    def fit_predict(X_train, y_train, X_test):
        return train(X_train, y_train, **train_kwargs).predict_proba(X_test)[:, 1]

    return fit_predict


def plain_forest_fit_predict(random_state=0):
    """A ``fit_predict`` of a plain 300-tree random forest on numeric columns (the baseline)."""

    def fit_predict(X_train, y_train, X_test):
        forest = RandomForestClassifier(n_estimators=300, random_state=random_state, n_jobs=-1)
        return forest.fit(X_train.to_numpy(float), y_train).predict_proba(X_test.to_numpy(float))[:, 1]

    return fit_predict


def compare_on_folds(candidates, X_by_name, y, folds):
    """Metrics of several ``fit_predict`` candidates on identical folds.

    Parameters
    ----------
    candidates : dict of name -> fit_predict
        The recipes to compare.
    X_by_name : dict of name -> pandas.DataFrame
        Each candidate's own input (same rows, same order).
    y : array-like of {0, 1}
        Labels.
    folds : list of (train_index, test_index)
        Shared folds.

    Returns
    -------
    dict of name -> dict of metric -> value
    """
    return {
        name: probability_metrics(y, cross_validated_proba(fit_predict, X_by_name[name], y, folds))
        for name, fit_predict in candidates.items()
    }


def evaluate(X, y, model=None, *, prevalence=None, source=""):
    """Evaluate a fitted model on labelled shops it never saw.

    Parameters
    ----------
    X : dict, list of dict or pandas.DataFrame
        Shop records.
    y : array-like of {0, 1}
        Labels.
    model : FraudRiskModel, optional
        Default: the shipped model.
    prevalence : float, optional
        Evaluate as at this base rate of fraud (importance weights).
    source : str
        Description of the data, for the report.

    Returns
    -------
    fraudrisk.report.EvaluationReport
    """
    from fraudrisk.report import evaluate_predictions
    from fraudrisk.scoring import shipped_model

    model = model or shipped_model()
    proba = model.predict_proba(X)[:, 1]
    return evaluate_predictions(
        y, proba, prevalence=prevalence, model_rate=model.base_rate_, bands=model.bands_, source=source
    )


def evaluate_recipe(X, y, *, cv=5, prevalence=None, random_state=0, source="", **train_kwargs):
    """Evaluate the training recipe by cross-validation grouped by host (out-of-fold predictions).

    Every fold trains :func:`fraudrisk.train` (selection, calibration and bands included) on
    the other folds; the report covers every row once, predicted by a model that never saw
    its host. Bands shown are those of a model trained on all rows.

    Parameters
    ----------
    X : pandas.DataFrame
        Shop records.
    y : array-like of {0, 1}
        Labels.
    cv : int, default=5
        Folds.
    prevalence : float, optional
        Evaluate as at this base rate of fraud (importance weights).
    random_state : int, default=0
        Seed of folds and training.
    source : str
        Description of the data, for the report.
    **train_kwargs
        Passed to :func:`fraudrisk.train`.

    Returns
    -------
    fraudrisk.report.EvaluationReport
    """
    from fraudrisk.report import evaluate_predictions
    from fraudrisk.training import train

    X = X.reset_index(drop=True)
    y = np.asarray(y, dtype=int)
    folds = outer_folds(X, y, n_splits=cv, random_state=random_state)
    fit_predict = recipe_fit_predict(random_state=random_state, **train_kwargs)
    proba = cross_validated_proba(fit_predict, X, y, folds)
    bands = train(X, y, random_state=random_state, **train_kwargs).bands_
    return evaluate_predictions(
        y,
        proba,
        prevalence=prevalence,
        model_rate=float(y.mean()),
        bands=bands,
        source=source or f"{cv}-fold cross-validation grouped by host",
    )
