"""fraudrisk: calibrated cyber-fraud risk scores for online shops.

The public surface is small: :func:`score` and :func:`score_batch` to score shops,
:func:`train` to fit a model on labelled shops, :func:`load_model` / :func:`save_model`
to move models around, :class:`ShopFeaturizer` for the features, and the errors.
"""

__version__ = "0.1.0"

from fraudrisk.evaluation import evaluate
from fraudrisk.exceptions import (
    FraudRiskError,
    ModelFormatError,
    ModelIntegrityError,
    SchemaError,
    TruncatedInputError,
)
from fraudrisk.features import ShopFeaturizer
from fraudrisk.model import FraudRiskModel
from fraudrisk.persistence import load_model, save_model
from fraudrisk.scoring import ScoreResult, score, score_batch
from fraudrisk.training import train

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
