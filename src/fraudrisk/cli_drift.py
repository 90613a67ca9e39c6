"""``fraudrisk drift``: population stability of the features and the score between two shop files."""

import json
import sys
from pathlib import Path

from fraudrisk.cli_models import whole_number_at_least

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

DRIFT_EPILOG = """\
PSI (population stability index) compares how REFERENCE (say, the training shops) and CURRENT
(the shops seen now) spread over the same bins, per model feature and for the score:
below 0.1 stable, 0.1-0.25 moderate, 0.25 or more major -- the signal to look and retrain.
Records that break the schema are skipped and counted, with the first error.
The text lists the drifted features, most drifted first; the JSON holds every feature.

examples:
  fraudrisk drift ../shared/data/ktu/shops.csv new-shops.csv
  fraudrisk drift training.csv this-month.jsonl --model models/mine.joblib --json drift.json
"""


def add_commands(commands, formatter):
    """Add ``drift`` to the ``fraudrisk`` sub-command parser."""
    drift = commands.add_parser(
        "drift",
        help="population stability (PSI) of features and score: has the population drifted?",
        description="Compare the shops in CURRENT with those in REFERENCE: population stability index "
        "per model feature and for the score.",
        epilog=DRIFT_EPILOG,
        formatter_class=formatter,
    )
    drift.add_argument("reference", metavar="REFERENCE", help="reference shop file: CSV, JSONL(.gz), Parquet")
    drift.add_argument("current", metavar="CURRENT", help="current shop file: CSV, JSONL(.gz), Parquet")
    drift.add_argument("--model", metavar="PATH", help="model whose features and score to compare (default: shipped)")
    drift.add_argument(
        "--format",
        dest="data_format",
        default="auto",
        choices=("auto", "canonical", "ktu", "watchlist"),
        help="layout of both files (default: detected per file)",
    )
    drift.add_argument("--json", metavar="PATH", help="also write the JSON report here (- for stdout, instead of text)")
    drift.add_argument(
        "--bins", type=whole_number_at_least(2), default=10, metavar="N", help="quantile bins per column (default 10)"
    )


def read_shops(path, data_format="auto"):
    """Shop records of a canonical, KTU or watchlist file (labels, if any, are dropped).

    Parameters
    ----------
    path : str or path-like
        CSV / JSON lines (.gz) / Parquet file.
    data_format : {"auto", "canonical", "ktu", "watchlist"}, default="auto"
        "auto" tells the KTU and watchlist files by their first line (see
        :func:`fraudrisk.labelled.detect_format`); they are converted by their readers.

    Returns
    -------
    pandas.DataFrame
        Raw records: the schema columns (and the reader's per-line read errors).
    """
    from fraudrisk.datasets import load_ktu, load_watchlist
    from fraudrisk.labelled import detect_format
    from fraudrisk.readers import read_table, split_columns

    kind = detect_format(path) if data_format == "auto" else data_format
    if kind in ("ktu", "watchlist"):
        return (load_ktu if kind == "ktu" else load_watchlist)(path)[0]
    return split_columns(read_table(path))[0]


def run_drift(args, out=sys.stdout, err=sys.stderr):
    """Run ``fraudrisk drift``; return the exit code."""
    from fraudrisk.drift import drift_report
    from fraudrisk.exceptions import FraudRiskError
    from fraudrisk.persistence import load_model

    if args.json and args.json != "-" and not Path(args.json).parent.is_dir():
        print(f"fraudrisk: cannot write {args.json}: no directory {Path(args.json).parent}", file=err)
        return EXIT_FAILURE
    samples = []
    for path in (args.reference, args.current):
        try:
            samples.append(read_shops(path, args.data_format))
        except (OSError, ValueError) as error:
            print(f"fraudrisk: cannot read {path}: {error}", file=err)
            return EXIT_FAILURE
    try:
        model = load_model(args.model) if args.model else None
    except (OSError, FraudRiskError) as error:
        print(f"fraudrisk: cannot read model {args.model}: {error}", file=err)
        return EXIT_FAILURE
    try:
        report = drift_report(*samples, model, bins=args.bins, sources=(str(args.reference), str(args.current)))
    except ValueError as error:
        print(f"fraudrisk: {error}", file=err)
        return EXIT_FAILURE
    document = json.dumps(report.to_dict(), indent=2)
    if args.json == "-":
        print(document, file=out)
        return EXIT_OK
    print(report.to_text(), file=out)
    if args.json:
        try:
            Path(args.json).write_text(document + "\n", encoding="utf-8")
        except OSError as error:
            print(f"fraudrisk: cannot write {args.json}: {error}", file=err)
            return EXIT_FAILURE
        print(f"fraudrisk: wrote {args.json}", file=err)
    return EXIT_OK
