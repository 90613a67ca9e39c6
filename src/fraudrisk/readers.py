"""Reading shop files (CSV, JSON lines, Parquet) into raw records, and writing results.

CSV cells are read as text; list fields are JSON text in their cells. Columns that are not
schema fields are kept aside and copied to the output unchanged, so no input data is lost.
"""

import contextlib
import gzip
import json
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from fraudrisk.exceptions import SchemaError
from fraudrisk.schema import FIELD_NAMES

FORMATS = ("csv", "jsonl", "parquet")


def format_of(path, explicit=None):
    """File format from an explicit choice or the file name (``.csv``, ``.jsonl[.gz]``, ``.parquet``)."""
    if explicit:
        return explicit
    name = str(path).lower().removesuffix(".gz")
    for suffix, kind in (
        (".csv", "csv"),
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "jsonl"),
        (".parquet", "parquet"),
        (".pq", "parquet"),
    ):
        if name.endswith(suffix):
            return kind
    raise ValueError(
        f"cannot tell the format of {path!s}: use a .csv, .jsonl(.gz) or .parquet name, or give the format explicitly"
    )


def _read_jsonl(handle, source):
    rows = []
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as error:
            raise SchemaError(f"{source} line {number}: not valid JSON ({error.msg})", index=len(rows)) from None
        if not isinstance(row, dict):
            raise SchemaError(
                f"{source} line {number}: must be a JSON object, got {type(row).__name__}", index=len(rows)
            )
        rows.append(row)
    return pd.DataFrame.from_records(rows) if rows else pd.DataFrame(columns=["url"])


def read_table(path, input_format=None):
    """Read a shop file (or ``-`` for standard input) into a DataFrame of raw values.

    Parameters
    ----------
    path : str or path-like
        The file; ``-`` reads standard input.
    input_format : {"csv", "jsonl", "parquet"}, optional
        Default: from the file name (``csv`` for standard input).

    Returns
    -------
    pandas.DataFrame
    """
    kind = "csv" if str(path) == "-" and not input_format else format_of(path, input_format)
    source = "standard input" if str(path) == "-" else str(path)
    if kind == "parquet":
        return pd.read_parquet(path)
    if str(path) == "-":
        handle = sys.stdin
    elif str(path).lower().endswith(".gz"):
        handle = gzip.open(path, "rt", encoding="utf-8")
    else:
        handle = open(path, encoding="utf-8", newline="" if kind == "csv" else None)
    with handle if handle is not sys.stdin else contextlib.nullcontext(handle):
        if kind == "csv":
            return pd.read_csv(handle, dtype=str, keep_default_na=False)
        return _read_jsonl(handle, source)


def split_columns(table):
    """Split a table into (schema columns, other columns)."""
    schema = [column for column in table.columns if column in FIELD_NAMES]
    return table[schema], table[[column for column in table.columns if column not in FIELD_NAMES]]


def write_table(frame, path, output_format=None):
    """Write ``frame`` to ``path`` atomically: a temporary file renamed once complete."""
    kind = format_of(path, output_format)
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    os.close(handle)
    try:
        if kind == "csv":
            frame.to_csv(temporary, index=False)
        elif kind == "jsonl":
            frame.to_json(
                temporary,
                orient="records",
                lines=True,
                force_ascii=False,
                compression="gzip" if str(path).endswith(".gz") else None,
            )
        else:
            frame.to_parquet(temporary, index=False)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
