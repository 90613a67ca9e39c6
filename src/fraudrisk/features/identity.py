"""Who stands behind the shop: Belgian enterprise/VAT number, trust seals, logo, country."""

from stdnum.be import vat

from fraudrisk.features._view import NAN, flag

NAMES = (
    "identity_enterprise_number_shown",
    "identity_enterprise_number_valid",
    "identity_trust_seals",
    "identity_logo",
    "identity_country_be",
)


def enterprise_number_valid(number):
    """True when a Belgian enterprise/VAT number passes the format and mod-97 check."""
    try:
        return vat.is_valid(number)
    except Exception:  # stdnum raises several error types on hostile text
        return False


def featurize(view):
    number = view.get("enterprise_number")
    seals = view.get("trust_seals")
    country = view.get("country")
    return [
        float(number is not None),
        NAN if number is None else float(enterprise_number_valid(number)),
        NAN if seals is None else float(len(seals)),
        flag(view.get("has_logo")),
        NAN if country is None else float(country == "BE"),
    ]
