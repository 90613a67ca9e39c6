"""The numeric classifier: a tree ensemble calibrated (sigmoid or isotonic) on out-of-fold scores."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from fraudrisk.calibration import CALIBRATORS, choose_calibration
from fraudrisk.compiled import compile_estimators, features_read

ENSEMBLES = ("random_forest", "hist_gradient_boosting", "blend")
# Up to this many rows the compiled flat-array walk is faster than scikit-learn's predict.
COMPILED_MAX_ROWS = 64


def _base_estimators(kind, n_estimators, random_state, max_samples=None):
    # All cores to fit (each tree has its own seed, so results do not depend on the core count);
    # prediction is switched to one thread after fitting: threads cost more than they save there.
    forest = RandomForestClassifier(
        n_estimators=n_estimators, max_samples=max_samples, random_state=random_state, n_jobs=-1
    )
    boosting = HistGradientBoostingClassifier(
        max_iter=n_estimators,
        learning_rate=0.05,
        max_leaf_nodes=8,
        min_samples_leaf=10,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=random_state,
    )
    return {"random_forest": [forest], "hist_gradient_boosting": [boosting], "blend": [forest, boosting]}[kind]


def positive_proba(estimator, X):
    """A fitted ensemble's probability of class 1, ``estimator.predict_proba(X)[:, 1]``.

    A random forest's trees are summed here, in its order and with its arithmetic (float32
    input, a running sum from zero in tree order, then divided by the number of trees), so the
    result is the same to the bit; what is saved is scikit-learn's per-tree call through joblib
    and its checks: on a chunk of 5,000 shops the shipped 300-tree forest takes ~11 instead of
    ~17-21 µs per shop.
    """
    if (
        not isinstance(estimator, RandomForestClassifier)
        or estimator.n_outputs_ != 1
        or estimator.n_jobs not in (None, 1)  # threads add the trees up in no fixed order
    ):
        return estimator.predict_proba(X)[:, 1]
    X32 = np.ascontiguousarray(X, dtype=np.float32)
    total = np.zeros(len(X32))
    for tree in estimator.estimators_:
        total += tree.tree_.predict(X32)[:, 1]
    total /= len(estimator.estimators_)
    return total


def grouped_folds(y, groups, n_splits, random_state):
    """Stratified folds that keep each group (host) in one fold; fewer folds on tiny data."""
    n_splits = min(n_splits, int(np.bincount(y).min()), len(np.unique(groups)))
    if n_splits < 2:
        raise ValueError("calibration needs at least 2 samples (and 2 groups) of each class")
    return list(StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state).split(y, y, groups))


class CalibratedEnsembleClassifier(ClassifierMixin, BaseEstimator):
    """A tree ensemble whose probabilities are calibrated on out-of-fold scores.

    ``fit`` computes out-of-fold ensemble scores with folds grouped by ``groups`` (hosts),
    chooses sigmoid (Platt) or isotonic calibration by cross-fitted log-loss, fits it on those
    scores, then refits the ensemble on all rows. Prediction is
    one ensemble evaluation followed by the calibrator; up to ``COMPILED_MAX_ROWS`` rows are
    predicted by the ensemble compiled into flat arrays (:mod:`fraudrisk.compiled`), with the
    same result as scikit-learn's ``predict_proba`` and without its per-tree overhead.

    Parameters
    ----------
    ensemble : {"random_forest", "hist_gradient_boosting", "blend"}, default="random_forest"
        The tree ensemble; "blend" averages a random forest and gradient boosting.
    n_estimators : int, default=300
        Trees (or boosting iterations) per ensemble.
    cv : int, default=5
        Folds for the out-of-fold calibration scores.
    calibration : {"auto", "sigmoid", "isotonic"}, default="auto"
        "auto" keeps the method with the lower cross-fitted out-of-fold log-loss.
    random_state : int, default=0
    max_samples : int, float or None, default=None
        Rows drawn (with replacement) for each random-forest tree: a number, or a share of the
        training rows when a float in (0, 1]; None draws as many as there are training rows.
        A cap makes forests on large data much faster to fit.

    Attributes
    ----------
    estimators_ : list of fitted estimators
    used_features_ : ndarray of bool
        Columns with at least one observed (non-NaN) training value; only these are used.
    calibration_ : str
        The calibration method used ("sigmoid" or "isotonic").
    calibration_log_loss_ : dict
        Cross-fitted out-of-fold log-loss of each calibration method tried.
    calibrator_ : PlattCalibrator or IsotonicCalibrator
    oof_proba_ : ndarray
        Calibrated out-of-fold probabilities of the training rows (calibrator cross-fitted).
    base_rate_ : float
        Share of positives in the training data.
    """

    def __init__(
        self, *, ensemble="random_forest", n_estimators=300, cv=5, calibration="auto", random_state=0, max_samples=None
    ):
        self.ensemble = ensemble
        self.n_estimators = n_estimators
        self.cv = cv
        self.calibration = calibration
        self.random_state = random_state
        self.max_samples = max_samples

    def _new_estimators(self, n_rows):
        if self.ensemble not in ENSEMBLES:
            raise ValueError(f"ensemble must be one of {list(ENSEMBLES)}, got {self.ensemble!r}")
        max_samples = None if self.max_samples is None or self.max_samples >= n_rows else self.max_samples
        return _base_estimators(self.ensemble, self.n_estimators, self.random_state, max_samples)

    def _score(self, estimators, X):
        return np.mean([positive_proba(estimator, X) for estimator in estimators], axis=0)

    def _fitted_score(self, X):
        compiled = getattr(self, "_compiled", None)
        if compiled is not None and len(X) <= COMPILED_MAX_ROWS:
            return sum(estimator.predict_positive(X) for estimator in compiled) / len(compiled)
        return self._score(self.estimators_, X)

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_compiled", None)  # derived from estimators_; rebuilt on loading
        return state

    def __setstate__(self, state):
        state = {"max_samples": None, **state}  # files written before the parameter existed
        super().__setstate__(state)
        if hasattr(self, "estimators_"):
            self._compiled = compile_estimators(self.estimators_, int(np.sum(self.used_features_)))

    def fit(self, X, y, groups=None):
        """Fit the ensemble and its out-of-fold calibrator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features; NaN means missing.
        y : array-like of shape (n_samples,)
            Two classes.
        groups : array-like of shape (n_samples,), optional
            Group labels (hosts) kept together in one fold; default one group per row.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, ensure_all_finite="allow-nan")
        check_classification_targets(y)
        target_type = type_of_target(y, input_name="y")
        if target_type != "binary":
            raise ValueError(f"Only binary classification is supported. The type of the target is {target_type}.")
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError("CalibratedEnsembleClassifier needs 2 classes, got one class")
        groups = np.arange(len(y)) if groups is None else np.asarray(groups)
        # Columns never observed in training carry no information, and an all-NaN column
        # breaks HistGradientBoosting's binning; they are left out of the ensemble.
        self.used_features_ = ~np.all(np.isnan(X), axis=0)
        if not self.used_features_.any():
            self.used_features_[:] = True
        X = X[:, self.used_features_]
        folds = grouped_folds(y_index, groups, self.cv, self.random_state)
        scores = np.empty(len(y))
        for train, test in folds:
            estimators = [e.fit(X[train], y_index[train]) for e in self._new_estimators(len(train))]
            scores[test] = self._score(estimators, X[test])
        methods = tuple(CALIBRATORS) if self.calibration == "auto" else (self.calibration,)
        if not set(methods) <= set(CALIBRATORS):
            raise ValueError(f"calibration must be 'auto' or one of {list(CALIBRATORS)}, got {self.calibration!r}")
        self.calibration_, self.calibration_log_loss_, oof = choose_calibration(scores, y_index, folds, methods)
        self.oof_proba_ = oof[self.calibration_]
        self.calibrator_ = CALIBRATORS[self.calibration_]().fit(scores, y_index)
        self.estimators_ = [e.fit(X, y_index) for e in self._new_estimators(len(y_index))]
        for estimator in self.estimators_:
            if hasattr(estimator, "n_jobs"):
                estimator.n_jobs = 1
        self._compiled = compile_estimators(self.estimators_, X.shape[1])
        self.base_rate_ = float(y_index.mean())
        return self

    def predict_proba(self, X):
        """Calibrated class probabilities, shape (n_samples, 2)."""
        check_is_fitted(self, "estimators_")
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        positive = self.predict_positive(X)
        return np.column_stack([1 - positive, positive])

    def features_read(self):
        """Which input columns the fitted ensemble reads: a bool mask, or None when it cannot tell.

        A column no split reads (never observed in training, or never chosen) leaves every
        probability unchanged whatever its value, so a caller may leave it uncomputed.
        """
        check_is_fitted(self, "estimators_")
        read = features_read(self.estimators_, int(np.sum(self.used_features_)))
        if read is None:
            return None
        mask = np.zeros(len(self.used_features_), dtype=bool)
        mask[np.flatnonzero(self.used_features_)[read]] = True
        return mask

    def predict_positive(self, X):
        """Calibrated probability of class 1, without input validation (the scoring hot path).

        Parameters
        ----------
        X : ndarray of float64, shape (n_samples, n_features_in_)
            Already checked, e.g. a featurizer's output; use ``predict_proba`` otherwise.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        return self.calibrator_.predict(self._fitted_score(X[:, self.used_features_]))

    def predict(self, X):
        """The class with probability >= 0.5."""
        positive = self.predict_proba(X)[:, 1] >= 0.5
        return self.classes_[positive.astype(int)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.classifier_tags.multi_class = False
        return tags
