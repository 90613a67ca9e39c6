"""Saving and loading models with a manifest whose hash is checked before anything is unpickled.

A model file is code (joblib is pickle). ``load_model`` reads the manifest beside it
(``NAME.json`` for ``NAME.joblib``), hashes the model file, and unpickles only when the
sha256 matches; for the shipped model the hash is also pinned in this package's code.

A hash in a manifest only helps when an attacker cannot rewrite the manifest too. Where they
could, set a secret key in the environment variable ``FRAUDRISK_MODEL_KEY`` (or pass ``key=``):
``save_model`` then signs the manifest (which holds the model's sha256) with HMAC-SHA256, and
``load_model`` refuses any model whose manifest is unsigned or signed with another key. The
shipped model is checked against the hash pinned in the code instead.
"""

import hashlib
import hmac
import json
import os
import platform
import warnings
from importlib import resources
from pathlib import Path

import joblib

from fraudrisk._pinned import SHIPPED_SHA256
from fraudrisk.exceptions import ModelFormatError, ModelIntegrityError

FORMAT_VERSION = 1
SHIPPED_MODEL = "ktu-default.joblib"
KEY_VARIABLE = "FRAUDRISK_MODEL_KEY"
SIGNATURE_FIELD = "hmac_sha256"


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


def _signing_key(key):
    """The HMAC key as bytes: ``key`` if given, else the environment variable, else None."""
    key = os.environ.get(KEY_VARIABLE) if key is None else key
    if key is None or key == "":
        return None
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def manifest_signature(manifest, key):
    """HMAC-SHA256 (hex) of a manifest's content, its own signature field left out."""
    content = {name: value for name, value in manifest.items() if name != SIGNATURE_FIELD}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def manifest_path(path):
    """The manifest file that belongs to a model file."""
    return Path(path).with_suffix(".json")


def save_model(model, path, card=None, *, key=None):
    """Write ``model`` to ``path`` (joblib) and its manifest to ``path`` with ``.json``.

    Parameters
    ----------
    model : FraudRiskModel
        A fitted model.
    path : str or path-like
        Target file, conventionally ending in ``.joblib``.
    card : dict, optional
        Model-card facts to keep in the manifest (data source, metrics ...).
    key : str or bytes, optional
        Secret HMAC key to sign the manifest with; default: the ``FRAUDRISK_MODEL_KEY``
        environment variable; no key, no signature.

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
    secret = _signing_key(key)
    if secret is not None:
        manifest[SIGNATURE_FIELD] = manifest_signature(manifest, secret)
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


def load_model(path=None, *, key=None):
    """Load a model after verifying its sha256; None loads the model shipped in the package.

    Parameters
    ----------
    path : str or path-like, optional
        A ``.joblib`` file written by :func:`save_model`, with its ``.json`` manifest beside it.
    key : str or bytes, optional
        Secret HMAC key the manifest must be signed with; default: the ``FRAUDRISK_MODEL_KEY``
        environment variable. With a key, an unsigned or wrongly signed manifest is refused.
        Not used for the shipped model, whose hash is pinned in the code.

    Returns
    -------
    FraudRiskModel

    Raises
    ------
    ModelIntegrityError
        When the file's hash differs from its manifest (or, for the shipped model, from the
        hash pinned in the code), or a key is set and the manifest's signature does not
        verify. Nothing is unpickled then.
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
    if pinned is None:
        _verify_signature(manifest, path, _signing_key(key))
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


def _verify_signature(manifest, path, secret):
    if secret is None:
        return
    signature = manifest.get(SIGNATURE_FIELD)
    if not isinstance(signature, str):
        raise ModelIntegrityError(
            f"model manifest {manifest_path(path)} is not signed, but a signing key is set "
            f"({KEY_VARIABLE} or key=); refusing to load it"
        )
    if not hmac.compare_digest(signature, manifest_signature(manifest, secret)):
        raise ModelIntegrityError(
            f"model manifest {manifest_path(path)} has a signature that does not match the signing key; "
            "refusing to load it"
        )


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
