"""What a shop record is: the one definition of every field, its type and what missing means.

A shop record is a mapping from field names to values. Only ``url`` is required; every other
field may be absent, ``None``, NaN or an empty string, which all mean "not observed". Records
arrive as one dict, a list of dicts or a :class:`pandas.DataFrame` (one row per shop). In CSV
files, list fields (``links``, ``prices``, ``payment_methods`` ...) are JSON text, e.g.
``["paypal", "bancontact"]``. Text must be valid Unicode: a string holding a lone surrogate
(say from a ``"\\ud800"`` JSON escape) is refused, as no output file could hold it.

:func:`validate_records` turns any of those into a list of canonical records (dicts holding
only the fields that were observed, in canonical types) or raises :class:`SchemaError`
naming the record index and the field.
"""

import re
from dataclasses import dataclass
from functools import partial

import pandas as pd

from fraudrisk import _parse
from fraudrisk._prices import PRICE_KEYS as PRICE_KEYS  # the keys of a price object, part of the schema
from fraudrisk._prices import parse_prices
from fraudrisk.exceptions import SchemaError

PAYMENT_METHODS = frozenset(
    {
        "credit_card",
        "debit_card",
        "paypal",
        "bank_transfer",
        "bancontact",
        "payconiq",
        "ideal",
        "sofort",
        "klarna",
        "apple_pay",
        "google_pay",
        "cash_on_delivery",
        "crypto",
        "buyer_protection",
        "gift_card",
        "money_transfer",
    }
)
"""Vocabulary of ``payment_methods``. ``buyer_protection`` covers money-back guarantees;
``money_transfer`` covers Western Union, MoneyGram and similar cash transfers."""

PAYMENT_ALIASES = {
    "card": "credit_card",
    "visa": "credit_card",
    "mastercard": "credit_card",
    "amex": "credit_card",
    "money_back": "buyer_protection",
    "moneyback": "buyer_protection",
    "cod": "cash_on_delivery",
    "wire": "bank_transfer",
    "wire_transfer": "bank_transfer",
    "sepa": "bank_transfer",
    "bitcoin": "crypto",
    "cryptocurrency": "crypto",
    "mister_cash": "bancontact",
    "western_union": "money_transfer",
    "moneygram": "money_transfer",
}


@dataclass(frozen=True)
class Field:
    """One field of a shop record."""

    name: str
    type: str
    meaning: str
    missing: str
    parse: object


def _parse_payments(value):
    methods = []
    for item in _parse.parse_json_list(value):
        methods.append(_parse.parse_choice(item, PAYMENT_METHODS, PAYMENT_ALIASES))
    return sorted(set(methods))


# JSON text of plain e-mail addresses (printable ASCII, one "@", no quote, backslash or space):
# parse_text_list would keep each item as it is, and the check below would pass every one.
_ADDRESS = r"[!#-?A-\[\]-~]+@[!#-?A-\[\]-~]+"
_PLAIN_EMAILS = re.compile(rf'\["{_ADDRESS}"(?:, "{_ADDRESS}")*\]')


def _parse_emails(value):
    if type(value) is str and len(value) <= 322 and _PLAIN_EMAILS.fullmatch(value):  # no item over 320
        return value[2:-2].lower().split('", "')
    emails = _parse.parse_text_list(value, 320)
    for email in emails:
        if email.count("@") != 1 or not all(email.split("@")):
            raise _parse.ParseError(f"a list of e-mail addresses, got {email[:60]!r}")
    return [email.lower() for email in emails]


FIELDS = (
    Field("url", "string", "Shop URL or host name (required).", "not allowed", _parse.parse_url),
    Field(
        "observed_at",
        "date",
        "When the other attributes were observed; ages are computed relative to it.",
        "the time of scoring",
        _parse.parse_datetime,
    ),
    Field(
        "domain_registered_at",
        "date",
        "Domain registration (creation) date from WHOIS/RDAP.",
        "unknown",
        _parse.parse_datetime,
    ),
    Field("whois_hidden", "bool", "WHOIS hides the registration data.", "unknown", _parse.parse_bool),
    Field(
        "tls_issuer_org",
        "string",
        'Organisation of the TLS certificate issuer, e.g. "Let\'s Encrypt".',
        "no certificate seen",
        _parse.parse_text,
    ),
    Field("tls_not_after", "date", "Expiry of the TLS certificate.", "no certificate seen", _parse.parse_datetime),
    Field(
        "payment_methods",
        "list of string",
        "Payment methods offered, from PAYMENT_METHODS.",
        "not checked ([] means none found)",
        _parse_payments,
    ),
    Field(
        "contact_emails",
        "list of string",
        "Contact e-mail addresses shown on the site.",
        "not checked ([] means none found)",
        _parse_emails,
    ),
    Field(
        "ktu_free_email_code",
        "int 0-3",
        "The KTU data set's coded 'free contact e-mails' value "
        "(coding undocumented by its authors; set by load_ktu only).",
        "not from KTU",
        partial(_parse.parse_count, low=0, high=3),
    ),
    Field("has_logo", "bool", "The home page shows a logo image.", "unknown", _parse.parse_bool),
    Field(
        "trustpilot_reviews", "int >= 0", "Number of TrustPilot reviews (0 = none).", "not checked", _parse.parse_count
    ),
    Field(
        "trustpilot_score",
        "float 0-5",
        "TrustPilot TrustScore.",
        "no reviews or not checked",
        partial(_parse.parse_number, low=0, high=5),
    ),
    Field(
        "sitejabber_reviews", "int >= 0", "Number of SiteJabber reviews (0 = none).", "not checked", _parse.parse_count
    ),
    Field(
        "tranco_rank",
        "int >= 1",
        "Rank in the Tranco top-sites list.",
        "not in the list or not checked",
        partial(_parse.parse_count, low=1),
    ),
    Field("links", "list of string", "Every href on the home page.", "not collected", _parse.parse_text_list),
    Field(
        "prices",
        "list of object",
        "Prices on the home page: {price, currency, discount_percent, "
        "struck_through, old_price}; only price is required.",
        "not collected",
        parse_prices,
    ),
    Field(
        "enterprise_number",
        "string",
        "Belgian enterprise (KBO/BCE) or VAT number as shown, e.g. 'BE 0403.170.701'.",
        "none shown",
        partial(_parse.parse_text, max_len=64),
    ),
    Field(
        "trust_seals",
        "list of string",
        "Trust seals the site claims, e.g. 'becommerce', 'safeshops', 'trusted_shops'.",
        "not checked",
        partial(_parse.parse_text_list, max_len=64),
    ),
    Field("country", "string", "ISO 3166 alpha-2 country the shop claims to be in.", "unknown", _parse.parse_country),
)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}
FIELD_NAMES = tuple(FIELDS_BY_NAME)


