"""Home-page links: how many, how many leave the shop, and to how many places."""

from fraudrisk._hosts import registrable_domain
from fraudrisk.features._view import NAN

NAMES = ("links_count", "links_internal", "links_external_share", "links_external_domains", "links_mailto",
         "links_tel", "links_javascript")  # fmt: skip


def featurize(view):
    links = view.parsed_links()
    if links is None:
        return [NAN] * len(NAMES)
    own = registrable_domain(view.host)
    external = [domain for _, domain, _ in links if domain and domain != own]
    count = len(links)
    return [
        float(count),
        float(sum(1 for _, domain, _ in links if domain == own or not domain)),
        len(external) / count if count else 0.0,
        float(len(set(external))),
        float(sum(lowered.startswith("mailto:") for lowered, _, _ in links)),
        float(sum(lowered.startswith("tel:") for lowered, _, _ in links)),
        float(sum(lowered.startswith("javascript:") for lowered, _, _ in links)),
    ]
