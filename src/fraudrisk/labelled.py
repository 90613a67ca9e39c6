"""Reading labelled shop files: canonical records with a label column, or the KTU / watchlist formats."""

import gzip
import json

import numpy as np

from fraudrisk.exceptions import SchemaError
from fraudrisk.readers import READ_ERROR, format_of, read_table

LABELLED_FORMATS = ("auto", "canonical", "ktu", "watchlist")
_TRUE = {"1", "true", "yes", "fraudulent", "fraud", "fake"}
_FALSE = {"0", "false", "no", "legitimate", "legit", "real"}


def detect_format(path):
    """Tell KTU (its 'Online shop URL' header) and watchlist ('isFake' key) files from canonical ones."""
    name = str(path).lower()
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        first = handle.readline()
    if first.startswith("Online shop URL,"):
        return "ktu"
    if format_of(path) == "jsonl":
        try:
            if "isFake" in json.loads(first):
                return "watchlist"
        except ValueError:
            pass
    return "canonical"


def parse_labels(values, column="label"):
    """0/1 labels from 0/1, booleans or words (fraudulent/legitimate ...); errors name the row."""
    labels = []
    for index, value in enumerate(values):
        text = str(value).strip().lower()
        if text in _TRUE or text == "1.0":
            labels.append(1)
        elif text in _FALSE or text == "0.0":
            labels.append(0)
        else:
            raise SchemaError(
                f"row {index}: label column {column!r} must be 0/1, true/false or "
                f"fraudulent/legitimate, got {str(value)[:40]!r}",
                index=index,
                field=column,
            )
    return np.asarray(labels, dtype=int)


def read_labelled(path, data_format="auto", label="label"):
    """Read labelled shops as ``(X, y)``.

    Parameters
    ----------
    path : str or path-like
        CSV / JSON lines (.gz) / Parquet file.
    data_format : {"auto", "canonical", "ktu", "watchlist"}, default="auto"
        "canonical" is shop-record columns plus a label column.
    label : str, default="label"
        The label column of a canonical file.

    Returns
    -------
    X : pandas.DataFrame
        Shop records (schema columns only).
    y : ndarray of {0, 1}

    Raises
    ------
    SchemaError
        When the label column is missing or holds a value that is not a label.
    """
    from fraudrisk.datasets import load_ktu, load_watchlist
    from fraudrisk.readers import split_columns

    kind = detect_format(path) if data_format == "auto" else data_format
    if kind == "ktu":
        X, y = load_ktu(path)
        return X, y.to_numpy()
    if kind == "watchlist":
        X, y = load_watchlist(path)
        return X, y.to_numpy()
    table = read_table(path)
    if label not in table.columns:
        raise SchemaError(
            f"{path}: no label column {label!r} (columns: {', '.join(map(str, table.columns))})", field=label
        )
    records, _ = split_columns(table)
    if READ_ERROR in records.columns:
        bad = records[READ_ERROR].map(lambda value: isinstance(value, str) and bool(value))
        if bad.any():
            index = int(bad.to_numpy().nonzero()[0][0])
            raise SchemaError(f"{path}: row {index}: {records[READ_ERROR].iloc[index]}", index=index)
        records = records.drop(columns=[READ_ERROR])
    return records.reset_index(drop=True), parse_labels(table[label], label)
