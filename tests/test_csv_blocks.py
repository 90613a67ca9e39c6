"""CSV to CSV in blocks of lines read by the workers: the same bytes as reading in one process."""

import io
import random

import pytest

from fraudrisk import FraudRiskError, SchemaError, parallel
from fraudrisk._csv_blocks import BlockTask, raw_blocks, score_block
from fraudrisk.batch import score_file


class _InProcessPool:
    """A stand-in for the worker pool that runs each block here and remembers the tasks."""

    def __init__(self):
        self.tasks = []

    def submit(self, function, task):
        assert function is score_block
        self.tasks.append(task)
        outcome = function(task)

        class Done:
            asked = False

            def done(self):  # not yet when first asked: the reading process scores the next block itself
                Done.asked, asked = True, Done.asked
                return asked

            def result(self):
                return outcome

        return Done()

    def shutdown(self, **_):
        pass


def _hostile_csv(rng):
    """A CSV file with the faults files have: cells over several lines, stray quotes, blank lines,
    rows of the wrong width, text that is not UTF-8, schema errors, a repeated header name."""
    header = rng.choice([["url", "country", "id"], ["id", "url"], ["url", "url", "id"], ["url", "tranco_rank"]])
    cells = {
        "url": [f"https://shop-{rng.randint(0, 50)}.example.be", "not a url", "", '"https://a.example.be"'],
        "country": ["BE", "", "Belgium!", '"B\nE"'],
        "tranco_rank": ["5", "", "-3", "x"],
        "id": ["a", "", '"two\nlines"', '"three\n\nlines"', '"q,uote"', '"', '""', "é"],
    }
    lines = [",".join(header)]
    for _ in range(rng.randint(0, 40)):
        roll = rng.random()
        if roll < 0.05:
            lines.append("")
        elif roll < 0.1:
            lines.append(",".join(rng.choice(cells["id"]) for _ in range(rng.randint(1, 4))))
        else:
            lines.append(",".join(rng.choice(cells[name]) for name in header))
    raw = "\n".join(lines).encode()
    if rng.random() < 0.15:
        raw = raw.replace(b"\xc3\xa9", b"\xe9", 1)  # one line in Latin-1
    return raw + (b"\n" if rng.random() < 0.7 else b"")


def test_blocks_give_the_same_bytes_and_counts_as_one_process(tmp_path, monkeypatch, shipped):
    # Blocks of 1-6 lines cut cells that span lines, stray quotes and their lines apart, and put
    # blank lines before error rows: every file must still come out as one process writes it.
    pool = _InProcessPool()
    monkeypatch.setattr(parallel, "scoring_pool", lambda workers, model=None: pool)
    monkeypatch.setattr(parallel, "_worker_model", shipped)
    rng = random.Random(5)
    carried = renumbered = in_blocks = 0
    for case in range(250):
        source = tmp_path / f"{case}.csv"
        source.write_bytes(_hostile_csv(rng))
        chunk_rows, strict = rng.randint(1, 6), rng.random() < 0.2
        outcomes = []
        for workers in (1, 2):
            target = tmp_path / f"{case}-{workers}.csv"
            before = len(pool.tasks)
            try:
                how = {"chunk_rows": chunk_rows, "workers": workers, "strict": strict}
                summary = score_file(source, target, model=shipped, **how)
                summary.pop("seconds")
                outcomes.append((summary, target.read_bytes()))
            except SchemaError as error:
                outcomes.append((str(error), target.exists()))
            assert workers == 2 or len(pool.tasks) == before  # one worker: the chunk path
        assert outcomes[0] == outcomes[1], source.read_bytes()
        in_blocks += bool(pool.tasks)
        lines_seen = {}
        for task in pool.tasks:
            if task.first_line in lines_seen and lines_seen[task.first_line] != (task.start, task.end):
                carried += 1
            elif task.first_line in lines_seen:
                renumbered += 1
            lines_seen[task.first_line] = (task.start, task.end)
        pool.tasks.clear()
    # files of several blocks were read in blocks, and both kinds of second reading were checked
    assert in_blocks > 150 and carried > 20 and renumbered > 20


