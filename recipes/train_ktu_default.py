"""Recipe of the shipped model: train on the KTU data set and write the model with its card.

Usage (from the project root, with ../shared/data beside it or $FRAUDRISK_DATA_DIR set)::

    python recipes/train_ktu_default.py                  # evaluate, train, write models/
    python recipes/train_ktu_default.py --evaluate-only  # only print the grouped-CV figures

Same data and seed give the same predictions. The figures come from 5-fold cross-validation
grouped by host (no host in two folds) of the whole recipe, ensemble selection and
calibration included, beside a plain random forest on the data set's own columns on the
same folds.
"""

import argparse
import json
import time
from pathlib import Path

from fraudrisk import save_model, train
from fraudrisk.datasets import KTU_OBSERVED_AT, data_dir, load_ktu, load_ktu_columns
from fraudrisk.evaluation import compare_on_folds, outer_folds, plain_forest_fit_predict, recipe_fit_predict
from fraudrisk.metrics import ECE_BINS
from fraudrisk.persistence import SHIPPED_MODEL, library_versions, sha256_of

ROOT = Path(__file__).resolve().parent.parent
SOURCE = {
    "name": "Fraudulent and Legitimate Online Shops Dataset",
    "authors": "A. Janavičiūtė and A. Liutkevičius, Kaunas University of Technology",
    "citation": "Mendeley Data V1, doi:10.17632/m7xtkx7g5m.1 (December 2023)",
    "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
    "attribution": "Model trained on the 'Fraudulent and Legitimate Online Shops Dataset' by "
    "A. Janavičiūtė and A. Liutkevičius (KTU), doi:10.17632/m7xtkx7g5m.1, licensed CC BY 4.0. "
    "The data were transformed into fraudrisk shop records (TrustPilot leak neutralised).",
}
RECIPE, BASELINE = "fraudrisk recipe", "plain random forest on the KTU columns"
METRICS = ("roc_auc", "accuracy", "log_loss", "brier", "ece", "ece_noise_floor_p90")


def evaluate(path, seed):
    """Grouped-by-host 5-fold CV figures of the recipe and the baseline on identical folds."""
    X, y = load_ktu(path)
    folds = outer_folds(X, y, n_splits=5, random_state=seed)
    candidates = {RECIPE: recipe_fit_predict(random_state=seed), BASELINE: plain_forest_fit_predict(seed)}
    inputs = {RECIPE: X, BASELINE: load_ktu_columns(path)}
    return compare_on_folds(candidates, inputs, y, folds)


def print_table(results):
    print(f"{'model':42s}" + "".join(f"{name:>21s}" for name in METRICS))
    for model, metrics in results.items():
        print(f"{model:42s}" + "".join(f"{metrics[name]:21.4f}" for name in METRICS))
    print(
        f"(grouped-by-host 5-fold CV, n={next(iter(results.values()))['n']}; ECE with {ECE_BINS} equal-width "
        "bins; noise floor = 90th percentile of the ECE of perfectly calibrated labels drawn from the "
        "same probabilities, 500 draws)"
    )


def calibration_text(calibration):
    losses = calibration["candidates"]
    chosen = calibration["method"]
    others = ", ".join(f"{name} {loss:.4f}" for name, loss in losses.items() if name != chosen)
    return (
        f"{chosen} on grouped out-of-fold ensemble scores, chosen by {calibration['criterion']} "
        f"({chosen} {losses[chosen]:.4f}" + (f" vs {others})" if others else ")")
    )


def bands_text(bands):
    thresholds = bands["thresholds"]
    parts = [f"{name} from p >= {low:.3f}" for name, low in thresholds]
    targets = "; ".join(f"{name}: {kind} >= {goal:.0%}" for name, (kind, goal) in (bands["targets"] or {}).items())
    return ", ".join(parts) + (f" (chosen on {bands['chosen_on']} to meet {targets})" if targets else "")


