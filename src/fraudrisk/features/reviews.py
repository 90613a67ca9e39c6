"""Review and ranking signals: TrustPilot, SiteJabber, Tranco."""

import math

from fraudrisk.features._view import NAN

NAMES = (
    "reviews_trustpilot_any",
    "reviews_trustpilot_log_count",
    "reviews_trustpilot_score",
    "reviews_sitejabber_any",
    "ranking_tranco_listed",
    "ranking_tranco_log_rank",
)


def _log_count(count):
    return NAN if count is None else math.log1p(count)


def featurize(view):
    trustpilot = view.get("trustpilot_reviews")
    sitejabber = view.get("sitejabber_reviews")
    rank = view.get("tranco_rank")
    return [
        NAN if trustpilot is None else float(trustpilot > 0),
        _log_count(trustpilot),
        view.get("trustpilot_score", NAN),
        NAN if sitejabber is None else float(sitejabber > 0),
        float(rank is not None),
        NAN if rank is None else math.log10(rank),
    ]
