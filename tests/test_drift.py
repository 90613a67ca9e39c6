"""Population stability: PSI computed by hand, the report, the KTU-vs-watchlist acceptance and the command."""

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from fraudrisk.drift import EPSILON, drift_report, population_stability, status_of
from fraudrisk.exceptions import SchemaError


def test_psi_of_quantile_bins_computed_by_hand():
    # Two bins split at the reference median 5.5: the reference is 50/50, the current 80/20.
    reference = np.arange(1, 11, dtype=float)
    current = np.array([1, 1, 1, 2, 2, 2, 3, 3, 9, 10], dtype=float)
    expected = (0.8 - 0.5) * math.log(0.8 / 0.5) + (0.2 - 0.5) * math.log(0.2 / 0.5)
    assert population_stability(reference, current, bins=2) == pytest.approx(expected)


def test_psi_of_a_binary_column_computed_by_hand():
    # One bin per value: 75/25 in the reference, 25/75 now.
    expected = (0.25 - 0.75) * math.log(0.25 / 0.75) + (0.75 - 0.25) * math.log(0.75 / 0.25)
    assert population_stability([0, 0, 0, 1], [0, 1, 1, 1]) == pytest.approx(expected)
    assert expected == pytest.approx(math.log(3))


def test_identical_samples_are_stable():
    values = np.random.default_rng(0).normal(size=500)
    values[::7] = np.nan
    psi = population_stability(values, values.copy())
    assert psi == pytest.approx(0.0, abs=1e-12)
    assert status_of(psi) == "stable"


def test_missing_values_have_their_own_bin():
    # Same values where present, but half of the current sample is missing.
    expected = (0.5 - EPSILON) * math.log(0.5 / EPSILON) + 2 * (0.25 - 0.5) * math.log(0.25 / 0.5)
    assert population_stability([0, 1, 0, 1], [0, 1, np.nan, np.nan]) == pytest.approx(expected)
    assert population_stability([np.nan, np.nan], [np.nan, np.nan]) == 0.0


def test_values_the_reference_never_had_are_drift():
    # A constant column that changed value: one bin per reference value plus one for the rest.
    expected = 2 * (1 - EPSILON) * math.log(1 / EPSILON)
    assert population_stability([1.0] * 10, [0.0] * 10) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("psi", "status"),
    [(0.0, "stable"), (0.0999, "stable"), (0.1, "moderate"), (0.2499, "moderate"), (0.25, "major"), (7.0, "major")],
)
def test_thresholds_map_to_statuses(psi, status):
    assert status_of(psi) == status


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="bins must be a whole number of at least 2, got 1"):
        population_stability([1, 2], [1, 2], bins=1)
    with pytest.raises(ValueError, match="the current sample is empty"):
        population_stability([1, 2], [])


def _shops(n, **fields):
    return [{"url": f"https://shop{i}.example.be", **fields} for i in range(n)]


def test_report_counts_invalid_records_and_names_the_first():
    reference = _shops(20, whois_hidden=False, has_logo=True)
    current = _shops(20, whois_hidden=True, has_logo=True)
    current[3]["tranco_rank"] = -4
    report = drift_report(reference, current, sources=("ref.csv", "cur.csv"))
    assert report.samples["current"]["skipped"] == 1
    assert report.samples["current"]["rows"] == 19
    assert "shop record 3: field 'tranco_rank'" in report.samples["current"]["first_error"]
    assert report.samples["reference"] == {"source": "ref.csv", "rows": 20, "skipped": 0, "first_error": None}
    rows = {row.name: row for row in report.features}
    assert rows["registration_whois_hidden"].status == "major"
    assert rows["identity_logo"].status == "stable"
    text = report.to_text()
    assert "cur.csv (19 shops)" in text
    assert "current: 1 invalid records skipped; first: shop record 3: field 'tranco_rank'" in text
    document = json.loads(json.dumps(report.to_dict()))
    assert document["features"][0]["name"] == "registration_whois_hidden"
    assert sum(document["counts"].values()) == len(report.features)
    assert document["thresholds"] == {"moderate": 0.1, "major": 0.25}


def test_a_sample_without_valid_records_is_an_error():
    with pytest.raises(SchemaError, match=r"cur.csv: no valid shop records \(2 invalid; first: shop record 0: field"):
        drift_report(_shops(3), [{"url": 5}, {"url": 5}], sources=("ref.csv", "cur.csv"))


