import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fraudrisk import SchemaError
from fraudrisk.schema import FIELD_NAMES, schema_table, validate_record, validate_records


def test_canonical_types(belgian_shop):
    record = validate_record(belgian_shop)
    assert record["observed_at"] == datetime(2026, 11, 20)
    assert record["payment_methods"] == ["bancontact", "credit_card", "paypal"]
    assert record["trustpilot_reviews"] == 120 and record["whois_hidden"] is False


def test_missing_optional_fields_are_dropped():
    record = validate_record(
        {"url": "shop.example.be", "tranco_rank": None, "trustpilot_score": math.nan, "country": "", "links": None}
    )
    assert record == {"url": "shop.example.be"}


def test_csv_text_values_are_parsed():
    frame = pd.DataFrame(
        [
            {
                "url": "https://a.example.be",
                "payment_methods": '["PayPal", "money-back"]',
                "prices": '[{"price": 19.5, "currency": "eur", "discount_percent": 60}]',
                "whois_hidden": "true",
                "tranco_rank": "1200",
                "observed_at": "2024-01-02T10:00:00Z",
            }
        ]
    )
    (record,) = validate_records(frame)
    assert record["payment_methods"] == ["buyer_protection", "paypal"]
    assert record["prices"] == [{"price": 19.5, "currency": "EUR", "discount_percent": 60.0}]
    assert record["whois_hidden"] is True and record["tranco_rank"] == 1200
    assert record["observed_at"] == datetime(2024, 1, 2, 10, 0)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ({"url": "https://ok.example.be", "colour": "red"}, r"shop record 1: unknown field 'colour'"),
        ({"url": "https://ok.example.be", "tranco_rank": -3}, r"shop record 1: field 'tranco_rank' must be .*-3"),
        (
            {"url": "https://ok.example.be", "prices": [{"price": float("nan")}]},
            r"shop record 1: field 'prices' must be .*item 0: 'price' must be a finite number",
        ),
        (
            {"url": "https://ok.example.be", "tls_not_after": "soon"},
            r"shop record 1: field 'tls_not_after' must be a date or ISO-8601 string, got 'soon'",
        ),
        (
            {"url": "https://ok.example.be", "payment_methods": ["paypal", "barter"]},
            r"shop record 1: field 'payment_methods' must be one of \[.*'bancontact'.*\], got 'barter'",
        ),
        ({"url": "https://ok.example.be", "links": [1, 2]}, r"field 'links' must be a list of strings, item 0 is int"),
        ({"url": "https://ok.example.be", "links": "not json"}, r"field 'links' must be a list, or JSON text"),
        ({"url": "https://ok.example.be", "has_logo": "maybe"}, r"field 'has_logo' must be true or false"),
        (
            {"url": "https://ok.example.be", "trustpilot_score": 7},
            r"field 'trustpilot_score' must be .* between 0 and 5",
        ),
        ({"url": "https://ok.example.be", "prices": [{"price": 3, "colour": "red"}]}, r"unknown key 'colour'"),
        ({"url": "https://ok.example.be", "domain_registered_at": "1066-10-14"}, r"a date between 1970 and 2200"),
        ({"url": "https://ok.example.be", "country": "Belgium"}, r"field 'country' must be a two-letter"),
        ({"url": "not a url"}, r"shop record 1: field 'url' must be an http\(s\) URL"),
        ({"url": "ftp://files.example.be"}, r"field 'url' must be an http\(s\) URL"),
        ({"country": "BE"}, r"shop record 1: field 'url' is required"),
        # Found by tests/test_hostile_input.py; each once escaped as another exception.
        ({"url": "http://[shop.example.be/"}, r"shop record 1: field 'url' must be an http\(s\) URL"),
        (
            {"url": "https://ok.example.be", "observed_at": "0001-01-01T00:00:00+05:00"},
            r"shop record 1: field 'observed_at' must be a date between 1970 and 2200, got '0001-01-01",
        ),
        (
            {
                "url": "https://ok.example.be",
                "tls_not_after": datetime(9999, 12, 31, tzinfo=timezone(-timedelta(hours=5))),
            },
            r"shop record 1: field 'tls_not_after' must be a date between 1970 and 2200",
        ),
        (
            {"url": "https://ok.example.be", "prices": [{"price": 1, 7: "x", "colour": "red"}]},
            r"shop record 1: field 'prices' must be .*item 0: .*got unknown key '7'",
        ),
        (
            {"url": "https://ok.example.be/\ud800"},
            r"shop record 1: field 'url' must be valid Unicode text, got a lone surrogate at character 22",
        ),
        (
            {"url": "https://ok.example.be", "links": ["/cart", "/x\udfff"]},
            r"shop record 1: field 'links' must be a list of valid Unicode strings, item 1 holds a lone surrogate",
        ),
        ("https://shop.example.be", r"shop record 1: must be a mapping"),
    ],
)
def test_bad_input_names_record_and_field(bad, match):
    with pytest.raises(SchemaError, match=match) as caught:
        validate_records([{"url": "https://fine.example.be"}, bad])
    assert caught.value.index == 1


