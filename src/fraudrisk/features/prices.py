"""Home-page prices: how many, how they are discounted, their level and spread, their currencies."""

import math

from fraudrisk.features._view import NAN

CURRENCIES = ("EUR", "USD", "GBP")

NAMES = (
    "prices_count", "prices_discounted_share", "prices_30_off_share", "prices_half_off_share",
    "prices_70_off_share", "prices_mean_discount", "prices_struck_share", "prices_median_log", "prices_min_log",
    "prices_max_log", "prices_spread_log", "prices_ending_99_share", "prices_round_share", "prices_currencies",
    *(f"prices_share_{code.lower()}" for code in CURRENCIES), "prices_share_other_currency",
)  # fmt: skip


def _discount(price):
    discount = price.get("discount_percent")
    old = price.get("old_price")
    if discount is None and old and old > price["price"]:
        discount = 100.0 * (1 - price["price"] / old)
    return discount or 0.0


def _cents(price):
    """The cents of a price, 0-99. Floats from 2**53 up are whole numbers (and ``price * 100``
    can overflow to infinity near the largest float)."""
    return round(price * 100) % 100 if price < 2.0**53 else 0


def featurize(view):
    prices = view.get("prices")
    if prices is None:
        return [NAN] * len(NAMES)
    if not prices:
        return [0.0] * 7 + [NAN] * 4 + [0.0] * (len(NAMES) - 11)
    count = len(prices)
    discounts = [_discount(price) for price in prices]
    logs = sorted(math.log1p(price["price"]) for price in prices)
    mean_log = sum(logs) / count
    cents = [_cents(price["price"]) for price in prices]
    currencies = [price.get("currency") for price in prices]
    return [
        float(count),
        sum(d > 0 for d in discounts) / count,
        sum(d >= 30 for d in discounts) / count,
        sum(d >= 50 for d in discounts) / count,
        sum(d >= 70 for d in discounts) / count,
        sum(discounts) / count,
        sum(bool(price.get("struck_through")) for price in prices) / count,
        (logs[(count - 1) // 2] + logs[count // 2]) / 2,
        logs[0],
        logs[-1],
        math.sqrt(sum((value - mean_log) ** 2 for value in logs) / count),
        sum(c in (99, 95) for c in cents) / count,
        sum(c == 0 for c in cents) / count,
        float(len({c for c in currencies if c})),
        *(sum(c == code for c in currencies) / count for code in CURRENCIES),
        sum(c is not None and c not in CURRENCIES for c in currencies) / count,
    ]
