"""URL and domain-name lexical features of the registrable domain (its suffix is in ``tld``)."""

from fraudrisk.lookalike import lookalike_of

# fmt: off
SALES_WORDS = ("shop", "store", "outlet", "sale", "official", "online", "cheap", "deal", "buy", "mall",
               "discount", "factory", "clearance", "best", "market", "boutique")
PHARMA_WORDS = ("pharm", "apothe", "generic", "pill", "meds", "drug", "rx", "viagra", "cialis")
BRAND_WORDS = ("nike", "jordan", "adidas", "puma", "keen", "ugg", "crocs", "lego", "dyson", "rolex", "gucci",
               "prada", "chanel", "louis", "vuitton", "moncler", "canada", "northface", "ralph", "lauren",
               "hilfiger", "zara", "apple", "samsung", "ray-ban", "rayban", "oakley", "pandora", "swarovski",
               "birkenstock", "salomon", "asics", "newbalance", "converse", "vans", "skechers", "barbour",
               "stone-island", "stihl")
# fmt: on

NAMES = (
    "domain_name_length", "domain_digits", "domain_hyphens", "domain_sales_words", "domain_pharma_words",
    "domain_brand_words", "domain_subdomain_levels", "domain_uses_www", "domain_https", "domain_idn",
    "domain_lookalike",
)  # fmt: skip


INPUTS = ("url", "host", "subdomain", "domain", "has_www")


def features(url, host, subdomain, domain, has_www):
    name = domain or host
    subdomain = subdomain[4:] if subdomain.startswith("www") else subdomain
    contains = name.__contains__  # map over a bound method: no generator frame per word
    return [
        float(len(name)),
        float(sum(map(str.isdigit, name))),
        float(name.count("-")),
        float(sum(map(contains, SALES_WORDS))),
        float(sum(map(contains, PHARMA_WORDS))),
        float(sum(map(contains, BRAND_WORDS))),
        float(len([part for part in subdomain.split(".") if part])),
        float(has_www),
        float(url.lower().startswith("https://")),
        float("xn--" in host or not host.isascii()),
        float(lookalike_of(name) is not None),
    ]
