"""Shop records to numbers: :class:`ShopFeaturizer` and one module per attribute family."""

from fraudrisk.features._featurizer import FAMILIES, ShopFeaturizer

__all__ = ["FAMILIES", "ShopFeaturizer"]
