import numpy as np
import pytest

from fraudrisk import SchemaError, ShopFeaturizer, train
from fraudrisk._hosts import host_of


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


def test_training_featurization_is_the_same_in_chunks_and_worker_processes(monkeypatch):
    from fraudrisk import _training_features
    from fraudrisk.datasets import make_shops
    from fraudrisk.features._view import utc_now
    from fraudrisk.schema import validate_records

    X, _ = make_shops(300, seed=4, links_heavy=True)
    X.loc[::7, "links"] = None  # some shops without collected links
    records = validate_records(X)
    expected = ShopFeaturizer().fit(records)
    expected_matrix = expected.transform_canonical(records, utc_now())
    monkeypatch.setattr(_training_features, "CHUNK_RECORDS", 70)  # several chunks, the last one short
    for workers in (1, 2):
        featurizer, features, hosts = _training_features.featurize_training_records(X, workers=workers)
        assert featurizer.link_vocabulary_ == expected.link_vocabulary_ and len(featurizer.link_vocabulary_) > 20
        assert np.array_equal(features, expected_matrix, equal_nan=True)
        assert hosts == [host_of(record["url"]) for record in records]


def test_training_featurization_names_the_bad_record_in_a_later_chunk(monkeypatch):
    from fraudrisk import _training_features

    monkeypatch.setattr(_training_features, "CHUNK_RECORDS", 3)
    shops = [{"url": f"shop{i}.example.be"} for i in range(10)]
    shops[7]["prices"] = [{"price": -1}]
    for workers in (1, 2):
        with pytest.raises(SchemaError, match="shop record 7: field 'prices'"):
            _training_features.featurize_training_records(shops, workers=workers)


def test_large_training_sets_get_the_large_data_recipe(monkeypatch):
    from fraudrisk import training
    from fraudrisk.datasets import make_shops

    X, y = make_shops(240, seed=5)
    monkeypatch.setattr(training, "LARGE_TRAINING_SET", 200)
    monkeypatch.setattr(training, "LARGE_SET_ROWS_PER_TREE", 50)
    model = training.train(X, y, n_estimators=20)
    assert list(model.metadata_["selection"]["candidates"]) == ["random_forest"]
    assert model.metadata_["cv"] == 3 and model.metadata_["max_samples"] == 50
    assert model.classifier_.estimators_[0].max_samples == 50
    small = training.train(X.head(150), y[:150], n_estimators=20)
    assert len(small.metadata_["selection"]["candidates"]) == 3 and small.metadata_["cv"] == 5
    assert small.classifier_.estimators_[0].max_samples is None
