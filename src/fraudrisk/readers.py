"""Reading shop files (CSV, JSON lines, Parquet) into raw records, whole or chunk by chunk.

CSV cells are read as text; list fields are JSON text in their cells. Columns that are not
schema fields are kept aside and copied to the output unchanged, so no input data is lost.
"""

import contextlib
import csv
import gzip
import json
import re
import sys
import zlib

import pandas as pd

from fraudrisk.exceptions import TruncatedInputError
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
"""Column that carries why an input row could not be read (broken JSON, CSV or UTF-8)."""

CSV_FIELD_LIMIT = 1 << 20
"""Largest CSV cell, in characters; a longer one (usually an unclosed quote) is a bad row."""
CHUNK_CHARACTERS = 8_000_000
"""A chunk of a CSV / JSON-lines file ends once its rows span this much text (8 MB or so)."""


class _Lines:
    """Numbered, decoded lines of a binary stream; lines can be put back to be read again.

    A line that is not UTF-8 is decoded with replacement characters and its number noted, so
    the row it belongs to is reported instead of scored. A stream that breaks (truncated
    gzip, I/O error) ends the lines, with the reason kept in ``failure``.
    """

    def __init__(self, stream, first_number=1):
        self._numbered = enumerate(stream, start=first_number)
        self._back = []
        self.taken = []
        self.undecodable = set()
        self.failure = None
        self.last = 0
        self.characters = 0
        self.unfinished = None

    def __iter__(self):
        return self

    def __next__(self):
        if self._back:
            number, text = self._back.pop()
        else:
            try:
                number, raw = next(self._numbered)
            except StopIteration:
                raise
            except (EOFError, OSError, zlib.error) as error:
                self.failure = f"the input ends early after line {self.last}: {error}"
                raise StopIteration from None
            try:
                text = raw if isinstance(raw, str) else raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", errors="replace")
                self.undecodable.add(number)
            self.last = number
            self.characters += len(text)
        self.taken.append((number, text))
        return text

    def put_back(self, lines):
        """Read these (number, text) lines again, in order."""
        self._back.extend(reversed(lines))

    def bad_text_in(self, lines):
        """Error text when one of these lines is not UTF-8, else None."""
        if not self.undecodable:  # the usual case: no line so far was bad
            return None
        numbers = sorted(self.undecodable.intersection(number for number, _ in lines))
        return f"line {numbers[0]} is not valid UTF-8 text" if numbers else None


