"""The ``fraudrisk`` command.

Exit codes: 0 success; 1 a file or model could not be read or written; 2 wrong usage;
3 ``--strict`` stopped at a bad row.
"""

import argparse
import functools
import os
import sys
from pathlib import Path

from fraudrisk import __version__
from fraudrisk.cli_drift import add_commands as add_drift_commands
from fraudrisk.cli_drift import run_drift
from fraudrisk.cli_models import add_commands as add_model_commands
from fraudrisk.cli_models import read_labelled_or_report, run_compare, run_train, whole_number_at_least
from fraudrisk.exceptions import FraudRiskError, SchemaError, TruncatedInputError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3

DESCRIPTION = """\
Score online shops for cyber-fraud risk.

Each shop gets a calibrated probability of being fraudulent (0-1), a risk band
(low / review / high / critical) and, on request, the reasons behind it.
The default model is shipped with the package (trained on the KTU data set, CC BY 4.0).
"""

SCORE_EPILOG = """\
input columns: url (required) and any other shop-record field, see the README's
schema table; list fields (payment_methods, links, prices ...) hold JSON text in CSV.
Columns that are not schema fields are copied to the output unchanged.

A row that breaks the schema gets an 'error' text and an empty probability; the
other rows are scored (use --strict to stop at the first bad row instead).

examples:
  fraudrisk score examples/shops.csv
  fraudrisk score shops.jsonl -o scored.csv --prevalence 0.02 --reasons
  fraudrisk score /shared/shops.csv -o scored.csv --engine dask --scheduler tcp://host:8786
"""


def build_parser():
    """The argument parser of the ``fraudrisk`` command."""
    parser = argparse.ArgumentParser(
        prog="fraudrisk", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"fraudrisk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    score = commands.add_parser(
        "score",
        help="score the shops in a CSV / JSON-lines / Parquet file",
        description="Score every shop in INPUT; one output row per input row, in order.",
        epilog=SCORE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("input", metavar="INPUT", help="shop file (.csv, .jsonl, .jsonl.gz, .parquet) or - for stdin")
    score.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="write results here (.csv, .jsonl, .parquet); default: a table on stdout",
    )
    score.add_argument(
        "--model", metavar="PATH", help="model file (.joblib with its .json manifest); default: the shipped model"
    )
    score.add_argument(
        "--prevalence",
        type=_probability,
        metavar="P",
        help="share of fraudulent shops where you deploy, e.g. 0.02; re-bases probabilities",
    )
    score.add_argument("--reasons", action="store_true", help="add the top reasons behind each score")
    score.add_argument("--strict", action="store_true", help="stop at the first bad row (exit code 3)")
    score.add_argument("--quiet", action="store_true", help="no progress bar and no summary (for scripts)")
    score.add_argument(
        "--workers",
        type=whole_number_at_least(1),
        default=os.cpu_count() or 1,
        metavar="N",
        help="with -o: processes scoring chunks side by side (default: one per core; same output for any N)",
    )
    score.add_argument(
        "--keep",
        default="all",
        metavar="all|none|COLUMN",
        help="input columns that are not schema fields to copy to the output (default: all)",
    )
    score.add_argument(
        "--seal-members",
        metavar="FILE",
        help="trust-seal members list (lines 'seal,host') to check claimed seals with --reasons",
    )
    score.add_argument(
        "--input-format", choices=("csv", "jsonl", "parquet"), help="format of INPUT when its name does not tell"
    )
    score.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: this machine, --workers processes (default); dask: on a Dask cluster, needs -o and "
        'pip install "fraudrisk[dask]"',
    )
    score.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: the scheduler, e.g. tcp://host:8786 (workers must read INPUT); "
        "default: a local cluster, one worker per core",
    )
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
        type=_probability,
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
    explain.add_argument("--prevalence", type=_probability, metavar="P", help="deployment base rate of fraud")
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


def _probability(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"must be a number strictly between 0 and 1, got {text!r}")
    return value


def _print_table(frame, out):
    shown = frame.copy()
    shown["probability"] = shown["probability"].map(lambda p: "" if p != p else f"{p:.3f}")
    shown = shown.fillna("")
    widths = (
        {column: min(max(len(str(column)), *(len(str(v)) for v in shown[column])), 70) for column in shown.columns}
        if len(shown)
        else {c: len(c) for c in shown.columns}
    )

    def line(values):
        return "  ".join(str(v)[: widths[c]].ljust(widths[c]) for c, v in zip(shown.columns, values, strict=True))

    print(line(shown.columns).rstrip(), file=out)
    for row in shown.itertuples(index=False, name=None):
        print(line(row).rstrip(), file=out)


