"""Training-speed benchmark: ``fraudrisk.train`` on 100,000 resampled watchlist shops.

Usage (from the project root, with ../shared/data beside it or $FRAUDRISK_DATA_DIR set)::

    python benchmarks/training_speed.py [--rows 100000] [--workers 2] [--ensembles random_forest,...]

Rows are drawn with replacement from the watchlist data (links and prices as scraped), so hosts
repeat and cross-validation keeps each host's copies in one fold. Prints the time of each stage
and the machine it ran on. A speed figure, not a quality one: resampled rows are not new shops.
"""

import argparse
import os
import platform
import time

import numpy as np

from fraudrisk import train
from fraudrisk.datasets import data_dir, load_watchlist
from fraudrisk.ensemble import ENSEMBLES
from fraudrisk.schema import validate_records


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--ensembles", help=f"comma-separated, from {','.join(ENSEMBLES)} (default: train's choice)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="featurizing processes")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    X, y = load_watchlist(data_dir() / "watchlist" / "shops.jsonl.gz")
    rows = np.random.default_rng(args.seed).integers(0, len(y), args.rows)
    X, y = X.iloc[rows].reset_index(drop=True), y.to_numpy()[rows]
    started = time.time()
    stages = []

    def progress(message):
        stages.append((time.time() - started, message))
        print(f"[{stages[-1][0]:7.1f} s] {message}", flush=True)

    validate_records(X.head(1))
    ensembles = tuple(args.ensembles.split(",")) if args.ensembles else None
    model = train(X, y, ensembles=ensembles, random_state=args.seed, progress=progress, workers=args.workers)
    total = time.time() - started
    print(
        f"trained on {args.rows} records in {total:.1f} s ({args.rows / total:.0f} records/s); "
        f"ensemble {model.metadata_['ensemble']} (rows per tree: {model.metadata_['max_samples'] or 'all'}), "
        f"calibration {model.metadata_['calibration']['method']}, {args.workers} featurizing process(es)"
    )


if __name__ == "__main__":
    main()
