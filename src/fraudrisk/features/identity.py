"""Who stands behind the shop: Belgian enterprise/VAT number, trust seals, logo, country."""

from stdnum.be import vat

from fraudrisk.features._view import NAN, flag

NAMES = (
    "identity_enterprise_number_shown", "identity_enterprise_number_valid", "identity_vat_country_mismatch",
    "identity_trust_seals", "identity_logo", "identity_country_be",
)  # fmt: skip


def enterprise_number_valid(number):
    """True when a Belgian enterprise/VAT number passes the format and mod-97 check."""
    try:
        return vat.is_valid(number)
    except Exception:  # stdnum raises several error types on hostile text
        return False


def vat_country(number):
    """The country prefix of a VAT number as shown ('BE 0403...' -> 'BE'), or None."""
    letters = "".join(ch for ch in number.upper()[:4] if ch.isalpha())[:2]
    return letters if len(letters) == 2 else None


INPUTS = ("enterprise_number", "trust_seals", "country", "has_logo")


def features(number, seals, country, has_logo):
    prefix = None if number is None else vat_country(number)
    return [
        float(number is not None),
        NAN if number is None else float(enterprise_number_valid(number)),
        NAN if prefix is None or country is None else float(prefix != country),
        NAN if seals is None else float(len(seals)),
        flag(has_logo),
        NAN if country is None else float(country == "BE"),
    ]
