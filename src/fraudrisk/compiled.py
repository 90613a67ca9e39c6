"""Fitted tree ensembles compiled into flat arrays for fast prediction of a few rows.

scikit-learn predicts one row through a 300-tree forest in ~40 ms: one Python call per tree
(plus thread-pool start-up), not arithmetic. Here every tree of every ensemble is one block of
flat node arrays, and all trees are walked together, one numpy step per tree level. For one to
a few dozen rows that is 50-100 times faster; for big batches scikit-learn's compiled loops
win, so :class:`~fraudrisk.ensemble.CalibratedEnsembleClassifier` uses this only for small
inputs. The leaf reached, and so the probability, is exactly scikit-learn's:

* a node sends ``x`` to its second child when ``x > threshold`` (scikit-learn: left when
  ``x <= threshold``);
* missing values become +inf, so they go to the second child; a node whose missing values go
  left is stored mirrored: it reads the negated column, its children swapped, its threshold
  ``nextafter(-threshold, -inf)`` (``-x > that`` is exactly ``x <= threshold``);
* real infinities are clipped to the largest finite float and infinite thresholds likewise,
  so they stay apart from the missing-value sentinel;
* leaves point to themselves with an infinite threshold, so extra steps leave them in place;
* random-forest trees compare ``float32(x)`` as scikit-learn does, gradient boosting ``x``.
"""

import numpy as np
from scipy.special import expit
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier

_LARGEST = np.finfo(np.float64).max


class _Nodes:
    """Flat node arrays of several trees and the walk through them."""

    def __init__(self, trees, n_features, as_float32):
        # trees: list of (left, right, feature, threshold, missing_left, is_leaf, leaf_value)
        sizes = [len(tree[0]) for tree in trees]
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
        left, right, feature, threshold, missing_left, is_leaf, value = (
            np.concatenate([np.asarray(tree[i]) for tree in trees]) for i in range(7)
        )
        own = np.concatenate([np.arange(size) for size in sizes]) + np.repeat(offsets, sizes)
        is_leaf = is_leaf.astype(bool)
        left = np.where(is_leaf, own, left + np.repeat(offsets, sizes))
        right = np.where(is_leaf, own, right + np.repeat(offsets, sizes))
        mirrored = missing_left.astype(bool) & ~is_leaf
        threshold = np.where(np.isinf(threshold) & (threshold > 0), _LARGEST, threshold)
        with np.errstate(over="ignore"):  # nextafter(-largest, -inf) is -inf, as meant
            mirrored_threshold = np.nextafter(-threshold, -np.inf)
        threshold = np.where(is_leaf, np.inf, np.where(mirrored, mirrored_threshold, threshold))
        feature = np.where(is_leaf, 0, feature + np.where(mirrored, n_features, 0))
        # Nodes are addressed by "slot" = 2 * node, so a step is slot -> children[slot + goes_second];
        # feature and threshold are repeated to be read at either slot of a node.
        self.feature = np.repeat(feature.astype(np.intp), 2)
        self.threshold = np.repeat(threshold, 2)
        self.value = np.repeat(value.astype(np.float64), 2)
        self.children = np.empty(2 * len(left), dtype=np.intp)
        self.children[0::2] = 2 * np.where(mirrored, right, left)
        self.children[1::2] = 2 * np.where(mirrored, left, right)
        self.roots = 2 * offsets
        self.depth = max(tree[7] for tree in trees)
        self.n_features = n_features
        self.as_float32 = as_float32

    def leaf_values(self, X):
        """Leaf value of every (row, tree), shape (n_rows, n_trees)."""
        if self.as_float32:
            X = X.astype(np.float32)
        X = X.astype(np.float64)
        both = np.concatenate([X, -X], axis=1)
        both[both == np.inf] = _LARGEST
        both[np.isnan(both)] = np.inf
        flat = both.ravel()
        n_rows, n_trees = len(X), len(self.roots)
        if n_rows == 1:  # the single-shop path: the fewest numpy calls per level
            slot = self.roots
            for _ in range(self.depth):
                slot = self.children.take(slot + (flat.take(self.feature.take(slot)) > self.threshold.take(slot)))
            return self.value.take(slot).reshape(1, n_trees)
        slot = np.tile(self.roots, n_rows)
        row_start = np.repeat(np.arange(n_rows) * both.shape[1], n_trees)
        walking = np.arange(len(slot))  # (row, tree) pairs not yet at a leaf
        for level in range(self.depth):
            at = slot.take(walking)
            goes_second = flat.take(row_start.take(walking) + self.feature.take(at)) > self.threshold.take(at)
            at = self.children.take(at + goes_second)
            slot[walking] = at
            if level % 4 == 3:  # drop the pairs at a leaf now and then: fewer reads per level
                walking = walking[self.threshold.take(at) != np.inf]
                if not len(walking):
                    break
        return self.value.take(slot).reshape(n_rows, n_trees)


