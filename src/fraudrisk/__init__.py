"""fraudrisk: calibrated cyber-fraud risk scores for online shops.

The public surface is small: :func:`score` and :func:`score_batch` to score shops,
:func:`train` to fit a model on labelled shops, :func:`load_model` / :func:`save_model`
to move models around, :class:`ShopFeaturizer` for the features, and the errors.
"""

__version__ = "0.1.0"

import importlib

from fraudrisk.exceptions import (
    FraudRiskError,
    ModelFormatError,
    ModelIntegrityError,
    SchemaError,
    TruncatedInputError,
)

_LAZY = {
    "evaluate": "fraudrisk.evaluation",
    "FraudRiskModel": "fraudrisk.model",
    "ShopFeaturizer": "fraudrisk.features",
    "load_model": "fraudrisk.persistence",
    "save_model": "fraudrisk.persistence",
    "ScoreResult": "fraudrisk.scoring",
    "score": "fraudrisk.scoring",
    "score_batch": "fraudrisk.scoring",
    "train": "fraudrisk.training",
}
"""Public names imported on first use: they need scikit-learn and pandas (~2.5 s to import),
which ``fraudrisk --help`` and the command's worker start-up should not wait for."""


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # looked up once
        return value
    raise AttributeError(f"module 'fraudrisk' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "FraudRiskError",
    "FraudRiskModel",
    "ModelFormatError",
    "ModelIntegrityError",
    "SchemaError",
    "ScoreResult",
    "ShopFeaturizer",
    "TruncatedInputError",
    "__version__",
    "evaluate",
    "load_model",
    "save_model",
    "score",
    "score_batch",
    "train",
]
