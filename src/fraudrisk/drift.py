"""Population stability (PSI) of each feature and of the score: has the population drifted?

PSI compares how a reference sample (say, the training shops) and a current sample spread over
the same bins: ``sum((current - reference) * ln(current / reference))`` over the bin shares.
The usual reading: below 0.1 stable, 0.1 to 0.25 a moderate shift, 0.25 or more a major shift
— the signal to look at the data and retrain.
"""

from dataclasses import asdict, dataclass

import numpy as np

from fraudrisk.exceptions import SchemaError
from fraudrisk.schema import iter_raw_records, validate_record

MODERATE, MAJOR = 0.1, 0.25
"""PSI thresholds: below ``MODERATE`` stable, from ``MAJOR`` on a major shift."""

EPSILON = 1e-4
"""Share given to an empty bin so that its logarithm is finite. A bin empty in both samples
adds nothing; a bin empty in one only adds about ``share * ln(share / EPSILON)``."""


def status_of(psi):
    """``"stable"`` below 0.1, ``"moderate"`` below 0.25, else ``"major"``."""
    return "stable" if psi < MODERATE else "moderate" if psi < MAJOR else "major"


def _cuts(present, bins):
    """The distinct reference values when there are at most ``bins`` (discrete), else quantile edges."""
    distinct = np.unique(present)
    if len(distinct) <= bins:
        return distinct, True
    # Ties make repeated quantile edges, which are merged.
    return np.unique(np.quantile(present, np.arange(1, bins) / bins)), False


def _bin_counts(sample, cuts, discrete):
    """Counts per bin: bin 0 holds NaN; for discrete cuts the last bin holds values not among them."""
    present = sample[~np.isnan(sample)]
    position = np.searchsorted(cuts, present, side="left")
    if discrete:
        known = np.append(cuts, np.nan)[position] == present
        position = np.where(known, position, len(cuts))
    counts = np.bincount(position + 1, minlength=len(cuts) + 2)
    counts[0] = len(sample) - len(present)
    return counts


def population_stability(reference, current, bins=10):
    """Population stability index of one numeric column.

    Bins come from the reference: NaN ("missing") has its own bin; a column with at most
    ``bins`` distinct reference values (constant, binary, small counts) gets one bin per value
    plus one for values the reference never had; any other column gets ``bins`` quantile bins of
    the reference (repeated edges merged). An empty bin counts as a share of :data:`EPSILON`.

    Parameters
    ----------
    reference, current : array-like of float
        The two samples; NaN means missing.
    bins : int, default=10
        Number of quantile bins (at least 2).

    Returns
    -------
    float
        0 for identical distributions; see :func:`status_of` for its reading.

    Raises
    ------
    ValueError
        When a sample is empty or ``bins`` is below 2.

    Examples
    --------
    >>> round(population_stability([0, 0, 1, 1], [0, 0, 1, 1]), 6)
    0.0
    >>> round(population_stability([1, 2, 3, 4], [1, 1, 2, 3], bins=2), 4)
    0.2747
    """
    if int(bins) != bins or bins < 2:
        raise ValueError(f"bins must be a whole number of at least 2, got {bins!r}")
    samples = [np.asarray(sample, dtype=np.float64).ravel() for sample in (reference, current)]
    for name, sample in zip(("reference", "current"), samples, strict=True):
        if not len(sample):
            raise ValueError(f"the {name} sample is empty")
    cuts, discrete = _cuts(samples[0][~np.isnan(samples[0])], int(bins))
    ref_share, cur_share = (np.maximum(_bin_counts(s, cuts, discrete) / len(s), EPSILON) for s in samples)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


@dataclass(frozen=True)
class ColumnDrift:
    """PSI of one feature (or of the score), its reading and the share missing in each sample."""

    name: str
    psi: float
    status: str
    reference_missing: float
    current_missing: float


