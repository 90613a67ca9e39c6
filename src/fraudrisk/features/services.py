"""Third-party services a home page loads or links to, grouped by kind, and social links.

Lists are of registrable domains (public knowledge about common services); a shop's links are
matched by the registrable domain of their host.
"""

from fraudrisk.features._view import NAN

SERVICES = {
    "payment": {
        "paypal.com",
        "stripe.com",
        "klarna.com",
        "mollie.com",
        "adyen.com",
        "bancontact.com",
        "payconiq.be",
        "ideal.nl",
        "sofort.com",
        "afterpay.com",
        "braintreegateway.com",
        "worldline.com",
        "sumup.com",
        "shopify.com",
        "applepay.com",
        "amazonpay.com",
    },
    "analytics": {
        "google-analytics.com",
        "googletagmanager.com",
        "hotjar.com",
        "matomo.org",
        "matomo.cloud",
        "clarity.ms",
        "plausible.io",
        "segment.com",
        "mixpanel.com",
    },
    "advertising": {
        "doubleclick.net",
        "facebook.net",
        "googleadservices.com",
        "googlesyndication.com",
        "criteo.com",
        "taboola.com",
        "tiktok.com",
        "snapchat.com",
        "bing.com",
        "pinimg.com",
    },
    "cdn": {
        "cloudflare.com",
        "jsdelivr.net",
        "cloudfront.net",
        "akamaihd.net",
        "fastly.net",
        "unpkg.com",
        "bootstrapcdn.com",
        "jquery.com",
        "googleapis.com",
        "gstatic.com",
        "shopifycdn.com",
        "wp.com",
    },
    "reviews": {
        "trustpilot.com",
        "trustedshops.com",
        "trustedshops.de",
        "kiyoh.com",
        "feedbackcompany.com",
        "yotpo.com",
        "judge.me",
        "reviews.io",
        "sitejabber.com",
        "ekomi.com",
    },
    "chat": {
        "wa.me",
        "whatsapp.com",
        "t.me",
        "telegram.org",
        "tawk.to",
        "zendesk.com",
        "intercom.io",
        "livechatinc.com",
        "crisp.chat",
    },
}
SOCIAL = {
    "facebook.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "tiktok.com",
    "youtube.com",
    "pinterest.com",
    "linkedin.com",
}
_SHARE_MARKERS = ("sharer", "share?", "/share", "intent/tweet", "pin/create", "sharearticle", "send?text")

NAMES = (*(f"services_{kind}" for kind in SERVICES), "services_social_profiles", "services_social_shares")


_KINDS_OF = {
    domain: tuple(kind for kind, domains in SERVICES.items() if domain in domains)
    for domain in set().union(*SERVICES.values())
}


def featurize(view):
    links = view.parsed_links()
    if links is None:
        return [NAN] * len(NAMES)
    found = dict.fromkeys(SERVICES, 0)
    profiles = shares = 0
    for domain, count in links.domain_counts().items():
        for kind in _KINDS_OF.get(domain, ()):
            found[kind] += count
        if domain in SOCIAL:
            share_links = sum(any(marker in lowered for marker in _SHARE_MARKERS) for lowered in links.links_to(domain))
            shares += share_links
            profiles += count - share_links
    return [*(float(found[kind]) for kind in SERVICES), float(profiles), float(shares)]
