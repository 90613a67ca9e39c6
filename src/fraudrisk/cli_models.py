"""``fraudrisk train`` and ``fraudrisk compare``: retraining with a champion/challenger guard."""

import argparse
import os
import sys
import time

import numpy as np

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 4

TRAIN_EPILOG = """\
Several INPUT files are merged in order (earlier training data first, new reports last):
one shop per host, the newest label wins, conflicting labels are reported.

With --base-model the new model (the challenger) is written only if it is not worse than the
current one (the champion) on the same rows: out-of-fold log-loss and ROC AUC of the challenger
against the champion's scores. The champion is scored as it is; if it was trained on some of
these rows the comparison favours it, so the guard errs on the side of keeping it.
--force writes the challenger anyway. Exit code 4: refused.

From 20,000 records on, a large-data recipe: random forest only, 20,000 rows per tree,
3 calibration folds (recorded in the model card).

examples:
  fraudrisk train shops.csv -o models/mine.joblib --label is_fraud
  fraudrisk train old.csv new-reports.jsonl -o new.joblib --base-model current.joblib
"""


def probability_argument(text):
    """An argparse type: a number strictly between 0 and 1, else a usage error saying so."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"must be a number strictly between 0 and 1, got {text!r}")
    return value


def whole_number_at_least(minimum):
    """An argparse type: a whole number >= ``minimum``, else a usage error saying so."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {minimum}, got {text!r}")
        return value

    return parse


def add_workers_argument(parser, help_text):
    """``--workers N``: processes working side by side, at least 1, by default one per core."""
    parser.add_argument(
        "--workers", type=whole_number_at_least(1), default=os.cpu_count() or 1, metavar="N", help=help_text
    )


def add_commands(commands, formatter):
    """Add ``train`` and ``compare`` to the ``fraudrisk`` sub-command parser."""
    train = commands.add_parser(
        "train",
        help="train a model on labelled shops (with a model card)",
        description="Train a calibrated model on labelled shops and write it with its manifest / model card.",
        epilog=TRAIN_EPILOG,
        formatter_class=formatter,
    )
    train.add_argument("inputs", nargs="+", metavar="INPUT", help="labelled shop file(s): CSV, JSONL(.gz), Parquet")
    train.add_argument("-o", "--output", required=True, metavar="MODEL", help="model file to write (.joblib)")
    train.add_argument("--label", default="label", metavar="COLUMN", help="label column of canonical files")
    train.add_argument(
        "--format",
        dest="data_format",
        default="auto",
        choices=("auto", "canonical", "ktu", "watchlist"),
        help="input layout (default: detected)",
    )
    train.add_argument(
        "--seed", type=int, default=0, help="seed of folds and ensembles (same data + seed = same predictions)"
    )
    train.add_argument(
        "--without-tld",
        action="store_true",
        help="leave out the top-level-domain features (guards against a TLD shortcut)",
    )
    train.add_argument(
        "--families", metavar="LIST", help="comma-separated feature families to use (default: all); see the README"
    )
    train.add_argument("--trees", type=int, default=300, metavar="N", help="trees per ensemble (default 300)")
    add_workers_argument(
        train, "processes validating and featurizing records side by side (default: one per core; same model for any N)"
    )
    train.add_argument("--base-model", metavar="CURRENT", help="refuse to write a model worse than this one")
    train.add_argument("--force", action="store_true", help="write the model even if worse than --base-model")
    train.add_argument("--quiet", action="store_true", help="no progress messages")
    compare = commands.add_parser(
        "compare",
        help="two models side by side on the same labelled shops",
        description="Score the same labelled shops with two models and print their metrics side by side.",
        formatter_class=formatter,
    )
    compare.add_argument("model_a", metavar="MODEL_A")
    compare.add_argument("model_b", metavar="MODEL_B")
    compare.add_argument("--data", required=True, metavar="LABELLED", help="labelled shop file")
    compare.add_argument("--label", default="label", metavar="COLUMN")
    compare.add_argument(
        "--format", dest="data_format", default="auto", choices=("auto", "canonical", "ktu", "watchlist")
    )


def read_labelled_or_report(path, args, err):
    """Read a labelled file for a command; on failure print why and return None."""
    from fraudrisk.labelled import read_labelled

    try:
        return read_labelled(path, args.data_format, args.label)
    except (OSError, ValueError) as error:
        print(f"fraudrisk: cannot read {path}: {error}", file=err)
        return None


def _progress(args, err):
    if args.quiet or not err.isatty():
        return None
    started = time.time()
    return lambda message: print(f"[{time.time() - started:6.1f} s] {message}", file=err, flush=True)


