"""Hostile input: every record scores to a finite probability or raises SchemaError, quickly.

Property tests (hypothesis) over generated shop records built to break parsers: weird Unicode,
overlong and IDN/punycode URLs, empty strings, NaN/inf/negative/huge numbers, dates far in the
past or future, wrong types and junk inside list fields. Each property checks at least
``MIN_RECORDS`` records per run (lists of records per example) and times every record against
``HANG_SECONDS``, a hang guard rather than a benchmark. The last property runs the
``fraudrisk score`` command on hostile CSV and JSON-lines files (broken quoting, wrong cell
counts, bytes that are not UTF-8, broken JSON): one output row per row, never a traceback.
"""

import csv
import io
import json
import math
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fraudrisk
from fraudrisk import SchemaError
from fraudrisk.features import FAMILIES
from fraudrisk.features._view import MAX_LINKS
from fraudrisk.reason_text import describe
from fraudrisk.schema import FIELD_NAMES, PAYMENT_ALIASES, PAYMENT_METHODS, PRICE_KEYS, validate_record

MIN_RECORDS = 10_000
HANG_SECONDS = 2.0
RECORDS_PER_EXAMPLE = 100
PROPERTY_SETTINGS = settings(
    max_examples=MIN_RECORDS // RECORDS_PER_EXAMPLE,
    deadline=None,  # time is checked per record below, against HANG_SECONDS
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# ---------------------------------------------------------------- building blocks

_WEIRD = [
    "", " ", "\t\n", "\x00", "a\x00b", "\u200b", "\u200f", "\u202e", "\ufeff", "\u2028", "\U0001f6d2",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467", "e\u0301", "NaN", "nan", "inf", "-inf", "null", "None", "true",
    "[]", "{}", "[", "'", '"', "\\", "%00", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd",
    "\ud800", "a\udfffb", "\u01c5", "\u0130", "\u00df", "\ufb03", "\u0661\u0662\u0663", "\u03a9", "x" * 5000,
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(_WEIRD),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    st.text(st.sampled_from("a-.@/:\u200f\u202e\x00 "), max_size=8),
)
_DEEP_LIST = []
_inner = _DEEP_LIST
for _ in range(3000):  # deeper than the recursion limit
    _inner.append([])
    _inner = _inner[0]
_CONSTANT_JUNK = [
    float("nan"), float("inf"), float("-inf"), -0.0, 1e308, -1e308, 5e-324, 10**400, -(10**30), Decimal("NaN"),
    Decimal("sNaN"), Decimal("-1e999"), np.float32("nan"), np.float64("inf"), np.int64(-1), np.uint64(2**64 - 1),
    pd.NA, pd.NaT, np.array([1, 2]), np.array([]), np.array([[1.0]]), object(), set(), frozenset({1}), b"\xff\xfe",
    bytearray(b"x"), range(3), complex(1, 2), Ellipsis, _DEEP_LIST, "[" * 100_000, "[" * 50_000 + "]" * 50_000,
]  # fmt: skip
NESTED = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=6,
)
JUNK = st.one_of(
    st.sampled_from(_CONSTANT_JUNK),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=6),
    NESTED,
    TEXT,
)


def _json_text(value, ascii_only=True):
    """JSON text as a CSV cell or JSON-lines line holds it (``repr`` of what JSON cannot hold)."""
    try:
        return json.dumps(value, default=repr, skipkeys=True, ensure_ascii=ascii_only)
    except RecursionError:  # a list nested deeper than the recursion limit
        return "[" * 5000 + "]" * 5000


def listish(valid_item, hostile_item):
    """Valid-looking lists (also as tuples and JSON text) and lists with junk inside, or no list at all."""
    valid = st.lists(valid_item, max_size=6)
    return (
        st.one_of(valid, valid.map(tuple), valid.map(_json_text)),
        st.one_of(
            st.lists(st.one_of(valid_item, hostile_item), min_size=1, max_size=5),
            st.lists(st.one_of(valid_item, hostile_item), min_size=1, max_size=5).map(_json_text),
            st.sampled_from(
                ["[", "[1,", "{}", "null", '"x"', "[NaN]", "[Infinity]", "[1e400]", "[" + "9" * 5000 + "]"]
            ),
            JUNK,
        ),
    )


# ---------------------------------------------------------------- per field: (valid-looking, hostile)

_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
_UNICODE_LABEL = st.text(
    st.characters(min_codepoint=0xA1, max_codepoint=0xFFFF, exclude_categories=("Cs",)), min_size=1, max_size=8
)
_PUNYCODE_LABEL = st.sampled_from(["xn--bcher-kva", "xn--80ak6aa92e", "xn--mnchen-3ya", "xn--", "xn--a", "xn--zz-"])
_SUFFIX = st.sampled_from(["be", "com", "co.uk", "shop", "xn--p1ai", "\u0440\u0444", "\u4e2d\u56fd", "local", "x9"])
HOST = st.builds(
    lambda labels, suffix: ".".join([*labels, suffix]),
    st.lists(st.one_of(_LABEL, _UNICODE_LABEL, _PUNYCODE_LABEL), min_size=1, max_size=3),
    _SUFFIX,
)
_PATH = st.one_of(st.sampled_from(["", "/", "/cart?x=1#top", "/\u202e\u200b", "/%00", "/" + "p" * 1900]), TEXT)
URL_VALID = st.one_of(
    HOST,
    st.builds(
        lambda scheme, host, path: f"{scheme}{host}{path if path.startswith('/') else '/' + path}",
        st.sampled_from(["http://", "https://", "HTTPS://", "http://www.", "https://user:pw@"]),
        HOST,
        _PATH,
    ),
)
URL_HOSTILE = st.one_of(
    st.builds(
        lambda scheme, host, port, path: f"{scheme}{host}{port}{path}",
        st.sampled_from(["ftp://", "javascript:", "//", "http:/", "http:///", "file://", "data:text/html,", "@"]),
        HOST | st.sampled_from(["[::1]", "[", "[::1", "]", "127.0.0.1", "localhost", "", "."]),
        st.sampled_from(["", ":80", ":0", ":99999999", ":abc", ":"]),
        _PATH,
    ),
    st.builds(lambda host, port: f"https://{host}{port}/", HOST, st.sampled_from([":99999999", ":-1", ":x"])),
    st.sampled_from(
        [
            "https://" + "a" * 100_000 + ".com",
            "https://shop.example.be/" + "a" * 100_000,
            "https://" + ".".join(["a" * 63] * 4) + ".com",
            "https://" + "a" * 64 + ".com",
            "http://a\u3002example\uff0ecom",
            "http://a\ud7ff.be",
        ]
    ),
    JUNK,
)