def allow_large_cells():
    """Let this process's csv module read cells up to :data:`CSV_FIELD_LIMIT` (its default is 128 KiB)."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)


def _frame(rows, header=None):
    """A DataFrame of raw rows, values kept as the reader gave them (object columns).

    A row is a dict, or, from a CSV file, the list of its cells under ``header``. Object
    columns keep every value as it was read (no inferred string or number types); they are also
    several times cheaper to build and to hand to validation than inferred ones. A chunk of
    cell lists only (the usual CSV chunk) is built from the lists at once, which costs a third
    of building it from one dict per row; the table is the same. A CSV chunk has every column
    of its header, even when each of its rows is broken (only :data:`READ_ERROR`).
    """
    if header is None:
        return pd.DataFrame(rows, dtype=object)
    if all(type(row) is list for row in rows):
        return pd.DataFrame(rows, columns=header, dtype=object)
    rows = [dict(zip(header, row, strict=True)) if type(row) is list else row for row in rows]
    frame = pd.DataFrame(rows, dtype=object)
    missing = [name for name in dict.fromkeys(header) if name not in frame.columns]
    return frame.reindex(columns=[*frame.columns, *missing]) if missing else frame


def _chunked(rows, chunk_rows, lines, header=None):
    """DataFrames of ``chunk_rows`` rows, or fewer once they span ``CHUNK_CHARACTERS`` of ``lines``."""
    chunk, start = [], lines.characters
    for row in rows:
        chunk.append(row)
        if len(chunk) >= chunk_rows or lines.characters - start >= CHUNK_CHARACTERS:
            yield _frame(chunk, header)
            chunk, start = [], lines.characters
    if chunk:
        yield _frame(chunk, header)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _is_unicode(row):
    """False when a parsed JSON object holds a lone surrogate: no output file could be written with it."""
    try:
        json.dumps(row, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _jsonl_rows(lines):
    for text in lines:
        number, _ = lines.taken[-1]
        lines.taken.clear()
        if not text.strip():
            continue
        problem = lines.bad_text_in([(number, text)])
        if problem:
            yield {READ_ERROR: problem}
            continue
        try:
            row = json.loads(text)
            if not isinstance(row, dict):
                row = {READ_ERROR: f"line {number} must be a JSON object, got {type(row).__name__}"}
            elif _SURROGATE_ESCAPE.search(text) and not _is_unicode(row):
                row = {READ_ERROR: f"line {number} holds an escaped lone surrogate (\\ud800-\\udfff), not text"}
        except (ValueError, RecursionError) as error:
            row = {READ_ERROR: f"line {number} is not valid JSON ({getattr(error, 'msg', 'too deeply nested')})"}
        yield row


def _csv_table(lines):
    """``(header, rows)`` of a CSV stream: its header's cells (None for an empty stream) and its rows.

    A good row is the list of its cells (a dict when the header repeats a name: the last cell
    of that name wins); a broken row is a dict with only :data:`READ_ERROR`, in place.

    A row with the wrong number of cells, an unclosed quote, a cell over
    :data:`CSV_FIELD_LIMIT` or text that is not UTF-8 is reported by its first line. When a
    broken row spanned several lines (a stray quote swallows the lines after it), those lines
    are read again as rows of their own, so the good rows among them are not lost.
    """
    reader = csv.reader(lines, strict=False)
    header = next(reader, None)
    if header is None:
        return None, iter(())
    lines.taken.clear()
    return header, _csv_rows(lines, reader, header)


def _csv_dict_rows(lines):
    """The rows of :func:`_csv_table` as dicts (a good row maps header names to its cells)."""
    header, rows = _csv_table(lines)
    for row in rows:
        yield dict(zip(header, row, strict=True)) if type(row) is list else row


def _csv_rows(lines, reader, header, boundary=None):
    """The rows of a CSV stream after its header (see :func:`_csv_table`).

    ``boundary`` is the number of a blank line appended after a block of a longer file: the
    rows stop there, and when the record read last runs into it (a quoted cell still open),
    ``lines.unfinished`` is set to its first line, to be read again with the next block.
    """
    as_lists = len(set(header)) == len(header)
    while True:
        try:
            cells, problem = next(reader), None
        except StopIteration:
            break
        except csv.Error as error:
            cells, problem = None, f"is malformed CSV ({error})"
        taken, lines.taken = lines.taken, []
        if boundary is not None and taken and taken[-1][0] == boundary:
            if len(taken) > 1 or cells != []:
                lines.unfinished = taken[0][0]
            break
        if cells == [] and not problem:
            continue  # a blank line
        first = taken[0][0] if taken else lines.last
        if cells is not None and len(cells) != len(header):
            problem = f"has {len(cells)} cells but the header has {len(header)}"
        undecodable = lines.bad_text_in(taken)
        if not problem and undecodable:
            where = "" if undecodable.startswith(f"line {first} ") else f"line {first}: "
            yield {READ_ERROR: where + undecodable}
            continue
        if problem:
            yield {READ_ERROR: f"line {first} {problem}"}
            if len(taken) > 1:
                lines.put_back(taken[1:])
                reader = csv.reader(lines, strict=False)
            continue
        yield cells if as_lists else dict(zip(header, cells, strict=True))


def _binary_stream(path):
    if str(path) == "-":
        return contextlib.nullcontext(sys.stdin.buffer)
    if str(path).lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def iter_tables(path, input_format=None, chunk_rows=5000):
    """Read a shop file (or ``-`` for standard input) chunk by chunk, as DataFrames of raw values.

    Memory stays bounded by ``chunk_rows`` whatever the file size; a CSV / JSON-lines chunk also
    ends once it spans :data:`CHUNK_CHARACTERS` of text (shops with thousands of links make
    large rows). CSV cells are text. A row
    that cannot be read (broken JSON, a CSV row with the wrong number of cells or an unclosed
    quote, text that is not UTF-8) becomes a row with only :data:`READ_ERROR` set, so it is
    reported in place instead of stopping the run or vanishing.

    Parameters
    ----------
    path : str or path-like
        The file; ``-`` reads standard input.
    input_format : {"csv", "jsonl", "parquet"}, optional
        Default: from the file name (``csv`` for standard input).
    chunk_rows : int, default=5000
        Rows per chunk (at most).

    Yields
    ------
    pandas.DataFrame

    Raises
    ------
    TruncatedInputError
        After the last readable row, when the input broke off (truncated gzip, read error).
    """
    kind = "csv" if str(path) == "-" and not input_format else format_of(path, input_format)
    if kind == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows):
            yield batch.to_pandas()
        return
    with _binary_stream(path) as stream:
        lines = _Lines(stream)
        allow_large_cells()
        header, rows = _csv_table(lines) if kind == "csv" else (None, _jsonl_rows(lines))
        yield from _chunked(_with_failure_row(rows, lines), chunk_rows, lines, header)
    if lines.failure:
        raise TruncatedInputError(lines.failure)


def _with_failure_row(rows, lines):
    yield from rows
    if lines.failure:
        yield {READ_ERROR: lines.failure + "; the rest of the file could not be read"}


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
