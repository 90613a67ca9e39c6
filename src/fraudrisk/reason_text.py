"""Plain-language sentences about one attribute family of a shop, using the shop's own values.

Every value that comes from the shop is shortened and passed through ``repr``-free text
cleaning, so hostile strings cannot break a report.
"""

from fraudrisk._hosts import host_of, registrable_domain, split_host
from fraudrisk.features._view import MAX_LINKS, parse_link, utc_now
from fraudrisk.features.identity import enterprise_number_valid
from fraudrisk.lookalike import lookalike_of


def _clean(text, limit=60):
    text = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _domain(record):
    host = host_of(record["url"])
    _, name, suffix = split_host(host)
    target = lookalike_of(name)
    if target:
        return f"the domain name '{_clean(name)}.{_clean(suffix)}' imitates '{target}'"
    return f"the domain name '{_clean(name)}.{_clean(suffix)}' has the shape of many fraudulent shop names"


def _registration(record):
    registered = record.get("domain_registered_at")
    if registered is None:
        return "the domain's registration date is hidden or unknown" + (
            " (WHOIS privacy)" if record.get("whois_hidden") else ""
        )
    days = (record.get("observed_at") or utc_now()) - registered
    return f"domain registered {days.days} days before it was observed"


def _tls(record):
    issuer = record.get("tls_issuer_org")
    expiry = record.get("tls_not_after")
    parts = [f"TLS certificate issued by {_clean(issuer)}" if issuer else "no TLS certificate issuer known"]
    if expiry is not None:
        days = (expiry - (record.get("observed_at") or utc_now())).days
        parts.append(f"expiring {days} days after observation")
    return ", ".join(parts)


def _payments(record):
    methods = record.get("payment_methods") or []
    if not methods:
        return "no payment method found on the site"
    return "payment methods offered: " + ", ".join(method.replace("_", " ") for method in methods)


def _contact(record):
    emails = record.get("contact_emails")
    if emails:
        return "contact e-mail: " + ", ".join(_clean(email, 40) for email in emails[:3])
    if emails == [] or record.get("ktu_free_email_code") == 0:
        return "no contact e-mail address found"
    return f"contact e-mail pattern (KTU code {record.get('ktu_free_email_code')}) common among fraudulent shops"


def _reviews(record):
    reviews = record.get("trustpilot_reviews")
    if not reviews:
        return "no TrustPilot reviews" + ("" if record.get("tranco_rank") else " and not in the Tranco top-sites list")
    return f"TrustPilot score {record.get('trustpilot_score', 'unknown')}"


def _tld(record):
    _, _, suffix = split_host(host_of(record["url"]))
    return f"the top-level domain '.{_clean(suffix)}' is common among fraudulent shops in the training data"


def _linked_sites(record, limit=3):
    """The other sites linked to, among the links the features read (the first ``MAX_LINKS``)."""
    own = registrable_domain(host_of(record["url"]))
    found = {}  # an ordered set: a list's ``in`` made this quadratic in the number of sites
    for _, domain, _ in map(parse_link, (record.get("links") or [])[:MAX_LINKS]):
        if domain and domain != own:
            found[domain] = None
    sites = list(found)
    shown = ", ".join(_clean(site, 40) for site in sites[:limit])
    return f"{len(sites)} other sites ({shown}{', ...' if len(sites) > limit else ''})" if sites else "no other site"


def _services(record):
    return f"the home page links to {_linked_sites(record)}, a mix of services seen on fraudulent shops"


def _link_tokens(record):
    return f"the sites and pages the home page links to ({_linked_sites(record)}) resemble fraudulent shops'"


def _links(record):
    return f"{len(record.get('links') or [])} links on the home page, in a pattern seen on fraudulent shops"


def _prices(record):
    prices = record.get("prices") or []
    off = sum(1 for p in prices if (p.get("discount_percent") or 0) >= 50)
    share = round(100 * off / len(prices)) if prices else 0
    return f"{share} % of {len(prices)} prices shown as >= 50 % off"


def _identity(record):
    number = record.get("enterprise_number")
    if number is None:
        return "no company (enterprise/VAT) number shown" + ("" if record.get("has_logo") else " and no logo")
    if not enterprise_number_valid(number):
        return f"enterprise number '{_clean(number, 30)}' fails the Belgian check-digit test"
    return "company identity signals resemble fraudulent shops"


_DESCRIBERS = {
    "domain": _domain,
    "tld": _tld,
    "services": _services,
    "link_tokens": _link_tokens,
    "registration": _registration,
    "tls": _tls,
    "payments": _payments,
    "contact": _contact,
    "reviews": _reviews,
    "links": _links,
    "prices": _prices,
    "identity": _identity,
}


def describe(family, record):
    """One sentence about ``family`` for a canonical ``record``."""
    return _DESCRIBERS[family](record)