_OFFSET = st.integers(-1439, 1439).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_ANY_DATETIME = st.datetimes(timezones=st.none() | _OFFSET)
_RANGE_DATETIME = st.datetimes(datetime(1970, 1, 2), datetime(2199, 12, 30), timezones=st.none() | _OFFSET)
DATE_VALID = st.one_of(
    _RANGE_DATETIME,
    _RANGE_DATETIME.map(datetime.isoformat),
    _RANGE_DATETIME.map(lambda moment: moment.isoformat().replace("+00:00", "Z")),
    st.dates(date(1970, 1, 2), date(2199, 12, 30)),
    st.dates(date(1970, 1, 2), date(2199, 12, 30)).map(lambda day: f"  {day.isoformat()} "),
    st.datetimes(datetime(1970, 1, 2), datetime(2199, 12, 30)).map(pd.Timestamp),
)
DATE_HOSTILE = st.one_of(
    _ANY_DATETIME,
    _ANY_DATETIME.map(datetime.isoformat),
    st.dates(),
    st.sampled_from(
        [
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:59:59-05:00",
            "0000-00-00",
            "10000-01-01",
            "2024-02-30",
            "2024-13-01",
            "1969-12-31T23:59:59Z",
            "2199-12-31T23:59:59-14:00",
            "1970-01-01T00:00:00+00:01",
            "soon",
            "yesterday",
            "2024-01-01T25:00",
            "20240101",
            "2024-W01-1",
            "\u0662\u0660\u0662\u0664-01-01",
        ]
    ),
    st.datetimes(datetime(1678, 1, 1), datetime(2261, 12, 31)).map(lambda moment: pd.Timestamp(moment, tz="UTC")),
    JUNK,
)

BOOL_VALID = st.one_of(st.booleans(), st.sampled_from([0, 1, 0.0, 1.0, "yes", "No", " TRUE ", "f", np.bool_(True)]))
BOOL_HOSTILE = st.one_of(st.sampled_from([2, -1, 0.5, "maybe", "ja", "oui"]), JUNK)


def numbers(low, high, whole=False):
    """Valid-looking numbers in [low, high] (also as text) and hostile ones."""
    inside = st.integers(int(low), int(min(high, 10**15))) if whole else st.floats(low, high)
    valid = st.one_of(inside, inside.map(str), inside.map(lambda number: f"  {number} "))
    hostile = st.one_of(
        st.integers(),
        st.floats(),
        st.floats().map(str),
        st.sampled_from(["1e999", "-1e999", "nan", "inf", "0x10", "1_000", "\u0661\u0662", "--1", "1,5"]),
        JUNK,
    )
    return valid, hostile


def texts(valid_extra=(), max_len=4096):
    """Text fields: any non-empty text within ``max_len`` is valid; overlong text and other types are not."""
    valid = st.one_of(st.sampled_from(list(valid_extra) or ["x"]), TEXT.filter(lambda text: len(text) <= max_len))
    return valid, st.one_of(st.just("y" * (max_len + 1)), JUNK)


_LINK = st.one_of(
    st.builds(
        lambda scheme, host, path: scheme + host + path,
        st.sampled_from(
            ["https://", "http://", "//", "HTTP://www.", "https://user@", "mailto:", "tel:", "javascript:"]
        ),
        HOST | st.sampled_from(["[::1]", "[", "x]", "facebook.com", "t.me", "paypal.com"]),
        _PATH | st.sampled_from(["/sharer.php?u=1", "/" + "b" * 5000]),
    ),
    TEXT,
)
_CURRENCY = st.sampled_from(["EUR", "eur", " usd ", "GBP", "XXX", "CHF"])
_PRICE_NUMBER = st.one_of(st.floats(0, 1e6), st.floats(0, 1.7e308), st.sampled_from([0, 0.0, 9.99, 1e307, "19.99"]))
_PRICE_VALID = st.fixed_dictionaries(
    {"price": _PRICE_NUMBER},
    optional={
        "currency": _CURRENCY,
        "discount_percent": st.floats(0, 100),
        "struck_through": BOOL_VALID,
        "old_price": _PRICE_NUMBER,
    },
)
_PRICE_HOSTILE = st.one_of(
    st.fixed_dictionaries(
        {"price": st.one_of(_PRICE_NUMBER, JUNK)},
        optional={key: JUNK for key in PRICE_KEYS if key != "price"},
    ),
    st.dictionaries(st.one_of(st.sampled_from(PRICE_KEYS), TEXT, st.integers(), st.none()), JUNK, max_size=4),
    st.builds(lambda extra: {"price": 1.0, **extra}, st.dictionaries(st.integers() | st.none(), JUNK, max_size=2)),
    JUNK,
)
_PAYMENT = st.sampled_from(sorted(PAYMENT_METHODS | set(PAYMENT_ALIASES))).flatmap(
    lambda name: st.sampled_from([name, name.upper(), name.replace("_", "-"), f"  {name.replace('_', ' ')} "])
)
_EMAIL = st.one_of(
    st.emails(),
    st.sampled_from(["info@shop.be", "A@GMAIL.COM", "\u00fc@\u00fc.be", "x@xn--a", "x@[::1", "x@" + "d" * 300]),
    st.builds(lambda user, host: f"{user}@{host}", _LABEL, HOST | TEXT),
)
_EMAIL_HOSTILE = st.one_of(st.sampled_from(["a@b@c", "@x", "x@", "@", "plain", "a @ b", "x" * 400 + "@a.be"]), JUNK)

