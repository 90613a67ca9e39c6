"""Payment methods offered: which ones, and whether the buyer is protected."""

from fraudrisk.features._view import NAN
from fraudrisk.schema import PAYMENT_METHODS

METHODS = tuple(sorted(PAYMENT_METHODS))
PROTECTED = frozenset({"credit_card", "paypal", "buyer_protection", "bancontact", "klarna"})
UNPROTECTED = frozenset({"crypto", "money_transfer", "gift_card", "bank_transfer"})

NAMES = (
    *(f"payment_{method}" for method in METHODS),
    "payment_count",
    "payment_protected_any",
    "payment_only_unprotected",
)


INPUTS = ("payment_methods",)


def features(methods):
    if methods is None:
        return [NAN] * len(NAMES)
    offered = set(methods)
    return [
        *(float(method in offered) for method in METHODS),
        float(len(offered)),
        float(bool(offered & PROTECTED)),
        float(bool(offered) and offered <= UNPROTECTED),
    ]
