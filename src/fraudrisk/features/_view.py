"""The per-record view that every feature family reads: canonical fields plus host parts."""

from datetime import datetime, timezone

from fraudrisk._hosts import host_of, split_host


class ShopView:
    """A canonical shop record with its host split and its observation time resolved.

    Parameters
    ----------
    record : dict
        A canonical record from :func:`fraudrisk.schema.validate_record`.
    now : datetime
        Observation time to use when the record has no ``observed_at``.
    """

    __slots__ = ("record", "observed_at", "host", "subdomain", "domain", "suffix", "has_www")

    def __init__(self, record, now):
        self.record = record
        self.observed_at = record.get("observed_at", now)
        url = record["url"]
        self.host = host_of(url)
        self.has_www = "://www." in url.lower() or url.lower().startswith("www.")
        self.subdomain, self.domain, self.suffix = split_host(self.host)

    def get(self, name, default=None):
        return self.record.get(name, default)

    def days_since(self, moment):
        """Whole days from ``moment`` to the observation time (negative if after it)."""
        return float((self.observed_at - moment).days)


def utc_now():
    """Current UTC time as a naive datetime, like canonical records' dates."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


NAN = float("nan")


def flag(value):
    """1.0/0.0 for a bool, NaN for missing."""
    return NAN if value is None else float(bool(value))


def one_hot(value, categories):
    """One-hot list over ``categories`` (a value not among them lands on the last, 'other')."""
    if value is None:
        return [NAN] * len(categories)
    position = categories.index(value) if value in categories else len(categories) - 1
    return [float(i == position) for i in range(len(categories))]
