import time

import numpy as np
import pytest

from fraudrisk import SchemaError, ShopFeaturizer
from fraudrisk.features import FAMILIES


def _column(featurizer, matrix, name):
    return matrix[:, list(featurizer.get_feature_names_out()).index(name)]


def test_names_match_columns(belgian_shop):
    featurizer = ShopFeaturizer().fit([belgian_shop])
    matrix = featurizer.transform([belgian_shop, {"url": "x.example.com"}])
    assert matrix.shape == (2, len(featurizer.get_feature_names_out())) == (2, featurizer.n_features_out_)
    assert all(
        any(name.startswith(family[:4]) for family in FAMILIES) or name.startswith("ranking")
        for name in featurizer.get_feature_names_out()
    )


def test_ages_are_relative_to_observation(belgian_shop):
    shop = dict(belgian_shop, observed_at="2024-01-31", domain_registered_at="2024-01-01", tls_not_after="2024-03-01")
    featurizer = ShopFeaturizer().fit([shop])
    matrix = featurizer.transform([shop])
    assert _column(featurizer, matrix, "registration_age_days")[0] == 30
    assert _column(featurizer, matrix, "tls_days_to_expiry")[0] == 30


def test_missing_is_nan_and_observed_empty_is_zero():
    featurizer = ShopFeaturizer().fit([{"url": "a.example.be"}])
    matrix = featurizer.transform([{"url": "a.example.be"}, {"url": "b.example.be", "links": [], "prices": []}])
    assert np.isnan(_column(featurizer, matrix, "links_count")[0])
    assert _column(featurizer, matrix, "links_count")[1] == 0
    assert np.isnan(_column(featurizer, matrix, "registration_age_days")).all()


def test_content_and_identity_features(belgian_shop):
    shop = dict(
        belgian_shop,
        links=[
            "https://www.chocolaterie-example.be/contact",
            "https://facebook.com/choco",
            "mailto:info@chocolaterie-example.be",
        ],
        prices=[{"price": 10, "discount_percent": 60}, {"price": 30, "old_price": 40}, {"price": 5}],
    )
    featurizer = ShopFeaturizer().fit([shop])
    matrix = featurizer.transform([shop, dict(shop, enterprise_number="BE 0403.170.702")])
    assert _column(featurizer, matrix, "services_social_profiles")[0] == 1
    assert _column(featurizer, matrix, "links_external_domains")[0] == 1
    assert _column(featurizer, matrix, "prices_discounted_share")[0] == pytest.approx(2 / 3)
    assert _column(featurizer, matrix, "prices_half_off_share")[0] == pytest.approx(1 / 3)
    assert list(_column(featurizer, matrix, "identity_enterprise_number_valid")) == [1.0, 0.0]
    assert _column(featurizer, matrix, "contact_own_domain_email")[0] == 1


def test_registrable_domain_lexical_features():
    featurizer = ShopFeaturizer(families=("domain", "tld")).fit([{"url": "x.example.be"}])
    matrix = featurizer.transform([{"url": "https://www.nike-outlet-sale.co.uk/shoes"}])
    assert _column(featurizer, matrix, "domain_name_length")[0] == len("nike-outlet-sale")
    assert _column(featurizer, matrix, "tld_co_uk")[0] == 1
    assert _column(featurizer, matrix, "domain_brand_words")[0] == 1
    assert _column(featurizer, matrix, "domain_uses_www")[0] == 1


def test_set_output_pandas(belgian_shop):
    frame = ShopFeaturizer().set_output(transform="pandas").fit_transform([belgian_shop])
    assert list(frame.columns) == list(ShopFeaturizer().fit([belgian_shop]).get_feature_names_out())


def test_unknown_family_is_refused():
    with pytest.raises(ValueError, match=r"families must be a non-empty subset of .*got \['colour'\]"):
        ShopFeaturizer(families=("colour",)).fit([{"url": "a.example.be"}])


def test_transform_reports_bad_record():
    featurizer = ShopFeaturizer().fit([{"url": "a.example.be"}])
    with pytest.raises(SchemaError, match="shop record 0: field 'has_logo'"):
        featurizer.transform([{"url": "a.example.be", "has_logo": "perhaps"}])


@pytest.mark.parametrize(
    "hostile",
    [
        {"url": "https://xn--bcher-kva.example/" + "a" * 1500},
        {"url": "https://bücher.example.de", "links": ["javascript:alert(1)", "//evil.example/x", "\u202e", ""]},
        {"url": "https://a.example.be", "links": ["https://x.example.com/"] * 30000},
        {"url": "https://a.example.be", "enterprise_number": "BE' OR 1=1 --", "trust_seals": ["<script>"]},
        {"url": "https://a.example.be", "prices": [{"price": 0}], "contact_emails": ["a@b"]},
    ],
)
def test_hostile_but_valid_records_featurize(hostile):
    featurizer = ShopFeaturizer().fit([hostile])
    matrix = featurizer.transform([hostile])
    assert matrix.shape == (1, featurizer.n_features_out_)
    assert not np.isinf(matrix).any()


