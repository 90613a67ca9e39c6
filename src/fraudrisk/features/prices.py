"""Home-page prices: how many, how they are discounted, their level and spread, their currencies."""

import math
from itertools import repeat
from operator import itemgetter

from fraudrisk.features._view import NAN

CURRENCIES = ("EUR", "USD", "GBP")

NAMES = (
    "prices_count", "prices_discounted_share", "prices_30_off_share", "prices_half_off_share",
    "prices_70_off_share", "prices_mean_discount", "prices_struck_share", "prices_median_log", "prices_min_log",
    "prices_max_log", "prices_spread_log", "prices_ending_99_share", "prices_round_share", "prices_currencies",
    *(f"prices_share_{code.lower()}" for code in CURRENCIES), "prices_share_other_currency",
)  # fmt: skip


def _discounts(prices, amounts):
    """Each price's discount in percent: the one given, else from a higher old price, else 0."""
    given = list(map(dict.get, prices, repeat("discount_percent")))
    olds = list(map(dict.get, prices, repeat("old_price")))
    if olds.count(None) == len(olds):  # no old prices: the given discounts (None, 0 and -0.0 are 0.0)
        return [discount or 0.0 for discount in given]
    return [
        (100.0 * (1 - amount / old) if discount is None and old and old > amount else discount) or 0.0
        for discount, old, amount in zip(given, olds, amounts, strict=True)
    ]


def _cents(amounts):
    """The cents of each price, 0-99. Floats from 2**53 up are whole numbers (and ``price * 100``
    can overflow to infinity near the largest float)."""
    return [round(amount * 100) % 100 if amount < 2.0**53 else 0 for amount in amounts]


def featurize(view):
    prices = view.get("prices")
    if prices is None:
        return [NAN] * len(NAMES)
    if not prices:
        return [0.0] * 7 + [NAN] * 4 + [0.0] * (len(NAMES) - 11)
    count = len(prices)
    amounts = list(map(itemgetter("price"), prices))
    discounts = _discounts(prices, amounts)
    logs = sorted(map(math.log1p, amounts))
    mean_log = sum(logs) / count
    cents = _cents(amounts)
    currencies = list(map(dict.get, prices, repeat("currency")))
    per_code = [currencies.count(code) for code in CURRENCIES]
    return [
        float(count),
        sum(map((0.0).__lt__, discounts)) / count,
        sum(map((30.0).__le__, discounts)) / count,
        sum(map((50.0).__le__, discounts)) / count,
        sum(map((70.0).__le__, discounts)) / count,
        sum(discounts) / count,
        sum(map(bool, map(dict.get, prices, repeat("struck_through")))) / count,
        (logs[(count - 1) // 2] + logs[count // 2]) / 2,
        logs[0],
        logs[-1],
        math.sqrt(sum([(value - mean_log) ** 2 for value in logs]) / count),
        (cents.count(99) + cents.count(95)) / count,
        cents.count(0) / count,
        float(len(set(currencies) - {None, ""})),
        *(number / count for number in per_code),
        (count - currencies.count(None) - sum(per_code)) / count,
    ]
