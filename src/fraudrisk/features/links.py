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
    counts = links.domain_counts()
    unplaced = counts.get("", 0)  # relative links and mailto: / tel: / javascript:
    internal = unplaced + (counts.get(own, 0) if own else 0)
    schemes = dict.fromkeys(_SCHEMES, 0)
    if unplaced:
        for lowered in links.links_to(""):
            if lowered.startswith(_SCHEMES):  # absolute links have a domain; these never do
                schemes[lowered.split(":", 1)[0] + ":"] += 1
    count = len(links)
    external = count - internal
    return [
        float(count),
        float(internal),
        external / count if count else 0.0,
        float(len(counts) - ("" in counts) - (own in counts and own != "")),
        *(float(schemes[scheme]) for scheme in _SCHEMES),
    ]