def test_link_vocabulary_is_learned_from_training_shops():
    shops = [
        {"url": f"https://s{i}.example.be", "links": ["https://t.me/x", f"https://s{i}.example.be/cart"]}
        for i in range(12)
    ]
    shops.append({"url": "https://rare.example.be", "links": ["https://only-once.example.org/"]})
    featurizer = ShopFeaturizer(families=("link_tokens",), min_link_token_shops=10).fit(shops)
    assert featurizer.link_vocabulary_ == ("path:cart", "site:t.me")
    matrix = featurizer.transform(
        [{"url": "https://n.example.be", "links": ["https://t.me/y"]}, {"url": "https://m.example.be"}]
    )
    assert matrix[0].tolist() == [0.0, 1.0] and np.isnan(matrix[1]).all()
    assert list(featurizer.get_feature_names_out()) == ["link_path:cart", "link_site:t.me"]


def test_prices_near_the_largest_float_featurize_finite():
    # Found by tests/test_hostile_input.py: round(price * 100) overflowed to infinity.
    featurizer = ShopFeaturizer(families=("prices",)).fit([{"url": "a.example.be"}])
    shop = {"url": "a.example.be", "prices": [{"price": 1.7e308, "old_price": 1.79e308}, {"price": 19.99}]}
    matrix = featurizer.transform([shop])
    assert np.isfinite(matrix).all()
    assert _column(featurizer, matrix, "prices_ending_99_share")[0] == 0.5
    assert _column(featurizer, matrix, "prices_round_share")[0] == 0.5


def test_many_prices_featurize_in_linear_time():
    # Found by tests/test_hostile_input.py: the spread recomputed the mean per price (100,000 prices: 130 s).
    values = [i / 7 for i in range(50_000)]
    featurizer = ShopFeaturizer(families=("prices",)).fit([{"url": "a.example.be"}])
    started = time.perf_counter()
    matrix = featurizer.transform([{"url": "a.example.be", "prices": [{"price": value} for value in values]}])
    assert time.perf_counter() - started < 5
    assert _column(featurizer, matrix, "prices_spread_log")[0] == pytest.approx(np.std(np.log1p(values)), rel=1e-9)


@pytest.mark.parametrize(
    "families", [None, ("link_tokens", "domain", "prices"), ("domain", "payments"), ("services", "link_tokens")]
)
def test_fit_transform_in_one_pass_equals_fit_then_transform(families):
    from fraudrisk.datasets import make_shops
    from fraudrisk.features._view import utc_now
    from fraudrisk.schema import validate_records

    X, _ = make_shops(400, seed=8, links_heavy=True)
    X.loc[::5, "links"] = None
    records, now = validate_records(X), utc_now()
    separate = ShopFeaturizer(families=families, min_link_token_shops=3).fit(records)
    one_pass = ShopFeaturizer(families=families, min_link_token_shops=3)
    in_chunks = ShopFeaturizer(families=families, min_link_token_shops=3)
    expected = separate.transform_canonical(records, now)
    assert np.array_equal(one_pass.fit_transform_canonical(records, now), expected, equal_nan=True)
    parts = [in_chunks.vocabulary_free_part(records[start : start + 150], now) for start in range(0, 400, 150)]
    assert np.array_equal(in_chunks.fit_transform_parts(parts), expected, equal_nan=True)
    assert one_pass.link_vocabulary_ == in_chunks.link_vocabulary_ == separate.link_vocabulary_
    if families is None or "link_tokens" in families:
        assert len(separate.link_vocabulary_) > 20


def test_links_sharing_an_origin_parse_as_each_link_alone():
    import random

    from fraudrisk.features._view import parse_link, parse_links

    rng = random.Random(3)
    origins = ["https://www.shop.be"] * 6 + [
        "HTTP://Shop.be", "//cdn.example.com", "https://a@b.be", "https://x.be:8080", "https://[::1]",
        "https://[abc", "https://ex\nample.be", "http://", "mailto:", "https://İ.be", "", "https://ΣΑΣ.gr",
    ]  # fmt: skip
    rests = ["/", "/cart", "/a\nb", "/x\n", "?q=1", "#top", "/@me", "/p" * 200, "/\u202e", "", "/ok//", "\n", "/x]y",
             "/ΑΣ", "Σ", "/'Σ"]  # fmt: skip
    shortcut = checked = 0
    for _ in range(3000):
        links = [rng.choice(origins) + rng.choice(rests) for _ in range(rng.randint(0, 12))]
        parsed = parse_links(links)
        columns = zip(parsed.lowered, parsed.domains, parsed.paths, strict=True)
        assert list(columns) == [parse_link(link) for link in links], links
        checked += len(links)
        own = [link.lower().startswith("https://www.shop.be/") and "\n" not in link for link in links]
        shortcut += max(sum(own) - 1, 0)  # after the first, these can reuse its origin
    assert checked > 15000 and shortcut > 500  # links that reuse an origin were among them


def test_domain_word_counts_equal_counting_every_word():
    import random

    from fraudrisk.features import domain

    rng = random.Random(11)
    words = [word for words in domain.WORD_LISTS for word in words]
    names = ["".join(rng.choice("abcdehilnoprstu-") for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    names += [rng.choice(words) + rng.choice(["", "-", "x"]) + rng.choice(words) for _ in range(3000)]
    names += [prefix + word + suffix for word in words for prefix in ("", "a") for suffix in ("", "z")]
    hits = 0
    for name in names:
        expected = [float(sum(word in name for word in words)) for words in domain.WORD_LISTS]
        assert domain.word_counts(name) == expected, name
        hits += any(expected)
    assert hits > 3000  # names with words, not only without
