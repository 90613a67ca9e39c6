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


def _allowed_edits(target):
    """Edits a name may be from ``target`` and still imitate it: none below 5 letters, 2 from 8."""
    return 2 if len(target) >= 8 else 1 if len(target) >= 5 else 0


def _deletions(word, depth):
    """``word`` and every string made from it by deleting up to ``depth`` (at most 2) characters."""
    n = len(word)
    variants = {word}
    if depth >= 1:
        variants.update(word[:i] + word[i + 1 :] for i in range(n))
    if depth >= 2:
        variants.update(word[:i] + word[i + 1 : j] + word[j + 1 :] for i in range(n) for j in range(i + 1, n))
    return variants


@lru_cache(maxsize=8)
def _deletion_index(known):
    """Deletion variant -> positions in ``known`` of the targets it comes from (symmetric delete).

    Two names within ``k`` edits share a string reachable by ``k`` deletions from each, so the
    targets a name may be near are found by looking up the name's own deletion variants; each
    candidate is then checked exactly. This replaces an edit-distance test against every target.
    """
    index = {}
    for position, target in enumerate(known):
        if len(target) >= 4 and _allowed_edits(target):
            for variant in _deletions(target, _allowed_edits(target)):
                index.setdefault(variant, set()).add(position)
    return index, max((len(target) for target in known), default=0)


@lru_cache(maxsize=65536)
def lookalike_of(name, known=WELL_KNOWN):
    """The well-known name that ``name`` imitates, or None.

    A name imitates a known one (of 4+ characters) when it is not that name but its skeleton
    equals it, is one edit away (known names of 5+ characters; two edits for 8+), or contains
    it with a hyphenated extra word (``paypal-secure``). When several match, the first in
    ``known`` wins.

    Examples
    --------
    >>> lookalike_of("coolbIue"), lookalike_of("zalandoo"), lookalike_of("bol")
    ('coolblue', 'zalando', None)
    """
    name = name.lower()
    if name in known:
        return None
    shape = skeleton(name)
    index, longest = _deletion_index(known)
    candidates = set()
    if len(shape) <= longest + 2:
        for variant in _deletions(shape, 2):
            candidates |= index.get(variant, set())
    parts = set(shape.split("-")) if "-" in shape else ()
    for position, target in enumerate(known):
        if len(target) < 4:
            continue
        if shape == target or target in parts:
            return target
        if position in candidates and within_edits(shape, target, _allowed_edits(target)):
            return target
    return None
