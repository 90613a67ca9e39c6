"""Parsers that turn one raw field value into its canonical form.

Each parser takes a value that is not missing and returns the canonical value, or raises
:class:`ParseError` with a phrase saying what was expected. The schema adds the record index
and field name to that phrase.
"""

import json
import math
import re
from datetime import date, datetime, timezone

import numpy as np
import orjson

from fraudrisk._hosts import scheme_and_host

MAX_TEXT = 4096
MAX_URL = 2048
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9\-_\u00a1-\uffff]{1,63}(?<!-)$")
# Two or more ASCII labels that _HOST_LABEL accepts, in one match: most hosts are like this.
_ASCII_LABEL = r"[a-z0-9_](?:[a-z0-9_\-]{0,61}[a-z0-9_])?"
_ASCII_HOST = re.compile(rf"{_ASCII_LABEL}(?:\.{_ASCII_LABEL})+")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
EARLIEST = datetime(1970, 1, 1)
LATEST = datetime(2200, 1, 1)


class ParseError(Exception):
    """Raised by a parser; its message is what the field must be."""


def is_missing(value):
    """Return True for the values that mean 'not observed'."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - pandas is a core dependency
        return False


def _show(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _lone_surrogate(text):
    """Position of the first lone surrogate (a str that is not valid Unicode), or None.

    Such text cannot be encoded to UTF-8: pandas' Arrow-backed strings and every output file
    refuse it, so the schema does too.
    """
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def parse_text(value, max_len=MAX_TEXT):
    if not isinstance(value, str):
        raise ParseError(f"a string, got {type(value).__name__} {_show(value)}")
    value = value.strip()
    if len(value) > max_len:
        raise ParseError(f"a string of at most {max_len} characters, got {len(value)}")
    position = _lone_surrogate(value)
    if position is not None:
        raise ParseError(f"valid Unicode text, got a lone surrogate at character {position} of {_show(value)}")
    return value


def is_host_name(host):
    """True for a host of two or more labels that ``_HOST_LABEL`` accepts, at most 253 characters."""
    if len(host) > 253:
        return False
    if _ASCII_HOST.fullmatch(host):  # the same answer for ASCII hosts, in one match
        return True
    labels = host.split(".")
    return len(labels) >= 2 and all(_HOST_LABEL.match(label) for label in labels)


# An http(s) URL whose host is lower-case ASCII labels (no underscore), maybe a port, then printable
# ASCII: is_host_name accepts the host (up to 253 characters), and scheme_and_host reads it as it is.
_NO_UNDERSCORE_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_PLAIN_SHOP_URL = re.compile(
    rf"https?://({_NO_UNDERSCORE_LABEL}(?:\.{_NO_UNDERSCORE_LABEL})+)(?::[0-9]*)?(?:[/?#][!-~]*)?"
)


def parse_url(value):
    if type(value) is str and len(value) <= MAX_URL:
        plain = _PLAIN_SHOP_URL.fullmatch(value)
        if plain and plain.end(1) - plain.start(1) <= 253:
            return value
    text = parse_text(value, MAX_URL)
    try:
        scheme, host = scheme_and_host(text)
        host = host.rstrip(".")
    except ValueError:  # e.g. an unclosed IPv6 bracket: "http://[shop"
        scheme, host = "", ""
    if scheme not in ("http", "https") or not is_host_name(host):
        raise ParseError(f"an http(s) URL or host name such as 'https://shop.example.be', got {_show(value)}")
    return text


def parse_datetime(value):
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ParseError(f"a date or ISO-8601 string, got {_show(value)}") from None
    else:
        raise ParseError(f"a date or ISO-8601 string, got {type(value).__name__} {_show(value)}")
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # e.g. 0001-01-01T00:00+05:00 is before year 1 in UTC
            raise ParseError(f"a date between {EARLIEST.year} and {LATEST.year}, got {_show(value)}") from None
    if type(parsed) is not datetime and hasattr(parsed, "to_pydatetime"):
        parsed = parsed.to_pydatetime()
    if not EARLIEST <= parsed < LATEST:
        raise ParseError(f"a date between {EARLIEST.year} and {LATEST.year}, got {_show(value)}")
    return parsed


def _plain(value):
    """A numpy scalar as the Python value it holds (``np.True_`` -> ``True``); anything else as is."""
    return value.item() if isinstance(value, np.generic) else value


def parse_bool(value):
    value = _plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ParseError(f"true or false, got {_show(value)}")


def parse_number(value, low=-math.inf, high=math.inf):
    value = _plain(value)
    if isinstance(value, bool):
        raise ParseError(f"a number, got bool {_show(value)}")
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ParseError(f"a number, got {_show(value)}") from None
    elif isinstance(value, (int, float)) or hasattr(value, "__float__"):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise ParseError(f"a number, got {_show(value)}") from None
    else:
        raise ParseError(f"a number, got {type(value).__name__} {_show(value)}")
    if not math.isfinite(number) or not low <= number <= high:
        raise ParseError(f"a finite number between {low:g} and {high:g}, got {_show(value)}")
    return number


def parse_count(value, low=0, high=1e15):
    number = parse_number(value, low, high)
    if number != int(number):
        raise ParseError(f"a whole number >= {low}, got {_show(value)}")
    return int(number)


_CONTROL = re.compile(r"[\x00-\x1f]")
# What a JSON string cannot hold without an escape: control characters, the quote, the backslash.
_JSON_SPECIAL = bytes(range(0x20)) + b'"\\'


def _json_strings_shape(text):
    """True when ``text`` starts with ``["`` and ends with ``"]`` (at least one string)."""
    return len(text) >= 4 and text.startswith('["') and text.endswith('"]')


def plain_json_strings(text):
    """The strings of a JSON list as ``json.dumps`` writes it, each string without escapes or
    control characters; None for any other text.

    There every string's value is its text between the quotes, and ``", "`` only separates
    them: the text is split there, and it has that shape when its only quotes are those of the
    separators (a string cannot hold a quote without an escape).
    """
    if text == "[]":
        return []
    if not _json_strings_shape(text):
        return None
    if text.isascii():
        return text[2:-2].split('", "') if is_plain_ascii_strings(text) else None
    inner = text[2:-2]
    items = inner.split('", "')
    if inner.count('"') != 2 * (len(items) - 1) or "\\" in inner:
        return None
    if not inner.isprintable() and _CONTROL.search(inner):  # isprintable: one fast pass for most text
        return None
    return items


def is_plain_ascii_strings(text):
    """True when ``text`` is ASCII and :func:`plain_json_strings` reads it, found without splitting
    it: then :func:`parse_text_list` accepts it (False says nothing either way).

    One pass counts the quotes, backslashes and control characters at once: only the quotes of
    the ``", "`` separators may be there.
    """
    if text == "[]":
        return True
    if not _json_strings_shape(text) or not text.isascii():
        return False
    data = text[2:-2].encode("ascii")
    return len(data) - len(data.translate(None, _JSON_SPECIAL)) == 2 * data.count(b'", "')


_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_LONG_NUMBER = b"0" * 19  # 19 digits in a row: maybe an integer beyond 64 bits


def json_loads(text):
    """``json.loads(text)``: the same value, or the same error.

    orjson reads most texts ~2.5 times as fast and to the same values, but reads an integer
    beyond 64 bits as a float and refuses some texts that json reads (NaN, Infinity, numbers
    beyond the float range, lone surrogates, deep nesting): json reads a text with 19 digits
    in a row, and any text orjson refuses.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return json.loads(text)
    if _LONG_NUMBER in data.translate(_DIGITS_AS_ZERO):
        return json.loads(text)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(text)


