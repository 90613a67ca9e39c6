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


def edit_distance(a, b, limit=3):
    """Levenshtein distance, stopping early once it exceeds ``limit`` (returns ``limit + 1``)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


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
        if shape == target or (allowed and edit_distance(shape, target, allowed) <= allowed):
            return target
        if "-" in shape and target in shape.split("-"):
            return target
    return None
