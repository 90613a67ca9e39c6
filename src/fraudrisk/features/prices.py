"""Home-page prices: how many, how they are discounted, in which currencies."""

import math
import statistics

from fraudrisk.features._view import NAN

NAMES = (
    "prices_count",
    "prices_discounted_share",
    "prices_half_off_share",
    "prices_struck_share",
    "prices_median_log",
    "prices_currencies",
)


def _discount(price):
    discount = price.get("discount_percent")
    old = price.get("old_price")
    if discount is None and old and old > price["price"]:
        discount = 100.0 * (1 - price["price"] / old)
    return discount or 0.0


def featurize(view):
    prices = view.get("prices")
    if prices is None:
        return [NAN] * len(NAMES)
    if not prices:
        return [0.0, 0.0, 0.0, 0.0, NAN, 0.0]
    count = len(prices)
    discounts = [_discount(price) for price in prices]
    return [
        float(count),
        sum(d > 0 for d in discounts) / count,
        sum(d >= 50 for d in discounts) / count,
        sum(bool(price.get("struck_through")) for price in prices) / count,
        math.log1p(statistics.median(price["price"] for price in prices)),
        float(len({price["currency"] for price in prices if "currency" in price})),
    ]
