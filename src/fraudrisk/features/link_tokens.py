"""Which places the home page links to: external registrable domains and URL path words.

Unlike the other families this one is learned: ``fit`` keeps the tokens that enough training
shops link to (a vocabulary); ``token_matrix`` marks which of them a shop's links contain. The
signal is in *which* services and paths a page points to (payment providers, trackers, shop
systems, legal pages), not in how many links it has.
"""

import re
from collections import Counter
from itertools import repeat
from operator import itemgetter

import numpy as np

from fraudrisk._hosts import registrable_domain
from fraudrisk.features._view import NAN

_WORD = re.compile(r"[a-z][a-z0-9]{2,19}")


def link_tokens(view):
    """The set of tokens of a shop's links: ``site:<domain>`` for external hosts, ``path:<word>``."""
    links = view.parsed_links()
    if links is None:
        return None
    own = registrable_domain(view.host)
    tokens = {"site:" + domain for domain in links.domain_counts() if domain and domain != own}
    # One regex pass over all paths (a space cannot be inside a word, so none spans two paths).
    paths = " ".join(map(itemgetter(0), map(str.partition, links.paths, repeat("#"))))
    tokens.update("path:" + word for word in set(_WORD.findall(paths)))
    return tokens


class TokenSets:
    """Many shops' link-token sets in a compact form that travels cheaply between processes.

    Parameters
    ----------
    token_sets : list of (set of str or None)
        Each shop's :func:`link_tokens`.

    Attributes
    ----------
    tokens : list of str
        The distinct tokens, in order of first appearance.
    shops : ndarray of int
        For each token, how many of these shops have it.
    codes : ndarray of int32
        Every shop's tokens as positions in ``tokens``, one shop after another.
    lengths : ndarray of int
        Number of tokens of each shop (0 when links were not collected).
    missing : ndarray of bool
        Shops whose links were not collected.
    """

    def __init__(self, token_sets):
        index, codes, lengths = {}, [], []
        for tokens in token_sets:
            tokens = tokens or ()
            codes.extend(index.setdefault(token, len(index)) for token in tokens)
            lengths.append(len(tokens))
        self.tokens = list(index)
        self.codes = np.asarray(codes, dtype=np.int32)
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.shops = np.bincount(self.codes, minlength=len(self.tokens))
        self.missing = np.asarray([tokens is None for tokens in token_sets], dtype=bool)

    def __len__(self):
        return len(self.lengths)


def count_shops(chunks):
    """How many shops have each token, over chunks of :class:`TokenSets`."""
    counts = Counter()
    for chunk in chunks:
        for token, shops in zip(chunk.tokens, chunk.shops.tolist(), strict=True):
            counts[token] += shops
    return counts


def learn_vocabulary(counts, max_tokens, min_shops):
    """The ``max_tokens`` tokens linked by the most shops (at least ``min_shops``), sorted.

    ``counts`` maps each token to the number of training shops that have it (:func:`count_shops`).
    """
    frequent = [(-count, token) for token, count in counts.items() if count >= min_shops]
    return tuple(sorted(token for _, token in sorted(frequent)[:max_tokens]))


def token_matrix(chunk, positions):
    """The link-token columns of every shop of a :class:`TokenSets`.

    1/0 per vocabulary token (``positions`` maps a token to its column); NaN for every token
    of a shop whose links were not collected.
    """
    column_of = np.asarray([positions.get(token, -1) for token in chunk.tokens], dtype=np.int64)
    matrix = np.zeros((len(chunk), len(positions)))
    columns = column_of[chunk.codes] if len(chunk.codes) else np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(len(chunk)), chunk.lengths)
    known = columns >= 0
    matrix[rows[known], columns[known]] = 1.0
    matrix[chunk.missing] = NAN
    return matrix
