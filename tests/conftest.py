"""Shared fixtures: the shared data sets (skipped where absent) and a small trained model; hypothesis settings."""

import os
import tempfile
from pathlib import Path

import hypothesis
import pytest

# Property tests keep no example database and cache hypothesis' Unicode tables in the temp
# directory, so a test run never writes a .hypothesis directory into the checkout.
hypothesis.configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "fraudrisk-hypothesis")
hypothesis.settings.register_profile("fraudrisk", database=None, deadline=None, print_blob=True)
hypothesis.settings.load_profile("fraudrisk")

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FRAUDRISK_DATA_DIR", ROOT.parent / "shared" / "data"))
KTU = DATA_DIR / "ktu" / "shops.csv"
WATCHLIST = DATA_DIR / "watchlist" / "shops.jsonl.gz"
EXAMPLES = ROOT / "examples" / "shops.csv"


def _need(path):
    if not path.is_file():
        pytest.skip(f"shared data {path} is absent (set FRAUDRISK_DATA_DIR or put ../shared/data beside the repo)")
    return path


@pytest.fixture(scope="session")
def ktu_path():
    return _need(KTU)


@pytest.fixture(scope="session")
def watchlist_path():
    return _need(WATCHLIST)


@pytest.fixture(scope="session")
def ktu(ktu_path):
    from fraudrisk.datasets import load_ktu

    return load_ktu(ktu_path)


@pytest.fixture(scope="session")
def small_model(ktu):
    """A quick model on the KTU data (few trees, one candidate) for behaviour tests."""
    from fraudrisk import train

    X, y = ktu
    return train(X, y, ensembles=("random_forest",), n_estimators=40, cv=3, random_state=0)


@pytest.fixture(scope="session")
def shipped():
    from fraudrisk import load_model

    return load_model()


@pytest.fixture()
def belgian_shop():
    return {
        "url": "https://www.chocolaterie-example.be",
        "observed_at": "2026-11-20",
        "domain_registered_at": "2009-03-14",
        "whois_hidden": False,
        "tls_issuer_org": "Sectigo Limited",
        "tls_not_after": "2027-06-01",
        "payment_methods": ["bancontact", "credit_card", "paypal"],
        "contact_emails": ["info@chocolaterie-example.be"],
        "has_logo": True,
        "trustpilot_reviews": 120,
        "trustpilot_score": 4.5,
        "enterprise_number": "BE 0403.170.701",
        "country": "BE",
    }
