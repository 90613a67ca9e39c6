"""A scored file's rows: their columns (the scores, and input columns copied beside them) and counts."""

import csv
import io
import os

_TEXT_OR_MISSING = frozenset({str, float, type(None)})


def with_input_columns(extra, result):
    """Input columns first, then the scores; an input column named like a score gets ``input_``."""
    if not len(extra.columns):
        return result
    renamed = {column: f"input_{column}" for column in extra.columns if column in result.columns}
    return extra.reset_index(drop=True).rename(columns=renamed).join(result)


def kept_columns(chunk, extra, keep):
    """The input columns to copy to the output: all non-schema ones, none, or one id column."""
    if keep == "all":
        return extra
    if keep == "none":
        return extra.iloc[:, :0]
    if keep not in chunk.columns:
        raise ValueError(f"--keep column {keep!r} is not in the input (columns: {', '.join(chunk.columns)})")
    return chunk[[keep]]


def no_counts():
    """The :func:`counts_of` no rows, to add counts to."""
    return {"rows": 0, "errors": 0, "bands": {}}


def counts_of(result):
    """``rows``, ``errors`` (rows with an error text) and ``bands`` (rows per band) of a scored table."""
    return {
        "rows": len(result),
        "errors": int((result["error"] != "").sum()) if "error" in result else 0,
        "bands": {band: int(count) for band, count in result["band"].value_counts().items()},
    }


def add_counts(totals, counts):
    """Add the :func:`counts_of` a table to ``totals`` (the same keys)."""
    totals["rows"] += counts["rows"]
    totals["errors"] += counts["errors"]
    for band, count in counts["bands"].items():
        totals["bands"][band] = totals["bands"].get(band, 0) + count


def csv_rows_text(frame):
    """``frame.to_csv(index=False, header=False)``, from its columns as lists.

    pandas writes a CSV file with the csv module, after formatting every cell in its own
    Python code; here columns of text, floats and missing cells are handed to the same writer
    as they are (a float is written as its ``repr``, as pandas writes it; NaN and None as empty
    text). A column holding anything else: pandas writes the table.
    """
    if not frame.shape[1]:
        return frame.to_csv(index=False, header=False)
    columns = []
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position].tolist()
        kinds = set(map(type, values))
        if not kinds <= _TEXT_OR_MISSING:
            return frame.to_csv(index=False, header=False)
        if float in kinds or type(None) in kinds:  # NaN and None: missing, written empty
            values = [value if value == value and value is not None else "" for value in values]
        columns.append(values)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=os.linesep).writerows(zip(*columns, strict=True))
    return buffer.getvalue()
