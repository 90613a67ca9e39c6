"""Look-alike domains: names one or two edits away from a well-known shop or brand, and homoglyphs."""

import re
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


_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "ԁ": "d", "ɡ": "g", "ο": "o", "ν": "v", "α": "a", "0": "o", "1": "l", "3": "e", "5": "s", "$": "s",
        "@": "a",
    }
)  # fmt: skip


# The ASCII part of _HOMOGLYPHS as a byte table: bytes.translate costs a fraction of str.translate.
_ASCII_PAIRS = [(chr(key), value) for key, value in _HOMOGLYPHS.items() if key < 128]
_ASCII_HOMOGLYPHS = bytes.maketrans(
    "".join(key for key, _ in _ASCII_PAIRS).encode(), "".join(value for _, value in _ASCII_PAIRS).encode()
)


def skeleton(name):
    """The ASCII look of a name: accents stripped, common homoglyphs mapped (``раypal`` -> ``paypal``)."""
    lowered = name.lower()
    if lowered.isascii():  # the same mapping; NFKD leaves ASCII as it is and it has no combining marks
        return lowered.encode().translate(_ASCII_HOMOGLYPHS).decode()
    lowered = lowered.translate(_HOMOGLYPHS)
    if lowered.isascii():  # NFKD leaves ASCII as it is and it has no combining marks
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _allowed_edits(target):
    """Edits a name may be from ``target`` and still imitate it: none below 5 letters, 2 from 8."""
    return 2 if len(target) >= 8 else 1 if len(target) >= 5 else 0


def _pieces(target, edits):
    """``target`` cut into ``edits + 1`` (at most 3) nearly equal pieces, padded to 3 with the last.

    Each edit changes at most one piece, so a name within ``edits`` edits of ``target`` still
    contains one of them unchanged (pigeonhole): a substring test that rules out most targets.
    """
    size, extra = divmod(len(target), edits + 1)
    pieces, start = [], 0
    for number in range(edits + 1):
        end = start + size + (number < extra)
        pieces.append(target[start:end])
        start = end
    return tuple(pieces + pieces[-1:] * (3 - len(pieces)))


@lru_cache(maxsize=8)
def _targets_by_length(known):
    """Name length -> ``(position, target, edits, pieces)`` of the targets a name that long may be near.

    Also the positions of the targets matched by equality alone (4+ characters), by name, and
    per name length a regex that finds any of those targets' pieces: most names contain none,
    and one search rules them all out at once; and the known names as a set.
    """
    by_length, exact = {}, {}
    for position, target in enumerate(known):
        if len(target) < 4:
            continue
        exact.setdefault(target, position)
        edits = _allowed_edits(target)
        if edits:
            for length in range(len(target) - edits, len(target) + edits + 1):
                by_length.setdefault(length, []).append((position, target, edits, _pieces(target, edits)))
    screens = {
        length: re.compile("|".join(sorted({re.escape(piece) for *_, pieces in targets for piece in pieces})))
        for length, targets in by_length.items()
    }
    return by_length, exact, screens, frozenset(known)


def lookalike_of(name, known=WELL_KNOWN):
    """The well-known name that ``name`` imitates, or None.

    A name imitates a known one (of 4+ characters) when it is not that name but its skeleton
    equals it, is one edit away (known names of 5+ characters; two edits for 8+), or contains
    it with a hyphenated extra word (``paypal-secure``). When several match, the first in
    ``known`` wins.

    Parameters
    ----------
    name : str
        A registrable-domain name without its suffix.
    known : tuple of str, default=WELL_KNOWN
        Names to look for, in order of preference.

    Returns
    -------
    str or None

    Examples
    --------
    >>> lookalike_of("coolbIue"), lookalike_of("zalandoo"), lookalike_of("bol")
    ('coolblue', 'zalando', None)
    """
    # The cache key leaves the default list out: hashing its 40 names per call cost more than the rest.
    return _lookalike_of(name, None if known is WELL_KNOWN else known)


@lru_cache(maxsize=65536)
def _lookalike_of(name, known):
    known = WELL_KNOWN if known is None else known
    by_length, exact, screens, known_set = _targets_by_length(known)
    name = name.lower()
    if name in known_set:
        return None
    shape = skeleton(name)
    best = exact.get(shape, len(known))
    if "-" in shape:
        best = min([best, *(exact[word] for word in shape.split("-") if word in exact)])
    screen = screens.get(len(shape))
    if screen is None or screen.search(shape) is None:  # no target's piece: none is within its edits
        return known[best] if best < len(known) else None
    for position, target, edits, (first, second, third) in by_length.get(len(shape), ()):
        if position >= best:
            break
        if (first in shape or second in shape or third in shape) and within_edits(shape, target, edits):
            best = position
            break
    return known[best] if best < len(known) else None
