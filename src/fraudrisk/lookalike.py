"""Look-alike domains: names one or two edits away from a well-known shop or brand, and homoglyphs."""

import unicodedata
from functools import lru_cache

WELL_KNOWN = (
    "bol", "coolblue", "zalando", "amazon", "ikea", "mediamarkt", "vandenborre", "krefel", "fnac", "decathlon",
    "colruyt", "delhaize", "carrefour", "hema", "torfs", "zeeman", "action", "kruidvat", "wehkamp", "otto",
    "ebay", "aliexpress", "apple", "samsung", "nike", "adidas", "lidl", "aldi", "brico", "gamma", "bpost",
    "paypal", "bancontact", "payconiq", "belfius", "kbc", "ing", "argenta", "proximus", "telenet",
)  # fmt: skip
"""Registrable-domain names of major shops, brands and payment names in Belgium and neighbours
(a small default; pass your own list to :func:`lookalike_of`)."""


def within_edits(a, b, limit):
    """True when ``a`` and ``b`` are at most ``limit`` edits apart (Levenshtein), for small limits.

    Common prefixes and suffixes never change the distance, so they are cut off; then the
    first characters differ and one of three edits is tried there: 3 ** limit branches of
    string operations instead of a full table.
    """
    if abs(len(a) - len(b)) > limit:
        return False
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return max(len(a), len(b)) <= limit
    if limit == 0:
        return False
    shorter = limit - 1
    return within_edits(a[1:], b[1:], shorter) or within_edits(a[1:], b, shorter) or within_edits(a, b[1:], shorter)


def skeleton(name):
    """The ASCII look of a name: accents stripped, common homoglyphs mapped (``раypal`` -> ``paypal``)."""
    table = str.maketrans(
        {
            "а": "a",
            "е": "e",
            "о": "o",
            "р": "p",
            "с": "c",
            "у": "y",
            "х": "x",
            "і": "i",
            "ј": "j",
            "ѕ": "s",
            "ԁ": "d",
            "ɡ": "g",
            "ο": "o",
            "ν": "v",
            "α": "a",
            "0": "o",
            "1": "l",
            "3": "e",
            "5": "s",
            "$": "s",
            "@": "a",
        }
    )
    decomposed = unicodedata.normalize("NFKD", name.lower().translate(table))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def lookalike_of(name, known=WELL_KNOWN):
    """The well-known name that ``name`` imitates, or None.

    A name imitates a known one (of 4+ characters) when it is not that name but its skeleton
    equals it, is one edit away (known names of 5+ characters; two edits for 8+), or contains
    it with a hyphenated extra word (``paypal-secure``).

    Examples
    --------
    >>> lookalike_of("coolbIue"), lookalike_of("zalandoo"), lookalike_of("bol")
    ('coolblue', 'zalando', None)
    """
    name = name.lower()
    if name in known:
        return None
    shape = skeleton(name)
    for target in known:
        if len(target) < 4:
            continue
        allowed = 2 if len(target) >= 8 else 1 if len(target) >= 5 else 0
        if shape == target or (allowed and within_edits(shape, target, allowed)):
            return target
        if "-" in shape and target in shape.split("-"):
            return target
    return None
