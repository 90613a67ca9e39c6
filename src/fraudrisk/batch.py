"""Scoring files of any size: streamed in chunks, one output row per input row, written atomically."""

import gzip
import os
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from fraudrisk._csv_blocks import BLOCK_BYTES, score_csv_blocks
from fraudrisk._output_columns import add_counts, counts_of, kept_columns, no_counts, with_input_columns
from fraudrisk.exceptions import TruncatedInputError
from fraudrisk.parallel import scored_chunks
from fraudrisk.readers import format_of, iter_tables, split_columns
from fraudrisk.scoring import score_batch


class _Writer:
    """Appends scored chunks to a temporary file; ``commit`` renames it to the target."""

    def __init__(self, target):
        self.target = Path(target)
        self.kind = format_of(target)
        handle, self.temporary = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".part", dir=self.target.parent if str(self.target.parent) else "."
        )
        os.close(handle)
        self.parquet = None
        self.first = True
        self.columns = None
        self.dropped = {}

    def write(self, frame, first_row=0):
        """Append ``frame`` (rows from ``first_row`` of the input on).

        CSV and Parquet files have one set of columns, fixed by the first chunk: a later chunk
        is laid out the same (columns it lacks are empty), and a column first seen there (a
        JSON-lines key missing from the first chunk) is left out and noted in ``dropped``
        (column name -> first input row that has it) rather than shifting the other cells.
        """
        if self.kind != "jsonl":
            if self.columns is None:
                self.columns = list(frame.columns)
            elif list(frame.columns) != self.columns:
                for column in frame.columns:
                    if column not in self.columns and column not in self.dropped:
                        self.dropped[column] = first_row + int(frame[column].notna().to_numpy().argmax())
                frame = frame.reindex(columns=self.columns)
        if self.kind == "csv":
            frame.to_csv(self.temporary, mode="w" if self.first else "a", header=self.first, index=False)
        elif self.kind == "jsonl":
            compression = "gzip" if str(self.target).endswith(".gz") else None
            text = frame.to_json(orient="records", lines=True, force_ascii=False)
            opener = gzip.open if compression else open
            with opener(self.temporary, "wt" if self.first else "at", encoding="utf-8") as handle:
                handle.write(text if text.endswith("\n") or not text else text + "\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            # one explicit schema: a column empty throughout the first chunk is text, not Arrow's null type
            schema = pa.schema([(column, pa.float64() if column == "probability" else pa.string()) for column in frame])
            table = pa.Table.from_pandas(_parquet_ready(frame), schema=schema, preserve_index=False)
            if self.parquet is None:
                self.parquet = pq.ParquetWriter(self.temporary, table.schema)
            self.parquet.write_table(table.cast(self.parquet.schema))
        self.first = False

    def write_text(self, header, text):
        """Append CSV ``text``, after the ``header`` line when nothing was written yet."""
        with open(self.temporary, "w" if self.first else "a", encoding="utf-8", newline="") as handle:
            handle.write(header + text if self.first else text)
        self.first = False

    def commit(self):
        if self.parquet is not None:
            self.parquet.close()
        os.replace(self.temporary, self.target)

    def abort(self):
        if self.parquet is not None:
            self.parquet.close()
        Path(self.temporary).unlink(missing_ok=True)


def _parquet_ready(frame):
    """Text columns as strings and the probability as float, so every chunk has one schema."""
    frame = frame.copy()
    for column in frame.columns:
        if column != "probability":
            frame[column] = frame[column].map(lambda value: None if value is None or value != value else str(value))
    frame["probability"] = frame["probability"].astype("float64")
    return frame


def score_file(
    source,
    target,
    *,
    model=None,
    prevalence=None,
    reasons=False,
    strict=False,
    keep="all",
    seal_members=None,
    input_format=None,
    chunk_rows=5000,
    progress=None,
    workers=1,
):
    """Score every shop of a file into another, streaming in chunks.

    Every input row gives exactly one output row, in input order. A row that breaks the schema
    gets an ``error`` text and an empty probability (or, with ``strict``, stops the run). The
    output is written to a temporary file beside the target and renamed only when complete,
    so an interrupted run never leaves a file that looks complete. When the input itself breaks
    off (a truncated gzip file), the rows before the break are written, followed by an error
    row saying where it broke, and :class:`~fraudrisk.TruncatedInputError` is raised.

    Parameters
    ----------
    source : str or path-like
        Input file (.csv, .jsonl[.gz], .parquet) or ``-`` for CSV on standard input.
    target : str or path-like
        Output file; the format follows its extension.
    model : FraudRiskModel, optional
        Default: the shipped model.
    prevalence : float, optional
        Deployment base rate of fraud.
    reasons : bool, default=False
        Add ``reasons`` and ``red_flags`` columns.
    strict : bool, default=False
        Raise :class:`~fraudrisk.SchemaError` at the first bad row (nothing is written).
    keep : "all", "none" or a column name, default="all"
        Input columns that are not schema fields to copy to the output: all, none, or one
        (an id column).
    seal_members : dict, optional
        Trust-seal members to check claimed seals against.
    input_format : {"csv", "jsonl", "parquet"}, optional
        Default: from the file name.
    chunk_rows : int, default=5000
        Rows per chunk; memory is bounded by it, not by the file size.
    progress : callable, optional
        Called as ``progress(rows_done)`` after every chunk.
    workers : int, default=1
        Processes that score chunks side by side (see :mod:`fraudrisk.parallel`); the output
        is the same whatever their number. With more than one, an uncompressed CSV file scored
        into a CSV file is read and written by the workers in blocks of lines
        (:mod:`fraudrisk._csv_blocks`).

    Returns
    -------
    dict
        ``rows``, ``errors``, ``bands`` (rows per band), ``seconds`` and ``dropped_columns``:
        input columns a CSV or Parquet output could not hold because they first appeared after
        its columns were fixed by the first chunk (JSON-lines keys), each with the first row
        that has it. JSON-lines output keeps every row's own keys.
    """
    started = time.perf_counter()
    writer = _Writer(target)
    how = {
        "model": model,
        "workers": workers,
        "chunk_rows": chunk_rows,
        "keep": keep,
        "errors": "raise" if strict else "report",
        "settings": {"prevalence": prevalence, "reasons": reasons, "seal_members": seal_members},
        "progress": progress,
    }
    try:
        if workers > 1 and writer.kind == "csv" and _plain_csv_file(source, input_format):
            totals = score_csv_blocks(source, writer, bytes_per_block=BLOCK_BYTES, **how)
        else:
            totals = _score_chunks(iter_tables(source, input_format, chunk_rows), writer, **how)
        if writer.first:
            writer.write(score_batch([], model=model, errors="report"))
        writer.commit()
    except TruncatedInputError:
        # Every row read before the break is scored and the last row says where the input broke;
        # the output is kept for those rows, and the error still stops the caller.
        writer.commit()
        raise
    except BaseException:
        writer.abort()
        raise
    totals = totals or no_counts()
    return {**totals, "seconds": time.perf_counter() - started, "dropped_columns": writer.dropped}


def _score_chunks(tables, writer, *, model, workers, chunk_rows, keep, errors, settings, progress):
    """Score chunk tables into ``writer``, in ``workers`` processes; ``rows``, ``errors`` and ``bands``."""
    totals = no_counts()
    kept = deque()

    def chunks():
        first_index = 0
        for chunk in tables:
            fields, extra = split_columns(chunk)
            kept.append(kept_columns(chunk, extra, keep))
            yield fields, first_index
            first_index += len(chunk)

    for result in scored_chunks(chunks(), workers, model, errors=errors, **settings):
        result = with_input_columns(kept.popleft(), result)
        writer.write(result, first_row=totals["rows"])
        add_counts(totals, counts_of(result))
        if progress:
            progress(totals["rows"])
    return totals


def _plain_csv_file(source, input_format):
    """True for an uncompressed CSV file on disk (read in blocks of lines, see :mod:`fraudrisk._csv_blocks`).

    Only a regular file: each worker reads its block from it, so a pipe (``<(...)``) is read here.
    """
    if str(source) == "-" or str(source).lower().endswith(".gz") or format_of(source, input_format) != "csv":
        return False
    return os.path.isfile(source)


def count_rows(source, input_format=None):
    """Rows in an uncompressed CSV / JSON-lines file (for an ETA), or None when not cheap to know."""
    try:
        kind = format_of(source, input_format)
    except ValueError:
        return None
    if str(source) == "-" or str(source).endswith(".gz") or kind == "parquet":
        return None
    with open(source, "rb") as handle:
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - (kind == "csv"), 0)


def terminal_progress(total, stream=sys.stderr):
    """A progress callback that rewrites one line: rows, rows/s and ETA."""
    started = time.perf_counter()

    def show(done):
        elapsed = max(time.perf_counter() - started, 1e-9)
        rate = done / elapsed
        eta = f", ETA {max(total - done, 0) / rate:.0f} s" if total and rate else ""
        share = f" ({100 * done / total:.0f} %)" if total else ""
        stream.write(f"\r{done:,} rows{share}, {rate:,.0f} rows/s{eta}   ")
        stream.flush()

    return show


__all__ = ["count_rows", "score_file", "terminal_progress", "with_input_columns"]