def _forest_trees(forest):
    for estimator in forest.estimators_:
        tree = estimator.tree_
        counts = tree.value[:, 0, :]
        yield (
            tree.children_left,
            tree.children_right,
            tree.feature,
            tree.threshold,
            tree.missing_go_to_left,
            tree.children_left < 0,
            counts[:, 1] / counts.sum(axis=1),
            tree.max_depth,
        )


def _boosting_trees(boosting):
    for (predictor,) in boosting._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise _NotCompilableError("categorical splits")
        yield (
            nodes["left"].astype(np.intp),
            nodes["right"].astype(np.intp),
            nodes["feature_idx"],
            nodes["num_threshold"],
            nodes["missing_go_to_left"],
            nodes["is_leaf"],
            nodes["value"],
            int(nodes["depth"].max()),
        )


class _NotCompilableError(Exception):
    pass


def _trees_of(estimator):
    """The trees of a random forest or gradient boosting; _NotCompilableError for anything else."""
    if isinstance(estimator, RandomForestClassifier):
        return _forest_trees(estimator)
    if isinstance(estimator, HistGradientBoostingClassifier):
        return _boosting_trees(estimator)
    raise _NotCompilableError(type(estimator).__name__)


class CompiledEstimator:
    """Positive-class probability of a fitted binary random forest or gradient boosting.

    Parameters
    ----------
    estimator : RandomForestClassifier or HistGradientBoostingClassifier
        Fitted on two classes, numeric splits only.
    n_features : int
        Columns of the matrix the estimator was fitted on.
    """

    def __init__(self, estimator, n_features):
        forest = isinstance(estimator, RandomForestClassifier)
        self.nodes = _Nodes(list(_trees_of(estimator)), n_features, as_float32=forest)
        self.baseline = None if forest else float(np.ravel(estimator._baseline_prediction)[0])

    def predict_positive(self, X):
        """Probability of class 1 for each row of ``X`` (same as ``predict_proba(X)[:, 1]``)."""
        values = self.nodes.leaf_values(X)
        if self.baseline is None:
            return values.mean(axis=1)
        return expit(self.baseline + values.sum(axis=1))


def features_read(estimators, n_features):
    """Which of ``n_features`` columns some split of the fitted estimators reads (bool mask).

    None when an estimator is not a random forest or gradient boosting with numeric splits:
    then every column may be read.
    """
    read = np.zeros(n_features, dtype=bool)
    try:
        for estimator in estimators:
            for tree in _trees_of(estimator):
                read[np.asarray(tree[2])[~np.asarray(tree[5], dtype=bool)]] = True
    except _NotCompilableError:
        return None
    return read


def compile_estimators(estimators, n_features):
    """Compiled versions of fitted estimators, or None when one of them cannot be compiled."""
    try:
        return [CompiledEstimator(estimator, n_features) for estimator in estimators]
    except _NotCompilableError:
        return None
