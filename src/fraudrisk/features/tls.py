"""TLS certificate: days to expiry and issuer organisation."""

from fraudrisk.features._view import NAN, days_between, one_hot

ISSUERS = (
    "lets_encrypt",
    "google_trust",
    "cloudflare",
    "sectigo",
    "digicert",
    "amazon",
    "godaddy",
    "globalsign",
    "zerossl",
    "other",
)
_ISSUER_WORDS = (
    ("encrypt", "lets_encrypt"),
    ("google", "google_trust"),
    ("cloudflare", "cloudflare"),
    ("sectigo", "sectigo"),
    ("comodo", "sectigo"),
    ("digicert", "digicert"),
    ("amazon", "amazon"),
    ("godaddy", "godaddy"),
    ("starfield", "godaddy"),
    ("globalsign", "globalsign"),
    ("zerossl", "zerossl"),
)

NAMES = ("tls_days_to_expiry", "tls_certificate_seen", *(f"tls_issuer_{name}" for name in ISSUERS))
INPUTS = ("tls_not_after", "tls_issuer_org", "observed_at")


def issuer_family(organisation):
    """Map an issuer organisation string to one of ISSUERS (None stays None)."""
    if organisation is None:
        return None
    lowered = organisation.lower()
    return next((family for word, family in _ISSUER_WORDS if word in lowered), "other")


def features(not_after, organisation, observed_at):
    return [
        NAN if not_after is None else -days_between(not_after, observed_at),
        float(not_after is not None or organisation is not None),
        *one_hot(issuer_family(organisation), ISSUERS),
    ]