@dataclass(frozen=True)
class DriftReport:
    """Population stability of every feature and of the score between two samples of shops.

    Attributes
    ----------
    features : tuple of ColumnDrift
        One row per model feature, in the model's feature order.
    score : ColumnDrift
        The PSI of the model's probability of fraud.
    samples : dict
        Per sample (``"reference"``, ``"current"``): its ``source`` name, ``rows`` used,
        ``skipped`` invalid records and the ``first_error`` among them (or None).
    bins : int
    """

    features: tuple
    score: ColumnDrift
    samples: dict
    bins: int

    def most_drifted(self):
        """Feature rows by decreasing PSI (feature order among equals)."""
        return sorted(self.features, key=lambda row: -row.psi)

    def to_dict(self):
        """A JSON-serialisable dict: thresholds, samples, score and features (most drifted first)."""
        statuses = [row.status for row in self.features]
        return {
            "thresholds": {"moderate": MODERATE, "major": MAJOR},
            "bins": self.bins,
            "samples": self.samples,
            "score": asdict(self.score),
            "counts": {status: statuses.count(status) for status in ("stable", "moderate", "major")},
            "features": [asdict(row) for row in self.most_drifted()],
        }

    def to_text(self):
        """A table of the score and the drifted features, most drifted first; stable ones counted."""
        ref, cur = self.samples["reference"], self.samples["current"]
        lines = [f"reference: {ref['source']} ({ref['rows']} shops); current: {cur['source']} ({cur['rows']} shops)"]
        for name, sample in (("reference", ref), ("current", cur)):
            if sample["skipped"]:
                lines.append(f"{name}: {sample['skipped']} invalid records skipped; first: {sample['first_error']}")
        header = f"{'column':40s} {'PSI':>8s}  {'status':8s} {'missing ref':>11s} {'missing cur':>11s}"
        lines += ["", header, "-" * len(header)]
        drifted = [row for row in self.most_drifted() if row.status != "stable"]
        for row in [self.score, *drifted]:
            lines.append(
                f"{row.name:40s} {row.psi:8.3f}  {row.status:8s} "
                f"{row.reference_missing:11.1%} {row.current_missing:11.1%}"
            )
        stable = len(self.features) - len(drifted)
        lines += [
            "",
            f"{stable} of {len(self.features)} features stable (PSI < {MODERATE}, not listed); "
            f"{len(drifted)} drifted (moderate from {MODERATE}, major from {MAJOR}).",
        ]
        return "\n".join(lines)


def _valid_records(records, source):
    """Canonical records that pass the schema, how many did not, and the first error."""
    from fraudrisk._table_validation import without_read_error

    valid, skipped, first_error = [], 0, None
    for index, raw in enumerate(iter_raw_records(records)):
        try:
            valid.append(validate_record(without_read_error(raw, index), index))
        except SchemaError as error:
            skipped += 1
            first_error = first_error or str(error)
    if not valid:
        raise SchemaError(f"{source}: no valid shop records ({skipped} invalid; first: {first_error or 'none'})")
    return valid, {"source": str(source), "rows": len(valid), "skipped": skipped, "first_error": first_error}


def _row(name, reference, current, bins):
    psi = population_stability(reference, current, bins)
    return ColumnDrift(name, psi, status_of(psi), float(np.isnan(reference).mean()), float(np.isnan(current).mean()))


def drift_report(reference_records, current_records, model=None, *, bins=10, sources=("reference", "current")):
    """Population stability of every model feature and of the score.

    Records that break the schema are not silently dropped: they are skipped, counted and the
    first error is kept in ``DriftReport.samples``. A sample with no valid record is an error.

    Parameters
    ----------
    reference_records, current_records : list of dict or pandas.DataFrame
        Shop records (see :mod:`fraudrisk.schema`): the reference (e.g. the training shops)
        and the shops seen now.
    model : FraudRiskModel, optional
        Its featurizer and probabilities are compared; default: the shipped model.
    bins : int, default=10
        Quantile bins per column (see :func:`population_stability`).
    sources : tuple of str, default=("reference", "current")
        Names of the two samples (file names, say) for the report and error messages.

    Returns
    -------
    DriftReport

    Raises
    ------
    SchemaError
        When a sample has no valid record; the message names the sample.

    Examples
    --------
    >>> shops = [{"url": "https://a.example.be"}, {"url": "https://b-cheap-outlet.shop"}]
    >>> report = drift_report(shops, shops)
    >>> report.score.status, {row.status for row in report.features}
    ('stable', {'stable'})
    """
    from fraudrisk.scoring import shipped_model

    model = model or shipped_model()
    samples, matrices, scores = {}, [], []
    for name, records, source in zip(
        ("reference", "current"), (reference_records, current_records), sources, strict=True
    ):
        valid, samples[name] = _valid_records(records, source)
        matrices.append(model.featurizer_.transform_canonical(valid))
        scores.append(model.predict_proba_features(matrices[-1]))
    names = model.featurizer_.get_feature_names_out()
    reference, current = matrices
    features = tuple(_row(str(name), reference[:, i], current[:, i], bins) for i, name in enumerate(names))
    return DriftReport(features, _row("score", *scores, bins), samples, int(bins))
