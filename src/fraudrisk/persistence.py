"""Saving and loading models with a manifest whose hash is checked before anything is unpickled.

A model file is code (joblib is pickle). ``load_model`` reads the manifest beside it
(``NAME.json`` for ``NAME.joblib``), hashes the model file, and unpickles only when the
sha256 matches; for the shipped model the hash is also pinned in this package's code.
"""

import hashlib
import json
import platform
import warnings
from importlib import resources
from pathlib import Path

import joblib

from fraudrisk._pinned import SHIPPED_SHA256
from fraudrisk.exceptions import ModelFormatError, ModelIntegrityError

FORMAT_VERSION = 1
SHIPPED_MODEL = "ktu-default.joblib"


def sha256_of(path):
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions():
    """Versions of the libraries a model file depends on."""
    import numpy
    import pandas
    import sklearn

    from fraudrisk import __version__

    return {
        "fraudrisk": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "joblib": joblib.__version__,
        "python": platform.python_version(),
    }


def manifest_path(path):
    """The manifest file that belongs to a model file."""
    return Path(path).with_suffix(".json")


def save_model(model, path, card=None):
    """Write ``model`` to ``path`` (joblib) and its manifest to ``path`` with ``.json``.

    Parameters
    ----------
    model : FraudRiskModel
        A fitted model.
    path : str or path-like
        Target file, conventionally ending in ``.joblib``.
    card : dict, optional
        Model-card facts to keep in the manifest (data source, metrics ...).

    Returns
    -------
    dict
        The manifest written.
    """
    path = Path(path)
    joblib.dump(model, path, compress=3)
    manifest = {
        "format_version": FORMAT_VERSION,
        "artefact": path.name,
        "sha256": sha256_of(path),
        "library_versions": library_versions(),
        "features": [str(name) for name in model.featurizer_.get_feature_names_out()],
        "base_rate": model.base_rate_,
        "bands": [list(band) for band in model.bands_],
        "training": model.metadata_,
        **(card or {}),
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    return manifest


def read_manifest(path):
    """Read and check the manifest of a model file."""
    manifest_file = manifest_path(path)
    try:
        manifest = json.loads(manifest_file.read_text())
    except (OSError, ValueError) as error:
        raise ModelFormatError(f"cannot read model manifest {manifest_file}: {error}") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(
            f"model manifest {manifest_file} has format_version "
            f"{manifest.get('format_version')!r}; this fraudrisk reads {FORMAT_VERSION}"
        )
    return manifest


def load_model(path=None):
    """Load a model after verifying its sha256; None loads the model shipped in the package.

    Parameters
    ----------
    path : str or path-like, optional
        A ``.joblib`` file written by :func:`save_model`, with its ``.json`` manifest beside it.

    Returns
    -------
    FraudRiskModel

    Raises
    ------
    ModelIntegrityError
        When the file's hash differs from its manifest (or, for the shipped model, from the
        hash pinned in the code). Nothing is unpickled then.
    ModelFormatError
        When the file or manifest is missing or of an unknown format.
    """
    pinned = None
    if path is None:
        path = Path(str(resources.files("fraudrisk._shipped") / SHIPPED_MODEL))
        pinned = SHIPPED_SHA256
    path = Path(path)
    if not path.is_file():
        raise ModelFormatError(f"model file {path} does not exist")
    manifest = read_manifest(path)
    actual = sha256_of(path)
    for expected, source in ((manifest.get("sha256"), "its manifest"), (pinned, "the hash pinned in fraudrisk")):
        if expected is not None and actual != expected:
            raise ModelIntegrityError(
                f"model file {path} has sha256 {actual} but {source} says {expected}; refusing to load it"
            )
    _warn_on_version_change(manifest, path)
    model = joblib.load(path)
    _check_feature_layout(model, manifest, path)
    model.manifest_ = manifest
    return model


def _warn_on_version_change(manifest, path):
    saved = manifest.get("library_versions", {}).get("scikit-learn")
    current = library_versions()["scikit-learn"]
    if saved and saved.split(".")[:2] != current.split(".")[:2]:
        warnings.warn(
            f"model {path} was saved with scikit-learn {saved} and is loaded with {current}; "
            "its predictions may differ or fail. Retrain it with this version.",
            UserWarning,
            stacklevel=3,
        )


def _check_feature_layout(model, manifest, path):
    """Refuse a model whose features this version of fraudrisk computes differently."""
    current = [str(name) for name in model.featurizer_.get_feature_names_out()]
    if current != manifest.get("features"):
        saved = manifest.get("library_versions", {}).get("fraudrisk", "an unknown version")
        raise ModelFormatError(
            f"model {path} was saved by fraudrisk {saved} with {len(manifest.get('features') or [])} features; "
            f"this fraudrisk computes {len(current)} different ones for it. Retrain the model with this version."
        )
