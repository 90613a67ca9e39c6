"""Home-page links: how many, how many leave the shop, and to what kind of place."""

from fraudrisk._hosts import host_of, registrable_domain
from fraudrisk.features._view import NAN

SOCIAL = frozenset(
    {
        "facebook.com",
        "instagram.com",
        "twitter.com",
        "x.com",
        "tiktok.com",
        "youtube.com",
        "pinterest.com",
        "linkedin.com",
    }
)
MAX_LINKS = 20000

NAMES = (
    "links_count",
    "links_external_share",
    "links_external_domains",
    "links_social",
    "links_mailto",
    "links_javascript",
)


def featurize(view):
    links = view.get("links")
    if links is None:
        return [NAN] * len(NAMES)
    links = links[:MAX_LINKS]
    own = registrable_domain(view.host)
    external_domains, external, social, mailto, script = set(), 0, 0, 0, 0
    for link in links:
        lowered = link.lower()
        if lowered.startswith("mailto:"):
            mailto += 1
        elif lowered.startswith("javascript:"):
            script += 1
        elif lowered.startswith(("http://", "https://", "//")):
            domain = registrable_domain(host_of(lowered if "://" in lowered else "http:" + lowered))
            if domain and domain != own:
                external += 1
                external_domains.add(domain)
                social += domain in SOCIAL
    count = len(links)
    return [
        float(count),
        external / count if count else 0.0,
        float(len(external_domains)),
        float(social),
        float(mailto),
        float(script),
    ]
