"""Price objects of a shop page (the ``prices`` field): checked one by one, or a key at a time.

A page lists dozens of prices, nearly always plain objects (float amounts, a canonical
currency code, a bool flag). Those are checked with shortcuts, a whole list at a time when every
price is plain and else price by price; anything else goes through the general field parsers,
which also word any error. The tests hold the shortcuts equal to the general path.
"""

import math
import operator
import re
import sys
from collections import deque
from functools import partial
from itertools import compress, repeat

from fraudrisk import _parse

PRICE_KEYS = ("price", "currency", "discount_percent", "struck_through", "old_price")

_PRICE_PARSERS = {
    "price": partial(_parse.parse_number, low=0),
    "currency": _parse.parse_currency,
    "discount_percent": partial(_parse.parse_number, low=0, high=100),
    "struck_through": _parse.parse_bool,
    "old_price": partial(_parse.parse_number, low=0),
}


_LARGEST_FLOAT = sys.float_info.max
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")  # canonical already: parse_currency would keep it as it is


def _plain_price(value):
    """A price object of plain values in canonical form, without the general parsers; else None."""
    if type(value) is not dict or value.get("price") is None or not value.keys() <= _PRICE_PARSERS.keys():
        return None
    out = {}
    for key, item in value.items():
        kind = type(item)
        if item is None:
            continue
        if key in ("price", "old_price") and kind in (float, int) and 0 <= item <= _LARGEST_FLOAT:
            out[key] = float(item)  # an int above the largest float would not convert: the general path says so
        elif key == "discount_percent" and kind in (float, int) and 0 <= item <= 100:
            out[key] = float(item)
        elif key == "struck_through" and kind is bool:
            out[key] = item
        elif key == "currency" and kind is str and _CURRENCY_CODE.fullmatch(item):
            out[key] = item
        else:
            return None
    return out


def _parse_price(value):
    plain = _plain_price(value)  # most prices look like this; the general path gives the same result
    if plain is not None:
        return plain
    if not isinstance(value, dict):
        raise _parse.ParseError(f"an object with keys {list(PRICE_KEYS)}, got {type(value).__name__}")
    if not value.keys() <= _PRICE_PARSERS.keys():
        unknown = sorted(str(key) for key in set(value) - set(PRICE_KEYS))
        raise _parse.ParseError(f"an object with keys among {list(PRICE_KEYS)}, got unknown key {unknown[0]!r}")
    if value.get("price") is None:
        raise _parse.ParseError("an object with a 'price' (a finite number >= 0)")
    out = {}
    for key, item in value.items():
        if item is not None:
            try:
                out[key] = _PRICE_PARSERS[key](item)
            except _parse.ParseError as error:
                raise _parse.ParseError(f"{key!r} must be {error}") from None
    return out


_GIVEN = partial(operator.is_not, None)  # by identity: a hostile value's == may not give a bool


def _plain_column(key, values):
    """True when every value of ``key`` (None: not given) is one ``_plain_price`` keeps as it is."""
    kinds = set(map(type, values)) - {type(None)}
    if key == "currency":
        return kinds <= {str} and all(map(_CURRENCY_CODE.fullmatch, set(values) - {None}))
    if key == "struck_through":
        return kinds <= {bool}
    if not kinds:
        return True
    if kinds != {float}:
        return False
    values = list(filter(_GIVEN, values))
    high = 100 if key == "discount_percent" else math.inf
    # the sum of floats is finite only when each is: NaN and infinities carry through it
    return math.isfinite(sum(values)) and min(values) >= 0 and max(values) <= high


def _plain_prices(items, owned=False):
    """What ``_parse_price`` gives each item when all are plain price objects, checked a key at
    a time (a page lists dozens of prices); None otherwise, and for any int (float() would
    change it), so that the item-by-item path decides (and words any error). ``owned``: the
    items were parsed here from JSON text, so they are changed in place rather than copied."""
    if not items or set(map(type, items)) != {dict}:
        return None
    keys = set().union(*items)
    if "price" not in keys or not keys <= _PRICE_PARSERS.keys():
        return None
    unset = {}  # key -> its values, for the keys that are None or missing in some prices
    for key in keys:
        values = list(map(dict.get, items, repeat(key)))
        missing = sum(map(operator.is_, values, repeat(None)))
        if (key == "price" and missing) or not _plain_column(key, values):
            return None
        if missing:
            unset[key] = values
    prices = items if owned else list(map(dict, items))
    for key, values in unset.items():  # a None value means "not given": the key goes
        without = compress(prices, map(operator.is_, values, repeat(None)))
        deque(map(dict.pop, without, repeat(key), repeat(None)), maxlen=0)
    return prices


_NUMBER = r"(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,17})?"  # JSON, >= 0 and below 1e15: finite
_PERCENT = r"(?:100(?:\.0{1,17})?|[1-9]?[0-9](?:\.[0-9]{1,17})?)"
_PLAIN_PRICE_TEXT = (
    (
        r'\{"price": NUMBER(?:, "currency": (?:"[A-Z]{3}"|null))?(?:, "discount_percent": (?:PERCENT|null))?'
        r'(?:, "struck_through": (?:true|false|null))?(?:, "old_price": (?:NUMBER|null))?\}'
    )
    .replace("NUMBER", _NUMBER)
    .replace("PERCENT", _PERCENT)
)
# Atomic groups: an item can match only one way (it holds no "}" but its last), so the engine need
# not keep ways back into the items it has matched (~25 % faster on a page's prices).
_PLAIN_PRICES_TEXT = re.compile(r"\[(?:(?>PRICE)(?:, (?>PRICE))*+)?+\]".replace("PRICE", _PLAIN_PRICE_TEXT))


def is_plain_prices_text(text):
    """True for JSON text of price objects that :func:`parse_prices` accepts, written the way
    ``json.dumps`` writes them with their keys in ``PRICE_KEYS`` order; found without parsing it
    (False says nothing either way). For callers that only need to know that a text is valid."""
    return _PLAIN_PRICES_TEXT.fullmatch(text) is not None


def parse_prices(value):
    """The canonical price objects of a list (or its JSON text); ParseError names the bad item."""
    items = _parse.parse_json_list(value)
    plain = _plain_prices(items, owned=isinstance(value, str))
    if plain is not None:
        return plain
    prices = []
    for position, item in enumerate(items):
        try:
            prices.append(_parse_price(item))
        except _parse.ParseError as error:
            raise _parse.ParseError(f"a list of price objects; item {position}: {error}") from None
    return prices
