"""The scikit-learn transformer that turns shop records into a numeric matrix."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from fraudrisk.features import (
    contact,
    domain,
    identity,
    links,
    payments,
    prices,
    registration,
    reviews,
    tls,
)
from fraudrisk.features._view import ShopView, utc_now
from fraudrisk.schema import validate_record, validate_records

FAMILIES = {
    "domain": domain,
    "registration": registration,
    "tls": tls,
    "payments": payments,
    "contact": contact,
    "reviews": reviews,
    "links": links,
    "prices": prices,
    "identity": identity,
}
"""Attribute families in output order; each module has ``NAMES`` and ``featurize(view)``."""


class ShopFeaturizer(TransformerMixin, BaseEstimator):
    """Turn shop records into numeric features, one block of columns per attribute family.

    Missing attributes become NaN (tree ensembles in scikit-learn handle NaN natively).
    Dates become whole days relative to each record's ``observed_at`` (default: now).

    Parameters
    ----------
    families : tuple of str or None, default=None
        Attribute families to compute, from ``FAMILIES``; None means all of them.

    Attributes
    ----------
    families_ : tuple of str
        The families used, in output order.
    n_features_out_ : int
        Number of output columns.

    Examples
    --------
    >>> from fraudrisk.features import ShopFeaturizer
    >>> featurizer = ShopFeaturizer(families=("registration",)).fit([{"url": "shop.example.be"}])
    >>> featurizer.transform([{"url": "shop.example.be", "observed_at": "2024-01-10",
    ...                        "domain_registered_at": "2024-01-01"}])[0, 0]
    np.float64(9.0)
    """

    def __init__(self, *, families=None):
        self.families = families

    def _resolve_families(self):
        families = tuple(FAMILIES) if self.families is None else tuple(self.families)
        unknown = sorted(set(families) - set(FAMILIES))
        if unknown or not families:
            raise ValueError(f"families must be a non-empty subset of {sorted(FAMILIES)}, got {unknown or families}")
        return families

    def fit(self, X, y=None):
        """Check the records and fix the output columns.

        Parameters
        ----------
        X : dict, list of dict or pandas.DataFrame
            Shop records.
        y : None
            Ignored; present for the scikit-learn API.

        Returns
        -------
        self : ShopFeaturizer
        """
        self.families_ = self._resolve_families()
        validate_records(X)
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def transform(self, X):
        """Featurize shop records.

        Parameters
        ----------
        X : dict, list of dict or pandas.DataFrame
            Shop records; see :mod:`fraudrisk.schema`.

        Returns
        -------
        ndarray of shape (n_records, n_features_out_)

        Raises
        ------
        SchemaError
            When a record breaks the schema (the message names the record and field).
        """
        check_is_fitted(self, "families_")
        return self.transform_canonical(validate_records(X))

    def transform_canonical(self, records, now=None):
        """Featurize records already validated by :func:`fraudrisk.schema.validate_records`."""
        check_is_fitted(self, "families_")
        now = now or utc_now()
        modules = [FAMILIES[name] for name in self.families_]
        rows = []
        for record in records:
            view = ShopView(record, now)
            row = []
            for module in modules:
                row.extend(module.featurize(view))
            rows.append(row)
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), self.n_features_out_)

    def transform_one(self, record, now=None):
        """Featurize one raw record dict; returns an array of shape (1, n_features_out_)."""
        return self.transform_canonical([validate_record(record)], now)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns, prefixed by family (e.g. ``tls_days_to_expiry``).

        Parameters
        ----------
        input_features : None
            Ignored; the names do not depend on the input columns.

        Returns
        -------
        ndarray of str
        """
        families = getattr(self, "families_", None) or self._resolve_families()
        return np.asarray([name for family in families for name in FAMILIES[family].NAMES], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.dict = True
        tags.input_tags.allow_nan = True
        tags.requires_fit = True
        return tags
