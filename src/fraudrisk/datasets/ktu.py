"""Reader of the KTU "Fraudulent and Legitimate Online Shops" data set (CC BY 4.0).

Janavičiūtė and Liutkevičius, Kaunas University of Technology, Mendeley Data V1,
doi:10.17632/m7xtkx7g5m.1 (2023).
"""

from datetime import datetime

import pandas as pd

from fraudrisk.exceptions import SchemaError

KTU_OBSERVED_AT = datetime(2023, 9, 1)
"""Collection date of the KTU data (August-September 2023; the newest registration is
2023-08-18). Ages in KTU records are computed relative to this date."""

_PAYMENTS = {
    "Presence of credit card payment": "credit_card",
    "Presence of money back payment": "buyer_protection",
    "Presence of cash on delivery payment": "cash_on_delivery",
    "Presence of crypto currency": "crypto",
}
_LABELS = {"fraudulent": 1, "legitimate": 0}


def _registration(text):
    text = text.strip()
    if text in ("", "None", "Hidden"):
        return None
    return pd.Timestamp(text.replace(".", "-")).to_pydatetime()


def _expiry(text):
    # OpenSSL's notAfter form, e.g. "Oct  9 15:13:00 2023 GMT".
    return datetime.strptime(" ".join(text.split()), "%b %d %H:%M:%S %Y GMT")


def _present(text):
    return text.strip() == "1"


def _record(row):
    payments = [method for column, method in _PAYMENTS.items() if _present(row[column])]
    has_trustpilot = _present(row["Presence of TrustPilot reviews"])
    rank = int(row["Tranco List rank"])
    return {
        "url": row["Online shop URL"],
        "observed_at": KTU_OBSERVED_AT,
        "domain_registered_at": _registration(row["Domain registration date"]),
        "whois_hidden": row["Domain registration date"].strip() == "Hidden",
        "tls_issuer_org": row["Issuer organization"].strip() or None,
        "tls_not_after": _expiry(row["SSL certificate expire date"]),
        "payment_methods": payments,
        "ktu_free_email_code": int(row["Presence of free contact emails"]),
        "has_logo": _present(row["Presence of logo URL"]),
        # KTU says only whether reviews exist: 1 stands for "at least one".
        "trustpilot_reviews": int(has_trustpilot),
        # The leak: "no reviews" is blank for fraudulent and -1 for legitimate shops.
        # Only a shop with reviews keeps its score; every other becomes missing.
        "trustpilot_score": float(row["TrustPilot score"]) if has_trustpilot else None,
        "sitejabber_reviews": int(_present(row["Presence of SiteJabber reviews"])),
        "tranco_rank": rank if rank > 0 else None,
    }


def load_ktu(path):
    """Read the KTU ``shops.csv`` as canonical shop records and labels.

    The TrustPilot leak is neutralised (a blank score and ``-1`` both mean "no reviews" and
    both become missing), ``observed_at`` is set to :data:`KTU_OBSERVED_AT`, and the
    data set's URL-count columns are dropped: the featurizer computes its own from the URL.

    Parameters
    ----------
    path : str or path-like
        The CSV file, with the original column names.

    Returns
    -------
    X : pandas.DataFrame
        One canonical record per shop (see :mod:`fraudrisk.schema`).
    y : pandas.Series
        1 for fraudulent, 0 for legitimate.

    Raises
    ------
    SchemaError
        When a row cannot be read; the message names the CSV row and column.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    records, labels = [], []
    for index, row in frame.iterrows():
        try:
            records.append(_record(row))
            labels.append(_LABELS[row["Label"].strip()])
        except (KeyError, ValueError) as error:
            raise SchemaError(f"KTU row {index}: cannot read {error}", index=index) from None
    return pd.DataFrame.from_records(records), pd.Series(labels, name="fraudulent")


def load_ktu_columns(path):
    """The KTU data set's own columns as numbers, leak neutralised (for baselines).

    Text columns become integer category codes; a blank TrustPilot score becomes ``-1``
    like the legitimate shops' "no reviews"; the URL and label columns are dropped.

    Parameters
    ----------
    path : str or path-like
        The CSV file.

    Returns
    -------
    pandas.DataFrame
        One numeric column per original feature column, rows in file order.
    """
    frame = pd.read_csv(path)
    frame["TrustPilot score"] = frame["TrustPilot score"].fillna(-1)
    frame = frame.drop(columns=["Online shop URL", "Label"])
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("category").cat.codes
    return frame.fillna(-2).astype(float)
