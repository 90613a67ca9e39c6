import numpy as np
import pandas as pd
import pytest

import fraudrisk
from fraudrisk import SchemaError, score, score_batch
from fraudrisk.bands import DEFAULT_BANDS, band_of


def test_score_result(belgian_shop, shipped):
    result = score(belgian_shop)
    assert 0.0 <= result.probability <= 1.0
    assert result.band == band_of(result.probability, shipped.bands_)
    assert result.url == belgian_shop["url"]


def test_alone_in_batch_and_shuffled_give_the_same_probability(ktu, small_model):
    X, _ = ktu
    batch = X.iloc[:60].reset_index(drop=True)
    together = score_batch(batch, model=small_model)["probability"].to_numpy()
    alone = np.array([score(row, model=small_model).probability for row in batch.to_dict("records")])
    order = np.random.default_rng(0).permutation(len(batch))
    shuffled = score_batch(batch.iloc[order], model=small_model)["probability"].to_numpy()
    assert np.array_equal(alone, together)
    assert np.array_equal(shuffled, together[order])


def test_score_batch_equals_predict_proba(ktu, small_model):
    X, _ = ktu
    assert np.allclose(
        score_batch(X.head(30), model=small_model)["probability"],
        small_model.predict_proba(X.head(30))[:, 1],
        rtol=0,
        atol=1e-12,
    )


def test_prevalence_rebases(ktu, small_model):
    X, _ = ktu
    base = score_batch(X.head(40), model=small_model)["probability"].to_numpy()
    low = score_batch(X.head(40), model=small_model, prevalence=0.01)["probability"].to_numpy()
    assert (low <= base + 1e-12).all() and low.mean() < base.mean()


def test_bad_row_raises_or_is_reported(belgian_shop, shipped):
    rows = [belgian_shop, dict(belgian_shop, tranco_rank=-5), {"url": "b.example.be"}]
    with pytest.raises(SchemaError, match="shop record 1: field 'tranco_rank'"):
        score_batch(rows)
    reported = score_batch(rows, errors="report")
    assert len(reported) == 3 and list(reported["url"]) == [r["url"] for r in rows]
    assert np.isnan(reported["probability"][1]) and pd.isna(reported["band"][1])
    assert "field 'tranco_rank'" in reported["error"][1] and reported["error"][0] == ""
    assert not np.isnan(reported["probability"][[0, 2]]).any()


def test_score_rejects_bad_record():
    with pytest.raises(SchemaError, match="shop record: field 'url' is required"):
        score({"country": "BE"})


def test_reasons_use_shop_values(shipped):
    shop = {
        "url": "https://nike-outlet-sale.example.shop",
        "observed_at": "2026-11-20",
        "domain_registered_at": "2026-11-11",
        "payment_methods": ["crypto"],
        "contact_emails": [],
    }
    result = score(shop)
    assert result.band in {"high", "critical"}
    messages = " ".join(reason.message for reason in result.reasons)
    assert "9 days" in messages
    assert all(reason.effect > 0 for reason in result.reasons)
    assert not any(name in messages for name in shipped.featurizer_.get_feature_names_out())
    frame = score_batch([shop], reasons=True)
    assert "9 days" in frame["reasons"][0]


def test_bands_respect_thresholds():
    for name, bound in DEFAULT_BANDS:
        assert band_of(bound) == name
    assert band_of(0.0) == "low" and band_of(1.0) == "critical" and band_of(float("nan")) is None


def test_dataframe_and_dict_inputs_agree(belgian_shop):
    assert score_batch(pd.DataFrame([belgian_shop]))["probability"][0] == score(belgian_shop).probability


def test_public_surface():
    assert set(fraudrisk.__all__) >= {"score", "score_batch", "train", "load_model", "SchemaError"}


def test_readme_python_example_runs(capsys):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "critical" in printed or "high" in printed
    assert "www.example.be" in printed


def test_a_model_that_reads_no_page_only_checks_links_and_prices(shipped, monkeypatch):
    # The shipped model reads no link or price column: a file's links and prices are checked
    # (the same errors) but not parsed, and every output equals parsing them.
    import json

    from fraudrisk import FraudRiskModel
    from fraudrisk.datasets import make_shops

    assert not shipped.reads_page() and not shipped.featurizer_.reads_page(shipped.columns_read())
    X, _ = make_shops(300, seed=8, links_heavy=True)
    for column in ("payment_methods", "contact_emails", "links", "prices"):
        X[column] = X[column].map(lambda value: json.dumps(value) if isinstance(value, list) else "")
    X.loc[::7, "prices"] = '[{"price": 5, "currency": "eur"}]'  # valid, not as json.dumps writes it
    X.loc[::11, "prices"] = '[{"price": -5.0}]'
    X.loc[::13, "links"] = '["/a", 5]'
    X.loc[::17, "links"] = "[" + X.loc[::17, "links"].str[1:]  # still valid
    X = X.astype(object)
    checked = score_batch(X, model=shipped, errors="report")
    with monkeypatch.context() as patched:
        patched.setattr(FraudRiskModel, "reads_page", lambda self: True)
        parsed = score_batch(X, model=shipped, errors="report")
    pd.testing.assert_frame_equal(checked, parsed)
    assert checked["error"].str.contains("'prices'").sum() >= 20 and checked["error"].str.contains("'links'").any()
    assert (checked["error"] == "").sum() > 200
