"""Which places the home page links to: external registrable domains and URL path words.

Unlike the other families this one is learned: ``fit`` keeps the tokens that enough training
shops link to (a vocabulary); ``featurize`` marks which of them a shop's links contain. The
signal is in *which* services and paths a page points to (payment providers, trackers, shop
systems, legal pages), not in how many links it has.
"""

import re
from collections import Counter

from fraudrisk._hosts import registrable_domain
from fraudrisk.features._view import NAN

_WORD = re.compile(r"[a-z][a-z0-9]{2,19}")


def link_tokens(view):
    """The set of tokens of a shop's links: ``site:<domain>`` for external hosts, ``path:<word>``."""
    links = view.parsed_links()
    if links is None:
        return None
    own = registrable_domain(view.host)
    tokens = {"site:" + domain for _, domain, _ in links if domain and domain != own}
    # One regex pass over all paths (a space cannot be inside a word, so none spans two paths).
    paths = " ".join(path.split("#", 1)[0] for _, _, path in links)
    tokens.update("path:" + word for word in set(_WORD.findall(paths)))
    return tokens


def learn_vocabulary(views, max_tokens, min_shops):
    """The ``max_tokens`` tokens linked by the most shops (at least ``min_shops``), sorted."""
    counts = Counter()
    for view in views:
        tokens = link_tokens(view)
        if tokens:
            counts.update(tokens)
    frequent = [(-count, token) for token, count in counts.items() if count >= min_shops]
    return tuple(sorted(token for _, token in sorted(frequent)[:max_tokens]))


def featurize(view, vocabulary, positions):
    """1/0 per vocabulary token (NaN for every token when links were not collected)."""
    tokens = link_tokens(view)
    if tokens is None:
        return [NAN] * len(vocabulary)
    row = [0.0] * len(vocabulary)
    for token in tokens:
        position = positions.get(token)
        if position is not None:
            row[position] = 1.0
    return row
