"""Belgian evidence checks, red flags and the faithfulness of reasons."""

import numpy as np
import pytest

from fraudrisk import score
from fraudrisk.explain import family_slices, occlusion_effects, top_reasons
from fraudrisk.lookalike import lookalike_of, within_edits
from fraudrisk.red_flags import load_seal_members, red_flags
from fraudrisk.schema import validate_record

SHOP = {
    "url": "https://www.fietsen-peeters.be",
    "observed_at": "2026-11-20",
    "country": "BE",
    "domain_registered_at": "2012-05-02",
    "payment_methods": ["bancontact", "paypal"],
    "contact_emails": ["info@fietsen-peeters.be"],
    "trust_seals": ["becommerce"],
}


def _codes(record, seals=None):
    return [flag.code for flag in red_flags(validate_record(record), seals)]


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("BE 0403.170.701", []),
        ("0403170701", []),
        ("BE 0403.170.702", ["enterprise_number_invalid"]),
        ("BE 12", ["enterprise_number_invalid"]),
        (None, []),
    ],
)
def test_enterprise_number_valid_invalid_absent(number, expected):
    record = dict(SHOP, enterprise_number=number) if number else SHOP
    assert _codes(record) == expected


def test_vat_country_must_match_shop_country():
    assert _codes(dict(SHOP, enterprise_number="BE 0403.170.701", country="NL")) == ["vat_country_mismatch"]


def test_seal_claimed_without_membership(tmp_path):
    members = tmp_path / "members.txt"
    members.write_text("# seal,host\nbecommerce,www.fietsen-peeters.be\nbecommerce,other.example.be\n")
    seals = load_seal_members(members)
    assert _codes(SHOP, seals) == []
    assert _codes(dict(SHOP, url="https://fietsen-peeters-outlet.be"), seals) == ["seal_not_member"]
    assert _codes(dict(SHOP, url="https://fietsen-peeters-outlet.be")) == []  # no list, no verdict
    (tmp_path / "bad.txt").write_text("becommerce\n")
    with pytest.raises(ValueError, match="line 1: expected 'seal,host'"):
        load_seal_members(tmp_path / "bad.txt")


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://www.coolbIue.be", "coolblue"),
        ("https://zalandoo.be", "zalando"),
        ("https://paypal-secure.com", "paypal"),
        ("https://www.xn--80ak6aa92e.com", None),
        ("https://www.coolblue.be", None),
        ("https://www.lotto.be", None),
    ],
)
def test_lookalike_domains(url, target):
    codes = _codes({"url": url})
    assert ("lookalike_domain" in codes) == (target is not None)
    if target:
        assert target in red_flags(validate_record({"url": url}))[0].message


def test_homoglyph_and_punycode():
    assert lookalike_of("раураl") == "paypal"  # Cyrillic letters
    assert "idn_domain" in _codes({"url": "https://xn--pypal-4ve.com"})


def test_other_flags():
    record = dict(
        SHOP,
        contact_emails=["shop.peeters@gmail.com"],
        payment_methods=["crypto", "money_transfer"],
        domain_registered_at="2026-11-01",
    )
    assert _codes(record) == ["free_webmail_contact", "no_buyer_protection", "young_domain"]


def test_red_flags_do_not_change_the_probability(shipped):
    clean = score(dict(SHOP, enterprise_number="BE 0403.170.701"))
    flagged = score(
        dict(SHOP, enterprise_number="BE 0403.170.701", country="NL", trust_seals=["x"]), seal_members={"x": set()}
    )
    assert [f.code for f in flagged.red_flags] == ["vat_country_mismatch", "seal_not_member"]
    assert "identity_country_be" in shipped.featurizer_.get_feature_names_out()
    # The shipped model never saw a country (KTU has none), so the probability cannot move.
    assert flagged.probability == clean.probability


