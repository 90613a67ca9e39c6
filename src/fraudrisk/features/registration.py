"""Domain registration age and WHOIS privacy."""

from fraudrisk.features._view import NAN, flag

NAMES = ("registration_age_days", "registration_whois_hidden", "registration_date_known")


def featurize(view):
    registered = view.get("domain_registered_at")
    return [
        NAN if registered is None else view.days_since(registered),
        flag(view.get("whois_hidden")),
        float(registered is not None),
    ]
