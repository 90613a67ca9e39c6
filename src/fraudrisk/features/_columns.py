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
that have links or prices, so that links are parsed once for all of them.

Featurizing a shop alone or in any chunk gives the same numbers; a property test holds them equal.
"""

import numpy as np

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
        self._views = None

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
                values = [record.get(name) for record in self.records]
                self._columns[name] = [tuple(value) if type(value) is list else value for value in values]
        return self._columns[name]

    def rows_of(self, names):
        """Every record's values of ``names``, as one tuple per record."""
        return zip(*map(self.column, names), strict=True)

    def views(self):
        """A :class:`ShopView` per record that has links or prices, None for the others."""
        if self._views is None:
            parts = zip(*(self.column(part) for part in HOST_PARTS), strict=True)
            self._views = [
                ShopView(record, shop) if "links" in record or "prices" in record else None
                for record, shop in zip(self.records, parts, strict=True)
            ]
        return self._views


def family_block(family, columns):
    """One family's columns for a whole chunk: an array of shape ``(len(columns), len(family.NAMES))``."""
    width = len(family.NAMES)
    if hasattr(family, "INPUTS"):
        distinct = {}
        codes = [distinct.setdefault(key, len(distinct)) for key in columns.rows_of(family.INPUTS)]
        table = np.asarray([family.features(*key) for key in distinct], dtype=np.float64).reshape(-1, width)
        return table[np.asarray(codes, dtype=np.intp)]
    block = np.full((len(columns), width), NAN)
    views = columns.views()
    rows = [row for row, view in enumerate(views) if view is not None]
    if rows:
        block[rows] = np.asarray([family.featurize(views[row]) for row in rows], dtype=np.float64).reshape(-1, width)
    return block


def family_rows(family, columns):
    """One family's columns as a list per record, computed record by record.

    For a chunk of a few records (one shop scored on its own), where building and indexing an
    array per family would cost more than the features; :func:`family_block` for the others.
    """
    if hasattr(family, "INPUTS"):
        return [family.features(*key) for key in columns.rows_of(family.INPUTS)]
    missing = [NAN] * len(family.NAMES)
    return [missing if view is None else family.featurize(view) for view in columns.views()]
