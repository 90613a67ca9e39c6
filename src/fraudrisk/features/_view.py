"""The per-record view that every feature family reads: canonical fields plus host parts."""

import itertools
import operator
import re
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from itertools import repeat

from fraudrisk._hosts import host_of, read_host_split, registrable_domain

MAX_LINKS = 20000
MAX_LINK_LENGTH = 300


_ABSOLUTE = re.compile(r"^(?:https?:)?//(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)[^/?#]*(.*)$")


@lru_cache(maxsize=65536)
def _domain_of_host(host):
    host = host.rstrip(".")
    return registrable_domain(host[4:] if host.startswith("www.") else host)


PAGE_FIELDS = ("links", "prices")
"""The record fields only a :class:`ShopView` reads (for the families without ``INPUTS``)."""

HOST_PARTS = ("host", "subdomain", "domain", "suffix", "has_www")
"""What :func:`host_parts` gives, in order: families can name these as inputs beside record fields."""


def host_parts(url):
    """``(host, subdomain, domain, suffix, has_www)`` of a shop's URL (host without ``www.``).

    Read without the host caches: a shop's URL comes once in a chunk, so they would only cost time.
    """
    host = host_of(url, cache=False)
    lowered = url.lower()
    return (host, *read_host_split(host), "://www." in lowered or lowered.startswith("www."))


def _split_link(lowered):
    """``((lowered, domain, path), origin)`` of a lowered link; ``origin`` is the
    ``scheme://host/`` prefix that :func:`parse_links` may reuse, or None."""
    match = _ABSOLUTE.match(lowered)
    if match is None:
        return (lowered, "", lowered), None
    host, rest = match.groups()
    domain = _domain_of_host(host)
    end = match.end(1)
    # A bracketed host may reach past "/" to a later "]", so its origin is not reused.
    reusable = rest.startswith("/") and match.start(2) == end and not host.startswith("[")
    return (lowered, domain, rest[1:] if rest.startswith("/") else rest), lowered[: end + 1] if reusable else None


def parse_link(link):
    """``(lowered link, registrable domain or "", path)``; a regex, not urlsplit: this runs per link."""
    return _split_link(link.lower()[:MAX_LINK_LENGTH])[0]


class ParsedLinks:
    """A page's links split for the families, as columns: what :func:`parse_link` gives each link.

    Attributes
    ----------
    lowered, domains, paths : list of str
        Each link lowered (and cut to ``MAX_LINK_LENGTH``), its registrable domain (``""`` for
        relative links and ``mailto:`` / ``javascript:``) and its path.
    """

    __slots__ = ("lowered", "domains", "paths", "_counts")

    def __init__(self, lowered, domains, paths):
        self.lowered, self.domains, self.paths = lowered, domains, paths
        self._counts = None

    def __len__(self):
        return len(self.lowered)

    def domain_counts(self):
        """How many links go to each registrable domain (``""``: links without one)."""
        if self._counts is None:
            self._counts = Counter(self.domains)
        return self._counts

    def links_to(self, domain):
        """The lowered links whose registrable domain is ``domain``."""
        return [lowered for lowered, other in zip(self.lowered, self.domains, strict=True) if other == domain]


def _lowered(links):
    """Every link lowered and cut to ``MAX_LINK_LENGTH``."""
    lowered = list(map(str.lower, links))
    if max(map(len, lowered)) > MAX_LINK_LENGTH:
        lowered = [link[:MAX_LINK_LENGTH] for link in lowered]
    return lowered


def _first_origin(lowered):
    """The first reusable origin among lowered links and its registrable domain, or (None, "")."""
    for link in lowered:
        (_, domain, _), origin = _split_link(link)
        if origin is not None:
            return origin, domain
    return None, ""


def parse_links(links):
    """:func:`parse_link` of every link, as :class:`ParsedLinks`, reusing origins that links share.

    Most of a page's links start with the same ``scheme://host/``. Once a link whose host is
    followed directly by ``/`` has been parsed, every link that starts with that origin and
    holds no newline parses to the same domain, with the rest as its path: ``parse_link``'s
    regex reads an origin up to its first ``/`` the same way whatever follows (except for a
    bracketed host, whose origin is never reused). So the links that share the first such
    origin on the page are split at once, the others one by one.
    """
    if not links:
        return ParsedLinks([], [], [])
    lowered = _lowered(links)
    count = len(lowered)
    shortcut = "\n" not in "".join(lowered)  # a link with a newline never reuses an origin
    origin, domain = _first_origin(lowered) if shortcut else (None, "")
    if origin is None:
        domains, paths, others = [""] * count, [""] * count, range(count)
    else:
        domains = [domain] * count
        paths = list(map(str.removeprefix, lowered, repeat(origin)))
        # removeprefix gives back the link itself when it does not start with the origin
        others = list(itertools.compress(range(count), map(operator.is_, paths, lowered)))
    for position in others:
        _, domains[position], paths[position] = _split_link(lowered[position])[0]
    return ParsedLinks(lowered, domains, paths)


class ShopView:
    """A canonical shop record with its host split, for the families that read its links and prices.

    Parameters
    ----------
    record : dict
        A canonical record from :func:`fraudrisk.schema.validate_record`.
    parts : tuple
        The record's :func:`host_parts`.
    """

    __slots__ = ("record", "host", "subdomain", "domain", "suffix", "has_www", "_links")

    def __init__(self, record, parts):
        self.record = record
        self.host, self.subdomain, self.domain, self.suffix, self.has_www = parts
        self._links = False

    def get(self, name, default=None):
        return self.record.get(name, default)

    def parsed_links(self):
        """Links split once for every family (:class:`ParsedLinks`), or None when not collected.

        At most ``MAX_LINKS`` links of ``MAX_LINK_LENGTH`` characters.
        """
        if self._links is False:
            links = self.record.get("links")
            self._links = None if links is None else parse_links(links[:MAX_LINKS])
        return self._links


def days_between(moment, observed_at):
    """Whole days from ``moment`` to ``observed_at`` (negative if after it)."""
    return float((observed_at - moment).days)


def utc_now():
    """Current UTC time as a naive datetime, like canonical records' dates."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


NAN = float("nan")


def flag(value):
    """1.0/0.0 for a bool, NaN for missing."""
    return NAN if value is None else float(bool(value))


def one_hot(value, categories):
    """One-hot list over ``categories`` (a value not among them lands on the last, 'other')."""
    if value is None:
        return [NAN] * len(categories)
    position = categories.index(value) if value in categories else len(categories) - 1
    return [float(i == position) for i in range(len(categories))]
