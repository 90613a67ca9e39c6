"""What reasons cost: batch scoring with ``reasons=True`` against without, on the same shops.

Usage::

    python benchmarks/reasons_cost.py [--repeat 3]

Scores the KTU shops (from ../shared/data or $FRAUDRISK_DATA_DIR; the bundled example shops,
repeated, where that is absent) with the shipped model and prints seconds per run and the ratio.
"""

import argparse
import os
import platform
import time
from pathlib import Path

import pandas as pd

from fraudrisk import score_batch
from fraudrisk.datasets import data_dir, load_ktu
from fraudrisk.scoring import shipped_model


def shops():
    path = data_dir() / "ktu" / "shops.csv"
    if path.is_file():
        return load_ktu(path)[0]
    example = Path(__file__).resolve().parents[1] / "examples" / "shops.csv"
    return pd.concat([pd.read_csv(example, dtype=str, keep_default_na=False)] * 60, ignore_index=True)


def best_of(repeat, function):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    records = shops()
    model = shipped_model()
    plain = best_of(args.repeat, lambda: score_batch(records, model=model))
    explained = best_of(args.repeat, lambda: score_batch(records, model=model, reasons=True))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {len(records)} shops, best of {args.repeat}")
    print(
        f"without reasons {plain:.3f} s ({len(records) / plain:.0f} shops/s); with reasons and red flags "
        f"{explained:.3f} s ({len(records) / explained:.0f} shops/s); ratio {explained / plain:.2f}x"
    )


if __name__ == "__main__":
    main()