def record_error(index, message, field=None):
    """The :class:`SchemaError` for the record at ``index`` (None: a lone record)."""
    where = "shop record" if index is None else f"shop record {index}"
    return SchemaError(f"{where}: {message}", index=index, field=field)


def unknown_field_message(name):
    """What is wrong with a record holding the unknown field ``name``."""
    return f"unknown field {name!r}; known fields are {', '.join(FIELD_NAMES)}"


def parse_field(name, value):
    """The canonical value of an observed (not missing) value of the known field ``name``.

    Raises
    ------
    fraudrisk._parse.ParseError
        Saying what is wrong, as it follows the field name (``must be ...``).
    """
    try:
        return FIELDS_BY_NAME[name].parse(value)
    except _parse.ParseError as error:
        raise _parse.ParseError(f"must be {error}") from None
    except RecursionError:
        raise _parse.ParseError("is nested too deeply") from None


def validate_record(record, index=None):
    """Validate one shop record and return its canonical form.

    Parameters
    ----------
    record : mapping
        Field name to raw value.
    index : int, optional
        Position of the record in its batch, used in error messages.

    Returns
    -------
    dict
        The observed fields only, each in its canonical type.

    Raises
    ------
    SchemaError
        On an unknown field, a missing ``url``, a wrong type or an impossible value.
    """
    if not isinstance(record, dict):
        if hasattr(record, "items"):
            record = dict(record.items())
        else:
            raise record_error(index, f"must be a mapping of field names to values, got {type(record).__name__}")
    unknown = sorted(str(name) for name in record if name not in FIELDS_BY_NAME)
    if unknown:
        raise record_error(index, unknown_field_message(unknown[0]), unknown[0])
    canonical = {}
    for name, value in record.items():
        if _parse.is_missing(value):
            continue
        try:
            canonical[name] = parse_field(name, value)
        except _parse.ParseError as error:
            raise record_error(index, f"field {name!r} {error}", name) from None
    if "url" not in canonical:
        raise record_error(index, "field 'url' is required", "url")
    return canonical


def iter_raw_records(records):
    """Yield raw record dicts from a dict, a list of dicts or a DataFrame."""
    if isinstance(records, dict):
        yield records
    elif isinstance(records, pd.DataFrame):
        columns = [str(column) for column in records.columns]
        # Whole columns as Python objects at once: iterating Arrow-backed columns value by value
        # (what itertuples does) costs more than validating the value.
        values = [records.iloc[:, position].to_numpy(dtype=object) for position in range(records.shape[1])]
        if not values:  # rows without columns are still rows (each lacks a url)
            yield from ({} for _ in range(len(records)))
        for row in zip(*values, strict=True):
            yield dict(zip(columns, row, strict=True))
    elif isinstance(records, (list, tuple)):
        yield from records
    else:
        raise SchemaError(
            f"shop records must be a dict, a list of dicts or a pandas DataFrame, got {type(records).__name__}"
        )


def validate_records(records):
    """Validate a dict, list of dicts or DataFrame; return a list of canonical records.

    Raises
    ------
    SchemaError
        For the first record that breaks the schema, naming its index and field.
    """
    return [validate_record(record, index) for index, record in enumerate(iter_raw_records(records))]


def schema_table():
    """Return the schema as a Markdown table (the README embeds this)."""
    rows = ["| field | type | meaning | missing means |", "| --- | --- | --- | --- |"]
    rows += [f"| `{f.name}` | {f.type} | {f.meaning} | {f.missing} |" for f in FIELDS]
    return "\n".join(rows)