def test_reasons_are_faithful_on_ktu(ktu, shipped):
    X, _ = ktu
    records = [validate_record(r) for r in X.to_dict("records")]
    features = shipped.featurizer_.transform_canonical(records)
    proba, effects = occlusion_effects(shipped, features)
    slices = family_slices(shipped.featurizer_)
    risky = np.flatnonzero(proba >= 0.5)
    faithful = 0
    for row in risky:
        reasons = top_reasons(effects, row, records[row])
        if not reasons:
            continue
        neutral = features[row : row + 1].copy()
        neutral[0, slices[reasons[0].code]] = shipped.reference_[slices[reasons[0].code]]
        faithful += shipped.predict_proba_features(neutral)[0] < proba[row]
    assert len(risky) > 300
    assert faithful / len(risky) >= 0.95


def test_reason_sentences_use_values_not_feature_names(ktu, shipped):
    X, _ = ktu
    names = set(shipped.featurizer_.get_feature_names_out())
    for record in X.head(80).to_dict("records"):
        for reason in score(record).reasons:
            assert not any(name in reason.message for name in names)
    young = score(
        {"url": "https://new.example.shop", "observed_at": "2026-11-20", "domain_registered_at": "2026-11-11"}
    )
    assert any("9 days" in reason.message for reason in young.reasons)


def test_user_supplied_lookalike_list():
    record = validate_record({"url": "https://www.chocolaterie-vandame.be"})
    assert red_flags(record) == []
    (flag,) = red_flags(record, known_names=("chocolaterie-vandamme",))
    assert flag.code == "lookalike_domain" and "chocolaterie-vandamme" in flag.message


def test_link_reasons_name_the_linked_sites():
    from fraudrisk.reason_text import describe

    record = validate_record(
        {"url": "https://a.example.be", "links": ["https://t.me/shop", "/cart", "https://wa.me/3247"]}
    )
    assert "2 other sites (t.me, wa.me)" in describe("services", record)
    assert "t.me" in describe("link_tokens", record)


def _levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def test_within_edits_agrees_with_levenshtein():
    import itertools

    words = ["".join(letters) for n in range(6) for letters in itertools.product("ab", repeat=n)] + ["paypal", "paypa1"]
    for a, b in itertools.product(words, repeat=2):
        for limit in (0, 1, 2):
            assert within_edits(a, b, limit) == (_levenshtein(a, b) <= limit), (a, b, limit)


def _lookalike_by_brute_force(name, known):
    """The definition of a look-alike, checked against every known name with a full edit distance."""
    from fraudrisk.lookalike import skeleton

    name = name.lower()
    if name in known:
        return None
    shape = skeleton(name)
    for target in known:
        allowed = 2 if len(target) >= 8 else 1 if len(target) >= 5 else 0
        if len(target) >= 4 and (
            shape == target or _levenshtein(shape, target) <= allowed or target in shape.split("-")
        ):
            return target
    return None


def test_lookalike_index_finds_what_a_full_edit_distance_finds():
    import random

    from fraudrisk.lookalike import WELL_KNOWN

    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz0135-$"
    names = []
    for _ in range(3000):
        word = list(rng.choice(WELL_KNOWN))
        for _ in range(rng.randint(0, 3)):
            at = rng.randint(0, len(word))
            action = rng.choice(("insert", "delete", "replace", "affix"))
            if action == "insert":
                word.insert(at, rng.choice(letters))
            elif action == "delete" and word:
                del word[min(at, len(word) - 1)]
            elif action == "replace" and word:
                word[min(at, len(word) - 1)] = rng.choice(letters)
            else:
                word += list("-secure")
        names.append("".join(word))
    names += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 16))) for _ in range(1000)]
    names += ["-".join(rng.choice(WELL_KNOWN) for _ in range(rng.randint(2, 3))) for _ in range(500)]
    found = 0
    for name in names:
        expected = _lookalike_by_brute_force(name, WELL_KNOWN)
        assert lookalike_of(name) == expected, name
        found += expected is not None
    assert found > 500  # the sample exercises matches, not only misses


def test_skeleton_ascii_shortcut_matches_the_unicode_definition():
    import random
    import unicodedata

    from fraudrisk.lookalike import _HOMOGLYPHS, skeleton

    def by_definition(name):
        decomposed = unicodedata.normalize("NFKD", name.lower().translate(_HOMOGLYPHS))
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    rng = random.Random(3)
    alphabet = "abcXYZ0135$@-.é\u0301рауΟ\u00c5ﬁ"
    for _ in range(20000):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert skeleton(name) == by_definition(name), name