def parse_json_list(value):
    """Accept a list/tuple, or JSON text of a list (the CSV form of list fields)."""
    if isinstance(value, str):
        plain = plain_json_strings(value)  # what json.loads gives, without its cost per call
        if plain is not None:
            return plain
        try:
            value = json_loads(value)
        except (ValueError, RecursionError):
            raise ParseError("a list, or JSON text of a list, got text that is not JSON") from None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise ParseError(f"a list, or JSON text of a list, got {type(value).__name__}")
    return list(value)


def _trimmed(items, max_len):
    items = list(map(str.strip, items))
    return [item[:max_len] for item in items] if items and max(map(len, items)) > max_len else items


def parse_text_list(value, max_len=MAX_URL):
    if type(value) is str and value.isascii():  # JSON text of ASCII strings without escapes: all is known
        items = plain_json_strings(value)
        if items is not None:
            return _trimmed(items, max_len)
    items = parse_json_list(value)
    if set(map(type, items)) <= {str} and "".join(items).isascii():  # the common case, checked at once
        return _trimmed(items, max_len)
    out = []
    for position, item in enumerate(items):
        if not isinstance(item, str):
            raise ParseError(f"a list of strings, item {position} is {type(item).__name__} {_show(item)}")
        if _lone_surrogate(item) is not None:
            raise ParseError(f"a list of valid Unicode strings, item {position} holds a lone surrogate: {_show(item)}")
        out.append(item.strip()[:max_len])
    return out


def parse_currency(value):
    text = parse_text(value, 8).upper()
    if not _CURRENCY.match(text):
        raise ParseError(f"a three-letter ISO 4217 currency code such as 'EUR', got {_show(value)}")
    return text


def parse_country(value):
    text = parse_text(value, 8).upper()
    if not _COUNTRY.match(text):
        raise ParseError(f"a two-letter ISO 3166 country code such as 'BE', got {_show(value)}")
    return text


def parse_choice(value, choices, aliases=None):
    text = parse_text(value, 64).lower().replace("-", "_").replace(" ", "_")
    text = (aliases or {}).get(text, text)
    if text not in choices:
        raise ParseError(f"one of {sorted(choices)}, got {_show(value)}")
    return text
