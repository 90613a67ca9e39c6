"""Dask scoring on a real local cluster gives, row for row, what in-process scoring gives."""

import gzip
import io
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

from fraudrisk.batch import score_file  # noqa: E402
from fraudrisk.cli import build_parser, run_score  # noqa: E402
from fraudrisk.datasets import make_shops  # noqa: E402
from fraudrisk.distributed import score_dask, score_file_dask  # noqa: E402
from fraudrisk.exceptions import SchemaError  # noqa: E402
from fraudrisk.scoring import score_batch  # noqa: E402

LIST_FIELDS = ("payment_methods", "contact_emails", "links", "prices")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _shops(n, seed):
    """Synthetic shops with some rows that break the schema, spread over the partitions."""
    X, _ = make_shops(n, seed=seed)
    X.loc[3, "url"] = None
    X.loc[n // 2, "url"] = "not a url"
    X.loc[n // 3, "tls_not_after"] = "soon"
    X.loc[n - 2, "domain_registered_at"] = "yesterday"
    return X


def _as_text(X):
    """List fields as JSON text, as in a CSV file."""
    X = X.copy()
    for column in LIST_FIELDS:
        X[column] = X[column].map(lambda value: json.dumps(value) if isinstance(value, list) else "")
    return X


def _assert_same_scores(got, expected):
    assert len(got) == len(expected)
    got, expected = got.reset_index(drop=True), expected.reset_index(drop=True)
    np.testing.assert_allclose(got["probability"].to_numpy(float), expected["probability"].to_numpy(float), atol=1e-12)
    for column in ("url", "band", "error"):
        assert got[column].fillna("").astype(str).tolist() == expected[column].fillna("").astype(str).tolist(), column


def test_score_dask_equals_in_process_scoring_row_for_row(client):
    X = _shops(2000, seed=3)
    X["shop_id"] = [f"id{i}" for i in range(len(X))]
    expected = score_batch(X.drop(columns="shop_id"), errors="report")
    assert (expected["error"] != "").sum() == 4
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_pandas(X, npartitions=5, sort=False)
    got = score_dask(frame, client=client).compute()
    assert list(got.columns) == ["shop_id", "url", "probability", "band", "error"]
    assert got["shop_id"].tolist() == X["shop_id"].tolist()
    _assert_same_scores(got, expected)
    # the row numbers in the messages count from the start of the whole frame
    assert got["error"][X.index[X["url"] == "not a url"][0]].startswith("shop record 1000:")


def test_score_dask_reasons_and_keep_one_column(client):
    X = _as_text(_shops(120, seed=4))
    X["shop_id"] = range(len(X))
    expected = score_batch(X.drop(columns="shop_id"), reasons=True, errors="report")
    with dask.config.set({"dataframe.convert-string": False}):  # keep missing values NaN, as in X
        frame = dd.from_pandas(X, npartitions=3, sort=False)
    got = score_dask(frame, reasons=True, keep="none", client=client).compute()
    assert list(got.columns) == ["url", "probability", "band", "reasons", "red_flags", "error"]
    _assert_same_scores(got, expected)
    assert got["reasons"].tolist() == expected["reasons"].tolist()


def test_score_dask_unknown_keep_column_names_the_columns(client):
    frame = dd.from_pandas(pd.DataFrame({"url": ["https://a.example.be"]}), npartitions=1)
    with pytest.raises(ValueError, match=r"--keep column 'shop_id' is not in the input \(columns: url\)"):
        score_dask(frame, keep="shop_id", client=client)


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_score_file_dask_equals_score_file(client, tmp_path, suffix):
    X = _shops(300, seed=5)
    source = tmp_path / f"in{suffix}"
    if suffix == ".parquet":
        _as_text(X).to_parquet(source, row_group_size=60)
    else:
        lines = [json.dumps({k: v for k, v in row.items() if v == v}) for row in X.to_dict("records")]
        lines[7] = "{not json"
        lines.insert(100, "")
        source.write_text("\n".join(lines) + "\n")
    local, remote = tmp_path / "local.csv", tmp_path / "dask.csv"
    expected = score_file(source, local)
    got = score_file_dask(source, remote, scheduler=client, blocksize=20000)
    assert {key: got[key] for key in ("rows", "errors", "bands")} == {
        key: expected[key] for key in ("rows", "errors", "bands")
    }
    assert got["errors"] >= 4
    _assert_same_scores(pd.read_csv(remote), pd.read_csv(local))
    if suffix == ".jsonl":
        assert "shop record 7: line 8 is not valid JSON" in remote.read_text()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_score_file_dask_keeps_a_jsonl_key_first_seen_in_a_later_partition(client, tmp_path, suffix):
    rows = [{"url": f"https://shop{i}.example.be", "shop_id": i} for i in range(400)]
    for row in rows[300:]:
        row["late_note"] = f"n{row['shop_id']}"
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    target = tmp_path / f"out{suffix}"
    score_file_dask(source, target, scheduler=client, blocksize=4000)
    got = pd.read_csv(target) if suffix == ".csv" else pd.read_parquet(target)
    # every cell stays in its own column: no later key shifts the cells after it
    assert got["shop_id"].astype(int).tolist() == list(range(400))  # Parquet output holds input columns as text
    assert got["url"].tolist() == [row["url"] for row in rows]
    assert got["late_note"].isna()[:300].all() and got["late_note"][300:].tolist() == [f"n{i}" for i in range(300, 400)]


def test_score_file_dask_strict_stops_at_the_first_bad_row_and_writes_nothing(client, tmp_path):
    source = tmp_path / "in.csv"
    _as_text(_shops(60, seed=7)).to_csv(source, index=False)
    with pytest.raises(SchemaError) as local:
        score_file(source, tmp_path / "local.csv", strict=True)
    with pytest.raises(SchemaError, match=re.escape(str(local.value))):
        score_file_dask(source, tmp_path / "dask.csv", scheduler=client, strict=True, blocksize=5000)
    assert str(local.value).startswith("shop record 3:")
    assert not list(tmp_path.glob("*dask.csv*"))


def test_score_file_dask_truncated_gzip_is_an_os_error_and_writes_nothing(client, tmp_path):
    whole = gzip.compress(b"url\n" + b"https://a.example.be\n" * 2000)
    source = tmp_path / "in.csv.gz"
    source.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(OSError, match="the input ends early"):
        score_file_dask(source, tmp_path / "out.csv", scheduler=client)
    assert not list(tmp_path.glob("out.csv*"))


def _cli(*arguments):
    """The installed command, started in a child process."""
    return subprocess.Popen(
        [sys.executable, "-m", "fraudrisk.cli", "score", *map(str, arguments)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_cli_dask_engine_writes_what_the_local_engine_writes(client, tmp_path):
    source = tmp_path / "in.csv"
    _as_text(_shops(300, seed=6)).to_csv(source, index=False)
    local = _cli(source, "-o", tmp_path / "local.csv", "--quiet")
    remote = _cli(
        source, "-o", tmp_path / "dask.csv", "--engine", "dask", "--scheduler", client.scheduler.address, "--quiet"
    )
    (_, local_err), (_, remote_err) = local.communicate(timeout=120), remote.communicate(timeout=120)
    assert local.returncode == remote.returncode == 0, remote_err
    assert "4 of 300 rows could not be scored" in remote_err
    assert local_err == remote_err
    got, expected = (pd.read_csv(tmp_path / name) for name in ("dask.csv", "local.csv"))
    assert list(got.columns) == list(expected.columns)
    _assert_same_scores(got, expected)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "dask"], "--engine dask needs -o OUTPUT"),
        (["--scheduler", "tcp://127.0.0.1:8786", "-o", "out.csv"], "--scheduler needs --engine dask"),
    ],
)
def test_cli_dask_engine_usage_errors_exit_2(tmp_path, options, message):
    source = tmp_path / "in.csv"
    source.write_text("url\nhttps://a.example.be\n")
    err = io.StringIO()
    assert run_score(build_parser().parse_args(["score", str(source), *options]), err=err) == 2
    assert message in err.getvalue()
