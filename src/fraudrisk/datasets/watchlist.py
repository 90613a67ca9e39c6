"""Reader of the Watchlist-Internet / Trustpilot shop data (Wang 2025; no licence stated).

Use it for development and evaluation only: a model trained on it must not be shipped.
"""

import gzip
import json

import pandas as pd

from fraudrisk.exceptions import SchemaError


def _price(item):
    discount = item.get("discount") or 0
    return {
        "price": item["price"],
        "currency": item.get("code") or None,
        "discount_percent": discount if discount > 0 else None,
        "struck_through": bool(item.get("hasLineThrough")),
    }


def _open(path):
    return gzip.open(path, "rt", encoding="utf-8") if str(path).endswith(".gz") else open(path, encoding="utf-8")


def load_watchlist(path):
    """Read ``shops.jsonl(.gz)`` (url, isFake, links, prices) as canonical records and labels.

    Parameters
    ----------
    path : str or path-like
        JSON-lines file, gzip-compressed when its name ends in ``.gz``.

    Returns
    -------
    X : pandas.DataFrame
        Canonical records with ``url``, ``links`` and ``prices`` (``observed_at`` unknown).
    y : pandas.Series
        1 for fake, 0 for real.

    Raises
    ------
    SchemaError
        When a line is not JSON or lacks a field; the message names the line.
    """
    records, labels = [], []
    with _open(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                records.append(
                    {
                        "url": raw["url"],
                        "links": list(raw.get("links") or []),
                        "prices": [_price(item) for item in raw.get("prices") or []],
                    }
                )
                labels.append(int(bool(raw["isFake"])))
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise SchemaError(f"watchlist line {number}: cannot read {error!r}", index=number - 1) from None
    return pd.DataFrame.from_records(records), pd.Series(labels, name="fraudulent")
