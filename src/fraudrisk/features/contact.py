"""Contact e-mail signals: free webmail versus an address on the shop's own domain."""

from fraudrisk._hosts import registrable_domain
from fraudrisk.features._view import NAN, one_hot

FREE_WEBMAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.be",
        "hotmail.fr",
        "live.com",
        "live.be",
        "msn.com",
        "yahoo.com",
        "yahoo.fr",
        "ymail.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
        "proton.me",
        "protonmail.com",
        "telenet.be",
        "skynet.be",
        "proximus.be",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "126.com",
        "zoho.com",
    }
)
KTU_CODES = (0, 1, 2, 3)

NAMES = (
    "contact_email_count",
    "contact_free_webmail",
    "contact_own_domain_email",
    *(f"contact_ktu_code_{code}" for code in KTU_CODES),
)


INPUTS = ("contact_emails", "host", "ktu_free_email_code")


def email_features(emails, host):
    """Count of addresses, any on free webmail, any on the shop's own registrable domain."""
    if emails is None:
        return [NAN, NAN, NAN]
    domains = {email.rsplit("@", 1)[1] for email in emails}
    shop_domain = registrable_domain(host)
    return [
        float(len(emails)),
        float(bool(domains & FREE_WEBMAIL)),
        float(any(registrable_domain(domain) == shop_domain for domain in domains)),
    ]


def ktu_code_features(ktu_free_email_code):
    """One-hot of the KTU data set's own e-mail code."""
    return one_hot(ktu_free_email_code, KTU_CODES + (None,))[:-1]


PARTS = (
    (NAMES[:3], ("contact_emails", "host"), email_features),
    (NAMES[3:], ("ktu_free_email_code",), ktu_code_features),
)


def features(emails, host, ktu_free_email_code):
    return [*email_features(emails, host), *ktu_code_features(ktu_free_email_code)]
