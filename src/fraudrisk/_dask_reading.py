"""Reading a shop file on Dask workers, block by block, row for row as ``readers.iter_tables`` reads it.

CSV and JSON-lines files are cut into blocks of whole lines (``dask.bytes.read_bytes``) and
each block is parsed by the readers of :mod:`fraudrisk.readers`, so a broken row becomes the
same :data:`~fraudrisk.readers.READ_ERROR` row as in-process. A first pass counts the lines
and rows of every block, so line and row numbers in messages count from the start of the
file. A CSV cell holding a line break cannot cross a block boundary (as with
``dask.dataframe.read_csv``). Parquet files are read in slices of row groups; their row
counts come from the file's metadata.
"""

import io
import itertools

import pandas as pd

from fraudrisk import readers


def _block_rows(block, kind, header, first_line):
    """The rows (dicts) of one block of lines; a CSV block after the first gets the header line first."""
    stream = io.BytesIO(block)
    if kind == "csv" and first_line > 1:
        stream, first_line = itertools.chain([header], stream), first_line - 1
    lines = readers._Lines(stream, first_line)
    if kind == "csv":
        readers.allow_large_cells()
    return readers._csv_dict_rows(lines) if kind == "csv" else readers._jsonl_rows(lines)


def _scan(block, kind, header, first_line):
    """Lines, rows and columns (in order of appearance) of one block."""
    rows, columns = 0, {}
    for row in _block_rows(block, kind, header, first_line):
        rows += 1
        columns.update(dict.fromkeys(row))
    lines = block.count(b"\n") + (1 if block and not block.endswith(b"\n") else 0)
    return lines, rows, list(columns)


def _table(block, kind, header, first_line, columns):
    return pd.DataFrame.from_records(list(_block_rows(block, kind, header, first_line)), columns=columns)


def _parquet_piece(source, group, start, rows):
    import fsspec
    import pyarrow.parquet as pq

    with fsspec.open(source, "rb") as handle:
        return pq.ParquetFile(handle).read_row_group(group).slice(start, rows).to_pandas()


def _parquet_pieces(source, blocksize):
    """Tasks reading slices of row groups of about ``blocksize`` bytes, their rows, and the meta."""
    import dask
    import fsspec
    import pyarrow.parquet as pq
    from dask.utils import parse_bytes

    with fsspec.open(source, "rb") as handle:
        file = pq.ParquetFile(handle)
        meta = file.schema_arrow.empty_table().to_pandas()
        groups = [file.metadata.row_group(i) for i in range(file.metadata.num_row_groups)]
    parts, lengths = [], []
    for number, group in enumerate(groups):
        step = max(1, int(parse_bytes(blocksize) * group.num_rows / max(group.total_byte_size, 1)))
        for start in range(0, group.num_rows, step):
            parts.append(dask.delayed(_parquet_piece)(source, number, start, step))
            lengths.append(min(step, group.num_rows - start))
    return parts, lengths, meta


def read_blocks(source, kind, blocksize, compute):
    """A dask DataFrame of the raw values of a shop file, and its rows per partition.

    Parameters
    ----------
    source : str or path-like
        One file, a path or a URL that Dask can open (``s3://...``).
    kind : {"csv", "jsonl", "parquet"}
        Format of the file.
    blocksize : str or int
        Bytes per block (a gzip-compressed file is one block).
    compute : callable
        Computes a dask collection (on the client's cluster).

    Returns
    -------
    frame : dask.dataframe.DataFrame
    lengths : list of int
        Rows per partition.
    """
    import dask
    from dask.bytes import read_bytes

    with dask.config.set({"dataframe.convert-string": False}):
        if kind == "parquet":
            parts, lengths, meta = _parquet_pieces(source, blocksize)
            return _frame(parts, lengths, meta)
        compressed = str(source).lower().endswith(".gz")
        sample, files = read_bytes(
            source,
            delimiter=b"\n",
            blocksize=None if compressed else blocksize,
            sample="64 kiB" if kind == "csv" else False,
            compression="gzip" if compressed else None,
        )
        if len(files) != 1:
            raise ValueError(f"{source} names {len(files)} files; score one file at a time")
        header = sample.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace") + "\n" if sample else None
        blocks = files[0]
        first_lines, scans = [], []
        scanning = [dask.delayed(_scan)(block, kind, header, 1 if i == 0 else 2) for i, block in enumerate(blocks)]
        for scanned in compute(scanning):
            first_lines.append(1 + sum(lines for lines, _, _ in scans))
            scans.append(scanned)
        columns = list(dict.fromkeys(column for _, _, found in scans for column in found)) or ["url"]
        parts = [
            dask.delayed(_table)(block, kind, header, first, columns)
            for block, first in zip(blocks, first_lines, strict=True)
        ]
        meta = pd.DataFrame({column: pd.Series([], dtype=object) for column in columns})
        return _frame(parts, [rows for _, rows, _ in scans], meta)


def _frame(parts, lengths, meta):
    """The partitions as a dask DataFrame (one empty partition for an empty file)."""
    import dask
    import dask.dataframe as dd

    if not parts:
        parts, lengths = [dask.delayed(meta)], [0]
    return dd.from_delayed(parts, meta=meta, verify_meta=False), lengths