FIELD_STRATEGIES = {
    "url": (URL_VALID, URL_HOSTILE),
    "observed_at": (DATE_VALID, DATE_HOSTILE),
    "domain_registered_at": (DATE_VALID, DATE_HOSTILE),
    "whois_hidden": (BOOL_VALID, BOOL_HOSTILE),
    "tls_issuer_org": texts(["Let's Encrypt", "Sectigo Limited", "Google Trust Services LLC"]),
    "tls_not_after": (DATE_VALID, DATE_HOSTILE),
    "payment_methods": listish(_PAYMENT, st.one_of(st.sampled_from(["barter", "bit coin", "x" * 65]), JUNK)),
    "contact_emails": listish(_EMAIL, _EMAIL_HOSTILE),
    "ktu_free_email_code": numbers(0, 3, whole=True),
    "has_logo": (BOOL_VALID, BOOL_HOSTILE),
    "trustpilot_reviews": numbers(0, 1e15, whole=True),
    "trustpilot_score": numbers(0, 5),
    "sitejabber_reviews": numbers(0, 1e15, whole=True),
    "tranco_rank": numbers(1, 1e15, whole=True),
    "links": listish(_LINK, JUNK),
    "prices": listish(_PRICE_VALID, _PRICE_HOSTILE),
    "enterprise_number": texts(["BE 0403.170.701", "BE0403170701", "0403.170.701", "BE 0000.000.000", "NL1"], 64),
    "trust_seals": listish(texts(["becommerce", "safeshops", "trusted_shops"], 64)[0], JUNK),
    "country": (st.sampled_from(["BE", "be", " nl ", "XX", "fr"]), st.one_of(st.sampled_from(["BEL", "B"]), JUNK)),
}


UNKNOWN_KEYS = st.one_of(
    st.sampled_from(
        ["colour", "URL", " url", "url\x00", "error", "probability", b"url", ("url",), pd.NA, float("nan")]
    ),
    TEXT,
    st.integers(),
    st.none(),
)


def _mix(rng, pools, junk, keys):
    """One record from the pools: all fields valid-looking, one hostile, each a coin toss, or no mapping."""
    mode = rng.choice(["valid", "valid", "one_hostile", "any", "not_a_record"])
    if mode == "not_a_record":
        return rng.choice(junk)
    names = [name for name in FIELD_NAMES if name == "url" or rng.random() < 0.5]
    if mode == "any" and rng.random() < 0.1:
        names.remove("url")
    hostile = rng.choice(names) if mode == "one_hostile" and names else None
    record = {}
    for name in names:
        valid, bad = pools[name]
        record[name] = rng.choice(bad if name == hostile or (mode == "any" and rng.random() < 0.5) else valid)
    if mode == "any" and rng.random() < 0.2:
        record[rng.choice(keys)] = rng.choice(junk)
    return record


@st.composite
def record_batches(draw, size=RECORDS_PER_EXAMPLE):
    """``size`` shop records mixed from small per-field pools of drawn values.

    Drawing every record value by value costs hypothesis about 10 ms a record; drawing a few
    valid-looking and hostile values per field, then mixing them into records with a seeded
    RNG, gives thousands of distinct records a second while hypothesis still draws (and
    shrinks) every value and the seed.
    """
    pools = {
        name: (draw(st.lists(valid, min_size=1, max_size=3)), draw(st.lists(hostile, min_size=1, max_size=2)))
        for name, (valid, hostile) in FIELD_STRATEGIES.items()
    }
    junk = draw(st.lists(JUNK, min_size=1, max_size=3))
    keys = draw(st.lists(UNKNOWN_KEYS, min_size=1, max_size=2))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    return [_mix(rng, pools, junk, keys) for _ in range(size)]


def test_strategies_cover_every_schema_field():
    assert set(FIELD_STRATEGIES) == set(FIELD_NAMES)


# ---------------------------------------------------------------- properties


@pytest.fixture(scope="module")
def model():
    """The shipped model (the fast path), loaded and warmed up outside the timed calls."""
    model = fraudrisk.load_model()
    fraudrisk.score({"url": "https://warm.example.be"}, model=model)
    return model


def _is_probability(value):
    return isinstance(value, float) and math.isfinite(value) and 0.0 <= value <= 1.0


def _timed(function, *args, **kwargs):
    """``(result or the exception raised, seconds)``."""
    started = time.perf_counter()
    try:
        outcome = function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the caller checks which exception it was
        outcome = error
    return outcome, time.perf_counter() - started


def _unexpected(error):
    """Fail on anything but SchemaError, with the original traceback attached."""
    if not isinstance(error, SchemaError):
        raise AssertionError(f"unexpected {type(error).__name__}: {error}") from error


def test_score_gives_a_probability_or_schema_error(model):
    checked = {"records": 0, "scored": 0}
    bands = {name for name, _ in model.bands_}

    @PROPERTY_SETTINGS
    @given(record_batches())
    def check(records):
        for record in records:
            outcome, seconds = _timed(fraudrisk.score, record, model=model)
            if isinstance(outcome, Exception):
                _unexpected(outcome)
                assert str(outcome).startswith("shop record: ")
            else:
                assert _is_probability(outcome.probability), outcome
                assert outcome.band in bands
                checked["scored"] += 1
            assert seconds < HANG_SECONDS, f"{seconds:.2f} s for one record"
            checked["records"] += 1

    check()
    assert checked["records"] >= MIN_RECORDS
    # Not vacuous: a good share of the hostile records pass the schema and reach the model.
    assert checked["scored"] >= 0.2 * checked["records"], checked


def test_score_batch_reports_a_url_that_is_not_unicode(model):
    report = fraudrisk.score_batch([{"url": "https://a.example.be/\ud800"}], model=model, errors="report")
    assert report["error"][0].startswith("shop record 0: field 'url' must be valid Unicode text")


