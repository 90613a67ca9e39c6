"""Faults in long runs: broken input files, a full disk, a killed run; no good row is lost."""

import errno
import gzip
import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from fraudrisk import TruncatedInputError, score_batch
from fraudrisk.batch import _Writer, score_file
from fraudrisk.readers import iter_tables

GOOD = [f"https://shop-{i}.example.be" for i in range(8)]


def _scored(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_csv_with_mixed_faults_reports_every_bad_row_and_keeps_every_good_row(tmp_path, shipped):
    lines = [
        b"url,payment_methods,shop_id",
        f"{GOOD[0]},,a".encode(),
        f"{GOOD[1]},,b,extra cell".encode(),  # line 3: one cell too many
        f'{GOOD[2]},"[""paypal"",""credit_card""]",c'.encode(),  # quoted JSON: fine
        f'"{GOOD[3]},,d'.encode(),  # line 5: unclosed quote, swallows the lines after it
        f"{GOOD[4]},,e".encode(),
        b"https://caf\xe9.example.be,,f",  # line 7: Latin-1, not UTF-8
        b"",  # blank line: not a row
        f'{GOOD[5]},,"multi\nline id"'.encode(),  # a quoted cell over two lines: one good row
        f"{GOOD[6]},not json,g".encode(),  # line 11: schema error, scored as an error row
        f"{GOOD[7]},,h".encode(),
    ]
    source = tmp_path / "mixed.csv"
    source.write_bytes(b"\n".join(lines) + b"\n")
    target = tmp_path / "out.csv"
    summary = score_file(source, target, model=shipped)
    out = _scored(target)
    assert summary["rows"] == len(out) == 9
    errors = dict(zip(out["shop_id"], out["error"], strict=True))
    bad = out[out["error"] != ""]
    assert len(bad) == summary["errors"] == 4
    assert bad["error"].str.contains("line 3 has 4 cells but the header has 3").any()
    assert bad["error"].str.contains("line 5 is malformed CSV|line 5 has", regex=True).any()
    assert bad["error"].str.contains("line 7 is not valid UTF-8").any()
    assert errors["g"].startswith("shop record 7: field 'payment_methods'")
    good = out[out["error"] == ""]
    assert list(good["url"]) == [GOOD[0], GOOD[2], GOOD[4], GOOD[5], GOOD[7]]
    assert list(good["shop_id"]) == ["a", "c", "e", "multi\nline id", "h"]
    alone = [score_batch([{"url": url}], model=shipped)["probability"][0] for url in good["url"]]
    alone[1] = score_batch([{"url": GOOD[2], "payment_methods": ["paypal", "credit_card"]}], model=shipped)[
        "probability"
    ][0]
    assert good["probability"].astype(float).tolist() == pytest.approx(alone, abs=1e-12)


def test_truncated_gzip_scores_the_rows_before_the_break_and_says_so(tmp_path, shipped):
    rows = "".join(json.dumps({"url": f"https://shop-{i}.example.be"}) + "\n" for i in range(3000))
    whole = gzip.compress(rows.encode(), mtime=0)
    source = tmp_path / "cut.jsonl.gz"
    source.write_bytes(whole[: len(whole) * 2 // 3])
    target = tmp_path / "out.csv"
    with pytest.raises(TruncatedInputError, match="the input ends early after line"):
        score_file(source, target, model=shipped)
    out = _scored(target)
    assert 0 < len(out) < 3000
    assert f"shop record {len(out) - 1}: the input ends early after line" in out["error"].iloc[-1]
    assert (out["error"].iloc[:-1] == "").all()
    assert list(out["url"].iloc[:-1]) == [f"https://shop-{i}.example.be" for i in range(len(out) - 1)]
    run = subprocess.run(
        [sys.executable, "-m", "fraudrisk.cli", "score", str(source), "-o", str(tmp_path / "cli.csv"), "--quiet"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "the input ends early" in run.stderr and "its last row says where it broke" in run.stderr
    assert "Traceback" not in run.stderr


def test_reader_keeps_going_after_undecodable_jsonl_line(tmp_path):
    source = tmp_path / "shops.jsonl"
    source.write_bytes(
        b'{"url": "https://a.example.be"}\n{"url": "https://caf\xe9.be"}\n{"url": "https://b.example.be"}\n'
    )
    table = pd.concat(list(iter_tables(source)), ignore_index=True)
    assert len(table) == 3
    assert table["_fraudrisk_read_error"].iloc[1] == "line 2 is not valid UTF-8 text"
    assert table["url"].iloc[2] == "https://b.example.be"


def test_full_disk_leaves_no_output_and_a_clear_error(tmp_path, monkeypatch):
    source = tmp_path / "in.csv"
    source.write_text("url\n" + "".join(f"https://shop-{i}.example.be\n" for i in range(50)))
    target = tmp_path / "out.csv"
    written = []
    original = _Writer.write

    def write_until_full(self, frame, first_row=0):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(len(frame))
        original(self, frame, first_row)

    monkeypatch.setattr(_Writer, "write", write_until_full)
    with pytest.raises(OSError, match="No space left on device"):
        score_file(source, target, chunk_rows=20)
    assert written == [20]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv"]  # no target, no temporary file


def test_killed_run_leaves_no_output_and_a_rerun_gives_the_clean_result(tmp_path):
    from fraudrisk.datasets import make_shops

    X, _ = make_shops(30000, seed=4)
    X[["url", "country"]].to_csv(tmp_path / "in.csv", index=False)
    command = [sys.executable, "-m", "fraudrisk.cli", "score", str(tmp_path / "in.csv"), "-o"]
    child = subprocess.Popen([*command, str(tmp_path / "out.csv"), "--quiet"])
    deadline = time.monotonic() + 120
    while not any(path.suffix == ".part" for path in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert child.poll() is None, "the run finished before it could be killed; use a bigger file"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert not (tmp_path / "out.csv").exists()
    subprocess.run([*command, str(tmp_path / "out.csv"), "--quiet"], check=True)
    subprocess.run([*command, str(tmp_path / "again.csv"), "--quiet"], check=True)
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "again.csv").read_bytes()
    assert len(_scored(tmp_path / "out.csv")) == 30000


def test_workers_give_the_same_output_in_order(tmp_path, shipped):
    from fraudrisk import SchemaError

    # A CSV file goes to the workers in blocks of 40 lines (fraudrisk._csv_blocks): a cell over two
    # lines crosses the first block's end, and a blank line makes later row numbers guessed wrong.
    ids = [str(i) if i != 39 else "two\nlines" for i in range(230)]
    lines = ["url,country,shop_id"]
    for i, shop_id in enumerate(ids):
        cell = f'"{shop_id}"' if "\n" in shop_id else shop_id
        lines.append(f"https://shop-{i}.example.be,{'BE' if i % 7 or i == 0 else 'Belgium!'},{cell}")
        if i == 60:
            lines.append("")
    source = tmp_path / "in.csv"
    source.write_text("\n".join(lines) + "\n")
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    first = score_file(source, one, model=shipped, chunk_rows=40)
    second = score_file(source, two, model=shipped, chunk_rows=40, workers=2)
    assert one.read_bytes() == two.read_bytes()
    assert first["rows"] == second["rows"] == 230 and first["errors"] == second["errors"] > 0
    assert _scored(two)["shop_id"].tolist() == ids
    assert "shop record 224: field 'country'" in _scored(two)["error"].tolist()[224]
    with pytest.raises(SchemaError, match="shop record 7: field 'country'"):
        score_file(source, tmp_path / "strict.csv", model=shipped, chunk_rows=3, workers=2, strict=True)
    assert not (tmp_path / "strict.csv").exists()


def test_workers_keep_the_rows_before_a_truncated_gzip(tmp_path):
    rows = "".join(json.dumps({"url": f"https://shop-{i}.example.be"}) + "\n" for i in range(3000))
    whole = gzip.compress(rows.encode(), mtime=0)
    source = tmp_path / "cut.jsonl.gz"
    source.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(TruncatedInputError):
        score_file(source, tmp_path / "one.csv", chunk_rows=300)
    with pytest.raises(TruncatedInputError):
        score_file(source, tmp_path / "two.csv", chunk_rows=300, workers=2)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()


def _with_columns(frame, header):
    """``frame`` with every name of ``header`` as a column (empty where no row had it)."""
    return frame.reindex(columns=[*frame.columns, *(name for name in dict.fromkeys(header) if name not in frame)])


def test_csv_chunks_built_from_cell_lists_equal_chunks_built_from_dicts(tmp_path):
    # A CSV chunk of good rows is built from its cell lists at once; it must be the table that
    # one dict per row gives, with broken rows, repeated or reserved header names and blank lines.
    # A chunk of broken rows only still has the header's columns.
    import random

    from fraudrisk.readers import READ_ERROR, _csv_dict_rows, _Lines, iter_tables

    rng = random.Random(17)
    cells = ["a", "", "1.5", '"q,uote"', '"two\nlines"', '"', "é", "x" * 3, '""']
    names = ["url", "country", "id", "note", READ_ERROR]
    tables = from_lists = 0
    for case in range(300):
        header = rng.sample(names, rng.randint(1, 3)) if case % 10 else ["url", "url", "id"]
        lines = [",".join(header)]
        for _ in range(rng.randint(0, 25)):
            width = len(header) if rng.random() < 0.85 else rng.randint(1, 5)
            lines.append(",".join(rng.choice(cells) for _ in range(width)) if rng.random() < 0.95 else "")
        raw = "\n".join(lines).encode()
        if rng.random() < 0.1:
            raw += b"\n\xff,\xfe\n"
        path = tmp_path / f"{case}.csv"
        path.write_bytes(raw)
        chunks = list(iter_tables(path, chunk_rows=7))
        with open(path, "rb") as stream:
            rows = list(_csv_dict_rows(_Lines(stream)))
        expected = [
            _with_columns(pd.DataFrame(rows[start : start + 7], dtype=object), header)
            for start in range(0, len(rows), 7)
        ]
        assert len(chunks) == len(expected), raw
        for chunk, reference in zip(chunks, expected, strict=True):
            pd.testing.assert_frame_equal(chunk, reference, check_column_type=True)
            tables += 1
            from_lists += READ_ERROR not in chunk.columns
    assert tables > 300 and from_lists > 100  # both kinds of chunk were compared
