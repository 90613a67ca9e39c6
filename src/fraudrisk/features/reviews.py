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


INPUTS = ("trustpilot_reviews", "trustpilot_score", "sitejabber_reviews", "tranco_rank")


def features(trustpilot, trustpilot_score, sitejabber, rank):
    return [
        NAN if trustpilot is None else float(trustpilot > 0),
        _log_count(trustpilot),
        NAN if trustpilot_score is None else trustpilot_score,
        NAN if sitejabber is None else float(sitejabber > 0),
        float(rank is not None),
        NAN if rank is None else math.log10(rank),
    ]
