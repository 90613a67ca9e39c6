"""Writing an :class:`~fraudrisk.report.EvaluationReport` as JSON, Markdown and PNG plots.

The plots need matplotlib (``pip install "fraudrisk[plots]"``); JSON and Markdown do not.
"""

import json
from pathlib import Path

_METRIC_NAMES = {
    "roc_auc": "ROC AUC",
    "pr_auc": "PR AUC",
    "accuracy": "accuracy (p >= 0.5)",
    "log_loss": "log-loss",
    "brier": "Brier score",
    "brier_skill": "Brier skill score",
    "recall_at_1pct_fpr": "recall at 1 % FPR",
}


def _fmt(value):
    return "-" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def to_markdown(report, title="Evaluation report"):
    """The report as Markdown text."""
    m, c, s = report.metrics, report.calibration, report.setting
    verdict = "under" if m["ece"] <= m["ece_noise_floor_p90"] else "ABOVE"
    lines = [
        f"# {title}",
        "",
        f"Source: {s['source'] or 'predictions'}; {s['n']} shops, {s['rows_base_rate']:.1%} fraudulent; "
        f"evaluated as at a base rate of {s['evaluated_at_base_rate']:.2%} ({s['weighting']}).",
        "",
        "| metric | value |",
        "| --- | --- |",
        *(f"| {label} | {_fmt(m[key])} |" for key, label in _METRIC_NAMES.items()),
        f"| ECE ({s['ece_binning']}) | {_fmt(m['ece'])} |",
        f"| ECE noise floor (p90) | {_fmt(m['ece_noise_floor_p90'])} |",
        f"| calibration slope (90 % CI) | {c['slope']:.3f} ({c['slope_ci90'][0]:.3f} - {c['slope_ci90'][1]:.3f}) |",
        f"| calibration slope if perfectly calibrated (90 % range) | {c['slope_if_calibrated_90'][0]:.3f} - "
        f"{c['slope_if_calibrated_90'][1]:.3f} |",
        f"| calibration intercept (90 % CI) | {c['intercept']:.3f} "
        f"({c['intercept_ci90'][0]:.3f} - {c['intercept_ci90'][1]:.3f}) |",
        "",
        f"The ECE is {verdict} its noise floor: {s['ece_noise_floor']}. On a few hundred shops a raw "
        "ECE is mostly noise; only an ECE above the floor is evidence of miscalibration. Likewise, a "
        "calibration slope inside its 'if perfectly calibrated' range is no evidence against calibration.",
        "",
        "| band | from p | share of shops | fraud rate inside | precision (this band and above) | recall |",
        "| --- | --- | --- | --- | --- | --- |",
        *(
            f"| {b['band']} | {b['lower_bound']:.3f} | {b['share']:.1%} | {_fmt(b['fraud_rate_inside'])} | "
            f"{_fmt(b['precision_at_and_above'])} | {_fmt(b['recall_at_and_above'])} |"
            for b in report.bands
        ),
        "",
    ]
    return "\n".join(lines)


def _plots(report, directory):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5, 5), dpi=110)
    points = report.reliability
    axis.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect calibration")
    means = [p["mean_probability"] for p in points]
    observed = [p["observed_rate"] for p in points]
    ranges = [[p["mean_probability"]] * 2 for p in points]
    for x, p in zip(ranges, points, strict=True):
        axis.plot(x, p["calibrated_range_90"], color="tab:orange", linewidth=6, alpha=0.35, solid_capstyle="butt")
    axis.plot([], [], color="tab:orange", linewidth=6, alpha=0.35, label="90 % range if perfectly calibrated")
    axis.scatter(means, observed, s=[12 + 3 * p["rows"] ** 0.5 for p in points], zorder=3, label="bins (area ~ shops)")
    metrics = report.metrics
    axis.set(
        xlabel="predicted probability of fraud",
        ylabel="observed share of fraudulent shops",
        xlim=(0, 1),
        ylim=(0, 1),
        title=f"Reliability: ECE {metrics['ece']:.3f} (noise floor {metrics['ece_noise_floor_p90']:.3f})",
    )
    axis.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(directory / "reliability.png")
    plt.close(figure)

    figure, axis = plt.subplots(figsize=(6, 3.5), dpi=110)
    edges = report.distribution["edges"]
    for label, color in (("legitimate", "tab:green"), ("fraudulent", "tab:red")):
        axis.hist(edges[:-1], bins=edges, weights=report.distribution[label], alpha=0.6, color=color, label=label)
    axis.set(xlabel="predicted probability of fraud", ylabel="shops", title="Scores by class")
    axis.legend()
    figure.tight_layout()
    figure.savefig(directory / "scores.png")
    plt.close(figure)


def write_report(report, directory, title="Evaluation report"):
    """Write report.json, report.md and (with matplotlib) reliability.png and scores.png.

    Parameters
    ----------
    report : EvaluationReport
        What to write.
    directory : str or path-like
        Created if needed.
    title : str
        Title of the Markdown report.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "report.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n")
    markdown = to_markdown(report, title)
    written = [directory / "report.json", directory / "report.md"]
    try:
        _plots(report, directory)
        written += [directory / "reliability.png", directory / "scores.png"]
        markdown += "\n![reliability diagram](reliability.png)\n\n![scores by class](scores.png)\n"
    except ImportError:
        markdown += '\n(Plots skipped: matplotlib is not installed; `pip install "fraudrisk[plots]"`.)\n'
    (directory / "report.md").write_text(markdown)
    return written
