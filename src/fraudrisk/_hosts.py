"""Host names and registrable domains, offline.

tldextract is built once with its bundled public-suffix snapshot and no download URLs, so it
never touches the network (its module-level default would try to fetch the list).
"""

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def host_of(url):
    """Return the lower-case host of a URL or bare host name, without a leading ``www.``."""
    candidate = url if "://" in url else "http://" + url
    try:
        host = (urlsplit(candidate).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=65536)
def split_host(host):
    """Split a host into ``(subdomain, domain, suffix)`` with the bundled suffix list."""
    parts = _EXTRACT(host)
    return parts.subdomain, parts.domain, parts.suffix


def registrable_domain(host):
    """Return ``domain.suffix`` (e.g. ``shop.co.uk``), or the host when no suffix matches."""
    _, domain, suffix = split_host(host)
    return f"{domain}.{suffix}" if domain and suffix else host