def test_raw_blocks_cut_at_line_breaks_and_lose_no_byte(monkeypatch):
    rng = random.Random(3)
    for _ in range(300):
        monkeypatch.setattr("fraudrisk._csv_blocks.READ_SIZE", rng.randint(1, 50))
        data = b"".join(rng.choice([b"a", b"\n", b"bc", b"\r\n"]) for _ in range(rng.randint(0, 200)))
        lines_per_block, bytes_per_block = rng.randint(1, 10), rng.randint(1, 100)
        stream = io.BytesIO(data)
        skipped = stream.read(rng.randint(0, 5))  # blocks start where the stream is (after its header)
        blocks = list(raw_blocks(stream, lines_per_block, bytes_per_block))
        starts, ends = [start for start, _, _ in blocks], [end for _, end, _ in blocks]
        assert starts == ([len(skipped)] + ends[:-1] if blocks else [])
        assert ends[-1:] == ([len(data)] if len(data) > len(skipped) else [])
        for position, (start, end, lines) in enumerate(blocks):
            block = data[start:end]
            assert block and lines == block.count(b"\n") + (not block.endswith(b"\n"))
            if position < len(blocks) - 1:
                assert block.endswith(b"\n") and lines <= lines_per_block
                # a block is cut as soon as it may be: at its lines, or at the last break within its bytes
                if lines < lines_per_block:
                    assert end - start >= bytes_per_block or b"\n" not in data[end : start + bytes_per_block]


def test_a_file_that_changes_while_it_is_scored_is_an_error(tmp_path, shipped):
    source = tmp_path / "shops.csv"
    source.write_bytes(b"url\nhttps://a.example.be\n")
    task = BlockTask(str(source), 4, 40, 2, 0, True, ["url"], "all", "report", {})
    with pytest.raises(FraudRiskError, match="changed while it was scored"):
        score_block(task, shipped)


def test_scored_rows_are_written_as_pandas_writes_them():
    import math

    import pandas as pd

    from fraudrisk._output_columns import csv_rows_text

    rng = random.Random(1)
    texts = ["a", "", " ", "a,b", 'q"uote', "line\nbreak", "cr\rx", "é", "\x00", "1.5", "nan", None, math.nan]
    floats = [0.0, -0.0, 0.1, 1e-5, 1e16, 1.7976931348623157e308, 5e-324, math.inf, -math.inf, math.nan, 1 / 3]
    for _ in range(3000):
        rows, data = rng.randint(0, 8), {}
        for column in range(rng.randint(0, 4)):
            roll = rng.random()
            if roll < 0.4:
                data[f"c{column}"] = pd.Series([rng.choice(floats) for _ in range(rows)], dtype="float64")
            elif roll < 0.8:
                values = [rng.choice(texts) for _ in range(rows)]
                data[f"c{column}"] = pd.Series(values, dtype=rng.choice(["str", object]))
            else:  # other kinds of cells: pandas writes the table
                values = [rng.choice([*texts, *floats, 1, True]) for _ in range(rows)]
                data[f"c{column}"] = pd.Series(values, dtype=object)
        frame = pd.DataFrame(data)
        assert csv_rows_text(frame) == frame.to_csv(index=False, header=False), frame


def test_a_named_pipe_is_read_here_not_by_the_workers(tmp_path, shipped):
    # workers read their blocks from the file by byte offsets: a pipe can be read only once, here
    import os
    import threading

    pipe = tmp_path / "shops.csv"
    os.mkfifo(pipe)
    data = b"url\n" + b"".join(f"https://shop-{i}.example.be\n".encode() for i in range(30))
    writer = threading.Thread(target=pipe.write_bytes, args=(data,))
    writer.start()
    summary = score_file(pipe, tmp_path / "scored.csv", model=shipped, chunk_rows=10, workers=2)
    writer.join()
    assert summary["rows"] == 30 and summary["errors"] == 0
