import numpy as np
import pytest

from fraudrisk import SchemaError, train


def test_same_data_and_seed_same_predictions(ktu):
    X, y = ktu
    kwargs = {"ensembles": ("random_forest", "hist_gradient_boosting"), "n_estimators": 30, "cv": 3}
    first = train(X, y, random_state=5, **kwargs).predict_proba(X.head(50))
    second = train(X, y, random_state=5, **kwargs).predict_proba(X.head(50))
    assert np.array_equal(first, second)


def test_selection_is_recorded(small_model):
    selection = small_model.metadata_["selection"]
    assert selection["criterion"] == "grouped out-of-fold log-loss"
    assert small_model.metadata_["ensemble"] in selection["candidates"]


def test_calibration_folds_group_hosts(ktu):
    from fraudrisk.ensemble import grouped_folds
    from fraudrisk.evaluation import host_groups

    X, y = ktu
    groups = host_groups(X)
    for train_index, test_index in grouped_folds(np.asarray(y), groups, 5, 0):
        assert not set(groups[train_index]) & set(groups[test_index])


def test_bad_labels_and_records():
    shops = [{"url": "a.example.be"}, {"url": "b.example.be"}]
    with pytest.raises(ValueError, match="label 1 must be 0 \\(legitimate\\) or 1 \\(fraudulent\\), got 'yes'"):
        train(shops, [0, "yes"])
    with pytest.raises(ValueError, match="got 2 shop records but 3 labels"):
        train(shops, [0, 1, 1])
    with pytest.raises(SchemaError, match="shop record 1: field 'url'"):
        train([{"url": "a.example.be"}, {"url": "nope"}], [0, 1])
