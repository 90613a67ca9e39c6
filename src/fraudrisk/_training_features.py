"""Validating and featurizing training records in chunks, side by side in worker processes.

Training featurizes every record once: each chunk is validated and turned into every family's
columns except the learned link tokens, together with each record's token set (one parse of
its links); the vocabulary is then learned from all token sets and the token columns filled in.
"""

import pandas as pd

from fraudrisk._hosts import host_of
from fraudrisk.features import ShopFeaturizer
from fraudrisk.features._view import utc_now
from fraudrisk.parallel import ordered_map
from fraudrisk.schema import iter_raw_records, validate_record

CHUNK_RECORDS = 5000


def _chunks(X, size):
    """``(raw records, index of the first)`` per chunk of a dict, list of dicts or DataFrame."""
    if isinstance(X, pd.DataFrame):
        for start in range(0, len(X), size):
            yield X.iloc[start : start + size], start
        return
    records = list(iter_raw_records(X))  # refuses anything that is not records, as validation does
    for start in range(0, len(records), size):
        yield records[start : start + size], start


def _featurize_chunk(chunk, first_index, families, now):
    records = [validate_record(raw, index) for index, raw in enumerate(iter_raw_records(chunk), start=first_index)]
    part = ShopFeaturizer(families=families).vocabulary_free_part(records, now)
    return part, [host_of(record["url"]) for record in records]


def featurize_training_records(X, *, families=None, workers=1, progress=None):
    """Validate and featurize training records; fit the featurizer on them.

    Parameters
    ----------
    X : dict, list of dict or pandas.DataFrame
        Shop records.
    families : tuple of str, optional
        Feature families; default all.
    workers : int, default=1
        Processes validating and featurizing chunks side by side; the result does not depend on it.
    progress : callable, optional
        Called with the number of records done after each chunk.

    Returns
    -------
    featurizer : ShopFeaturizer
        Fitted.
    features : ndarray of shape (n_records, n_features)
    hosts : list of str
        Each record's host (the default cross-validation group).

    Raises
    ------
    SchemaError
        For the first record that breaks the schema, naming its index in ``X`` and the field.
    """
    now = utc_now()
    parts, hosts = [], []
    calls = ((chunk, first_index, families, now) for chunk, first_index in _chunks(X, CHUNK_RECORDS))
    for part, chunk_hosts in ordered_map(_featurize_chunk, calls, workers):
        parts.append(part)
        hosts.extend(chunk_hosts)
        if progress:
            progress(len(hosts))
    featurizer = ShopFeaturizer(families=families)
    features = featurizer.fit_transform_parts(parts) if parts else featurizer.fit_transform_canonical([])
    return featurizer, features, hosts
