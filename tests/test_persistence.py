import json
import pickle
import shutil
from importlib import resources

import pytest

from fraudrisk import ModelFormatError, ModelIntegrityError, load_model, save_model
from fraudrisk._pinned import SHIPPED_SHA256
from fraudrisk.persistence import SHIPPED_MODEL, sha256_of


def test_shipped_model_is_in_the_installed_package():
    path = resources.files("fraudrisk._shipped") / SHIPPED_MODEL
    assert path.is_file()
    assert sha256_of(path) == SHIPPED_SHA256
    card = json.loads((resources.files("fraudrisk._shipped") / "ktu-default.json").read_text())
    assert "CC BY 4.0" in card["data_source"]["licence"]
    assert (
        card["metrics"]["results"]["fraudrisk recipe"]["ece"]
        < card["metrics"]["results"]["fraudrisk recipe"]["ece_noise_floor_p90"]
    )


def test_round_trip(tmp_path, small_model, ktu):
    X, _ = ktu
    path = tmp_path / "m.joblib"
    manifest = save_model(small_model, path, card={"note": "test"})
    loaded = load_model(path)
    assert manifest["sha256"] == sha256_of(path) and loaded.manifest_["note"] == "test"
    assert (loaded.predict_proba(X.head(20)) == small_model.predict_proba(X.head(20))).all()


class _Payload:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (open, (str(self.target), "w"))


def test_tampered_model_is_refused_before_unpickling(tmp_path, small_model):
    path = tmp_path / "m.joblib"
    save_model(small_model, path)
    marker = tmp_path / "pwned"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ModelIntegrityError, match="refusing to load it"):
        load_model(path)
    assert not marker.exists()
    # The same file does create the marker when unpickled: the test payload is live.
    pickle.loads(path.read_bytes())
    assert marker.exists()


def test_missing_manifest_and_file(tmp_path, small_model):
    path = tmp_path / "m.joblib"
    with pytest.raises(ModelFormatError, match="does not exist"):
        load_model(path)
    save_model(small_model, path)
    (tmp_path / "m.json").unlink()
    with pytest.raises(ModelFormatError, match="cannot read model manifest"):
        load_model(path)


def test_unknown_format_version(tmp_path, small_model):
    path = tmp_path / "m.joblib"
    save_model(small_model, path)
    manifest = json.loads((tmp_path / "m.json").read_text())
    (tmp_path / "m.json").write_text(json.dumps(dict(manifest, format_version=99)))
    with pytest.raises(ModelFormatError, match="format_version 99"):
        load_model(path)


def test_copied_shipped_model_loads_with_manifest(tmp_path):
    source = resources.files("fraudrisk._shipped")
    for name in ("ktu-default.joblib", "ktu-default.json"):
        shutil.copyfile(source / name, tmp_path / name)
    assert load_model(tmp_path / "ktu-default.joblib").base_rate_ == pytest.approx(406 / 807)


def test_readme_figures_and_bands_match_the_model_card():
    from pathlib import Path

    card = json.loads((resources.files("fraudrisk._shipped") / "ktu-default.json").read_text())
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for model, v in card["metrics"]["results"].items():
        row = (
            f"| {model} | {v['roc_auc']:.4f} | {v['accuracy']:.4f} | {v['log_loss']:.4f} | {v['brier']:.4f} | "
            f"{v['ece']:.4f} | {v['ece_noise_floor_p90']:.4f} |"
        )
        assert row in readme
    bounds = dict(card["training"]["bands"]["thresholds"])
    assert f"| critical | >= {bounds['critical']:.3f} |" in readme


def test_model_from_another_feature_layout_is_refused(tmp_path, small_model):
    path = tmp_path / "m.joblib"
    save_model(small_model, path)
    manifest = json.loads((tmp_path / "m.json").read_text())
    manifest["features"] = manifest["features"][:-1]
    (tmp_path / "m.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFormatError, match="this fraudrisk computes .* different ones for it. Retrain"):
        load_model(path)


def _rewrite_both_files(path, marker):
    """What an attacker with write access does: a malicious pickle and a manifest that matches it."""
    path.write_bytes(pickle.dumps(_Payload(marker)))
    manifest = json.loads(path.with_suffix(".json").read_text())
    manifest["sha256"] = sha256_of(path)
    path.with_suffix(".json").write_text(json.dumps(manifest))


def test_signed_model_round_trip_and_wrong_key(tmp_path, small_model, monkeypatch):
    path = tmp_path / "m.joblib"
    monkeypatch.setenv("FRAUDRISK_MODEL_KEY", "s3cret-key")
    manifest = save_model(small_model, path)
    assert len(manifest["hmac_sha256"]) == 64
    assert "s3cret-key" not in path.with_suffix(".json").read_text()
    assert load_model(path).bands_ == small_model.bands_
    with pytest.raises(ModelIntegrityError, match="signature that does not match"):
        load_model(path, key="another-key")


def test_key_refuses_a_rewritten_model_and_manifest_before_unpickling(tmp_path, small_model, monkeypatch):
    path = tmp_path / "m.joblib"
    save_model(small_model, path, key="s3cret-key")
    marker = tmp_path / "pwned"
    _rewrite_both_files(path, marker)
    with pytest.raises(ModelIntegrityError, match="signature that does not match"):
        load_model(path, key="s3cret-key")
    monkeypatch.setenv("FRAUDRISK_MODEL_KEY", "s3cret-key")
    with pytest.raises(ModelIntegrityError, match="signature that does not match"):
        load_model(path)
    assert not marker.exists()


def test_key_refuses_an_unsigned_manifest(tmp_path, small_model, monkeypatch):
    path = tmp_path / "m.joblib"
    monkeypatch.delenv("FRAUDRISK_MODEL_KEY", raising=False)
    manifest = save_model(small_model, path)
    assert "hmac_sha256" not in manifest
    load_model(path)  # no key: the hash check alone
    monkeypatch.setenv("FRAUDRISK_MODEL_KEY", "s3cret-key")
    with pytest.raises(ModelIntegrityError, match="not signed, but a signing key is set"):
        load_model(path)


def test_shipped_model_loads_with_a_key_set(monkeypatch):
    monkeypatch.setenv("FRAUDRISK_MODEL_KEY", "s3cret-key")
    assert load_model().bands_
