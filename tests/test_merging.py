import pytest

from fraudrisk.merging import merge_labelled


def test_duplicates_removed_and_conflicts_reported():
    old = (
        [{"url": "https://a.example.be"}, {"url": "https://b.example.be"}, {"url": "https://c.example.be"}],
        [0, 0, 1],
    )
    new = (
        [
            {"url": "http://www.b.example.be/shop", "country": "BE"},
            {"url": "https://c.example.be/"},
            {"url": "https://d.example.be"},
        ],
        [1, 1, 1],
    )
    X, y, report = merge_labelled([old, new])
    assert list(X["url"]) == [
        "https://a.example.be",
        "http://www.b.example.be/shop",
        "https://c.example.be/",
        "https://d.example.be",
    ]
    assert y.tolist() == [0, 1, 1, 1]
    assert report["conflicts"] == [{"host": "b.example.be", "labels": [0, 1]}]
    assert report["duplicates_removed"] == 2 and report["rows_in"] == 6 and report["rows_out"] == 4


def test_conflicting_hosts_can_be_dropped():
    X, y, report = merge_labelled(
        [([{"url": "a.example.be"}], [0]), ([{"url": "a.example.be"}], [1])], on_conflict="drop"
    )
    assert len(X) == 0 and report["rows_out"] == 0


def test_bad_conflict_policy():
    with pytest.raises(ValueError, match="on_conflict must be 'newest' or 'drop', got 'oldest'"):
        merge_labelled([], on_conflict="oldest")
