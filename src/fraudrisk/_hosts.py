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


def read_scheme_and_host(url):
    """``(scheme, lower-case host)`` of a URL or bare host name, as ``urlsplit`` reads them.

    A bare host name is read as ``http://`` + it. A missing host is ``""``. Raises ValueError
    where ``urlsplit`` does (an unclosed IPv6 bracket, say). :func:`scheme_and_host` is the
    same, cached.
    """
    candidate = url if "://" in url else "http://" + url
    plain = _PLAIN_URL.match(candidate)
    if plain:
        return plain.group(1), plain.group(2).lower()
    parts = urlsplit(candidate)
    return parts.scheme, parts.hostname or ""


scheme_and_host = lru_cache(maxsize=16384)(read_scheme_and_host)
"""Cached :func:`read_scheme_and_host`, for URLs read more than once: a URL that is not plain
when it is validated, then for a scored shop's reasons and red flags."""


def host_of(url, cache=True):
    """Return the lower-case host of a URL or bare host name, without a leading ``www.``.

    ``cache=False`` reads it without the cache of :func:`scheme_and_host`, for a URL that is
    read once (the cache would only cost time).
    """
    try:
        host = (scheme_and_host if cache else read_scheme_and_host)(url)[1].rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


# Lower-case ASCII labels without punycode: tldextract reads such a host as it is, label by label.
_PLAIN_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*")
_RULE_END = ""  # marks a node where a rule ends; a plain host has no empty label


@lru_cache(maxsize=1)
def suffix_trie():
    """tldextract's public-suffix rules (bundled snapshot) as nested dicts, labels right to left."""
    root = {}
    for rule in _EXTRACT.tlds:
        node = root
        for label in reversed(rule.split(".")):
            node = node.setdefault(label, {})
        node[_RULE_END] = True
    return root


def _suffix_start(labels):
    """Index of the first label of the public suffix (``len(labels)`` when none matches).

    tldextract's walk (``suffix_index``): follow the labels from the right while the rules do,
    remembering the last place a rule ends; a wildcard rule takes one more label unless an
    exception rule names it.
    """
    node, position, start = suffix_trie(), len(labels), len(labels)
    for label in reversed(labels):
        child = node.get(label)
        if child is not None:
            position -= 1
            node = child
            if _RULE_END in node:
                start = position
            continue
        if "*" in node:
            return position if "!" + label in node else position - 1
        break
    return start


def read_host_split(host):
    """Split a host into ``(subdomain, domain, suffix)`` with the bundled suffix list.

    A plain lower-case ASCII host with a known suffix is split here, as tldextract splits it, at
    a fraction of its cost (it runs once per shop); anything else goes to tldextract.
    :func:`split_host` is the same, cached.
    """
    if _PLAIN_HOST.fullmatch(host) and "xn--" not in host:
        labels = host.split(".")
        start = _suffix_start(labels)
        if start < len(labels):
            subdomain = ".".join(labels[: start - 1]) if start >= 2 else ""
            return subdomain, labels[start - 1] if start else "", ".".join(labels[start:])
    parts = _EXTRACT(host)
    return parts.subdomain, parts.domain, parts.suffix


split_host = lru_cache(maxsize=65536)(read_host_split)
"""Cached :func:`read_host_split`: the hosts that links point to recur across a page and pages."""


def registrable_domain(host):
    """Return ``domain.suffix`` (e.g. ``shop.co.uk``), or the host when no suffix matches."""
    _, domain, suffix = split_host(host)
    return f"{domain}.{suffix}" if domain and suffix else host