def test_same_records_give_a_stable_report():
    shops = _shops(30, whois_hidden=False, payment_methods=["paypal"])
    report = drift_report(shops, list(reversed(shops)))
    assert {row.status for row in report.features} == {"stable"}
    assert report.score.psi == pytest.approx(0.0, abs=1e-12)
    assert f"{len(report.features)} of {len(report.features)} features stable" in report.to_text()


@pytest.fixture(scope="module")
def ktu_vs_watchlist(ktu, watchlist_path):
    from fraudrisk.datasets import load_watchlist

    watchlist, _ = load_watchlist(watchlist_path)
    return drift_report(ktu[0], watchlist.iloc[:1500], sources=("ktu", "watchlist"))


def test_ktu_vs_watchlist_flags_what_really_differs(ktu_vs_watchlist):
    rows = {row.name: row for row in ktu_vs_watchlist.features}
    # KTU has WHOIS, TLS, payments and no links or prices; the watchlist the other way round.
    # Its URLs are "http://" (not https) and mostly without "www.".
    for name in (
        "registration_age_days",
        "tls_days_to_expiry",
        "payment_credit_card",
        "links_count",
        "prices_count",
        "prices_discounted_share",
        "domain_https",
        "domain_uses_www",
    ):
        assert rows[name].status == "major", name
    assert rows["links_count"].reference_missing == 1.0 and rows["links_count"].current_missing == 0.0
    assert rows["tls_days_to_expiry"].reference_missing == 0.0 and rows["tls_days_to_expiry"].current_missing == 1.0
    # Missing in both, absent in both, and the same lexical make-up of domain names.
    for name in ("contact_email_count", "identity_enterprise_number_shown", "domain_digits", "domain_hyphens"):
        assert rows[name].status == "stable", name
    assert ktu_vs_watchlist.score.status == "major"
    assert ktu_vs_watchlist.samples["current"]["rows"] == 1500


def test_ktu_vs_watchlist_text_lists_most_drifted_first(ktu_vs_watchlist):
    lines = ktu_vs_watchlist.to_text().splitlines()
    table = [line.split() for line in lines if line.split() and line.split()[-1].endswith("%")]
    assert table[0][0] == "score"
    psis = [float(row[1]) for row in table[1:]]
    assert psis == sorted(psis, reverse=True) and min(psis) >= 0.1
    assert "links_count" in {row[0] for row in table} and "domain_digits" not in {row[0] for row in table}


def _drift(*args):
    return subprocess.run(
        [sys.executable, "-m", "fraudrisk.cli", "drift", *map(str, args)], capture_output=True, text=True, timeout=300
    )


@pytest.fixture()
def two_files(tmp_path):
    reference = pd.DataFrame(_shops(25, whois_hidden="false", has_logo="true"))
    reference.insert(0, "shop_id", range(25))
    current = pd.DataFrame(_shops(25, whois_hidden="true", has_logo="true"))
    current.loc[4, "has_logo"] = "maybe"
    paths = tmp_path / "reference.csv", tmp_path / "current.csv"
    reference.to_csv(paths[0], index=False)
    current.to_csv(paths[1], index=False)
    return paths


def test_command_prints_the_table_and_writes_json(two_files, tmp_path):
    target = tmp_path / "drift.json"
    done = _drift(*two_files, "--json", target)
    assert done.returncode == 0, done.stderr
    assert "registration_whois_hidden" in done.stdout and "major" in done.stdout
    rows = [line.split() for line in done.stdout.splitlines() if line.endswith("%")]
    assert [row[0] for row in rows] == ["score", "registration_whois_hidden"]
    assert "current: 1 invalid records skipped; first: shop record 4: field 'has_logo'" in done.stdout
    assert f"wrote {target}" in done.stderr
    document = json.loads(target.read_text())
    assert set(document["score"]) == {"name", "psi", "status", "reference_missing", "current_missing"}
    assert document["samples"]["current"]["rows"] == 24


def test_command_json_to_stdout(two_files):
    done = _drift(*two_files, "--json", "-", "--bins", "5")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["bins"] == 5 and document["score"]["name"] == "score"


def test_command_names_a_missing_file(two_files, tmp_path):
    missing = tmp_path / "nowhere.csv"
    done = _drift(two_files[0], missing)
    assert done.returncode == 1
    assert f"cannot read {missing}" in done.stderr


def test_command_refuses_too_few_bins(two_files):
    done = _drift(*two_files, "--bins", "1")
    assert done.returncode == 2
    assert "--bins: must be a whole number of at least 2, got '1'" in done.stderr
