"""CSV to CSV in worker processes that read and write the text themselves.

With several workers, the reading process only finds where blocks of whole lines start and end
in the file, and writes back the CSV text the workers return. Each worker reads its block from
the file itself; parsing cells, building chunk tables, scoring and formatting the output all
happen in the workers, and only byte offsets and the scored text travel between processes
(pickling a table costs as much as a tenth of scoring it, and sending the file's bytes through
a pipe cost the reading process more than finding its line breaks).

A block is parsed as if a record starts on its first line. Two things that the reading
process cannot know without parsing are checked when a block's result comes back, in order,
and the block is scored again when they were wrong:

- a quoted cell that runs past the end of a block (a line break inside a cell, or a stray
  quote) is read again with the next block, from its first line;
- row numbers in error texts count records, not lines: a block is numbered as if every line
  before it was one record, and a block with errors is scored again under its true number
  when that guess was off (blank lines or cells with line breaks before it).

So the output is the same, to the byte, as reading the file in one process. Until the first
worker is ready (its libraries take seconds to import), the reading process scores the next
blocks itself.
"""

import csv
import io
import itertools
from collections import deque
from typing import NamedTuple

from fraudrisk._output_columns import (
    add_counts,
    counts_of,
    csv_rows_text,
    kept_columns,
    no_counts,
    with_input_columns,
)
from fraudrisk.exceptions import FraudRiskError, SchemaError
from fraudrisk.readers import _csv_rows, _csv_table, _frame, _Lines, allow_large_cells, split_columns

BLOCK_BYTES = 4_000_000
"""A block ends once its lines span this many bytes (or at ``chunk_rows`` lines). Shops with
hundreds of links and prices make a block's parsed records several times its text, and each
worker (and the reading process, while the workers start) holds one or two blocks: at 8 MB,
two workers scoring such shops peaked at ~1,000 MiB, at 4 MB ~890 MiB (3 % slower)."""

READ_SIZE = 1 << 20
"""Bytes read from the file at a time, to find line breaks."""


class BlockTask(NamedTuple):
    """A block of whole lines of a CSV file (bytes ``start`` to ``end`` of ``path``) and how to score it."""

    path: str
    start: int
    end: int
    first_line: int
    first_index: int
    final: bool
    header: list
    keep: str
    errors: str
    settings: dict


class BlockResult(NamedTuple):
    """The scored CSV text of a block, its counts, and what it left for the next block."""

    text: str
    header: str
    counts: dict
    failure: SchemaError | None = None
    tail: tuple | None = None


def raw_blocks(stream, lines_per_block, bytes_per_block):
    """``(start, end, lines)`` byte ranges of ``stream``, from where it is now to its end.

    A block holds ``lines_per_block`` lines, or fewer once they span ``bytes_per_block`` bytes;
    each ends at a line break, but maybe the last. The stream is read into one buffer, and
    only its line breaks are looked at.
    """
    buffer = bytearray(READ_SIZE)
    start = position = stream.tell()
    lines, after_break, ends_with_break = 0, None, True  # breaks in [start, position), the last one's end
    while size := stream.readinto(buffer):
        at = 0  # buffer[:at] is in blocks already given
        count = buffer.count(b"\n", 0, size)
        while lines + count >= lines_per_block:
            cut = _offset_after_breaks(buffer, lines_per_block - lines, at)
            count -= lines_per_block - lines
            yield start, position + cut, lines_per_block
            start, lines, at = position + cut, 0, cut
        if count:
            lines += count
            after_break = position + buffer.rfind(b"\n", at, size) + 1
        position += size
        ends_with_break = buffer[size - 1] == ord("\n")
        if lines and position - start >= bytes_per_block:
            yield start, after_break, lines
            start, lines = after_break, 0
    if position > start:
        yield start, position, lines + (not ends_with_break)


def _offset_after_breaks(data, breaks, offset=0):
    """Offset just after the ``breaks``-th line break of ``data`` from ``offset`` (0 breaks: ``offset``)."""
    for _ in range(breaks):
        offset = data.index(b"\n", offset) + 1
    return offset


def _read_block(task):
    """The bytes of ``task``'s block, read from its file."""
    with open(task.path, "rb") as stream:
        stream.seek(task.start)
        block = stream.read(task.end - task.start)
    if len(block) != task.end - task.start:
        raise FraudRiskError(f"{task.path} changed while it was scored: it ends before byte {task.end}")
    return block


