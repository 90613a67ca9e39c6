"""Instructions per shop: the CPU work of scoring, counted by valgrind rather than timed.

Usage::

    python benchmarks/instructions.py [--csv FILE] [--stages]

Timings on a shared 2-core VM vary by up to 1.5x from run to run, so a change of a few percent
cannot be seen in them. Instructions executed barely vary (about 1 % between runs): this script
scores the first 1 and then the first 5 chunks of 2,500 KTU-like shops (read CSV, validate,
featurize, predict, write CSV, in one process, shipped model) under ``valgrind --tool=cachegrind``
and prints the difference per shop, so start-up and the first chunk's warm-up cancel out. With
``--stages`` it also prints what reading, the pickling of a chunk to a worker and back,
validation, featurization and prediction each add. Needs ``valgrind`` on the PATH; each count
takes about a minute and a half.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from throughput import write_shops  # the same KTU-like file as the throughput benchmark

CHUNK_ROWS = 2500

WORKLOAD = """
import gc, io, itertools, pickle, sys
from fraudrisk.features._view import utc_now
from fraudrisk.readers import iter_tables, split_columns
from fraudrisk.scoring import score_batch, shipped_model
from fraudrisk._table_validation import validate_table

model = shipped_model()
gc.freeze()
path, chunks, stage, now = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), utc_now()
for chunk in itertools.islice(iter_tables(path, chunk_rows=CHUNK_ROWS), chunks):
    fields, _ = split_columns(chunk)
    if stage == 5:
        score_batch(fields, model=model, errors="report").to_csv(io.StringIO(), index=False)
        continue
    if stage >= 1:
        fields = pickle.loads(pickle.dumps(fields, protocol=5))
    if stage >= 2:
        records = validate_table(fields)
    if stage >= 3:
        features = model.featurizer_.transform_canonical(records, now, only=model.columns_read())
    if stage >= 4:
        model.predict_proba_features(features)
""".replace("CHUNK_ROWS", str(CHUNK_ROWS))

STAGES = {
    0: "reading CSV",
    1: "+ pickling a chunk to a worker",
    2: "+ validation",
    3: "+ featurization",
    4: "+ prediction",
}


def instructions(script, csv_path, chunks, stage):
    """Instructions valgrind counts for the workload on the first ``chunks`` chunks."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, str(script), str(csv_path), str(chunks), str(stage)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", result.stderr).group(1).replace(",", ""))


def per_shop(script, csv_path, stage):
    """Instructions per shop of chunks 2-5 (the first chunk's warm-up cancels out)."""
    extra = instructions(script, csv_path, 5, stage) - instructions(script, csv_path, 1, stage)
    return extra / (4 * CHUNK_ROWS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, help="KTU-like CSV (default: 12,500 synthetic shops)")
    parser.add_argument("--stages", action="store_true", help="also count each stage")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "workload.py"
        script.write_text(WORKLOAD)
        csv_path = args.csv
        if csv_path is None:
            csv_path = Path(folder) / "shops.csv"
            write_shops(csv_path, 5 * CHUNK_ROWS, "KTU-like")
        print(f"python {sys.version.split()[0]}; instructions per KTU-like shop (valgrind cachegrind)")
        print(f"  read + validate + featurize + predict + write CSV, one process: {per_shop(script, csv_path, 5):,.0f}")
        if args.stages:
            previous = 0.0
            for stage, label in STAGES.items():
                total = per_shop(script, csv_path, stage)
                print(f"  {label}: {total - previous:,.0f}")
                previous = total


if __name__ == "__main__":
    main()
