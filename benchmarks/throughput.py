"""Throughput benchmark: one-shop latency, and streamed CSV-to-CSV scoring with peak memory.

Usage::

    python benchmarks/throughput.py [--rows 100000 1000000] [--kind ktu|heavy|both] [--workers 1 2]
                                    [--skip-latency] [--data-dir DIR]

(a) ``score()`` latency p50 / p99 for one shop, without reasons (validate + featurize + predict
+ band) and with them, beside scikit-learn's ``predict_proba`` of the same fitted ensemble on
one already-featurized row;
(b) ``fraudrisk score IN.csv -o OUT.csv`` on synthetic shops (``make_shops``), in a child
process, with shops/s and the peak resident memory of the child and its workers together.
KTU-like shops carry the KTU data's attributes (no links or prices); links/prices-heavy ones
have 80-300 links and 20-120 prices each. The machine is printed first.
"""

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from fraudrisk import score
from fraudrisk.datasets import make_shops
from fraudrisk.schema import FIELD_NAMES
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


def _tree_rss_mib(root):
    """Resident memory of a process and all its descendants (workers, forkserver), in MiB."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, grown = {root}, True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grown = True
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def write_shops(path, rows, kind):
    """``rows`` synthetic shops as CSV, written 100k at a time (KTU-like: no links or prices)."""
    import json

    written = 0
    while written < rows:
        n = min(100_000, rows - written)
        X, _ = make_shops(n, seed=2 + written, links_heavy=kind == "links/prices-heavy")
        X = X.reindex(columns=[name for name in FIELD_NAMES if name in X.columns])  # one column order
        if kind == "KTU-like":
            X = X.drop(columns=["links", "prices"])
        for column in ("payment_methods", "contact_emails", "links", "prices"):
            if column in X:
                X[column] = X[column].map(lambda value: "" if not isinstance(value, list) else json.dumps(value))
        X.to_csv(path, mode="a" if written else "w", header=not written, index=False)
        written += n


def end_to_end(rows, kind, worker_counts, data_dir=None):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.csv"
        if data_dir is None:
            source = Path(folder) / "in.csv"
            write_shops(source, rows, kind)
        else:  # generated once, reused by later runs (making a million shops takes minutes)
            source = Path(data_dir) / f"{'ktu' if kind == 'KTU-like' else 'heavy'}-{rows}.csv"
            if not source.exists():
                write_shops(source.with_suffix(".part"), rows, kind)
                source.with_suffix(".part").rename(source)
        for workers in worker_counts:
            command = [sys.executable, "-m", "fraudrisk.cli", "score", str(source), "-o", str(target), "--quiet"]
            started = time.perf_counter()
            child = subprocess.Popen([*command, "--workers", str(workers)])
            peak = 0.0
            while child.poll() is None:
                peak = max(peak, _tree_rss_mib(child.pid))
                time.sleep(0.2)
            seconds = time.perf_counter() - started
            if child.returncode:
                raise SystemExit(f"fraudrisk score failed with exit code {child.returncode}")
            errors = sum(1 for row in csv.DictReader(open(target, newline="")) if row["error"])
            print(
                f"(b) CSV->CSV {rows:,} {kind} shops, {workers} worker(s): {seconds:.1f} s, "
                f"{rows / seconds:,.0f} shops/s, peak RSS (all processes) {peak:.0f} MiB, {errors} rows with errors"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000], help="file sizes to run (default 100000)")
    parser.add_argument("--kind", choices=("ktu", "heavy", "both"), default="both")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--data-dir", help="keep the generated input files here and reuse them in later runs")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    if not args.skip_latency:
        latency()
    kinds = {"ktu": ["KTU-like"], "heavy": ["links/prices-heavy"], "both": ["KTU-like", "links/prices-heavy"]}
    for kind in kinds[args.kind]:
        for rows in args.rows:
            end_to_end(rows, kind, args.workers, args.data_dir)


if __name__ == "__main__":
    main()