def score_block(task, model=None):
    """Parse, score and format one block (in a worker process: its model, see :mod:`fraudrisk.parallel`)."""
    from fraudrisk import parallel
    from fraudrisk.scoring import score_batch

    allow_large_cells()
    block = _read_block(task)
    lines = _Lines(io.BytesIO(block if task.final else block + b"\n"), task.first_line)
    boundary = None if task.final else task.first_line + block.count(b"\n")
    rows = list(_csv_rows(lines, csv.reader(lines, strict=False), task.header, boundary))
    tail = None
    if lines.unfinished is not None:  # the line and byte where the unfinished record starts
        tail = (lines.unfinished, task.start + _offset_after_breaks(block, lines.unfinished - task.first_line))
    if not rows:
        return BlockResult("", "", no_counts(), tail=tail)
    chunk = _frame(rows, task.header)
    fields, extra = split_columns(chunk)
    kept = kept_columns(chunk, extra, task.keep)
    try:
        result = score_batch(
            fields,
            model=model if model is not None else parallel.worker_model(),
            first_index=task.first_index,
            errors=task.errors,
            **task.settings,
        )
    except SchemaError as error:
        return BlockResult("", "", no_counts(), failure=error, tail=tail)
    result = with_input_columns(kept, result)
    text, header = csv_rows_text(result), result.iloc[:0].to_csv(index=False)
    return BlockResult(text, header, counts_of(result), tail=tail)


def _tasks(stream, first_line, lines_per_block, bytes_per_block):
    """``(start, end, first line, lines, final)`` for every block of ``stream``."""
    previous = None
    for start, end, lines in raw_blocks(stream, lines_per_block, bytes_per_block):
        if previous is not None:
            yield (*previous, False)
            first_line += previous[3]
        previous = (start, end, first_line, lines)
    if previous is not None:
        yield (*previous, True)


def score_csv_blocks(source, writer, *, workers, model, chunk_rows, bytes_per_block, keep, errors, settings, progress):
    """Score a CSV file into ``writer`` (a CSV writer with ``write_text``) in blocks of lines.

    Returns
    -------
    dict or None
        ``rows``, ``errors`` and ``bands``; None when the file has no header (nothing written).
    """
    from fraudrisk.parallel import scoring_pool

    allow_large_cells()
    with open(source, "rb") as stream:
        lines = _Lines(stream)
        header, _ = _csv_table(lines)  # its rows are read by the workers, block by block
        if header is None:
            return None
        blocks = _tasks(stream, lines.last + 1, chunk_rows, bytes_per_block)
        first = next(blocks, None)
        pool = scoring_pool(workers, model) if first is not None and not first[-1] else None
        try:
            blocks = itertools.chain([first] if first is not None else [], blocks)
            how = (header, keep, errors, settings)
            return _score_in_order(blocks, pool, writer, model, workers, str(source), how, progress)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def _score_in_order(blocks, pool, writer, model, workers, path, how, progress):
    totals = no_counts()
    guessed_lines = 0

    def here(task):
        return _Done(score_block(task, model))

    def submit(task):
        return here(task) if pool is None else pool.submit(score_block, task)

    def dispatch(item, run):
        nonlocal guessed_lines
        start, end, first_line, count, final = item
        task = BlockTask(path, start, end, first_line, totals["rows"] + guessed_lines, final, *how)
        pending.append((task, count, run(task)))
        guessed_lines += count

    pending, carry, starting = deque(), None, pool is not None
    while True:
        while len(pending) <= workers and (item := next(blocks, None)) is not None:
            dispatch(item, submit)
        # Until the first worker is ready (importing its libraries takes seconds), score blocks here.
        while starting and not pending[0][2].done() and (item := next(blocks, None)) is not None:
            dispatch(item, here)
        starting = False
        if not pending:
            return totals
        task, count, future = pending.popleft()
        result = future.result()
        guessed_lines -= count
        if carry is not None:
            task = task._replace(start=carry[1], first_line=carry[0], first_index=totals["rows"])
            result = submit(task).result()
        elif task.first_index != totals["rows"] and (result.counts["errors"] or result.failure):
            result = submit(task._replace(first_index=totals["rows"])).result()
        if result.failure is not None:
            raise result.failure
        carry = result.tail
        if result.counts["rows"]:
            writer.write_text(result.header, result.text)
            add_counts(totals, result.counts)
            if progress:
                progress(totals["rows"])


class _Done:
    """A finished call, shaped like a future."""

    def __init__(self, value):
        self._value = value

    def done(self):
        return True

    def result(self):
        return self._value
