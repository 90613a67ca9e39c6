"""A scored file's rows: their columns (the scores, and input columns copied beside them) and counts."""


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
