"""Home-page links: how many, how many leave the shop, and to how many places."""

from fraudrisk._hosts import registrable_domain
from fraudrisk.features._view import NAN

NAMES = ("links_count", "links_internal", "links_external_share", "links_external_domains", "links_mailto",
         "links_tel", "links_javascript")  # fmt: skip
_SCHEMES = ("mailto:", "tel:", "javascript:")


def featurize(view):
    links = view.parsed_links()
    if links is None:
        return [NAN] * len(NAMES)
    own = registrable_domain(view.host)
    external = []
    schemes = dict.fromkeys(_SCHEMES, 0)
    for lowered, domain, _ in links:
        if domain:
            if domain != own:
                external.append(domain)
        elif lowered.startswith(_SCHEMES):  # absolute links have a domain; these never do
            schemes[lowered.split(":", 1)[0] + ":"] += 1
    count = len(links)
    return [
        float(count),
        float(count - len(external)),
        len(external) / count if count else 0.0,
        float(len(set(external))),
        *(float(schemes[scheme]) for scheme in _SCHEMES),
    ]
