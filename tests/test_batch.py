"""Streaming file scoring: every input row gives one output row, in order, whatever breaks."""

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from fraudrisk import SchemaError, score_batch
from fraudrisk.batch import count_rows, score_file


def _shops(n, bad_every=100):
    rows = []
    for i in range(n):
        row = {
            "shop_id": f"s{i}",
            "url": f"https://shop{i}.example.be",
            "observed_at": "2026-11-20",
            "domain_registered_at": "2010-01-01" if i % 2 else "2026-11-01",
        }
        if i % bad_every == 7:
            row["tranco_rank"] = -1  # impossible value
        rows.append(row)
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".jsonl.gz", ".parquet"])
def test_one_output_row_per_input_row_in_order(tmp_path, suffix, shipped):
    rows = _shops(1000)
    source = tmp_path / f"in{suffix}"
    frame = pd.DataFrame(rows)
    if suffix == ".csv":
        frame.to_csv(source, index=False)
    elif suffix == ".parquet":
        pytest.importorskip("pyarrow")
        frame.astype(str).replace("nan", None).to_parquet(source, index=False)
    else:
        opener = gzip.open if suffix.endswith(".gz") else open
        with opener(source, "wt") as handle:
            handle.writelines(json.dumps(row) + "\n" for row in rows)
    target = tmp_path / f"out{suffix}"
    summary = score_file(source, target, chunk_rows=64, keep="shop_id")
    out = (
        pd.read_parquet(target)
        if suffix == ".parquet"
        else (pd.read_csv(target) if suffix == ".csv" else pd.read_json(target, lines=True))
    )
    assert summary["rows"] == len(out) == 1000 and summary["errors"] == 10
    assert list(out["shop_id"]) == [row["shop_id"] for row in rows]
    bad = out["error"].fillna("") != ""
    assert bad.tolist() == [i % 100 == 7 for i in range(1000)]
    assert out.loc[bad, "error"].str.contains(r"shop record \d+: field 'tranco_rank'").all()
    assert "shop record 107:" in out.loc[107, "error"]  # global index, not the chunk's
    expected_good = [{k: v for k, v in r.items() if k != "shop_id"} for r in rows if "tranco_rank" not in r]
    assert np.allclose(out.loc[~bad, "probability"], score_batch(expected_good)["probability"], atol=1e-12)


def test_malformed_json_lines_are_reported_in_place(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"url": "https://a.example.be"}\n{"url": \n[1, 2]\n{"url": "https://b.example.be"}\n')
    target = tmp_path / "out.csv"
    summary = score_file(source, target)
    out = pd.read_csv(target)
    assert summary["rows"] == 4 and summary["errors"] == 2
    assert "line 2 is not valid JSON" in out["error"][1] and "line 3 must be a JSON object" in out["error"][2]
    assert out["probability"].notna().tolist() == [True, False, False, True]


def test_strict_stops_and_leaves_no_output(tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame(_shops(300)).to_csv(source, index=False)
    target = tmp_path / "out.csv"
    with pytest.raises(SchemaError, match="shop record 7: field 'tranco_rank'"):
        score_file(source, target, strict=True, chunk_rows=50)
    assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_interrupted_run_leaves_no_complete_looking_file(tmp_path, monkeypatch):
    source = tmp_path / "in.csv"
    pd.DataFrame(_shops(300)).to_csv(source, index=False)
    target = tmp_path / "out.csv"
    calls = []

    def interrupt(done):
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        score_file(source, target, chunk_rows=100, progress=interrupt)
    assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_keep_options_and_count_rows(tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame(_shops(20)).to_csv(source, index=False)
    assert count_rows(source) == 20
    score_file(source, tmp_path / "none.csv", keep="none")
    assert "shop_id" not in pd.read_csv(tmp_path / "none.csv").columns
    with pytest.raises(ValueError, match="--keep column 'nope' is not in the input"):
        score_file(source, tmp_path / "x.csv", keep="nope")


def test_make_shops_is_reproducible_and_valid():
    from fraudrisk.datasets import make_shops
    from fraudrisk.schema import validate_records

    X, y = make_shops(300, seed=4, fraud_rate=0.2, links_heavy=True)
    X2, y2 = make_shops(300, seed=4, fraud_rate=0.2, links_heavy=True)
    assert X.equals(X2) and (y == y2).all()
    assert len(validate_records(X)) == 300 and 0.1 < y.mean() < 0.3
    assert X["domain_registered_at"].isna().mean() > 0.05  # some fields missing, as in real data


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_chunks_of_large_rows_end_by_size_and_lose_nothing(tmp_path, monkeypatch, suffix):
    from fraudrisk import readers

    shops = [{"url": f"https://shop{i}.example.be", "links": json.dumps(["/p"] * (i % 7) * 50)} for i in range(60)]
    source = tmp_path / f"shops{suffix}"
    if suffix == ".csv":
        pd.DataFrame(shops).to_csv(source, index=False)
    else:
        source.write_text("".join(json.dumps(shop) + "\n" for shop in shops))
    monkeypatch.setattr(readers, "CHUNK_CHARACTERS", 2000)
    chunks = list(readers.iter_tables(source, chunk_rows=1000))
    assert len(chunks) > 5  # far fewer rows than chunk_rows per chunk: the size ended them
    assert [url for chunk in chunks for url in chunk["url"]] == [shop["url"] for shop in shops]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_json_lines_keys_that_change_between_chunks_never_shift_cells(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    lines = [{"url": f"https://shop{i}.example.be", "note": f"n{i}"} for i in range(30)]
    lines += [{"url": f"https://later{i}.example.be", "colour": "red", "size": i} for i in range(30)]
    source, target = tmp_path / "shops.jsonl", tmp_path / f"scored{suffix}"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    summary = score_file(source, target, chunk_rows=25)
    scored = pd.read_csv(target) if suffix == ".csv" else pd.read_parquet(target)
    assert list(scored["url"]) == [line["url"] for line in lines]
    assert list(scored.columns[:2]) == ["note", "url"] and "colour" not in scored.columns
    assert scored["note"].iloc[29] == "n29" and scored["note"].iloc[30:].isna().all()
    assert scored["probability"].notna().all()
    assert summary["dropped_columns"] == {"colour": 30, "size": 30}


def test_parquet_output_takes_text_in_a_column_empty_throughout_the_first_chunk(tmp_path):
    pytest.importorskip("pyarrow")
    lines = [{"url": f"https://shop{i}.example.be", "note": None} for i in range(30)]
    lines += [{"url": f"https://later{i}.example.be", "note": f"n{i}"} for i in range(30)]
    source, target = tmp_path / "shops.jsonl", tmp_path / "scored.parquet"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    score_file(source, target, chunk_rows=25)  # the first chunk's notes are all null
    scored = pd.read_parquet(target)
    assert scored["note"].isna()[:30].all() and scored["note"][30:].tolist() == [f"n{i}" for i in range(30)]


def test_the_command_warns_about_columns_it_could_not_keep(tmp_path):
    import io

    from fraudrisk.cli import build_parser, run_score

    lines = [{"url": "https://a.example.be"}] * 6000 + [{"url": "https://b.example.be", "shop_id": 7}]
    source = tmp_path / "shops.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    err = io.StringIO()
    command = ["score", str(source), "-o", str(tmp_path / "out.csv"), "--quiet", "--workers", "1"]
    args = build_parser().parse_args(command)
    assert run_score(args, err=err) == 0
    assert "input column 'shop_id' first appears at row 6000" in err.getvalue()