def run_train(args, out=sys.stdout, err=sys.stderr):
    """Run ``fraudrisk train``; return the exit code."""
    from fraudrisk.features import FAMILIES
    from fraudrisk.merging import merge_labelled
    from fraudrisk.metrics import probability_metrics
    from fraudrisk.persistence import load_model, save_model, sha256_of
    from fraudrisk.training import train

    progress = _progress(args, err)
    parts, sources = [], []
    for path in args.inputs:
        part = read_labelled_or_report(path, args, err)
        if part is None:
            return EXIT_FAILURE
        parts.append(part)
        sources.append({"file": str(path), "sha256": sha256_of(path), "rows": len(parts[-1][1])})
    X, y, merge = merge_labelled(parts)
    for conflict in merge["conflicts"]:
        print(
            f"fraudrisk: host {conflict['host']} has conflicting labels {conflict['labels']}; kept the newest", file=err
        )
    if len(set(y.tolist())) < 2:
        print("fraudrisk: training needs both fraudulent and legitimate shops", file=err)
        return EXIT_USAGE
    families = tuple(args.families.split(",")) if args.families else tuple(FAMILIES)
    families = tuple(f for f in families if not (args.without_tld and f == "tld"))
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown or not families:
        print(f"fraudrisk: --families must name some of {', '.join(FAMILIES)}; got {args.families!r}", file=err)
        return EXIT_USAGE
    model = train(
        X,
        y,
        random_state=args.seed,
        families=families,
        n_estimators=args.trees,
        progress=progress,
        workers=args.workers,
    )
    oof = model.classifier_.oof_proba_
    metrics = probability_metrics(y, oof)
    card = {
        "data": {
            "sources": sources,
            "merge": {k: v for k, v in merge.items() if k != "conflicts"},
            "conflicting_hosts": len(merge["conflicts"]),
            "rows": int(len(y)),
            "fraudulent": int(y.sum()),
            "legitimate": int(len(y) - y.sum()),
        },
        "metrics": {
            "protocol": "grouped-by-host out-of-fold predictions of the selected ensemble "
            "(calibrator cross-fitted; selection among candidates on the same folds)",
            "results": {"fraudrisk": metrics},
        },
    }
    if len(sources) == 1:
        card["training_data_sha256"] = sources[0]["sha256"]
    if args.base_model:
        champion = load_model(args.base_model)
        champion_metrics = probability_metrics(y, champion.predict_proba(X)[:, 1])
        worse = _worse(metrics, champion_metrics)
        print(_comparison_table({"champion": champion_metrics, "challenger": metrics}), file=out)
        if worse and not args.force:
            print(
                f"fraudrisk: refused: the challenger is worse than {args.base_model} on {'; '.join(worse)}; "
                "nothing written (use --force to write it anyway)",
                file=err,
            )
            return EXIT_REFUSED
        card["champion"] = {"file": str(args.base_model), "metrics": champion_metrics, "worse_on": worse}
    save_model(model, args.output, card=card)
    print(
        f"fraudrisk: wrote {args.output} ({len(y)} shops; out-of-fold ROC AUC {metrics['roc_auc']:.4f}, "
        f"log-loss {metrics['log_loss']:.4f}, accuracy {metrics['accuracy']:.4f})",
        file=err,
    )
    return EXIT_OK


def _worse(challenger, champion):
    reasons = []
    if challenger["log_loss"] > champion["log_loss"]:
        reasons.append(
            f"log-loss {challenger['log_loss']:.4f} vs {champion['log_loss']:.4f} "
            f"(+{challenger['log_loss'] - champion['log_loss']:.4f})"
        )
    if challenger["roc_auc"] < champion["roc_auc"]:
        reasons.append(
            f"ROC AUC {challenger['roc_auc']:.4f} vs {champion['roc_auc']:.4f} "
            f"(-{champion['roc_auc'] - challenger['roc_auc']:.4f})"
        )
    return reasons


def _comparison_table(results):
    names = ("roc_auc", "pr_auc", "accuracy", "log_loss", "brier", "ece", "ece_noise_floor_p90")
    lines = [f"{'metric':22s}" + "".join(f"{name:>16s}" for name in results)]
    for metric in names:
        lines.append(f"{metric:22s}" + "".join(f"{values[metric]:16.4f}" for values in results.values()))
    return "\n".join(lines)


def run_compare(args, out=sys.stdout, err=sys.stderr):
    """Run ``fraudrisk compare``; return the exit code."""
    from fraudrisk.metrics import probability_metrics
    from fraudrisk.persistence import load_model, sha256_of

    labelled = read_labelled_or_report(args.data, args, err)
    if labelled is None:
        return EXIT_FAILURE
    X, y = labelled
    digest = sha256_of(args.data)
    results = {}
    for path in (args.model_a, args.model_b):
        model = load_model(path)
        if model.manifest_.get("training_data_sha256") == digest:
            print(
                f"fraudrisk: warning: {args.data} is the training data of {path}; its figures are optimistic", file=err
            )
        results[str(path)] = probability_metrics(np.asarray(y), model.predict_proba(X)[:, 1])
    print(f"{len(y)} shops, {np.mean(y):.1%} fraudulent", file=out)
    print(_comparison_table(results), file=out)
    return EXIT_OK