def card_markdown(manifest):
    metrics = manifest["metrics"]
    rows = "\n".join(
        f"| {model} | " + " | ".join(f"{values[name]:.4f}" for name in METRICS) + " |"
        for model, values in metrics["results"].items()
    )
    versions = ", ".join(f"{k} {v}" for k, v in manifest["library_versions"].items())
    return f"""# Model card: {manifest["artefact"]}

**What it is.** A calibrated classifier giving the probability that an online shop is fraudulent,
from shop records (see the schema in the README). Ensemble: {manifest["training"]["ensemble"]}, chosen among
{", ".join(manifest["training"]["selection"]["candidates"])} by {manifest["training"]["selection"]["criterion"]};
calibration: {manifest["calibration"]}.
Risk bands: {bands_text(manifest["training"]["bands"])}.

**Data.** {SOURCE["attribution"]} {manifest["training"]["n_records"]} shops
({manifest["training"]["n_fraudulent"]} fraudulent), observed {manifest["observed_at"]}.

**Quality on shops it never saw** ({metrics["protocol"]}):

| model | ROC AUC | accuracy | log-loss | Brier | ECE | ECE noise floor |
| --- | --- | --- | --- | --- | --- | --- |
{rows}

ECE: {metrics["ece_binning"]}. The noise floor is the 90th percentile of the ECE that perfectly
calibrated probabilities would show on the same rows by chance; an ECE under it is
indistinguishable from perfect calibration. Probabilities are calibrated at the training base
rate ({manifest["base_rate"]:.3f}); pass `prevalence=` to re-base them.

**Limits.** Trained on shops seen in August-September 2023, mostly European, half of them
fraudulent. The KTU data have no links, prices, company numbers or trust seals, so this model does
not use them (they are computed, but carry no learned weight). Its contact-e-mail signal is the
data set's own coded value (`ktu_free_email_code`); other data leave it missing.

**Training data.** sha256 `{manifest["training_data_sha256"]}` (the KTU `shops.csv`).

**Artefact.** sha256 `{manifest["sha256"]}`; format version {manifest["format_version"]};
built with {versions}. Features: {len(manifest["features"])} (listed in the JSON card).

Reproduce: `python recipes/train_ktu_default.py` (figures only: `--evaluate-only`).
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="KTU shops.csv (default: DATA_DIR/ktu/shops.csv)")
    parser.add_argument("--out", type=Path, default=ROOT / "models")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaluate-only", action="store_true")
    args = parser.parse_args()
    path = args.data or data_dir() / "ktu" / "shops.csv"
    started = time.time()
    results = evaluate(path, args.seed)
    print_table(results)
    print(f"evaluation took {time.time() - started:.0f} s")
    if args.evaluate_only:
        return
    X, y = load_ktu(path)
    model = train(X, y, random_state=args.seed)
    card = {
        "name": "ktu-default",
        "data_source": SOURCE,
        "observed_at": KTU_OBSERVED_AT.date().isoformat(),
        "training_data_sha256": sha256_of(path),
        "calibration": calibration_text(model.metadata_["calibration"]),
        "metrics": {
            "protocol": "5-fold cross-validation grouped by host, whole recipe refitted per fold",
            "seed": args.seed,
            "ece_binning": f"{ECE_BINS} equal-width bins over [0, 1]",
            "results": results,
        },
    }
    model_path = args.out / SHIPPED_MODEL
    manifest = save_model(model, model_path, card=card)
    model_path.with_suffix(".md").write_text(card_markdown(manifest))
    pinned = ROOT / "src" / "fraudrisk" / "_pinned.py"
    pinned.write_text(
        '"""sha256 of the shipped model file, written by recipes/train_ktu_default.py."""\n\n'
        f'SHIPPED_SHA256 = "{manifest["sha256"]}"\n'
    )
    print(json.dumps({"model": str(model_path), "sha256": manifest["sha256"], "versions": library_versions()}))


if __name__ == "__main__":
    main()
