"""``fraudrisk score``: a shop file in, one scored row per input row out (streamed, local or Dask)."""

import functools
import os
import sys
from pathlib import Path

from fraudrisk.cli_models import add_workers_argument, probability_argument
from fraudrisk.exceptions import SchemaError, TruncatedInputError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3

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


def add_commands(commands, formatter):
    """Add ``score`` to the ``fraudrisk`` sub-command parser."""
    score = commands.add_parser(
        "score",
        help="score the shops in a CSV / JSON-lines / Parquet file",
        description="Score every shop in INPUT; one output row per input row, in order.",
        epilog=SCORE_EPILOG,
        formatter_class=formatter,
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
        type=probability_argument,
        metavar="P",
        help="share of fraudulent shops where you deploy, e.g. 0.02; re-bases probabilities",
    )
    score.add_argument("--reasons", action="store_true", help="add the top reasons behind each score")
    score.add_argument("--strict", action="store_true", help="stop at the first bad row (exit code 3)")
    score.add_argument("--quiet", action="store_true", help="no progress bar and no summary (for scripts)")
    add_workers_argument(
        score, "with -o: processes scoring chunks side by side (default: one per core; same output for any N)"
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
    from fraudrisk.parallel import preload_workers, settle, start_workers_server

    usage = _engine_problem(args)
    if usage:
        print(f"fraudrisk: {usage}", file=err)
        return EXIT_USAGE
    preload_workers()
    if _workers_likely(args):
        start_workers_server()  # it imports the libraries while this process does the same

    from fraudrisk.batch import count_rows, score_file, terminal_progress, with_input_columns
    from fraudrisk.persistence import load_model
    from fraudrisk.readers import format_of, read_table, split_columns
    from fraudrisk.scoring import score_batch

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
    settle()  # the command's own process: its libraries stay loaded until it exits
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
                seal_members=seal_members_of(args),
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
            for column, row in summary.get("dropped_columns", {}).items():
                print(
                    f"fraudrisk: warning: input column {column!r} first appears at row {row}, after the "
                    f"columns of {args.output} were fixed; it is not in the output (use JSON-lines output, "
                    "or --keep to choose one id column)",
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
                seal_members=seal_members_of(args),
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


WORKERS_FROM_BYTES = 1 << 20
"""An input file this large is scored in more than one chunk or block, so by worker processes."""


def _workers_likely(args):
    """True when ``args`` will score in worker processes: several, a local file of some size."""
    if (
        getattr(args, "workers", 1) <= 1
        or not args.output
        or getattr(args, "engine", "local") != "local"
        or args.input == "-"
    ):
        return False
    try:
        return os.path.getsize(args.input) >= WORKERS_FROM_BYTES
    except OSError:
        return False


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


def seal_members_of(args):
    """The trust-seal members of ``--seal-members``, or None."""
    from fraudrisk.red_flags import load_seal_members

    return load_seal_members(args.seal_members) if getattr(args, "seal_members", None) else None
