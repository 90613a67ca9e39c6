"""Merging labelled shop sets: one row per host, later sets win, conflicts reported."""

import numpy as np
import pandas as pd

from fraudrisk._hosts import host_of


def merge_labelled(parts, on_conflict="newest"):
    """Merge labelled shop sets into one, one shop per host.

    Parameters
    ----------
    parts : sequence of (X, y)
        Labelled sets, oldest first (e.g. earlier training data, then new fraud reports).
    on_conflict : {"newest", "drop"}, default="newest"
        What to do with a host labelled fraudulent in one place and legitimate in another:
        keep its newest label, or drop the host.

    Returns
    -------
    X : pandas.DataFrame
        One record per host (the newest record of the host).
    y : ndarray of {0, 1}
    report : dict
        ``rows_in``, ``duplicates_removed``, ``conflicts`` (a list of
        ``{"host", "labels"}``) and ``rows_out``.

    Examples
    --------
    >>> old = ([{"url": "https://a.example.be"}, {"url": "https://b.example.be"}], [0, 0])
    >>> new = ([{"url": "http://www.b.example.be/"}], [1])
    >>> X, y, report = merge_labelled([old, new])
    >>> y.tolist(), report["conflicts"]
    ([0, 1], [{'host': 'b.example.be', 'labels': [0, 1]}])
    """
    if on_conflict not in ("newest", "drop"):
        raise ValueError(f"on_conflict must be 'newest' or 'drop', got {on_conflict!r}")
    frames = []
    for order, (X, y) in enumerate(parts):
        frame = pd.DataFrame(X).reset_index(drop=True).copy()
        frame["_label"] = np.asarray(y, dtype=int)
        frame["_order"] = order
        frames.append(frame)
    merged = pd.concat(frames, ignore_index=True)
    merged["_host"] = [host_of(str(url)) for url in merged["url"]]
    labels = merged.groupby("_host", sort=False)["_label"].agg(lambda s: sorted(set(s.tolist())))
    conflicts = [{"host": host, "labels": value} for host, value in labels.items() if len(value) > 1]
    newest = merged.drop_duplicates("_host", keep="last")
    if on_conflict == "drop":
        newest = newest[~newest["_host"].isin({c["host"] for c in conflicts})]
    newest = newest.sort_index()
    report = {
        "rows_in": len(merged),
        "duplicates_removed": len(merged) - len(labels),
        "conflicts": conflicts,
        "rows_out": len(newest),
    }
    records = newest.drop(columns=["_label", "_order", "_host"]).reset_index(drop=True)
    return records, newest["_label"].to_numpy(), report