def test_score_batch_reports_each_bad_row_and_scores_the_rest(model):
    checked = {"records": 0, "scored": 0}
    bands = {name for name, _ in model.bands_}

    @PROPERTY_SETTINGS
    @given(record_batches())
    def check(records):
        report, seconds = _timed(fraudrisk.score_batch, records, model=model, errors="report")
        if isinstance(report, Exception):
            raise AssertionError(f"errors='report' raised {type(report).__name__}: {report}") from report
        assert seconds < HANG_SECONDS, f"{seconds:.2f} s for {len(records)} records"
        assert len(report) == len(records)
        rows = zip(report["probability"], report["band"], report["error"], strict=True)
        for index, (probability, band, error) in enumerate(rows):
            if error:
                assert math.isnan(probability) and error.startswith(f"shop record {index}: "), (probability, error)
            else:
                assert _is_probability(float(probability)) and band in bands, (probability, band)
                checked["scored"] += 1
        checked["records"] += len(records)
        raised, _ = _timed(fraudrisk.score_batch, records, model=model, errors="raise")
        bad = [index for index, error in enumerate(report["error"]) if error]
        if bad:
            assert isinstance(raised, SchemaError) and raised.index == bad[0], repr(raised)
        else:
            assert not isinstance(raised, Exception), repr(raised)
            assert np.array_equal(raised["probability"].to_numpy(), report["probability"].to_numpy())

    check()
    assert checked["records"] >= MIN_RECORDS
    assert checked["scored"] >= 0.2 * checked["records"], checked


def _passes_schema(record):
    try:
        validate_record(record)
    except SchemaError:
        return False
    return True


def test_featurizer_gives_finite_or_nan_values(model):
    checked = {"records": 0, "featurized": 0}
    featurizer = model.featurizer_

    @PROPERTY_SETTINGS
    @given(record_batches())
    def check(records):
        whole, seconds = _timed(featurizer.transform, records)
        if isinstance(whole, Exception):
            _unexpected(whole)
        assert seconds < HANG_SECONDS, f"{seconds:.2f} s for {len(records)} records"
        valid = [record for record in records if _passes_schema(record)]
        matrix = featurizer.transform(valid)
        assert matrix.shape == (len(valid), featurizer.n_features_out_)
        infinite = np.isinf(matrix)
        assert not infinite.any(), list(featurizer.get_feature_names_out()[infinite.any(axis=0)])
        checked["records"] += len(records)
        checked["featurized"] += len(valid)

    check()
    assert checked["records"] >= MIN_RECORDS
    assert checked["featurized"] >= 0.2 * checked["records"], checked


def test_hundred_thousand_links_score_in_bounded_time(model):
    record = {
        "url": "https://many-links.example.be",
        "links": [f"https://site{i}.example{i % 97}.com/{'path' * (i % 50)}?q={i}" for i in range(100_000)],
        "prices": [{"price": i / 7, "currency": "EUR", "discount_percent": i % 100} for i in range(100_000)],
    }
    started = time.perf_counter()
    result = fraudrisk.score(record, model=model)
    batch = fraudrisk.score_batch([record, {"url": "https://other.example.be"}], model=model)
    # every column too, links and prices included, as for a model that reads them
    every_column = model.featurizer_.transform([record])
    seconds = time.perf_counter() - started
    assert np.isfinite(every_column[0, list(model.featurizer_.get_feature_names_out()).index("links_count")])
    assert _is_probability(result.probability)
    assert batch["probability"].iloc[0] == pytest.approx(result.probability, abs=1e-12)
    assert seconds < 10, f"{seconds:.1f} s"


def test_reasons_for_a_hundred_thousand_distinct_sites_are_linear():
    links = [f"https://site{i}.example{i}.com/checkout" for i in range(100_000)]
    record = validate_record({"url": "https://many-sites.example.be", "links": links})
    started = time.perf_counter()
    sentences = [describe(family, record) for family in FAMILIES]
    assert time.perf_counter() - started < 10
    assert any(sentence.startswith(f"the home page links to {MAX_LINKS} other sites") for sentence in sentences)


# ---------------------------------------------------------------- the command on hostile files

CLI_EXAMPLES = 5
_CORRUPT_LINES = {
    "csv": st.one_of(
        st.binary(max_size=30).map(lambda raw: raw.replace(b"\n", b" ")),
        st.sampled_from(["only-one-cell", ",", "x," * 40, "\x00", "\ufeffurl", " "]).map(str.encode),
    ),
    "jsonl": st.one_of(
        st.binary(max_size=30).map(lambda raw: raw.replace(b"\n", b" ")),
        st.sampled_from(
            [
                '{"url": ',
                "[1, 2]",
                '"text"',
                "null",
                "{",
                "{}}",
                "[" * 5000,
                '{"url": "https://a.example.be",}',
                "NaN",
                '{"url": "https://a.example.be", "url": 5}',
                " ",
                "\ufeff{}",
            ]
        ).map(str.encode),
    ),
}
_BROKEN_QUOTES = st.sampled_from(['"unclosed,quote', 'a,"b', '"a""b', '""', '"x"y,z', '"' * 7]).map(str.encode)


def _cell(value):
    """A CSV cell as a scraper writes it: text as is, lists and objects as JSON text."""
    if value is None or isinstance(value, str):
        return value or ""
    return _json_text(value) if isinstance(value, (list, tuple, dict)) else str(value)


def _file_lines(kind, records, rng):
    """The header (CSV) and one line of bytes per record; text that is not valid Unicode is kept as is."""
    if kind == "jsonl":
        ascii_only = rng.random() < 0.5
        return [], [
            _json_text(record if isinstance(record, dict) else [record], ascii_only).encode("utf-8", "surrogatepass")
            for record in records
        ]
    header = [*FIELD_NAMES, "shop_id", "error"]
    lines = []
    for number, record in enumerate(records):
        record = record if isinstance(record, dict) else {"url": record}
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(
            [_cell(record.get(name)) for name in FIELD_NAMES] + [str(number), _cell(record.get("error"))]
        )
        lines.append(text.getvalue()[:-1].encode("utf-8", "surrogatepass"))
    return [",".join(header).encode()], lines


