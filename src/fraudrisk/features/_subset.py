"""Featurizing only the columns a model reads; the others are left NaN, not computed.

A fitted tree ensemble reads only the columns its splits test
(:meth:`fraudrisk.model.FraudRiskModel.columns_read`): the shipped model, trained on data
without links or prices, reads none of the link, price and service columns, nor the
look-alike flag or the contact e-mail columns. Computing them costs time and cannot change
a probability. A family none of whose columns is read is left out; a family made of parts
(``PARTS``: ``(names, inputs, function)`` triples, in column order) computes only the parts
with a column that is read.
"""

from fraudrisk.features._view import NAN


class _Part:
    """A stand-in for a family that computes only some of its parts (``INPUTS``, ``features``)."""

    def __init__(self, family, parts):
        self.NAMES = family.NAMES
        self.INPUTS = tuple(dict.fromkeys(name for _, inputs, _ in parts for name in inputs))
        self._plan = []
        for names, inputs, function in parts:
            start = family.NAMES.index(names[0])
            picks = [self.INPUTS.index(name) for name in inputs]
            self._plan.append((slice(start, start + len(names)), picks, function))

    def features(self, *values):
        row = [NAN] * len(self.NAMES)
        for columns, picks, function in self._plan:
            row[columns] = function(*[values[i] for i in picks])
        return row


def computed_part(family, needed):
    """``family``, or a stand-in computing only its columns in ``needed`` (all when None)."""
    if needed is None or all(name in needed for name in family.NAMES):
        return family
    if not any(name in needed for name in family.NAMES):
        return _Part(family, [])
    parts = getattr(family, "PARTS", None)
    if parts is None:
        return family
    return _Part(family, [part for part in parts if any(name in needed for name in part[0])])
