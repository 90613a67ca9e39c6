"""Domain registration age and WHOIS privacy."""

from fraudrisk.features._view import NAN, days_between, flag

NAMES = ("registration_age_days", "registration_whois_hidden", "registration_date_known")
INPUTS = ("domain_registered_at", "whois_hidden", "observed_at")


def features(registered, whois_hidden, observed_at):
    return [
        NAN if registered is None else days_between(registered, observed_at),
        flag(whois_hidden),
        float(registered is not None),
    ]
