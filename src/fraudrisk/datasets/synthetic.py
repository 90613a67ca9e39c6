"""Synthetic shop records for benchmarks and scale tests. They are made up: never train on them."""

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

_WORDS = ("fiets", "bakker", "mode", "keuken", "tuin", "boek", "sport", "schoen", "choco", "koffie", "lamp",
          "outdoor", "baby", "speel", "wijn", "kaas", "bloem", "huis", "auto", "foto")  # fmt: skip
_SCAM_WORDS = ("outlet", "sale", "cheap", "official", "deals", "store", "shop", "discount")
_SUFFIXES = ("be", "com", "nl", "de", "fr", "eu", "shop", "store", "online")
_ISSUERS = ("Let's Encrypt", "Sectigo Limited", "DigiCert Inc", "Google Trust Services LLC", "GlobalSign nv-sa")
_SITES = ("https://www.facebook.com/{}", "https://www.instagram.com/{}", "https://t.me/{}", "https://wa.me/32{}",
          "https://www.paypal.com/{}", "https://www.googletagmanager.com/gtm.js?id={}",
          "https://cdn.jsdelivr.net/npm/{}.js", "https://www.trustpilot.com/review/{}")  # fmt: skip


def _shop(rng, fraud, observed, links_heavy):
    name = "-".join(rng.choice(_WORDS, size=rng.integers(1, 3)))
    if fraud and rng.random() < 0.6:
        name += "-" + rng.choice(_SCAM_WORDS)
    suffix = rng.choice(_SUFFIXES[5:] if fraud and rng.random() < 0.4 else _SUFFIXES[:5])
    host = f"{name}{rng.integers(0, 10_000)}.{suffix}"
    age = int(rng.integers(3, 200) if fraud else rng.integers(200, 8000))
    record = {"url": f"https://www.{host}", "observed_at": observed.isoformat()}
    maybe = rng.random(12) > 0.15  # each optional field is missing 15 % of the time
    if maybe[0]:
        record["domain_registered_at"] = (observed - timedelta(days=age)).date().isoformat()
    if maybe[1]:
        record["whois_hidden"] = bool(rng.random() < (0.5 if fraud else 0.2))
    if maybe[2]:
        record["tls_issuer_org"] = str(rng.choice(_ISSUERS[:1] + _ISSUERS[3:4] if fraud else _ISSUERS))
        record["tls_not_after"] = (observed + timedelta(days=int(rng.integers(5, 365)))).date().isoformat()
    if maybe[3]:
        pool = ["crypto", "money_transfer", "bank_transfer"] if fraud else ["bancontact", "credit_card", "paypal"]
        record["payment_methods"] = sorted(set(rng.choice(pool, size=rng.integers(1, 3)).tolist()))
    if maybe[4]:
        record["contact_emails"] = [f"{name[:10]}@{'gmail.com' if fraud else host}"]
    if maybe[5]:
        record["has_logo"] = bool(rng.random() < 0.9)
    if maybe[6]:
        reviews = 0 if fraud else int(rng.integers(0, 500))
        record["trustpilot_reviews"] = reviews
        if reviews:
            record["trustpilot_score"] = round(float(rng.uniform(3, 5)), 1)
    if maybe[7] and not fraud and rng.random() < 0.05:
        record["tranco_rank"] = int(rng.integers(1000, 1_000_000))
    n_links = int(rng.integers(80, 300) if links_heavy else rng.integers(5, 30))
    if maybe[8]:
        internal = [f"https://www.{host}/{rng.choice(_WORDS)}/{i}" for i in range(n_links)]
        external = [str(rng.choice(_SITES)).format(name[:8]) for _ in range(int(rng.integers(1, 8)))]
        record["links"] = internal + external
    if maybe[9]:
        record["prices"] = [
            {
                "price": round(float(rng.lognormal(3.5, 1.0)), 2),
                "currency": "EUR",
                "discount_percent": float(rng.integers(50, 90)) if fraud and rng.random() < 0.7 else None,
            }
            for _ in range(int(rng.integers(20, 120) if links_heavy else rng.integers(0, 12)))
        ]
    if maybe[10] and suffix == "be":
        record["country"] = "BE"
    return record


def make_shops(n, seed=0, fraud_rate=0.1, links_heavy=False, observed_at=datetime(2026, 11, 20)):
    """Generate ``n`` synthetic shop records with labels, for benchmarks and scale tests.

    The records are **synthetic**: shaped like real ones (every schema field filled the way
    shops fill them, 15 % of optional fields missing), but made up. Do not train or evaluate a
    model on them.

    Parameters
    ----------
    n : int
        Number of shops.
    seed : int, default=0
        Same seed, same shops.
    fraud_rate : float, default=0.1
        Share of fraudulent-looking shops.
    links_heavy : bool, default=False
        Home pages with 80-300 links and 20-120 prices (like scraped pages) instead of a few.
    observed_at : datetime
        Observation time of every record.

    Returns
    -------
    X : pandas.DataFrame
        Shop records (list fields as lists).
    y : ndarray of {0, 1}

    Examples
    --------
    >>> X, y = make_shops(5, seed=1)
    >>> len(X), sorted(set(y.tolist())) <= [0, 1]
    (5, True)
    """
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < fraud_rate).astype(int)
    return pd.DataFrame.from_records([_shop(rng, bool(label), observed_at, links_heavy) for label in y]), y
