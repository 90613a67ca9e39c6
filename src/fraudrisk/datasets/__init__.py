"""Readers for the labelled shop data sets, returning canonical records and labels."""

from fraudrisk.datasets._paths import data_dir
from fraudrisk.datasets.ktu import KTU_OBSERVED_AT, load_ktu, load_ktu_columns
from fraudrisk.datasets.synthetic import make_shops
from fraudrisk.datasets.watchlist import load_watchlist

__all__ = ["KTU_OBSERVED_AT", "data_dir", "load_ktu", "load_ktu_columns", "load_watchlist", "make_shops"]