def test_numpy_scalars_are_read_like_python_values():
    record = validate_record(
        {"url": "a.example.be", "has_logo": np.True_, "whois_hidden": np.int64(0), "tranco_rank": np.int64(7)}
    )
    assert record["has_logo"] is True and record["whois_hidden"] is False and record["tranco_rank"] == 7
    with pytest.raises(SchemaError, match=r"field 'trustpilot_reviews' must be a number, got bool True"):
        validate_record({"url": "a.example.be", "trustpilot_reviews": np.True_})


def test_error_carries_field_attribute():
    with pytest.raises(SchemaError, match="field 'tranco_rank'") as caught:
        validate_record({"url": "a.example.be", "tranco_rank": "high"}, index=7)
    assert caught.value.field == "tranco_rank" and "shop record 7" in str(caught.value)


def test_records_of_wrong_container_type():
    with pytest.raises(SchemaError, match="must be a dict, a list of dicts or a pandas DataFrame, got int"):
        validate_records(42)


def test_schema_table_lists_every_field():
    table = schema_table()
    assert all(f"`{name}`" in table for name in FIELD_NAMES)


def test_readme_schema_table_matches_code():
    readme = Path(__file__).resolve().parents[1] / "README.md"
    assert schema_table() in readme.read_text(encoding="utf-8")


def test_plain_prices_take_a_shortcut_with_the_same_result_as_the_general_parsers():
    import random

    from fraudrisk import _parse, _prices, schema

    def general(price):
        if price.get("price") is None or not set(price) <= set(schema.PRICE_KEYS):
            raise _parse.ParseError("no price or an unknown key")
        return {key: _prices._PRICE_PARSERS[key](value) for key, value in price.items() if value is not None}

    rng = random.Random(3)
    values = [0, 1, 2.5, -1, 101, float("nan"), float("inf"), True, False, "3", None, 1e308, "EUR", "eur", "EU1", "ÉUR"]
    keys = [
        ("price",),
        ("price", "currency"),
        ("currency",),
        ("price", "old_price"),
        ("currency", "discount_percent", "price", "struck_through"),
        ("price", "struck_through", "colour"),
    ]
    accepted = 0
    for _ in range(20000):
        price = {key: rng.choice(values) for key in rng.choice(keys)}
        outcomes = []
        for parse in (general, _prices._parse_price):
            try:
                outcomes.append(parse(price))
            except _parse.ParseError:
                outcomes.append("refused")
        assert outcomes[0] == outcomes[1], price
        if outcomes[0] != "refused":
            accepted += 1
            assert all(type(outcomes[0][key]) is type(outcomes[1][key]) for key in outcomes[0])
    assert accepted > 1000


