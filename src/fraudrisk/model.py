"""The fraud-risk model: featurizer, calibrated ensemble and the metadata that travels with them."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from fraudrisk._hosts import host_of
from fraudrisk.bands import DEFAULT_BANDS
from fraudrisk.calibration import shift_prevalence
from fraudrisk.ensemble import CalibratedEnsembleClassifier
from fraudrisk.features import ShopFeaturizer
from fraudrisk.schema import validate_records


def check_labels(y, n_records):
    """Return labels as an int array of 0/1, or raise ValueError naming the first bad one."""
    values = np.asarray(y, dtype=object).ravel().tolist()
    if len(values) != n_records:
        raise ValueError(f"got {n_records} shop records but {len(values)} labels")
    for index, label in enumerate(values):
        if isinstance(label, (str, bytes)) or label not in (0, 1):
            raise ValueError(f"label {index} must be 0 (legitimate) or 1 (fraudulent), got {label!r}")
    return np.asarray(values, dtype=int)


class FraudRiskModel(ClassifierMixin, BaseEstimator):
    """Shop records in, calibrated probability of fraud out.

    Parameters
    ----------
    featurizer : ShopFeaturizer or None, default=None
        None means ``ShopFeaturizer()``.
    classifier : estimator or None, default=None
        A binary classifier on the featurizer's output whose ``fit`` accepts ``groups``;
        None means ``CalibratedEnsembleClassifier()``.
    bands : tuple of (str, float) or None, default=None
        Risk bands as (name, lower probability bound), ascending; None means ``DEFAULT_BANDS``.

    Attributes
    ----------
    featurizer_ : ShopFeaturizer
    classifier_ : estimator
    base_rate_ : float
        Share of fraudulent shops in the training data: probabilities are calibrated there.
    reference_ : ndarray
        Typical legitimate feature values, used to explain scores.
    metadata_ : dict
        Free-form facts about training (set by :func:`fraudrisk.train`).
    """

    def __init__(self, *, featurizer=None, classifier=None, bands=None):
        self.featurizer = featurizer
        self.classifier = classifier
        self.bands = bands

    def fit(self, X, y, groups=None):
        """Fit on shop records and 0/1 labels; ``groups`` defaults to each record's host."""
        records = validate_records(X)
        labels = check_labels(y, len(records))
        self.featurizer_ = clone(self.featurizer or ShopFeaturizer()).fit_canonical(records)
        features = self.featurizer_.transform_canonical(records)
        if groups is None:
            groups = [host_of(record["url"]) for record in records]
        classifier = clone(self.classifier or CalibratedEnsembleClassifier())
        self.classifier_ = classifier.fit(features, labels, groups=np.asarray(groups))
        return self.finish_fit(features, labels)

    def finish_fit(self, features, labels):
        """Set the attributes derived from the training matrix (used by ``fit`` and ``train``)."""
        from fraudrisk.explain import reference_profile

        self.classes_ = np.array([0, 1])
        self.base_rate_ = float(np.mean(labels))
        self.reference_ = reference_profile(self.featurizer_, features[labels == 0])
        self.bands_ = tuple(self.bands or DEFAULT_BANDS)
        self.metadata_ = getattr(self, "metadata_", {})
        return self

    def columns_read(self):
        """Names of the feature columns the fitted classifier reads, or None when it cannot tell.

        Scoring computes only these (the others are left NaN): a column no split reads cannot
        change a probability. Known once per fitted classifier.

        Returns
        -------
        frozenset of str or None
        """
        check_is_fitted(self, "classifier_")
        cached = self.__dict__.get("_columns_read")
        if cached is not None and cached[0] is self.classifier_:
            return cached[1]
        reader = getattr(self.classifier_, "features_read", None)
        mask = reader() if reader is not None else None
        names = None if mask is None else frozenset(self.featurizer_.get_feature_names_out()[mask])
        self._columns_read = (self.classifier_, names)
        return names

    def reads_page(self):
        """True when the columns the classifier reads come partly from a page's links or prices.

        When not (the shipped model), scoring only checks those fields (see
        :func:`fraudrisk.scoring.score_batch`). Known once per fitted classifier.

        Returns
        -------
        bool
        """
        only = self.columns_read()
        cached = self.__dict__.get("_reads_page")
        if cached is not None and cached[0] is only:
            return cached[1]
        reads = self.featurizer_.reads_page(only)
        self._reads_page = (only, reads)
        return reads

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_columns_read", None)  # derived from classifier_; a saved file does not depend on scoring
        state.pop("_reads_page", None)
        return state

    def predict_proba_features(self, features, prevalence=None):
        """Probability of fraud for an already featurized matrix, optionally re-based."""
        check_is_fitted(self, "classifier_")
        unchecked = getattr(self.classifier_, "predict_positive", None)
        proba = unchecked(features) if unchecked else self.classifier_.predict_proba(features)[:, 1]
        if prevalence is not None:
            proba = shift_prevalence(proba, self.base_rate_, prevalence)
        return proba

    def predict_proba(self, X, prevalence=None):
        """Calibrated probabilities, shape (n_records, 2); column 1 is "fraudulent".

        Parameters
        ----------
        X : dict, list of dict or pandas.DataFrame
            Shop records.
        prevalence : float in (0, 1), optional
            Deployment base rate of fraud; probabilities are re-based from the training base
            rate with :func:`fraudrisk.calibration.shift_prevalence`.

        Returns
        -------
        ndarray of shape (n_records, 2)
        """
        check_is_fitted(self, "classifier_")
        features = self.featurizer_.transform_canonical(validate_records(X))
        positive = self.predict_proba_features(features, prevalence)
        return np.column_stack([1 - positive, positive])

    def predict(self, X, prevalence=None):
        """1 where the probability of fraud is >= 0.5, else 0."""
        return (self.predict_proba(X, prevalence)[:, 1] >= 0.5).astype(int)