def run_score(args, out=sys.stdout, err=sys.stderr):
    """Run ``fraudrisk score``; return the exit code."""
    from fraudrisk.batch import count_rows, score_file, terminal_progress, with_input_columns
    from fraudrisk.persistence import load_model
    from fraudrisk.readers import format_of, read_table, split_columns
    from fraudrisk.scoring import score_batch

    usage = _engine_problem(args)
    if usage:
        print(f"fraudrisk: {usage}", file=err)
        return EXIT_USAGE
    if args.output:
        try:
            format_of(args.output)
        except ValueError as error:
            print(f"fraudrisk: {error}", file=err)
            return EXIT_USAGE
        directory = Path(args.output).parent
        if not directory.is_dir():
            print(f"fraudrisk: cannot write {args.output}: no directory {directory}", file=err)
            return EXIT_FAILURE
    problem = _input_problem(args)
    if problem:
        print(f"fraudrisk: {problem}", file=err)
        return EXIT_USAGE if "no 'url' column" in problem else EXIT_FAILURE
    model = load_model(args.model) if args.model else None
    errors = "raise" if args.strict else "report"
    try:
        if args.output:
            show = not args.quiet and err.isatty()
            progress = terminal_progress(count_rows(args.input, args.input_format), err) if show else None
            local = getattr(args, "engine", "local") == "local"
            run = functools.partial(score_file, workers=args.workers) if local else _dask_engine(args)
            summary = run(
                args.input,
                args.output,
                model=model,
                prevalence=args.prevalence,
                reasons=args.reasons,
                strict=args.strict,
                keep=args.keep,
                seal_members=_seals(args),
                input_format=args.input_format,
                progress=progress,
            )
            if show:
                print(file=err)
            if not args.quiet:
                bands = ", ".join(f"{band} {count}" for band, count in sorted(summary["bands"].items()))
                print(
                    f"fraudrisk: {summary['rows']} rows into {args.output} in {summary['seconds']:.1f} s "
                    f"({bands or 'no rows'}; {summary['errors']} rows with errors)",
                    file=err,
                )
            bad, total = summary["errors"], summary["rows"]
        else:
            fields, extra = split_columns(read_table(args.input, args.input_format))
            result = score_batch(
                fields,
                model=model,
                prevalence=args.prevalence,
                reasons=args.reasons,
                errors=errors,
                seal_members=_seals(args),
            )
            result = with_input_columns(extra if args.keep == "all" else extra.iloc[:, :0], result)
            bad, total = (int((result["error"] != "").sum()) if "error" in result else 0), len(result)
            _print_table(result if bad else result.drop(columns=["error"], errors="ignore"), out)
    except SchemaError as error:
        if args.strict:
            print(f"fraudrisk: {error}", file=err)
            return EXIT_STRICT
        print(f"fraudrisk: cannot read {args.input}: {error}", file=err)
        return EXIT_FAILURE
    except ImportError as error:
        print(f"fraudrisk: {error}", file=err)
        return EXIT_FAILURE
    except TruncatedInputError as error:
        kept = f"; the rows before it are in {args.output}, its last row says where it broke" if args.output else ""
        print(f"fraudrisk: {args.input}: {error}{kept}", file=err)
        return EXIT_FAILURE
    except (OSError, ValueError) as error:
        print(f"fraudrisk: cannot read {args.input} or write {args.output or 'the table'}: {error}", file=err)
        return EXIT_FAILURE
    if bad:
        print(f"fraudrisk: {bad} of {total} rows could not be scored; see their 'error' column", file=err)
    return EXIT_OK


def _engine_problem(args):
    """Why ``--engine`` / ``--scheduler`` cannot be used as given, or None."""
    if getattr(args, "engine", "local") != "dask":
        return "--scheduler needs --engine dask" if getattr(args, "scheduler", None) else None
    if not args.output:
        return "--engine dask needs -o OUTPUT (the scored blocks are written to a file)"
    if args.input == "-":
        return "--engine dask cannot read standard input: give INPUT as a file the workers can read"
    return None


def _dask_engine(args):
    """``score_file_dask`` on the scheduler of ``--scheduler`` (default: a local cluster for the run)."""
    from fraudrisk.distributed import score_file_dask

    return functools.partial(score_file_dask, scheduler=args.scheduler)


def _input_problem(args):
    """Why INPUT cannot be scored at all (missing, no 'url' column), or None; reads one row."""
    from fraudrisk.readers import READ_ERROR, format_of, iter_tables

    if args.input == "-":
        return None
    try:
        first = next(iter_tables(args.input, args.input_format, chunk_rows=1), None)
    except (OSError, ValueError) as error:
        return f"cannot read {args.input}: {error}"
    if format_of(args.input, args.input_format) == "jsonl":
        return None  # each line has its own fields: a line without url is one bad row, not a bad file
    if first is not None and "url" not in first.columns and READ_ERROR not in first.columns:
        return f"{args.input} has no 'url' column (columns: {', '.join(map(str, first.columns))})"
    return None


def _seals(args):
    from fraudrisk.red_flags import load_seal_members

    return load_seal_members(args.seal_members) if getattr(args, "seal_members", None) else None


def run_explain(args, out=sys.stdout, err=sys.stderr):
    """Run ``fraudrisk explain``; return the exit code."""
    from fraudrisk.persistence import load_model
    from fraudrisk.readers import read_table, split_columns
    from fraudrisk.schema import iter_raw_records
    from fraudrisk.scoring import score

    try:
        fields, _ = split_columns(read_table(args.input, args.input_format))
        seals = _seals(args)
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
