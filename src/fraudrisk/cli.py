"""The ``fraudrisk`` command.

Exit codes: 0 success; 1 a file or model could not be read or written; 2 wrong usage;
3 ``--strict`` stopped at a bad row.
"""

import argparse
import sys

from fraudrisk import __version__
from fraudrisk.cli_drift import add_commands as add_drift_commands
from fraudrisk.cli_drift import run_drift
from fraudrisk.cli_models import add_commands as add_model_commands
from fraudrisk.cli_models import probability_argument, read_labelled_or_report, run_compare, run_train
from fraudrisk.cli_score import add_commands as add_score_commands
from fraudrisk.cli_score import run_score, seal_members_of
from fraudrisk.exceptions import FraudRiskError, SchemaError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2  # 3: score --strict (cli_score), 4: train refused (cli_models)

DESCRIPTION = """\
Score online shops for cyber-fraud risk.

Each shop gets a calibrated probability of being fraudulent (0-1), a risk band
(low / review / high / critical) and, on request, the reasons behind it.
The default model is shipped with the package (trained on the KTU data set, CC BY 4.0).
"""


def build_parser():
    """The argument parser of the ``fraudrisk`` command."""
    parser = argparse.ArgumentParser(
        prog="fraudrisk", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"fraudrisk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_score_commands(commands, argparse.RawDescriptionHelpFormatter)
    evaluate = commands.add_parser(
        "evaluate",
        help="measure a model (or the training recipe) on labelled shops",
        description="Measure quality and calibration on labelled shops: ROC/PR AUC, accuracy, log-loss, Brier, "
        "ECE beside its noise floor, calibration slope and intercept, recall at 1%% FPR, precision and recall "
        "per risk band.",
        epilog=EVALUATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("input", metavar="INPUT", help="labelled shop file (.csv, .jsonl[.gz], .parquet)")
    evaluate.add_argument(
        "--format",
        dest="data_format",
        default="auto",
        choices=("auto", "canonical", "ktu", "watchlist"),
        help="input layout (default: detected from the file)",
    )
    evaluate.add_argument("--label", default="label", metavar="COLUMN", help="label column of a canonical file")
    source = evaluate.add_mutually_exclusive_group()
    source.add_argument("--model", metavar="PATH", help="model to measure (default: the shipped model)")
    source.add_argument(
        "--cv",
        type=int,
        metavar="N",
        help="instead of a model, cross-validate the training recipe on INPUT (N folds grouped by host)",
    )
    evaluate.add_argument(
        "--prevalence",
        type=probability_argument,
        metavar="P",
        help="measure as at this base rate of fraud (importance weights)",
    )
    evaluate.add_argument("--report", metavar="DIR", help="write report.json, report.md and PNG plots here")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of folds and training with --cv")
    explain = commands.add_parser(
        "explain",
        help="a readable explanation per shop: score, reasons, red flags",
        description="Explain the score of every shop in INPUT: probability and band, "
        "the attribute families that raise it most (with the shop's own values) and "
        "red flags (hard evidence such as an invalid enterprise number).",
    )
    explain.add_argument("input", metavar="INPUT", help="shop file (.csv, .jsonl, .jsonl.gz, .parquet) or -")
    explain.add_argument("--model", metavar="PATH", help="model file (default: the shipped model)")
    explain.add_argument("--prevalence", type=probability_argument, metavar="P", help="deployment base rate of fraud")
    explain.add_argument("--seal-members", metavar="FILE", help="trust-seal members list (lines 'seal,host')")
    explain.add_argument("--input-format", choices=("csv", "jsonl", "parquet"))
    add_model_commands(commands, argparse.RawDescriptionHelpFormatter)
    add_drift_commands(commands, argparse.RawDescriptionHelpFormatter)
    return parser


EVALUATE_EPILOG = """\
Metrics on a model's own training data would flatter it: measure a model on shops it never
saw, or use --cv to cross-validate the training recipe (every shop predicted by a model that
never saw its host). Plots need matplotlib: pip install "fraudrisk[plots]".

examples:
  fraudrisk evaluate labelled.csv --label is_fraud --prevalence 0.01 --report out/
  fraudrisk evaluate ../shared/data/ktu/shops.csv --cv 5 --report docs/evaluation
"""


def run_explain(args, out=sys.stdout, err=sys.stderr):
    """Run ``fraudrisk explain``; return the exit code."""
    from fraudrisk.persistence import load_model
    from fraudrisk.readers import read_table, split_columns
    from fraudrisk.schema import iter_raw_records
    from fraudrisk.scoring import score

    try:
        fields, _ = split_columns(read_table(args.input, args.input_format))
        seals = seal_members_of(args)
    except (OSError, ValueError, SchemaError) as error:
        print(f"fraudrisk: cannot read {args.input}: {error}", file=err)
        return EXIT_FAILURE
    model = load_model(args.model) if args.model else None
    bad = 0
    for index, record in enumerate(iter_raw_records(fields)):
        try:
            result = score(record, model=model, prevalence=args.prevalence, seal_members=seals)
        except SchemaError as error:
            bad += 1
            print(f"row {index}: not scored: {error}\n", file=out)
            continue
        print(f"{result.url}\n  probability {result.probability:.3f}, band {result.band}", file=out)
        for reason in result.reasons:
            print(f"  + {reason.message} (+{reason.effect:.2f})", file=out)
        if not result.reasons:
            print("  no attribute raises the risk noticeably", file=out)
        for flag in result.red_flags:
            print(f"  ! {flag.message}", file=out)
        print(file=out)
    if bad:
        print(f"fraudrisk: {bad} rows could not be scored", file=err)
    return EXIT_OK


def run_evaluate(args, out=sys.stdout, err=sys.stderr):
    """Run ``fraudrisk evaluate``; return the exit code."""
    from fraudrisk.evaluation import evaluate, evaluate_recipe
    from fraudrisk.persistence import load_model, sha256_of
    from fraudrisk.report_files import to_markdown, write_report

    labelled = read_labelled_or_report(args.input, args, err)
    if labelled is None:
        return EXIT_FAILURE
    X, y = labelled
    if args.cv is not None:
        if args.cv < 2:
            print("fraudrisk: --cv needs at least 2 folds", file=err)
            return EXIT_USAGE
        report = evaluate_recipe(
            X,
            y,
            cv=args.cv,
            prevalence=args.prevalence,
            random_state=args.seed,
            source=f"{args.input}, {args.cv}-fold cross-validation of the recipe grouped by host",
        )
    else:
        model = load_model(args.model)
        if model.manifest_.get("training_data_sha256") == sha256_of(args.input):
            print(
                f"fraudrisk: {args.input} is this model's training data; its metrics there would be "
                "optimistic. Measure on other shops, or use --cv to cross-validate the recipe.",
                file=err,
            )
            return EXIT_USAGE
        report = evaluate(X, y, model, prevalence=args.prevalence, source=str(args.input))
    print(to_markdown(report), file=out)
    if args.report:
        for path in write_report(report, args.report):
            print(f"fraudrisk: wrote {path}", file=err)
    return EXIT_OK


def main(argv=None):
    """Entry point of the ``fraudrisk`` console command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        runners = {
            "score": run_score,
            "evaluate": run_evaluate,
            "train": run_train,
            "compare": run_compare,
            "explain": run_explain,
            "drift": run_drift,
        }
        return runners[args.command](args)
    except FraudRiskError as error:
        print(f"fraudrisk: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
