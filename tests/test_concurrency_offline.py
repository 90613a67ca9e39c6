"""Scoring from many threads gives the same numbers as one thread; everything works with no network.

The offline test blocks every way to open a connection and records each attempt, so a library
that tries the network and quietly falls back (tldextract does, for its suffix list) still fails.
"""

import json
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import pandas as pd
import pytest

import fraudrisk
from fraudrisk import _hosts, scoring
from fraudrisk.batch import score_file
from fraudrisk.datasets import make_shops
from fraudrisk.ensemble import COMPILED_MAX_ROWS

THREADS = 16


@pytest.fixture(scope="module")
def shops():
    X, _ = make_shops(60, seed=11, links_heavy=True)
    return X.to_dict("records")


def _outcome(result):
    return result.probability, result.band, [(r.code, r.effect) for r in result.reasons], result.red_flags


def _all_at_once(function, jobs):
    """``[function(job) for job in jobs]``, one job per thread, all released together by a barrier."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait(timeout=60)
        return function(job)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_score_from_many_threads_equals_sequential(shops, shipped):
    expected = [_outcome(fraudrisk.score(shop, model=shipped)) for shop in shops]
    orders = [np.random.default_rng(seed).permutation(len(shops)) for seed in range(THREADS)]

    def score_in_order(order):
        return [(position, _outcome(fraudrisk.score(shops[position], model=shipped))) for position in order]

    for results in _all_at_once(score_in_order, orders):
        assert all(outcome == expected[position] for position, outcome in results)


def test_score_batch_from_many_threads_equals_sequential(shops, shipped):
    # Chunk sizes on both sides of COMPILED_MAX_ROWS: the compiled walk and scikit-learn's predict.
    sizes = [1, 7, COMPILED_MAX_ROWS, COMPILED_MAX_ROWS + 1, len(shops)]
    chunks = [(start, size) for size in sizes for start in range(0, len(shops), size)]
    expected = {chunk: _score_chunk(shops, shipped, chunk) for chunk in chunks}
    jobs = [chunks[thread::THREADS] for thread in range(THREADS)]
    results = _all_at_once(lambda job: [(chunk, _score_chunk(shops, shipped, chunk)) for chunk in job], jobs)
    for job in results:
        for chunk, frame in job:
            pd.testing.assert_frame_equal(frame, expected[chunk])


def _score_chunk(shops, model, chunk):
    start, size = chunk
    return fraudrisk.score_batch(shops[start : start + size], model=model, reasons=True, errors="report")


_COLD_START = """
import json, sys, threading
from concurrent.futures import ThreadPoolExecutor
import fraudrisk
from fraudrisk.datasets import make_shops

shops = make_shops(40, seed=5)[0].to_dict("records")
barrier = threading.Barrier(16)

def first_calls(i):
    barrier.wait(timeout=60)
    return [fraudrisk.score(shops[(i + k) % len(shops)]).probability for k in range(len(shops))]

with ThreadPoolExecutor(16) as pool:
    concurrent = list(pool.map(first_calls, range(16)))
sequential = [fraudrisk.score(shop).probability for shop in shops]
json.dump({"concurrent": concurrent, "sequential": sequential}, sys.stdout)
"""


def test_concurrent_first_calls_in_a_fresh_process_agree():
    """Model loading, the compiled trees and the suffix list are first built while 16 threads race."""
    run = subprocess.run([sys.executable, "-c", _COLD_START], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout)
    sequential = found["sequential"]
    for i, probabilities in enumerate(found["concurrent"]):
        assert probabilities == [sequential[(i + k) % len(sequential)] for k in range(len(sequential))]


# ---------------------------------------------------------------- offline


@pytest.fixture()
def no_network(monkeypatch):
    """Every connection attempt (TCP, UDP, DNS) raises OSError and is recorded in the returned list."""
    attempts = []

    def refuse(what, *args, **kwargs):
        attempts.append((what, args))
        raise ConnectionRefusedError(f"no_network: {what}{args!r} blocked")

    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: refuse("connect", *a))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, *a: refuse("connect_ex", *a))
    monkeypatch.setattr(socket, "create_connection", partial(refuse, "create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", partial(refuse, "getaddrinfo"))
    with pytest.raises(ConnectionRefusedError, match="no_network: create_connection"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(ConnectionRefusedError, match="no_network: getaddrinfo"):
        socket.getaddrinfo("publicsuffix.org", 443)
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError, match="no_network: connect"):
        probe.connect(("192.0.2.1", 80))
    assert len(attempts) == 3
    attempts.clear()
    return attempts


def test_scoring_and_training_run_end_to_end_without_network(no_network, tmp_path):
    # Forget what earlier tests loaded, so the suffix list and the shipped model load under the block.
    _hosts._EXTRACT.update()
    _hosts.split_host.cache_clear()
    _hosts.suffix_trie.cache_clear()
    scoring.shipped_model.cache_clear()

    assert _hosts.split_host("shop.example.co.uk") == ("shop", "example", "co.uk")
    assert 0.0 <= fraudrisk.score({"url": "https://winkel.example.be", "country": "BE"}).probability <= 1.0

    X, y = make_shops(300, seed=2, fraud_rate=0.3)
    model = fraudrisk.train(X.iloc[:200], y[:200], ensembles=("random_forest",), n_estimators=20, cv=3)
    scored = fraudrisk.score_batch(X.iloc[200:], model=model, reasons=True)
    assert scored["probability"].between(0, 1).all()

    source, target = tmp_path / "shops.jsonl", tmp_path / "scored.csv"
    X.iloc[200:].to_json(source, orient="records", lines=True)
    summary = score_file(source, target, model=model)
    assert summary["rows"] == 100 and summary["errors"] == 0
    assert np.allclose(pd.read_csv(target)["probability"], scored["probability"], rtol=0, atol=1e-12)

    fraudrisk.save_model(model, tmp_path / "model.joblib")
    again = fraudrisk.load_model(tmp_path / "model.joblib")
    alone = fraudrisk.score(X.iloc[200].to_dict(), model=again).probability
    assert alone == pytest.approx(scored["probability"].iloc[0], abs=1e-12)
    assert no_network == []
