"""Featurizing a chunk of records one family at a time, each distinct input computed once.

Most families depend on a few values of a record: the TLS family on the certificate's expiry,
issuer and observation time, the payments family on the payment list. Such a family names its
inputs (``INPUTS``, record fields or :data:`~fraudrisk.features._view.HOST_PARTS`) and computes
its columns from them (``features(*inputs)``). In a chunk of a file the same inputs recur across
thousands of shops (the same issuer and expiry, the same payment list), so each distinct tuple
of inputs is computed once and its row of features reused, and the chunk's matrix is filled by
indexing, not row by row (a chunk of a few records is computed row by row: there the arrays
would cost more than they save). The families that read a page's links or prices take a
:class:`~fraudrisk.features._view.ShopView` (``featurize(view)``), made only for the shops
that have links or prices and one shop at a time, so that a page's links are parsed once for
all of them and dropped when they are done.

Featurizing a shop alone or in any chunk gives the same numbers; a property test holds them equal.
"""

import itertools

import numpy as np

from fraudrisk.features import link_tokens
from fraudrisk.features._view import HOST_PARTS, NAN, ShopView, host_parts


class ChunkColumns:
    """The values that families read, for every record of a chunk, computed once on demand.

    Parameters
    ----------
    records : list of dict
        Canonical records (:func:`fraudrisk.schema.validate_record`).
    now : datetime
        Observation time of records without ``observed_at``.
    """

    def __init__(self, records, now):
        self.records = records
        self.now = now
        self._columns = {}

    def __len__(self):
        return len(self.records)

    def column(self, name):
        """Every record's value of ``name`` (lists as tuples, so that inputs can be dictionary keys)."""
        if name not in self._columns:
            if name in HOST_PARTS:
                parts = [host_parts(record["url"]) for record in self.records]
                for position, part in enumerate(HOST_PARTS):
                    self._columns[part] = [shop[position] for shop in parts]
            elif name == "observed_at":
                now = self.now
                self._columns[name] = [record.get(name, now) for record in self.records]
            else:
                values = list(map(dict.get, self.records, itertools.repeat(name)))
                if list in map(type, values):
                    values = [tuple(value) if type(value) is list else value for value in values]
                self._columns[name] = values
        return self._columns[name]

    def rows_of(self, names):
        """Every record's values of ``names``, as one tuple per record."""
        return zip(*map(self.column, names), strict=True)


def value_block(family, columns):
    """The columns of a family with ``INPUTS`` for a whole chunk, each distinct input computed once.

    Returns an array of shape ``(len(columns), len(family.NAMES))``.
    """
    if not family.INPUTS:  # a family left out (:mod:`fraudrisk.features._subset`): one constant row
        return np.tile(np.asarray(family.features(), dtype=np.float64), (len(columns), 1))
    keys = list(columns.rows_of(family.INPUTS))
    # C-level passes: the distinct inputs, numbered, then each row's number
    distinct = dict(zip(dict.fromkeys(keys), itertools.count()))
    codes = np.fromiter(map(distinct.__getitem__, keys), dtype=np.intp, count=len(keys))
    table = np.asarray([family.features(*key) for key in distinct], dtype=np.float64).reshape(-1, len(family.NAMES))
    return table[codes]


def view_blocks(families, columns, with_tokens):
    """The columns of the families that read a :class:`ShopView`, and each record's link tokens.

    One shop at a time: a page's links are parsed once for all these families and dropped as
    soon as they are done, so a chunk (or a training set) never holds every page's parsed
    links at once. Shops without links or prices get NaN and no tokens.

    Returns
    -------
    blocks : list of ndarray
        One array of shape ``(len(columns), len(family.NAMES))`` per family.
    token_sets : list of (set of str or None)
        Each record's :func:`~fraudrisk.features.link_tokens.link_tokens` (all None unless ``with_tokens``).
    """
    blocks = [np.full((len(columns), len(family.NAMES)), NAN) for family in families]
    token_sets = [None] * len(columns)
    if not families and not with_tokens:
        return blocks, token_sets
    for row, view in enumerate(_views(columns)):
        if view is None:
            continue
        for block, family in zip(blocks, families, strict=True):
            block[row] = family.featurize(view)
        if with_tokens:
            token_sets[row] = link_tokens.link_tokens(view)
    return blocks, token_sets


def record_rows(families, records, now, with_tokens):
    """Every record's columns of ``families`` as one list, and its link tokens, record by record.

    For a chunk of a few records (one shop scored on its own), where building columns and
    arrays per family would cost more than the features. Same numbers as :func:`value_block`
    and :func:`view_blocks` (lists are passed as lists, not tuples: no input is a key here).
    """
    rows, token_sets = [], []
    for record in records:
        parts = host_parts(record["url"])
        inputs = dict(zip(HOST_PARTS, parts, strict=True))
        inputs.update(record)
        inputs.setdefault("observed_at", now)
        view = _view_of(record, parts)
        row = []
        for family in families:
            if hasattr(family, "INPUTS"):
                row.extend(family.features(*map(inputs.get, family.INPUTS)))
            else:
                row.extend([NAN] * len(family.NAMES) if view is None else family.featurize(view))
        rows.append(row)
        token_sets.append(link_tokens.link_tokens(view) if with_tokens and view is not None else None)
    return rows, token_sets


def _views(columns):
    """:func:`_view_of` every record of a chunk, one at a time."""
    parts = zip(*(columns.column(part) for part in HOST_PARTS), strict=True)
    for record, shop in zip(columns.records, parts, strict=True):
        yield _view_of(record, shop)


def _view_of(record, parts):
    """A :class:`ShopView` of a record that has links or prices; None for the others."""
    return ShopView(record, parts) if "links" in record or "prices" in record else None
