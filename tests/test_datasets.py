from datetime import datetime

from fraudrisk.datasets import KTU_OBSERVED_AT, load_ktu, load_ktu_columns, load_watchlist
from fraudrisk.schema import validate_records


def test_ktu_records(ktu_path):
    X, y = load_ktu(ktu_path)
    assert len(X) == len(y) == 807 and int(y.sum()) == 406
    assert (X["observed_at"] == KTU_OBSERVED_AT).all() and KTU_OBSERVED_AT == datetime(2023, 9, 1)
    validate_records(X)  # every record follows the schema


def test_ktu_trustpilot_leak_is_neutralised(ktu_path):
    X, y = load_ktu(ktu_path)
    no_reviews = X["trustpilot_reviews"] == 0
    # Blank (fraudulent) and -1 (legitimate) both mean "no reviews": both become missing.
    assert X.loc[no_reviews, "trustpilot_score"].isna().all()
    assert set(y[no_reviews]) == {0, 1}


def test_ktu_columns_baseline_has_no_leak(ktu_path):
    columns = load_ktu_columns(ktu_path)
    assert len(columns) == 807 and "TrustPilot score" in columns
    assert not (columns["TrustPilot score"] == -2).any()


def test_watchlist_records(watchlist_path):
    X, y = load_watchlist(watchlist_path)
    assert len(X) == len(y) == 4051 and int(y.sum()) == 1555
    records = validate_records(X.head(200))
    assert all("links" in record and "prices" in record for record in records)