def test_plain_urls_are_read_like_urlsplit_reads_them():
    import random
    from urllib.parse import urlsplit

    from fraudrisk._hosts import scheme_and_host

    def by_urlsplit(url):
        parts = urlsplit(url if "://" in url else "http://" + url)
        return parts.scheme, parts.hostname or ""

    rng = random.Random(11)
    pieces = ["http://", "https://", "HTTP://", "ftp://", "www.", "Shop", "a", "-", ".", ".be", ":", "8080", "/", "?",
              "#", "@", "[", "]", "%41", " ", "\t", "\n", "é", "xn--", "0", "_", "\\", ""]  # fmt: skip
    agreed = plain = 0
    for _ in range(20000):
        url = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        if rng.random() < 0.3:
            url = rng.choice(("http://", "https://")) + url
        try:
            expected = by_urlsplit(url)
        except ValueError:
            with pytest.raises(ValueError):
                scheme_and_host(url)
            continue
        assert scheme_and_host(url) == expected, url
        agreed += 1
        plain += url.startswith(("http://", "https://")) and not set(url) & set("@[]% \t\n\\é_")
    assert agreed > 15000 and plain > 1000  # both the shortcut and the general reading are exercised


def test_data_frame_columns_become_python_values_and_rows_without_columns_stay():
    from fraudrisk.schema import iter_raw_records

    frame = pd.DataFrame(
        {"url": pd.array(["a.example.be", None], dtype="string"), "trustpilot_reviews": pd.array([3, None], "Int64")}
    )
    rows = list(iter_raw_records(frame))
    assert rows[0] == {"url": "a.example.be", "trustpilot_reviews": 3} and rows[1]["url"] is pd.NA
    assert list(iter_raw_records(pd.DataFrame(index=range(3)))) == [{}, {}, {}]


def test_plain_hosts_are_split_like_tldextract_splits_them():
    import random

    from fraudrisk._hosts import _EXTRACT, split_host

    rules = sorted(_EXTRACT.tlds)
    wildcards = [rule[2:] for rule in rules if rule.startswith("*.")]
    exceptions = [rule[1:] for rule in rules if rule.startswith("!")]
    rng = random.Random(5)
    labels = ["shop", "www", "a", "x-1", "0", "123", "-", "city", "kobe", "co", "uk", "be", "com", "jp", "kh", "zz"]
    split_here = 0
    for _ in range(20000):
        tail = rng.choice(
            [rng.choice(rules).lstrip("*!."), rng.choice(wildcards), rng.choice(exceptions), rng.choice(labels)]
        )
        host = ".".join([*(rng.choice(labels) for _ in range(rng.randint(0, 3))), tail])
        if rng.random() < 0.05:
            host = host.upper() if rng.random() < 0.5 else "xn--" + host
        split_host.cache_clear()
        expected = _EXTRACT(host)
        assert split_host(host) == (expected.subdomain, expected.domain, expected.suffix), host
        split_here += bool(expected.suffix) and host.isascii() and host == host.lower() and "xn--" not in host
    assert split_here > 10000  # the shortcut, not tldextract, split most of them


def test_json_lists_of_plain_strings_read_as_json_reads_them():
    import json
    import random

    from fraudrisk._parse import ParseError, parse_json_list, plain_json_strings

    rng = random.Random(7)
    alphabet = ["a", "é", " ", '"', "\\", "\n", "\x00", "\x1f", "\x7f", "\u2028", "\ud800", ",", "[", "]", ", "]
    shortcut = 0
    for _ in range(20000):
        items = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(0, 4))]
        text = json.dumps(items, ensure_ascii=rng.random() < 0.3)
        if rng.random() < 0.2:  # near misses of the shape: other separators, spaces, broken ends
            text = rng.choice(
                [text.replace(", ", ","), " " + text, text[:-1], text + "]", text.replace('"', "'", 1),
                 text.replace("\\n", "\n"), text.replace("\\u0000", "\x00"),  # raw control characters
                 text.replace('\\"', '"'), text.replace('", "', '",  "', 1), text.replace('"]', '"]"]')]
            )  # fmt: skip
        try:
            expected = json.loads(text)
        except ValueError:
            with pytest.raises(ParseError):
                parse_json_list(text)
            continue
        if isinstance(expected, list):
            assert parse_json_list(text) == expected, text
            shortcut += plain_json_strings(text) is not None
    assert shortcut > 5000


