"""The compiled flat-array ensembles predict exactly what scikit-learn predicts."""

import pickle

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier

from fraudrisk.compiled import CompiledEstimator, compile_estimators
from fraudrisk.ensemble import CalibratedEnsembleClassifier


def _data_with_gaps(seed=0, n=400, n_features=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.7, size=n) > 0).astype(int)
    X[rng.random(size=X.shape) < 0.2] = np.nan  # missing values go left at some nodes, right at others
    X[:, 2] = np.round(X[:, 2])  # ties on thresholds
    return X, y


def _hostile_rows(n_features, seed=1):
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=(300, n_features)) * rng.choice([1, 1e3, 1e-6], size=(300, n_features))
    rows[rng.random(size=rows.shape) < 0.25] = np.nan
    rows[0] = np.nan
    rows[1] = np.finfo(np.float32).max  # scikit-learn refuses infinities; featurizers never make them
    rows[2] = -np.finfo(np.float32).max
    rows[3, :3] = [1e30, np.nan, -1e30]
    return rows


@pytest.mark.parametrize(
    "estimator",
    [
        RandomForestClassifier(n_estimators=25, random_state=0),
        RandomForestClassifier(n_estimators=10, max_depth=3, random_state=1),
        HistGradientBoostingClassifier(max_iter=30, random_state=0),
    ],
    ids=["forest", "shallow-forest", "boosting"],
)
def test_compiled_equals_scikit_learn(estimator):
    X, y = _data_with_gaps()
    estimator.fit(X, y)
    rows = np.vstack([X, _hostile_rows(X.shape[1])])
    compiled = CompiledEstimator(estimator, X.shape[1])
    np.testing.assert_allclose(compiled.predict_positive(rows), estimator.predict_proba(rows)[:, 1], rtol=0, atol=1e-12)
    for i in range(0, 40):  # one row at a time too (a different code path)
        expected = estimator.predict_proba(rows[i : i + 1])[:, 1]
        np.testing.assert_allclose(compiled.predict_positive(rows[i : i + 1]), expected, rtol=0, atol=1e-12)


def test_ties_on_threshold_follow_scikit_learn():
    X = np.array([[0.0], [1.0], [2.0], [3.0]] * 10)
    y = np.array([0, 0, 1, 1] * 10)
    forest = RandomForestClassifier(n_estimators=5, bootstrap=False, random_state=0).fit(X, y)
    threshold = forest.estimators_[0].tree_.threshold[0]
    rows = np.array([[threshold], [np.nextafter(threshold, np.inf)], [np.nan]])
    compiled = CompiledEstimator(forest, 1)
    np.testing.assert_array_equal(compiled.predict_positive(rows), forest.predict_proba(rows)[:, 1])


def test_unsupported_estimator_is_not_compiled():
    from sklearn.linear_model import LogisticRegression

    X, y = _data_with_gaps()
    model = LogisticRegression().fit(np.nan_to_num(X), y)
    assert compile_estimators([model], X.shape[1]) is None


@pytest.mark.parametrize("ensemble", ["random_forest", "hist_gradient_boosting", "blend"])
def test_calibrated_ensemble_small_inputs_use_compiled_path(ensemble):
    X, y = _data_with_gaps()
    model = CalibratedEnsembleClassifier(ensemble=ensemble, n_estimators=20, cv=3).fit(X, y)
    assert model._compiled is not None
    rows = _hostile_rows(X.shape[1])[:20]
    reference = model.calibrator_.predict(model._score(model.estimators_, rows[:, model.used_features_]))
    np.testing.assert_allclose(model.predict_proba(rows)[:, 1], reference, rtol=0, atol=1e-12)


def test_compiled_arrays_are_not_pickled_but_rebuilt():
    X, y = _data_with_gaps()
    model = CalibratedEnsembleClassifier(n_estimators=10, cv=3).fit(X, y)
    payload = pickle.dumps(model)
    assert b"CompiledEstimator" not in payload
    assert model._compiled is not None  # pickling did not strip the live object
    loaded = pickle.loads(payload)
    assert loaded._compiled is not None
    np.testing.assert_array_equal(loaded.predict_proba(X[:5]), model.predict_proba(X[:5]))


def test_score_equals_scikit_learn_predict_proba(shipped, belgian_shop):
    """score() (compiled path) equals the shipped model's scikit-learn predict_proba to 1e-9."""
    from fraudrisk import score
    from fraudrisk.datasets import make_shops
    from fraudrisk.features._view import utc_now
    from fraudrisk.schema import validate_record

    X, _ = make_shops(60, seed=5)
    records = [belgian_shop] + [{k: v for k, v in r.items() if v is not None and v == v} for r in X.to_dict("records")]
    classifier = shipped.classifier_
    for record in records:
        features = shipped.featurizer_.transform_canonical([validate_record(record)], utc_now())
        used = features[:, classifier.used_features_]
        expected = classifier.calibrator_.predict(
            np.mean([e.predict_proba(used)[:, 1] for e in classifier.estimators_], axis=0)
        )
        assert score(record, reasons=False).probability == pytest.approx(float(expected[0]), abs=1e-9)


@pytest.mark.parametrize("n_estimators", [1, 7, 60])
def test_forest_trees_summed_directly_equal_predict_proba_to_the_bit(n_estimators):
    from fraudrisk.ensemble import positive_proba

    X, y = _data_with_gaps(seed=n_estimators)
    forest = RandomForestClassifier(n_estimators=n_estimators, random_state=3).fit(X, y)
    for rows in (X, _hostile_rows(X.shape[1]), X[:1], np.asfortranarray(X[::3])):
        expected = forest.predict_proba(rows)[:, 1]
        assert positive_proba(forest, rows).tobytes() == expected.tobytes()