def _is_row(kind, line):
    """Whether the reader makes a row of this line: CSV skips empty lines, JSON lines blank ones."""
    return bool(line.decode("utf-8", "replace").strip()) if kind == "jsonl" else line.rstrip(b"\r") != b""


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_command_scores_every_row_of_a_hostile_file(kind, tmp_path):
    checked = {"records": 0, "runs": 0}

    @settings(PROPERTY_SETTINGS, max_examples=CLI_EXAMPLES)
    @given(
        record_batches(MIN_RECORDS // CLI_EXAMPLES),
        st.lists(_CORRUPT_LINES[kind], max_size=8),
        st.lists(_BROKEN_QUOTES, max_size=2 if kind == "csv" else 0),
        st.integers(0, 2**32 - 1),
    )
    def check(batch, corrupt, quotes, seed):
        rng = random.Random(seed)
        records = list(batch)
        header, lines = _file_lines(kind, records, rng)
        for line in corrupt + quotes:
            lines.insert(rng.randrange(1, len(lines) + 1), line)
        source, target = tmp_path / f"shops.{kind}", tmp_path / "scored.csv"
        source.write_bytes(b"\n".join(header + lines) + b"\n")
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "fraudrisk.cli", "score", str(source), "-o", str(target), "--quiet"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert time.perf_counter() - started < 120
        assert "Traceback" not in run.stderr, run.stderr[-3000:]
        assert run.returncode == 0, run.stderr[-3000:]
        scored = pd.read_csv(target, dtype=str, keep_default_na=False)
        if not any(b'"' in line for line in corrupt + quotes):  # a stray quote may join CSV lines into one row
            assert len(scored) == len(records) + sum(_is_row(kind, line) for line in corrupt)
        for probability, error in zip(scored["probability"], scored["error"], strict=True):
            assert (probability == "" and error) or (_is_probability(float(probability)) and not error)
        checked["records"] += len(records)
        checked["runs"] += 1

    check()
    assert checked["records"] >= MIN_RECORDS, checked


def test_jsonl_escaped_lone_surrogates_are_reported_per_line(tmp_path):
    source, target = tmp_path / "shops.jsonl", tmp_path / "scored.csv"
    source.write_text(
        '{"url": "https://ok.example.be"}\n'
        '{"url": "https://a\\udc00.example.be"}\n'
        '{"url": "https://b.example.be", "note": "\\ud800"}\n'
        '{"url": "https://smile.example.be", "note": "\\ud83d\\ude00"}\n',
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "fraudrisk.cli", "score", str(source), "-o", str(target), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    scored = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert scored["error"].tolist()[0] == scored["error"].tolist()[3] == ""
    reported = scored["error"].str.contains(r"line \d holds an escaped lone surrogate")
    assert reported.tolist() == [False, True, True, False]


def test_jsonl_whose_first_shop_has_no_url_is_scored(tmp_path):
    source, target = tmp_path / "shops.jsonl", tmp_path / "scored.csv"
    source.write_text('{"country": "BE"}\n{"url": "https://ok.example.be"}\n', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "fraudrisk.cli", "score", str(source), "-o", str(target), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert len(pd.read_csv(target)) == 2


def _per_record_outcomes(frame, first_index):
    """What validating each row on its own gives: the canonical record or the SchemaError."""
    from fraudrisk._table_validation import without_read_error
    from fraudrisk.schema import iter_raw_records

    outcomes = []
    for index, raw in enumerate(iter_raw_records(frame), start=first_index):
        try:
            outcomes.append(validate_record(without_read_error(raw, index), index))
        except SchemaError as error:
            outcomes.append(error)
    return outcomes


def _object_array(values):
    array = np.empty(len(values), dtype=object)
    for position, value in enumerate(values):
        array[position] = value
    return array


def _comparable(outcome):
    if isinstance(outcome, SchemaError):
        return ("error", str(outcome), outcome.index, outcome.field)
    return ("record", repr(outcome))  # repr: values of the same type too (1 vs 1.0 vs True)


def test_table_validation_equals_validating_each_row(monkeypatch):
    """Batches validate a column at a time, each distinct text once; each row's outcome is the same."""
    from fraudrisk import _table_validation
    from fraudrisk._table_validation import QUICK_CHECKS, validate_table
    from fraudrisk.readers import READ_ERROR

    seen = {"records": 0, "errors": 0, "repeated": 0, "text columns": 0}
    text_column = _table_validation._text_column

    def counted(values, name, unread=False):
        column = text_column(values, name, unread)
        seen["text columns"] += column is not None
        return column

    monkeypatch.setattr(_table_validation, "_text_column", counted)

    @PROPERTY_SETTINGS
    @given(
        record_batches(),
        st.lists(st.sampled_from(["", None, "line 3 is not valid JSON", 7]), min_size=1),
        st.integers(0, 3),
    )
    def check(records, read_errors, unknown_keys):
        # a table has one set of columns: one unknown key fails every row, so only a quarter keep theirs
        rows = [
            {str(key): value for key, value in record.items() if unknown_keys == 0 or key in set(FIELD_NAMES)}
            for record in records
            if isinstance(record, dict)
        ]
        names = list(dict.fromkeys(name for row in rows for name in row))
        # object cells and labels: text that Arrow-backed strings refuse (lone surrogates) must reach the schema
        cells = _object_array([row.get(name, math.nan) for row in rows for name in names]).reshape(len(rows), -1)
        frame = pd.DataFrame(cells, columns=pd.Index(names, dtype=object), dtype=object)
        if len(read_errors) > 1:
            frame[READ_ERROR] = [read_errors[row % len(read_errors)] for row in range(len(frame))]
        if not frame.columns.is_unique:
            return
        actual = [_comparable(outcome) for outcome in validate_table(frame, first_index=40)]
        outcomes = _per_record_outcomes(frame, 40)
        assert actual == [_comparable(outcome) for outcome in outcomes]
        unread = [_comparable(outcome) for outcome in validate_table(frame, first_index=40, unread=QUICK_CHECKS)]
        assert unread == [_without_page(outcome) for outcome in outcomes]
        seen["records"] += sum(kind == "record" for kind, *_ in actual)
        seen["errors"] += sum(kind == "error" for kind, *_ in actual)
        texts = [value for value in frame.to_numpy(dtype=object).ravel() if isinstance(value, str)]
        seen["repeated"] += len(texts) - len(set(texts))

    check()
    # valid rows, bad rows, recurring texts and columns read in C-level passes were all exercised
    assert seen["records"] > 200 and seen["errors"] > 1000 and seen["repeated"] > 1000, seen
    assert seen["text columns"] > 50, seen


def _without_page(outcome):
    """:func:`_comparable` of a row's outcome with its links and prices left out (checked, unread)."""
    if isinstance(outcome, SchemaError):
        return _comparable(outcome)
    return _comparable({name: value for name, value in outcome.items() if name not in ("links", "prices")})


def test_table_validation_of_text_columns_equals_validating_each_row():
    """Columns of text and missing cells, as CSV files give them, are read in C-level passes."""
    import random

    from fraudrisk._table_validation import QUICK_CHECKS, validate_table
    from fraudrisk.readers import READ_ERROR

    texts = {
        "url": ["https://a.example.be", "http://b.example.be/x", "not a url", "", " ", "HTTPS://C.BE", None],
        "country": ["BE", "be", "Belgium", "", None, math.nan],
        "domain_registered_at": ["2020-01-02", "2020-13-01", "", "2021-05-06T10:00:00Z", math.nan],
        "contact_emails": ['["a@b.be"]', '["A@B.BE", "c@d.be"]', '["no-at"]', "[]", "x", "", math.nan],
        "tranco_rank": ["5", "-1", "x", "", "1e3", math.nan],
        "whois_hidden": ["true", "False", "maybe", "", None],
        "links": ['["https://a.example.be/x", "/y"]', '[" /z "]', '["a", 3]', '["\\u00e9"]', '["é"]', "[]", "[", ""],
        "prices": [
            '[{"price": 9.99, "currency": "EUR", "discount_percent": null}]',
            '[{"price": 5, "currency": "eur"}]',
            '[{"price": 9.99, "discount_percent": 150.0}]',
            '[{"currency": "EUR"}]',
            '[{"price": -1.0}]',
            "[]",
            "{}",
            math.nan,
        ],
    }
    rng = random.Random(21)
    checked_quickly = 0
    for _ in range(300):
        names = rng.sample(list(texts), rng.randint(1, len(texts)))
        rows = rng.randint(0, 30)
        frame = pd.DataFrame(
            {name: _object_array([rng.choice(texts[name]) for _ in range(rows)]) for name in names}, dtype=object
        )
        if rng.random() < 0.3:
            frame[READ_ERROR] = _object_array([rng.choice(["", "line 3 is broken", math.nan]) for _ in range(rows)])
        expected = [_comparable(outcome) for outcome in _per_record_outcomes(frame, 7)]
        assert [_comparable(outcome) for outcome in validate_table(frame, first_index=7)] == expected, frame
        # links and prices left unread (a model that reads neither): the same errors, records without them
        unread = [_comparable(outcome) for outcome in validate_table(frame, first_index=7, unread=QUICK_CHECKS)]
        assert unread == [_without_page(outcome) for outcome in _per_record_outcomes(frame, 7)], frame
        checked_quickly += sum(
            QUICK_CHECKS[name](text) for name in ("links", "prices") if name in frame for text in set(frame[name])
            if isinstance(text, str)
        )  # fmt: skip
    assert checked_quickly > 300


def test_table_validation_keeps_equal_values_of_different_types_apart():
    """1, 1.0, True and "1" are equal dictionary keys (but for the text) yet parse differently."""
    from fraudrisk._table_validation import validate_table

    values = [1, True, 1.0, "1", 0, False, "true", None, math.nan, "", 2]
    frame = pd.DataFrame(
        {
            "url": _object_array(["https://a.example.be"] * len(values)),
            "trustpilot_reviews": _object_array(values),
            "whois_hidden": _object_array(values[::-1]),
            "payment_methods": _object_array([*values[:-2], ["paypal"], {"a": 1}]),  # unhashable values
        },
        dtype=object,
    )
    actual = [_comparable(outcome) for outcome in validate_table(frame)]
    assert actual == [_comparable(outcome) for outcome in _per_record_outcomes(frame, 0)]
    assert len({outcome for outcome in actual[:4]}) > 1  # the sample holds values that parse apart


_EDGE_FLOAT = st.sampled_from([0.0, -0.0, 1.5, 100.0, 100.00000000000001, -1e-300, math.inf, math.nan, 1.7e308])
_PLAIN_PRICE = st.fixed_dictionaries(
    {"price": st.one_of(st.floats(0, 1e6), _EDGE_FLOAT)},
    optional={
        "currency": st.sampled_from(["EUR", "USD", None, "eur", "EURO", "ÉUR"]),
        "discount_percent": st.one_of(st.floats(0, 100), _EDGE_FLOAT, st.none()),
        "struck_through": st.sampled_from([True, False, None, 1]),
        "old_price": st.one_of(st.floats(0, 1e6), _EDGE_FLOAT, st.none(), st.just(20)),
    },
)


def test_price_lists_checked_a_key_at_a_time_equal_checking_each_price():
    """A list of plain price objects is checked a key at a time; the prices (or the error) are
    the ones checking each price on its own gives."""
    from fraudrisk import _prices, schema
    from fraudrisk._parse import ParseError

    def item_by_item(items):
        prices = []
        for position, item in enumerate(items):
            try:
                prices.append(_prices._parse_price(item))
            except ParseError as error:
                return f"a list of price objects; item {position}: {error}"
            except RecursionError:  # the schema reports it as "nested too deeply"
                return "RecursionError"
        return repr(prices)

    seen = {"plain": 0, "other": 0}

    def shown(items):
        try:
            return repr(items)
        except RecursionError:  # the list nested deeper than the recursion limit
            return None

    @settings(PROPERTY_SETTINGS, max_examples=2000)
    @given(
        st.one_of(
            st.lists(_PLAIN_PRICE, min_size=1, max_size=8),  # most pages: plain prices, which take the shortcut
            st.lists(st.one_of(_PLAIN_PRICE, _PRICE_VALID, _PRICE_HOSTILE), max_size=8),
        )
    )
    def check(items):
        before = shown(items)
        for value in (items, json.dumps(items)) if _json_safe(items) else (items,):
            try:
                actual = repr(_prices.parse_prices(value))
            except ParseError as error:
                actual = str(error)
            except RecursionError:
                actual = "RecursionError"
            assert actual == item_by_item(schema._parse.parse_json_list(value))
            assert shown(items) == before  # a caller's prices are copied, not changed
        seen["plain" if _prices._plain_prices(items) is not None else "other"] += 1

    # == gives no bool; too deep; ints beyond the largest float (float() overflows)
    hostile = [np.array([1.0, 2.0]), np.array(["EUR"]), np.array([]), _DEEP_LIST, 10**400, 2**1024 - 2**970]
    for value in hostile:
        for key in PRICE_KEYS:
            check.hypothesis.inner_test([{"price": 1.0, key: value}, {"price": 2.0, key: None}])
    check()
    assert seen["plain"] > 150 and seen["other"] > 300, seen


def _price_features_price_by_price(prices):
    """The price family as first written, one price at a time: the reference for its shortcuts."""
    from fraudrisk.features.prices import CURRENCIES

    def discount_of(price):
        discount, old = price.get("discount_percent"), price.get("old_price")
        if discount is None and old and old > price["price"]:
            discount = 100.0 * (1 - price["price"] / old)
        return discount or 0.0

    count = len(prices)
    discounts = [discount_of(price) for price in prices]
    logs = sorted(math.log1p(price["price"]) for price in prices)
    mean_log = sum(logs) / count
    cents = [round(price["price"] * 100) % 100 if price["price"] < 2.0**53 else 0 for price in prices]
    currencies = [price.get("currency") for price in prices]
    return [
        float(count),
        sum(d > 0 for d in discounts) / count,
        sum(d >= 30 for d in discounts) / count,
        sum(d >= 50 for d in discounts) / count,
        sum(d >= 70 for d in discounts) / count,
        sum(discounts) / count,
        sum(bool(price.get("struck_through")) for price in prices) / count,
        (logs[(count - 1) // 2] + logs[count // 2]) / 2,
        logs[0],
        logs[-1],
        math.sqrt(sum((value - mean_log) ** 2 for value in logs) / count),
        sum(c in (99, 95) for c in cents) / count,
        sum(c == 0 for c in cents) / count,
        float(len({c for c in currencies if c})),
        *(sum(c == code for c in currencies) / count for code in CURRENCIES),
        sum(c is not None and c not in CURRENCIES for c in currencies) / count,
    ]


def test_price_features_equal_computing_them_price_by_price():
    from fraudrisk.features import prices as family
    from fraudrisk.features._view import ShopView, host_parts

    seen = {"lists": 0, "old_prices": 0}

    @settings(PROPERTY_SETTINGS, max_examples=1000)
    @given(st.lists(st.one_of(_PLAIN_PRICE, _PRICE_VALID), min_size=1, max_size=12))
    def check(items):
        record = {"url": "https://a.example.be", "prices": items}
        try:
            canonical = validate_record(record)
        except SchemaError:
            return
        view = ShopView(canonical, host_parts(canonical["url"]))
        actual = family.featurize(view)
        expected = _price_features_price_by_price(canonical["prices"])
        assert [repr(value) for value in actual] == [repr(value) for value in expected]  # to the bit, NaN too
        seen["lists"] += 1
        seen["old_prices"] += any("old_price" in price for price in canonical["prices"])

    check()
    assert seen["lists"] > 300 and seen["old_prices"] > 100, seen


def _link_features_link_by_link(view):
    """The links, services and link-token families as first written, one parsed link at a time."""
    import re

    from fraudrisk._hosts import registrable_domain
    from fraudrisk.features import services
    from fraudrisk.features._view import MAX_LINKS, parse_link

    links = [parse_link(link) for link in view.record["links"][:MAX_LINKS]]
    own = registrable_domain(view.host)
    external, schemes = [], dict.fromkeys(("mailto:", "tel:", "javascript:"), 0)
    found, profiles, shares = dict.fromkeys(services.SERVICES, 0), 0, 0
    for lowered, domain, _ in links:
        if domain:
            if domain != own:
                external.append(domain)
            for kind in services._KINDS_OF.get(domain, ()):
                found[kind] += 1
            if domain in services.SOCIAL:
                if any(marker in lowered for marker in services._SHARE_MARKERS):
                    shares += 1
                else:
                    profiles += 1
        elif lowered.startswith(tuple(schemes)):
            schemes[lowered.split(":", 1)[0] + ":"] += 1
    count = len(links)
    link_columns = [float(count), float(count - len(external)), len(external) / count if count else 0.0,
                    float(len(set(external))), *map(float, schemes.values())]  # fmt: skip
    service_columns = [*map(float, found.values()), float(profiles), float(shares)]
    tokens = {"site:" + domain for _, domain, _ in links if domain and domain != own}
    paths = " ".join(path.split("#", 1)[0] for _, _, path in links)
    tokens.update("path:" + word for word in set(re.findall(r"[a-z][a-z0-9]{2,19}", paths)))
    return link_columns, service_columns, tokens


def test_link_families_equal_computing_them_link_by_link():
    """The link families read a page's links as columns and count by domain; their columns and
    tokens are the ones a loop over each parsed link gives."""
    from fraudrisk.features import link_tokens, links, services
    from fraudrisk.features._view import ShopView, host_parts

    seen = {"pages": 0, "links": 0}
    page_link = st.one_of(st.sampled_from(["https://www.shop.be/", "https://shop.be/c/", "/rel"]).flatmap(
        lambda origin: _PATH.map(lambda path: origin + path)), _LINK, st.sampled_from([
            "https://www.facebook.com/sharer.php?u=1", "https://facebook.com/myshop", "https://t.me/x",
            "https://js.stripe.com/v3", "mailto:a@b.be", "tel:+32", "javascript:void(0)"]))  # fmt: skip

    @settings(PROPERTY_SETTINGS, max_examples=1000)
    @given(URL_VALID, st.lists(page_link, max_size=30))
    def check(url, page_links):
        try:
            canonical = validate_record({"url": url, "links": page_links})
        except SchemaError:
            return
        view = ShopView(canonical, host_parts(canonical["url"]))
        expected = _link_features_link_by_link(view)
        actual = links.featurize(view), services.featurize(view), link_tokens.link_tokens(view)
        assert repr(actual) == repr(expected)
        seen["pages"] += 1
        seen["links"] += len(canonical["links"])

    check()
    assert seen["pages"] > 500 and seen["links"] > 2000, seen


def _json_safe(value):
    try:
        return json.loads(json.dumps(value)) == value
    except (TypeError, ValueError, RecursionError):
        return False


def test_featurizing_a_batch_equals_featurizing_each_record_alone(model):
    """A batch computes each distinct input of a family once and fills its rows by indexing; one
    record goes row by row. Every record's features are the same either way, in any batch."""
    from fraudrisk.features._featurizer import SMALL_CHUNK
    from fraudrisk.features._view import utc_now

    featurizer, now = model.featurizer_, utc_now()
    seen = {"batches": 0, "records": 0, "repeated": 0}

    @PROPERTY_SETTINGS
    @given(record_batches(), st.randoms(use_true_random=False))
    def check(records, rng):
        valid = [validate_record(record) for record in records if _passes_schema(record)]
        if len(valid) <= SMALL_CHUNK:
            return
        rng.shuffle(valid)
        batch = featurizer.transform_canonical(valid, now)
        alone = np.vstack([featurizer.transform_canonical([record], now) for record in valid])
        assert np.array_equal(batch, alone, equal_nan=True)
        assert np.array_equal(np.signbit(batch), np.signbit(alone))  # 0.0 and -0.0 apart too
        seen["batches"] += 1
        seen["records"] += len(valid)
        issuers = [(record.get("tls_issuer_org"), record.get("tls_not_after")) for record in valid]
        seen["repeated"] += len(issuers) - len(set(issuers))

    check()
    # many batches, and inputs that recur within a batch (the reuse under test)
    assert seen["batches"] >= 20 and seen["repeated"] > 1000, seen


def _full_and_read_only(model, records, now):
    featurizer, only = model.featurizer_, model.columns_read()
    full = featurizer.transform_canonical(records, now)
    read_only = featurizer.transform_canonical(records, now, only=only)
    return full, read_only, np.isin(featurizer.get_feature_names_out(), list(only))


def test_scoring_computes_only_the_columns_the_model_reads(model):
    """Columns no split reads are left NaN: the read columns, probabilities and reasons' effects
    are the same to the bit as with every column computed, alone or in batches."""
    from fraudrisk.datasets import make_shops
    from fraudrisk.explain import occlusion_effects
    from fraudrisk.features._view import utc_now

    now, seen = utc_now(), {"batches": 0, "skipped": 0}
    heavy = [validate_record(row) for row in make_shops(60, seed=4, links_heavy=True)[0].to_dict("records")]

    @PROPERTY_SETTINGS
    @given(record_batches())
    def check(records):
        valid = [validate_record(record) for record in records if _passes_schema(record)] + heavy
        for batch in (valid, valid[-1:]):  # a batch, and one heavy record alone
            full, read_only, read = _full_and_read_only(model, batch, now)
            assert np.array_equal(full[:, read], read_only[:, read], equal_nan=True)
            assert np.array_equal(np.signbit(full[:, read]), np.signbit(read_only[:, read]))
            assert np.array_equal(model.predict_proba_features(full), model.predict_proba_features(read_only))
            full_effects, read_effects = occlusion_effects(model, full)[1], occlusion_effects(model, read_only)[1]
            assert all(np.array_equal(full_effects[f], read_effects[f]) for f in full_effects)
            left_out = np.isnan(read_only).all(axis=0) & ~np.isnan(full).all(axis=0)
            assert not left_out[read].any()
            seen["skipped"] += bool(left_out.any())
        seen["batches"] += 1

    check()
    assert seen["batches"] >= 20 and seen["skipped"] >= 2 * seen["batches"]  # columns were left out


def test_a_model_that_reads_links_gets_them_computed():
    from fraudrisk import FraudRiskModel
    from fraudrisk.datasets import make_shops
    from fraudrisk.ensemble import CalibratedEnsembleClassifier
    from fraudrisk.features._view import utc_now

    X, y = make_shops(400, seed=2, fraud_rate=0.5, links_heavy=True)
    records = [validate_record(row) for row in X.to_dict("records")]
    for ensemble in ("random_forest", "hist_gradient_boosting", "blend"):
        classifier = CalibratedEnsembleClassifier(ensemble=ensemble, n_estimators=15, cv=3)
        fitted = FraudRiskModel(classifier=classifier).fit(X, y)
        only = fitted.columns_read()
        assert any(name.startswith(("links_", "prices_", "link_")) for name in only), ensemble
        assert fitted.reads_page()  # so scoring parses their links and prices
        full, read_only, read = _full_and_read_only(fitted, records, utc_now())
        assert np.array_equal(fitted.predict_proba_features(full), fitted.predict_proba_features(read_only))
        assert not read.all()  # and some columns were still left out


def test_families_made_of_parts_cover_their_columns_in_order():
    for name, family in FAMILIES.items():
        parts = getattr(family, "PARTS", None)
        if parts is not None:
            assert tuple(column for names, _, _ in parts for column in names) == tuple(family.NAMES), name
            assert {i for _, inputs, _ in parts for i in inputs} <= set(family.INPUTS), name