def test_text_lists_read_as_json_then_checked_item_by_item():
    # JSON text of plain ASCII strings takes a shortcut; the list (or the error) is the one that
    # reading the JSON and checking, trimming and cutting each item gives.
    import json
    import random

    from fraudrisk._parse import ParseError, parse_text_list

    def item_by_item(text, max_len):
        try:
            items = json.loads(text)
        except ValueError:
            return "refused"
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            return "refused"
        return [item.strip()[:max_len] for item in items]

    rng = random.Random(5)
    alphabet = ["a", "b", " ", "\t", '"', "\\", "\n", "\x1f", "\x7f", ",", "é", "x" * 7]
    plain = 0
    for _ in range(20000):
        items = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(0, 5))]
        text = json.dumps(items if rng.random() < 0.9 else [*items, 3], ensure_ascii=rng.random() < 0.5)
        if rng.random() < 0.2:
            text = rng.choice([text.replace("\\n", "\n"), text.replace('\\"', '"'), text.replace(", ", ",")])
        max_len = rng.choice([3, 8, 2048])
        try:
            actual = parse_text_list(text, max_len)
        except ParseError:
            actual = "refused"
        assert actual == item_by_item(text, max_len), text
        plain += actual != "refused" and text.isascii() and "\\" not in text
    assert plain > 3000


def _outcome_of(parse, value):
    from fraudrisk._parse import ParseError

    try:
        return parse(value)
    except ParseError as error:
        return f"refused: {error}"


def test_plain_email_lists_take_a_shortcut_with_the_result_of_checking_each_address():
    import json
    import random

    from fraudrisk import _parse
    from fraudrisk.schema import _parse_emails

    def address_by_address(value):
        emails = _parse.parse_text_list(value, 320)
        for email in emails:
            if email.count("@") != 1 or not all(email.split("@")):
                raise _parse.ParseError(f"a list of e-mail addresses, got {email[:60]!r}")
        return [email.lower() for email in emails]

    rng = random.Random(9)
    pieces = ["a", "B", "@", ".", "-", "+", " ", '"', "\\", "\n", "é", "[", ",", "x" * 150, ""]

    def address():
        parts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in range(2)]
        return "@".join(parts) if rng.random() < 0.8 else parts[0]

    longest = ["a" * 160 + "@" + "b" * 159, "a" * 160 + "@" + "b" * 160]  # 320 characters: kept; 321: cut
    shortcut = 0
    for case in range(20000):
        items = [address() for _ in range(rng.randint(0, 3))] if case >= len(longest) else [longest[case]]
        value = json.dumps(items, ensure_ascii=rng.random() < 0.5)
        if rng.random() < 0.1:
            value = value.replace(", ", ",")
        assert _outcome_of(_parse_emails, value) == _outcome_of(address_by_address, value), value
        shortcut += bool(_parse_emails.__globals__["_PLAIN_EMAILS"].fullmatch(value)) and len(value) <= 322
    assert shortcut > 300


def test_plain_urls_take_a_shortcut_with_the_result_of_the_general_checks():
    import random

    from fraudrisk import _parse
    from fraudrisk._hosts import scheme_and_host

    def general(value):
        text = _parse.parse_text(value, _parse.MAX_URL)
        try:
            scheme, host = scheme_and_host(text)
            host = host.rstrip(".")
        except ValueError:
            scheme, host = "", ""
        if scheme not in ("http", "https") or not _parse.is_host_name(host):
            raise _parse.ParseError(f"an http(s) URL, got {value!r}")
        return text

    rng = random.Random(13)
    pieces = ["http://", "https://", "HTTPS://", "shop", "A", "0", "-", "_", ".", ".be", ":", "80", "/", "?", "#",
              "@", " ", "é", "[", "x" * 60, "y" * 70, "z" * 1000, ""]  # fmt: skip
    shortcut = accepted = 0
    labels = ["shop", "a", "b-c", "0", "x" * 63, "x" * 64, "-a", "a_b", "B", "é"]
    for _ in range(30000):
        if rng.random() < 0.5:
            value = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        else:  # more often a host of labels, maybe a port and a path
            host = ".".join(rng.choice(labels) for _ in range(rng.randint(1, 5 if rng.random() < 0.9 else 9)))
            value = host + rng.choice(["", ":", ":443", "/", "/p?q=1#f", "/a b", "?x", "\t", "."])
        if rng.random() < 0.6:
            value = rng.choice(("http://", "https://")) + value
        expected = _outcome_of(general, value)
        assert (_outcome_of(_parse.parse_url, value) == expected) or (
            expected.startswith("refused") and _outcome_of(_parse.parse_url, value).startswith("refused")
        ), value
        accepted += not expected.startswith("refused")
        plain = _parse._PLAIN_SHOP_URL.fullmatch(value)
        shortcut += bool(plain) and len(value) <= _parse.MAX_URL and plain.end(1) - plain.start(1) <= 253
    assert accepted > 3000 and shortcut > 500


