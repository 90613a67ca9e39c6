"""Host names and registrable domains, offline.

tldextract is built once with its bundled public-suffix snapshot and no download URLs, so it
never touches the network (its module-level default would try to fetch the list).
"""

import re
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
# http(s), a host of letters, digits, dots and hyphens, maybe a port, then the end or / ? #:
# for these urlsplit's reading is plain, and a regex gets it for a fraction of the cost.
_PLAIN_URL = re.compile(r"(https?)://([A-Za-z0-9.\-]*)(?::[0-9]*)?(?:[/?#]|\Z)")


def scheme_and_host(url):
    """``(scheme, lower-case host)`` of a URL or bare host name, as ``urlsplit`` reads them.

    A bare host name is read as ``http://`` + it. A missing host is ``""``. Raises ValueError
    where ``urlsplit`` does (an unclosed IPv6 bracket, say).
    """
    candidate = url if "://" in url else "http://" + url
    plain = _PLAIN_URL.match(candidate)
    if plain:
        return plain.group(1), plain.group(2).lower()
    parts = urlsplit(candidate)
    return parts.scheme, parts.hostname or ""


def host_of(url):
    """Return the lower-case host of a URL or bare host name, without a leading ``www.``."""
    try:
        host = scheme_and_host(url)[1].rstrip(".")
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
