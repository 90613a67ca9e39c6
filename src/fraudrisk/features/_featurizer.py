"""The scikit-learn transformer that turns shop records into a numeric matrix."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from fraudrisk.features import (
    contact,
    domain,
    identity,
    link_tokens,
    links,
    payments,
    prices,
    registration,
    reviews,
    services,
    tld,
    tls,
)  # fmt: skip
from fraudrisk.features._columns import ChunkColumns, record_rows, value_block, view_blocks
from fraudrisk.features._subset import computed_part
from fraudrisk.features._view import utc_now
from fraudrisk.schema import validate_records

FAMILIES = {
    "domain": domain, "tld": tld, "registration": registration, "tls": tls, "payments": payments,
    "contact": contact, "reviews": reviews, "links": links, "services": services, "prices": prices,
    "identity": identity, "link_tokens": link_tokens,
}  # fmt: skip
"""Attribute families in output order. Each module has ``NAMES`` and either ``INPUTS`` and
``features(*inputs)`` or ``featurize(view)`` (see :mod:`fraudrisk.features._columns`), except
``link_tokens``, whose columns are a vocabulary learned in ``fit``."""
SMALL_CHUNK = 16
"""Chunks of at most this many records are featurized record by record, larger ones a family at a time."""


class ShopFeaturizer(TransformerMixin, BaseEstimator):
    """Turn shop records into numeric features, one block of columns per attribute family.

    Missing attributes become NaN (tree ensembles in scikit-learn handle NaN natively).
    Dates become whole days relative to each record's ``observed_at`` (default: now).

    Parameters
    ----------
    families : tuple of str or None, default=None
        Attribute families to compute, from ``FAMILIES``; None means all of them.
    max_link_tokens : int, default=300
        Size of the learned vocabulary of link tokens (external sites and path words).
    min_link_token_shops : int, default=10
        A link token enters the vocabulary only when at least this many training shops have it.

    Attributes
    ----------
    families_ : tuple of str
        The families used, in output order.
    link_vocabulary_ : tuple of str
        Learned link tokens (empty when the training records have no links).
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

    def __init__(self, *, families=None, max_link_tokens=300, min_link_token_shops=10):
        self.families = families
        self.max_link_tokens = max_link_tokens
        self.min_link_token_shops = min_link_token_shops

    def _resolve_families(self):
        families = tuple(FAMILIES) if self.families is None else tuple(self.families)
        unknown = sorted(set(families) - set(FAMILIES))
        if unknown or not families:
            raise ValueError(f"families must be a non-empty subset of {sorted(FAMILIES)}, got {unknown or families}")
        return families

    def fit(self, X, y=None):
        """Check the records, learn the link vocabulary and fix the output columns.

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
        return self.fit_canonical(validate_records(X))

    def fit_canonical(self, records):
        """``fit`` for records already validated by :func:`fraudrisk.schema.validate_records`."""
        token_sets = []
        if "link_tokens" in self._resolve_families():
            token_sets = view_blocks([], ChunkColumns(records, utc_now()), with_tokens=True)[1]
        return self._learn_columns(link_tokens.count_shops([link_tokens.TokenSets(token_sets)]))

    def _learn_columns(self, token_counts):
        self.families_ = self._resolve_families()
        self.link_vocabulary_ = ()
        if "link_tokens" in self.families_:
            self.link_vocabulary_ = link_tokens.learn_vocabulary(
                token_counts, self.max_link_tokens, self.min_link_token_shops
            )
        self.link_token_positions_ = {token: i for i, token in enumerate(self.link_vocabulary_)}
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def fit_transform(self, X, y=None):
        """``fit`` then ``transform`` with one pass over the records (links are parsed once).

        Parameters
        ----------
        X : dict, list of dict or pandas.DataFrame
            Shop records.
        y : None
            Ignored.

        Returns
        -------
        ndarray of shape (n_records, n_features_out_)
        """
        return self.fit_transform_canonical(validate_records(X))

    def fit_transform_canonical(self, records, now=None):
        """``fit_transform`` for records already validated by :func:`fraudrisk.schema.validate_records`."""
        return self.fit_transform_parts([self.vocabulary_free_part(records, now)])

    def vocabulary_free_part(self, records, now=None, only=None):
        """The part of ``fit_transform`` that needs no fitted vocabulary, for one chunk of records.

        Chunks can be computed side by side (in worker processes, on an unfitted featurizer
        with the same ``families``) and joined by :meth:`fit_transform_parts`.

        Parameters
        ----------
        records : list of dict
            Canonical records.
        now : datetime, optional
            Observation time of records without ``observed_at``; default now.
        only : collection of str, optional
            Output columns to compute; the others are NaN (see :mod:`fraudrisk.features._subset`).
            Default: all.

        Returns
        -------
        columns : ndarray of shape (n_records, n_columns)
            Every family's columns except the link tokens, in output order.
        token_sets : link_tokens.TokenSets or None
            Each record's link tokens, compactly (none when ``link_tokens`` is not a family;
            None when no link-token column is in ``only``).
        """
        families = self._resolve_families()
        now = now or utc_now()
        modules, with_tokens = self._computed(families, only)
        if len(records) > SMALL_CHUNK:
            chunk = ChunkColumns(records, now)
            by_view = [module for module in modules if not hasattr(module, "INPUTS")]
            view_columns, token_sets = view_blocks(by_view, chunk, with_tokens)
            blocks = dict(zip(by_view, view_columns, strict=True))
            blocks.update((module, value_block(module, chunk)) for module in modules if hasattr(module, "INPUTS"))
            columns = np.hstack([blocks[module] for module in modules]) if modules else np.empty((len(records), 0))
        else:
            rows, token_sets = record_rows(modules, records, now, with_tokens)
            width = sum(len(module.NAMES) for module in modules)
            columns = np.asarray(rows, dtype=np.float64).reshape(len(records), width)
        if "link_tokens" in families and not with_tokens:
            return columns, None
        return columns, link_tokens.TokenSets(token_sets if with_tokens else [])

    def reads_page(self, only=None):
        """True when featurizing the columns ``only`` (default: all) reads a page's links or prices.

        Only the families without ``INPUTS`` read them (through a
        :class:`~fraudrisk.features._view.ShopView`), and the link tokens; a model that reads
        none of their columns scores the same without them (:mod:`fraudrisk.features._subset`).
        """
        modules, with_tokens = self._computed(self._resolve_families(), only)
        return with_tokens or any(not hasattr(module, "INPUTS") for module in modules)

    def _computed(self, families, only):
        """The families (or parts, :func:`computed_part`) that featurizing ``only`` computes, but
        the link tokens, and whether it computes those."""
        needed = None if only is None else frozenset(only)
        modules = [computed_part(FAMILIES[name], needed) for name in families if name != "link_tokens"]
        with_tokens = "link_tokens" in families and (needed is None or not needed.isdisjoint(self._link_token_names()))
        return modules, with_tokens

    def fit_transform_parts(self, parts):
        """Fit on chunks from :meth:`vocabulary_free_part` (in record order); return the full matrix."""
        self._learn_columns(link_tokens.count_shops(token_sets for _, token_sets in parts))
        return self._with_token_columns(np.vstack([chunk for chunk, _ in parts]), [tokens for _, tokens in parts])

    def _with_token_columns(self, columns, token_set_chunks):
        """The vocabulary-free columns with the link-token columns put in their family's place."""
        if "link_tokens" not in self.families_:
            return columns
        positions = self.link_token_positions_
        if any(token_sets is None for token_sets in token_set_chunks):  # not computed: not read
            tokens = np.full((len(columns), len(positions)), np.nan)
        else:
            tokens = np.vstack([link_tokens.token_matrix(token_sets, positions) for token_sets in token_set_chunks])
        before = self.families_[: self.families_.index("link_tokens")]
        offset = sum(len(FAMILIES[name].NAMES) for name in before)
        return np.hstack([columns[:, :offset], tokens, columns[:, offset:]])

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

    def transform_canonical(self, records, now=None, only=None):
        """Featurize records already validated by :func:`fraudrisk.schema.validate_records`.

        ``only``: output columns to compute, the others left NaN (default all); scoring passes
        the columns its model reads (:meth:`fraudrisk.model.FraudRiskModel.columns_read`).
        """
        if not hasattr(self, "families_"):
            check_is_fitted(self, "families_")
        columns, token_sets = self.vocabulary_free_part(records, now, only)
        return self._with_token_columns(columns, [token_sets])

    def family_columns(self):
        """Map each family to its output column names, in output order."""
        families = getattr(self, "families_", None) or self._resolve_families()
        return {
            family: self._link_token_names() if family == "link_tokens" else list(FAMILIES[family].NAMES)
            for family in families
        }

    def _link_token_names(self):
        """The link-token columns' names (none before fitting)."""
        return [f"link_{token}" for token in getattr(self, "link_vocabulary_", ())]

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
        return np.asarray([name for names in self.family_columns().values() for name in names], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.dict = True
        tags.input_tags.allow_nan = True
        tags.requires_fit = True
        return tags