def test_json_text_is_read_as_the_json_module_reads_it():
    # orjson reads list fields' JSON text; the value (or the error) must be the json module's.
    import json
    import random

    from fraudrisk._parse import json_loads

    rng = random.Random(17)
    numbers = ["0", "-0", "-0.0", "1e400", "-1e400", "1e-400", "1.7976931348623157e308", "1.7976931348623159e308",
               "4.9e-324", "NaN", "Infinity", "-Infinity", "9" * 19, "9" * 25, "-" + "9" * 19, "18446744073709551615",
               "18446744073709551616", "9223372036854775807", "-9223372036854775809", "01", "1.", ".5", "1E5",
               "2e+3"]  # fmt: skip
    texts = ['"a"', '"\\ud800"', '"\\u00e9"', '"é"', '"\x01"', '"\\n"', '"\\"', "true", "null", "[]", "{}"]

    def number():
        if rng.random() < 0.4:
            return rng.choice(numbers)
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 30)))
        shape = rng.choice(["{d}", "{d}.{e}", "-{d}.{e}e{x}", "0.{e}", "{d}e-{x}"])
        return shape.format(d=digits.lstrip("0") or "0", e=digits, x=rng.randint(0, 330))

    def value(depth):
        roll = rng.random()
        if depth > 3 or roll < 0.4:
            return number() if rng.random() < 0.6 else rng.choice(texts)
        items = [value(depth + 1) for _ in range(rng.randint(0, 4))]
        if roll < 0.7:
            return "[" + ", ".join(items) + "]"
        keys = [rng.choice(['"price"', '"a"', '"a"', '"é"']) for _ in items]
        return "{" + ", ".join(f"{key}: {item}" for key, item in zip(keys, items, strict=True)) + "}"

    def outcome(read, text):
        try:
            return repr(read(text))
        except (ValueError, RecursionError) as error:
            return type(error).__name__

    read_fast = 0
    for case in range(20000):
        text = "[" + value(0) + "]" if case else "[" * 5000 + "]" * 5000
        assert outcome(json_loads, text) == outcome(json.loads, text), text
        read_fast += outcome(json.loads, text).startswith("[")
    assert read_fast > 5000


def test_a_price_beyond_the_largest_float_is_a_schema_error_not_a_crash():
    for price in ({"price": 10**400}, {"price": 1.0, "old_price": 10**400}):
        with pytest.raises(SchemaError, match="field 'prices'"):
            validate_record({"url": "https://a.example.be", "prices": [price]})
    largest = validate_record({"url": "https://a.example.be", "prices": [{"price": int(1.7976931348623157e308)}]})
    assert largest["prices"] == [{"price": 1.7976931348623157e308}]


def test_host_names_are_judged_as_label_by_label():
    import random

    from fraudrisk._parse import _ASCII_HOST, _HOST_LABEL, is_host_name

    def label_by_label(host):
        labels = host.split(".")
        return len(host) <= 253 and len(labels) >= 2 and all(_HOST_LABEL.match(label) for label in labels)

    rng = random.Random(3)
    pieces = ["a", "z", "0", "9", "-", "_", ".", "shop", "x" * 61] * 4 + ["é", "A", "\n", " ", ""]
    accepted = in_one_match = 0
    for _ in range(30000):
        host = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        expected = label_by_label(host)
        assert is_host_name(host) == expected, repr(host)
        accepted += expected
        in_one_match += bool(_ASCII_HOST.fullmatch(host))
    assert accepted > 1000 and in_one_match > 0.7 * accepted  # the one-match shortcut is taken


