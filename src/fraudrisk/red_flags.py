"""Red flags: hard evidence listed beside the probability, checked on the record itself.

A red flag never changes the calibrated probability. Where the same evidence is also a model
feature (an invalid enterprise number, say), it affects the probability only as far as the
model learned it from its training data.
"""

from dataclasses import dataclass
from pathlib import Path

from fraudrisk._hosts import host_of, split_host
from fraudrisk.features.contact import FREE_WEBMAIL
from fraudrisk.features.identity import enterprise_number_valid, vat_country
from fraudrisk.features.payments import PROTECTED
from fraudrisk.lookalike import lookalike_of

YOUNG_DOMAIN_DAYS = 90


@dataclass(frozen=True)
class RedFlag:
    """One piece of hard evidence: a stable ``code`` and a sentence with the shop's own values."""

    code: str
    message: str


def load_seal_members(path):
    """Read a trust-seal members list: one ``seal,host`` per line (``#`` comments allowed).

    Parameters
    ----------
    path : str or path-like
        A text file the user provides (e.g. the BeCommerce or Safeshops.be members list).

    Returns
    -------
    dict of str -> set of str
        Seal name (lower case) to member hosts (lower case, without ``www.``).
    """
    members = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        seal, _, host = line.partition(",")
        if not host.strip():
            raise ValueError(f"{path} line {number}: expected 'seal,host', got {line[:60]!r}")
        members.setdefault(seal.strip().lower(), set()).add(host_of(host.strip()))
    return members


def red_flags(record, seal_members=None, known_names=None):
    """The red flags of one canonical record, strongest evidence first.

    Parameters
    ----------
    record : dict
        A canonical record (see :func:`fraudrisk.schema.validate_record`).
    seal_members : dict of str -> set of str, optional
        From :func:`load_seal_members`; without it claimed seals are not checked.
    known_names : tuple of str, optional
        Names of shops and brands to protect from look-alikes (registrable-domain names without
        suffix); default :data:`fraudrisk.lookalike.WELL_KNOWN`.

    Returns
    -------
    list of RedFlag
    """
    flags = []
    host = host_of(record["url"])
    _, name, suffix = split_host(host)
    number = record.get("enterprise_number")
    if number is not None:
        if not enterprise_number_valid(number):
            flags.append(
                RedFlag(
                    "enterprise_number_invalid",
                    f"enterprise number '{_short(number)}' fails the Belgian format/check-digit test",
                )
            )
        country = vat_country(number)
        if country and record.get("country") and country != record["country"]:
            flags.append(
                RedFlag(
                    "vat_country_mismatch", f"VAT number of {country} but the shop says it is in {record['country']}"
                )
            )
    for seal in record.get("trust_seals") or []:
        members = (seal_members or {}).get(seal.lower())
        if members is not None and host not in members:
            flags.append(RedFlag("seal_not_member", f"claims the '{_short(seal)}' seal but is not on its members list"))
    target = lookalike_of(name) if known_names is None else lookalike_of(name, tuple(known_names))
    if target:
        flags.append(RedFlag("lookalike_domain", f"domain '{_short(name)}.{suffix}' imitates '{target}'"))
    if "xn--" in host or not host.isascii():
        flags.append(
            RedFlag(
                "idn_domain", f"internationalised (punycode) domain '{_short(host)}': check for look-alike characters"
            )
        )
    emails = record.get("contact_emails") or []
    free = sorted({email.rsplit("@", 1)[1] for email in emails} & FREE_WEBMAIL)
    if free:
        flags.append(RedFlag("free_webmail_contact", f"contact address on free webmail ({', '.join(free)})"))
    methods = record.get("payment_methods")
    if methods and not set(methods) & PROTECTED:
        flags.append(
            RedFlag(
                "no_buyer_protection",
                "no payment method with buyer protection (offers "
                + ", ".join(m.replace("_", " ") for m in methods)
                + ")",
            )
        )
    registered, observed = record.get("domain_registered_at"), record.get("observed_at")
    if registered is not None and observed is not None and (observed - registered).days < YOUNG_DOMAIN_DAYS:
        flags.append(
            RedFlag("young_domain", f"domain registered {(observed - registered).days} days before it was observed")
        )
    return flags


def _short(text, limit=40):
    text = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return text if len(text) <= limit else text[: limit - 3] + "..."
