"""Throughput benchmark: one-shop latency, and streamed CSV-to-CSV scoring with peak memory.

Usage::

    python benchmarks/throughput.py [--rows 100000] [--links-heavy]

(a) ``score()`` latency p50 / p99 for one shop, without reasons (validate + featurize + predict
+ band) and with them, beside scikit-learn's ``predict_proba`` of the same fitted ensemble on
one already-featurized row;
(b) ``fraudrisk score IN.csv -o OUT.csv`` on synthetic shops (``make_shops``), in a child
process, with shops/s and the child's peak RSS. The machine is printed first.
"""

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from fraudrisk import score
from fraudrisk.datasets import make_shops
from fraudrisk.scoring import shipped_model


def _percentiles(seconds):
    p50, p99 = np.percentile(seconds, [50, 99]) * 1000
    return p50, p99


def latency(repeat=300):
    model = shipped_model()
    X, _ = make_shops(repeat, seed=1)
    records = [{k: v for k, v in row.items() if v is not None and v == v} for row in X.to_dict("records")]
    timings = {}
    for with_reasons in (False, True):
        score(records[0], reasons=with_reasons)
        times = []
        for record in records:
            started = time.perf_counter()
            score(record, reasons=with_reasons)
            times.append(time.perf_counter() - started)
        timings[with_reasons] = _percentiles(times)
    features = model.featurizer_.transform_canonical([{"url": "https://a.example.be"}])
    estimator = model.classifier_.estimators_[0]
    used = features[:, model.classifier_.used_features_]
    raw = []
    for _ in range(repeat // 3):
        started = time.perf_counter()
        estimator.predict_proba(used)
        raw.append(time.perf_counter() - started)
    r50, _ = _percentiles(raw)
    for with_reasons, (p50, p99) in timings.items():
        what = "with reasons" if with_reasons else "reasons=False: validate + featurize + predict + band"
        print(f"(a) score() one shop, {what}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    print(
        f"    scikit-learn predict_proba of the same {type(estimator).__name__} on one featurized row: "
        f"p50 {r50:.2f} ms; score() without reasons is {r50 / timings[False][0]:.0f}x faster"
    )


def end_to_end(rows, links_heavy):
    X, _ = make_shops(rows, seed=2, links_heavy=links_heavy)
    import json

    for column in ("payment_methods", "contact_emails", "links", "prices"):
        X[column] = X[column].map(lambda value: "" if not isinstance(value, list) else json.dumps(value))
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.csv", Path(folder) / "out.csv"
        X.to_csv(source, index=False)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "fraudrisk.cli", "score", str(source), "-o", str(target), "--quiet"], check=True
        )
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    kind = "links/prices-heavy" if links_heavy else "KTU-like"
    print(f"(b) CSV->CSV {rows} {kind} shops: {seconds:.1f} s, {rows / seconds:,.0f} shops/s, peak RSS {peak:.0f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--links-heavy", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    latency()
    end_to_end(args.rows, args.links_heavy)


if __name__ == "__main__":
    main()