def test_quick_checks_find_only_valid_texts_valid():
    # Links and prices that scoring does not read are only checked: a text the quick check
    # passes must be one the field's parser accepts (it fails over to the parser otherwise).
    import json
    import random

    from fraudrisk._parse import ParseError, plain_json_strings
    from fraudrisk._table_validation import QUICK_CHECKS
    from fraudrisk.schema import parse_field

    rng = random.Random(11)

    def accepted(name, text):
        try:
            parse_field(name, text)
        except ParseError:
            return False
        return True

    link_alphabet = ["a", "/", " ", '"', "\\", "\n", "\x00", "\x1f", "\x7f", "é", "\ud800", ",", "[", "]", ", ", '", "']
    numbers = [
        0,
        0.0,
        5,
        9.99,
        100,
        100.0,
        100.5,
        1e15,
        1e16,
        123456789012345.5,
        -1.0,
        -0.0,
        1e300,
        10**20,
        10**400,
        True,
    ]
    values = {
        "price": [*numbers, None, "5"],
        "currency": ["EUR", "eur", "EURO", "EU", None, 5],
        "discount_percent": [*numbers, None],
        "struck_through": [True, False, None, 1, "yes"],
        "old_price": [*numbers, None],
        "extra": [1],
    }
    misses = [
        lambda text: text.replace(", ", ","), lambda text: text.replace(": ", ":"), lambda text: text[:-1],
        lambda text: text + "]", lambda text: text.replace("1", "NaN", 1), lambda text: text.replace("5", "-5", 1),
        lambda text: text.replace('"', "'", 1), lambda text: text.replace('", "', '",  "', 1),
        lambda text: text.replace("0", "00", 1), lambda text: text.replace(".", "e", 1),
    ]  # fmt: skip
    passed = {"links": 0, "prices": 0}
    valid_only_by_parser = {"links": 0, "prices": 0}
    for _ in range(30000):
        if rng.random() < 0.5:
            name = "links"
            items = [
                "".join(rng.choice(link_alphabet) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(0, 4))
            ]
            text = json.dumps(items if rng.random() < 0.9 else [*items, 3], ensure_ascii=rng.random() < 0.5)
        else:
            name = "prices"
            prices = []
            for _ in range(rng.randint(0, 3)):
                keys = [
                    key
                    for key in values
                    if rng.random() < (0.95 if key == "price" else 0.4 if key != "extra" else 0.03)
                ]
                if rng.random() < 0.2:
                    rng.shuffle(keys)
                prices.append({key: rng.choice(values[key]) for key in keys})
            text = json.dumps(prices)
        if rng.random() < 0.2:
            text = rng.choice(misses)(text)
        quick, valid = QUICK_CHECKS[name](text), accepted(name, text)
        assert valid or not quick, text
        if name == "links":  # the same texts as plain_json_strings reads, when ASCII
            assert quick == (text.isascii() and plain_json_strings(text) is not None), text
        passed[name] += quick
        valid_only_by_parser[name] += valid and not quick
    # both checks passed many texts, and the parser still decided many valid texts they did not
    assert min(passed.values()) > 2000 and min(valid_only_by_parser.values()) > 500, (passed, valid_only_by_parser)
    # and prices as json.dumps writes them, keys in schema order, all pass the quick check
    for _ in range(3000):
        prices = []
        for _ in range(rng.randint(0, 4)):
            price = {
                "price": rng.randint(0, 10**8) / 100,
                "currency": rng.choice(["EUR", "USD", None]),
                "discount_percent": rng.choice([None, 0.0, 5.0, 9.5, 10.0, 99.99, 100.0]),
                "struck_through": rng.choice([True, False, None]),
                "old_price": rng.choice([None, 0.5, 1234.0]),
            }
            prices.append({key: value for key, value in price.items() if key == "price" or rng.random() < 0.6})
        assert QUICK_CHECKS["prices"](json.dumps(prices)), prices
