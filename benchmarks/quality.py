"""Quality benchmark: grouped-by-host 5-fold CV on both shared data sets, fraudrisk beside a plain
random forest baseline on identical folds.

Usage (from the project root, with ../shared/data beside it or $FRAUDRISK_DATA_DIR set)::

    python benchmarks/quality.py [--seed 0] [--only ktu|watchlist]

``--without-tld`` runs only the recipe without the top-level-domain features, to see how much
the figures lean on the TLD (a shortcut that does not generalise). ``--large-data-recipe`` runs
only the recipe ``train`` uses from 20,000 records on (random forest only, 3 calibration folds),
with each tree drawing a fifth of the rows, as 20,000 rows per tree are of 100,000 records: the
cost in quality of the large-data recipe at its most frugal, on data small enough to measure.

Prints one table per data set, at the rows' own base rate and as at a 1 % base rate
(importance-weighted). Every figure is out of fold: no shop is predicted by a model that saw
its host. Baselines: on KTU, a 300-tree random forest on the data set's own columns (TrustPilot
leak neutralised); on the watchlist data, the same forest on simple URL / link / price counts.
"""

import argparse
import time
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from fraudrisk.datasets import data_dir, load_ktu, load_ktu_columns, load_watchlist
from fraudrisk.evaluation import cross_validated_proba, outer_folds, plain_forest_fit_predict, recipe_fit_predict
from fraudrisk.features import FAMILIES
from fraudrisk.report import evaluate_predictions

COLUMNS = [
    ("roc_auc", "ROC AUC"),
    ("pr_auc", "PR AUC"),
    ("accuracy", "acc"),
    ("log_loss", "log-loss"),
    ("brier", "Brier"),
    ("ece", "ECE"),
    ("ece_noise_floor_p90", "ECE floor"),
    ("recall_at_1pct_fpr", "rec@1%FPR"),
]


def simple_counts(X):
    """Plain counts a first model would use: URL length and characters, links, prices."""
    rows = []
    for url, links, prices in zip(X["url"], X["links"], X["prices"], strict=True):
        host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
        values = [p["price"] for p in prices]
        rows.append(
            {
                "url_length": len(url),
                "host_dots": host.count("."),
                "host_hyphens": host.count("-"),
                "host_digits": sum(c.isdigit() for c in host),
                "links": len(links),
                "external_links": sum(1 for link in links if host not in link),
                "prices": len(prices),
                "mean_price": float(np.mean(values)) if values else -1.0,
                "discounted": sum(1 for p in prices if p.get("discount_percent")),
                "struck": sum(1 for p in prices if p.get("struck_through")),
            }
        )
    return pd.DataFrame(rows)


def table(title, reports):
    print(f"\n{title}")
    print(f"{'model':44s}" + "".join(f"{label:>11s}" for _, label in COLUMNS) + f"{'slope (90% CI)':>26s}")
    for name, report in reports.items():
        metrics, calibration = report.metrics, report.calibration
        low, high = calibration["slope_ci90"]
        print(
            f"{name:44s}"
            + "".join(f"{metrics[key]:11.4f}" for key, _ in COLUMNS)
            + f"{calibration['slope']:>12.3f} ({low:.3f}-{high:.3f})"
        )


def run(name, X, y, baseline_name, baseline_X, seed, without_tld=False, large_data_recipe=False):
    started = time.time()
    y = np.asarray(y, dtype=int)
    folds = outer_folds(X, y, n_splits=5, random_state=seed)
    if large_data_recipe:
        recipe = recipe_fit_predict(random_state=seed, ensembles=("random_forest",), cv=3, max_samples=0.2)
        predictions = {"large-data recipe, 1/5 of the rows per tree": cross_validated_proba(recipe, X, y, folds)}
    elif without_tld:
        families = tuple(family for family in FAMILIES if family != "tld")
        recipe = recipe_fit_predict(random_state=seed, families=families)
        predictions = {"fraudrisk recipe without TLD": cross_validated_proba(recipe, X, y, folds)}
    else:
        predictions = {
            "fraudrisk recipe": cross_validated_proba(recipe_fit_predict(random_state=seed), X, y, folds),
            baseline_name: cross_validated_proba(plain_forest_fit_predict(seed), baseline_X, y, folds),
        }
    for prevalence in (None, 0.01):
        label = "rows' own base rate" if prevalence is None else "as at a 1 % base rate (importance weights)"
        reports = {
            model: evaluate_predictions(y, proba, prevalence=prevalence, model_rate=float(y.mean()))
            for model, proba in predictions.items()
        }
        table(f"{name}: {len(y)} shops, {y.mean():.1%} fraudulent, 5-fold CV grouped by host, {label}", reports)
    print(f"({name} took {time.time() - started:.0f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=("ktu", "watchlist"))
    parser.add_argument(
        "--without-tld",
        action="store_true",
        help="run only the recipe without the top-level-domain features (the shortcut check)",
    )
    parser.add_argument(
        "--large-data-recipe",
        action="store_true",
        help="run only train's large-data recipe (forest only, 3 folds, a fifth of the rows per tree)",
    )
    args = parser.parse_args()
    options = {"without_tld": args.without_tld, "large_data_recipe": args.large_data_recipe}
    root = data_dir()
    print(
        "ECE: 15 equal-width bins; floor: 90th percentile of the ECE of labels drawn from the "
        "probabilities themselves (500 draws), weighted like the measured ECE."
    )
    if args.only in (None, "ktu"):
        X, y = load_ktu(root / "ktu" / "shops.csv")
        baseline = load_ktu_columns(root / "ktu" / "shops.csv")
        run("KTU", X, y, "plain RF on the KTU columns", baseline, args.seed, **options)
    if args.only in (None, "watchlist"):
        X, y = load_watchlist(root / "watchlist" / "shops.jsonl.gz")
        run("watchlist", X, y, "plain RF on URL/link/price counts", simple_counts(X), args.seed, **options)


if __name__ == "__main__":
    main()
