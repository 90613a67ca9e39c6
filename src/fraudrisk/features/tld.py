"""The top-level domain (public suffix) of the shop's host.

Kept apart from the other domain features because a model can learn a shortcut from it (fake
shops in one data set lean .de / .shop, real ones .com) that does not generalise; train with
and without it (``fraudrisk train --without-tld``) to see how much a model leans on it.
"""

from fraudrisk.features._view import one_hot

SUFFIXES = (
    "com",
    "de",
    "be",
    "nl",
    "fr",
    "co.uk",
    "net",
    "org",
    "eu",
    "shop",
    "store",
    "online",
    "top",
    "xyz",
    "other",
)

NAMES = ("tld_length", "tld_levels", *(f"tld_{suffix.replace('.', '_')}" for suffix in SUFFIXES))


INPUTS = ("suffix",)


def features(suffix):
    return [
        float(len(suffix)),
        float(suffix.count(".") + 1 if suffix else 0),
        *one_hot(suffix, SUFFIXES),
    ]
