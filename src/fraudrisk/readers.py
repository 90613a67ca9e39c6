"""Reading shop files (CSV, JSON lines, Parquet) into raw records, whole or chunk by chunk.

CSV cells are read as text; list fields are JSON text in their cells. Columns that are not
schema fields are kept aside and copied to the output unchanged, so no input data is lost.
"""

import contextlib
import gzip
import json
import sys

import pandas as pd

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


READ_ERROR = "_fraudrisk_read_error"
"""Column that carries why a line could not be read (a JSON-lines line that is not an object)."""


def _jsonl_chunks(handle, chunk_rows):
    rows = []
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                row = {READ_ERROR: f"line {number} must be a JSON object, got {type(row).__name__}"}
        except (ValueError, RecursionError) as error:
            row = {READ_ERROR: f"line {number} is not valid JSON ({getattr(error, 'msg', 'too deeply nested')})"}
        rows.append(row)
        if len(rows) >= chunk_rows:
            yield pd.DataFrame.from_records(rows)
            rows = []
    if rows:
        yield pd.DataFrame.from_records(rows)


def _open_text(path, kind):
    if str(path) == "-":
        return contextlib.nullcontext(sys.stdin)
    if str(path).lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="" if kind == "csv" else None)
    return open(path, encoding="utf-8", newline="" if kind == "csv" else None)


def iter_tables(path, input_format=None, chunk_rows=20000):
    """Read a shop file (or ``-`` for standard input) chunk by chunk, as DataFrames of raw values.

    Memory stays bounded by ``chunk_rows`` whatever the file size. CSV cells are text; a
    JSON-lines line that cannot be read becomes a row with only :data:`READ_ERROR` set, so it
    is reported in place instead of stopping the run.

    Parameters
    ----------
    path : str or path-like
        The file; ``-`` reads standard input.
    input_format : {"csv", "jsonl", "parquet"}, optional
        Default: from the file name (``csv`` for standard input).
    chunk_rows : int, default=20000
        Rows per chunk.

    Yields
    ------
    pandas.DataFrame
    """
    kind = "csv" if str(path) == "-" and not input_format else format_of(path, input_format)
    if kind == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows):
            yield batch.to_pandas()
        return
    with _open_text(path, kind) as handle:
        if kind == "csv":
            yield from pd.read_csv(handle, dtype=str, keep_default_na=False, chunksize=chunk_rows)
        else:
            yield from _jsonl_chunks(handle, chunk_rows)


def read_table(path, input_format=None):
    """Read a whole shop file (or ``-`` for standard input) into one DataFrame of raw values.

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
    chunks = list(iter_tables(path, input_format))
    return pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=["url"])


def split_columns(table):
    """Split a table into (schema columns and read errors, other columns)."""
    schema = [column for column in table.columns if column in FIELD_NAMES or column == READ_ERROR]
    return table[schema], table[[column for column in table.columns if column not in schema]]
