"""The installed ``fraudrisk`` console command, run as a user would run it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "shops.csv"


def fraudrisk(*args, stdin=None):
    command = shutil.which("fraudrisk", path=str(Path(sys.executable).parent))
    if command is None:
        pytest.fail("the fraudrisk console command is not installed next to this Python")
    return subprocess.run([command, *map(str, args)], capture_output=True, text=True, input=stdin, timeout=300)


def test_version():
    import fraudrisk as package

    done = fraudrisk("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"fraudrisk {package.__version__}"


def test_the_command_starts_without_the_scoring_libraries():
    # --help, --version and the early start of worker processes do not wait for scikit-learn
    # and pandas (~2.5 s): the package's public names are imported on first use
    heavy = "sorted(name for name in ('sklearn', 'pandas', 'scipy') if name in sys.modules)"
    code = f"import sys, fraudrisk, fraudrisk.cli; print({heavy}); print(fraudrisk.score.__module__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["[]", "fraudrisk.scoring"], done.stderr
    import fraudrisk as package

    assert set(package.__all__) <= set(dir(package))
    with pytest.raises(AttributeError, match="no attribute 'scores'"):
        package.scores  # noqa: B018


def test_workers_start_early_only_for_a_local_file_worth_them(tmp_path):
    from argparse import Namespace

    from fraudrisk.cli_score import WORKERS_FROM_BYTES, _workers_likely

    large, small = tmp_path / "large.csv", tmp_path / "small.csv"
    large.write_bytes(b"url\n" + b"x" * WORKERS_FROM_BYTES)
    small.write_bytes(b"url\nhttps://a.example.be\n")
    given = {"input": str(large), "output": "out.csv", "workers": 2, "engine": "local"}
    assert _workers_likely(Namespace(**given))
    for change in (
        {"input": str(small)},
        {"input": "-"},
        {"input": str(tmp_path / "none.csv")},
        {"workers": 1},
        {"engine": "dask"},
        {"output": None},
    ):
        assert not _workers_likely(Namespace(**{**given, **change})), change


def test_help_explains_itself():
    done = fraudrisk("score", "--help")
    assert done.returncode == 0
    for words in ("probability", "--prevalence", "JSON text", "error", "--strict", "examples:"):
        assert words in done.stdout


def test_no_command_prints_help_and_fails():
    done = fraudrisk()
    assert done.returncode == 2 and "score" in done.stdout


def test_score_example_to_stdout():
    done = fraudrisk("score", EXAMPLES)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].split() == ["url", "probability", "band"]
    assert len(lines) == 1 + len(pd.read_csv(EXAMPLES))


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_score_to_file_keeps_every_row(tmp_path, suffix):
    table = pd.read_csv(EXAMPLES, dtype=str, keep_default_na=False)
    table.insert(0, "shop_id", [f"id-{i}" for i in range(len(table))])
    table.loc[3, "tranco_rank"] = "-4"
    table.loc[5, "url"] = "not a url"
    source = tmp_path / "in.csv"
    table.to_csv(source, index=False)
    target = tmp_path / f"out{suffix}"
    done = fraudrisk("score", source, "-o", target, "--reasons")
    assert done.returncode == 0, done.stderr
    assert "2 of 14 rows could not be scored" in done.stderr
    out = pd.read_csv(target) if suffix == ".csv" else pd.read_json(target, lines=True)
    assert len(out) == len(table) and list(out["shop_id"]) == list(table["shop_id"])
    assert out["probability"].isna().tolist() == [i in (3, 5) for i in range(len(table))]
    assert "field 'tranco_rank'" in out["error"][3] and "field 'url'" in out["error"][5]
    assert not list(tmp_path.glob("*.part"))


def test_strict_stops_at_bad_row(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"url": "https://a.example.be"}\n{"url": "https://b.example.be", "tranco_rank": 0}\n')
    target = tmp_path / "out.csv"
    done = fraudrisk("score", source, "-o", target, "--strict")
    assert done.returncode == 3
    assert "shop record 1: field 'tranco_rank'" in done.stderr
    assert not target.exists()


def test_stdin_and_prevalence():
    done = fraudrisk("score", "-", "--prevalence", "0.01", stdin="url\nhttps://a.example.be\n")
    assert done.returncode == 0 and "a.example.be" in done.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("score", "missing.csv"), 1, "cannot read missing.csv"),
        (("score", EXAMPLES, "--prevalence", "2"), 2, "must be a number strictly between 0 and 1"),
        (("score", EXAMPLES, "-o", "out.txt"), 2, "cannot tell the format of out.txt"),
        (("score", EXAMPLES, "-o", "no-such-dir/out.csv"), 1, "cannot write no-such-dir/out.csv"),
    ],
)
def test_usage_errors(tmp_path, args, code, message):
    done = fraudrisk(*args)
    assert done.returncode == code and message in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_url_column(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name\nfoo\n")
    done = fraudrisk("score", source)
    assert done.returncode == 2 and "has no 'url' column" in done.stderr


def test_tampered_model_is_refused(tmp_path):
    from importlib import resources

    source = resources.files("fraudrisk._shipped")
    shutil.copyfile(source / "ktu-default.json", tmp_path / "m.json")
    (tmp_path / "m.joblib").write_bytes(b"not the model")
    done = fraudrisk("score", EXAMPLES, "--model", tmp_path / "m.joblib")
    assert done.returncode == 1 and "refusing to load it" in done.stderr


def test_evaluate_canonical_file_with_report(tmp_path):
    table = pd.read_csv(EXAMPLES, dtype=str, keep_default_na=False)
    table["is_fraud"] = [0] * 7 + [1] * 7
    source = tmp_path / "labelled.csv"
    table.to_csv(source, index=False)
    done = fraudrisk("evaluate", source, "--label", "is_fraud", "--prevalence", "0.05", "--report", tmp_path / "r")
    assert done.returncode == 0, done.stderr
    assert "ECE noise floor" in done.stdout and "calibration slope" in done.stdout
    assert (tmp_path / "r" / "report.json").is_file() and (tmp_path / "r" / "report.md").is_file()


def test_evaluate_reports_a_bad_label(tmp_path):
    source = tmp_path / "labelled.csv"
    source.write_text("url,label\nhttps://a.example.be,1\nhttps://b.example.be,perhaps\n")
    done = fraudrisk("evaluate", source)
    assert done.returncode == 1 and "row 1: label column 'label' must be 0/1" in done.stderr


def test_evaluate_refuses_the_training_data(ktu_path):
    done = fraudrisk("evaluate", ktu_path)
    assert done.returncode == 2 and "is this model's training data" in done.stderr


def test_train_writes_a_model_with_card_and_refuses_a_worse_challenger(tmp_path, ktu_path):
    champion = tmp_path / "champion.joblib"
    done = fraudrisk("train", ktu_path, "-o", champion, "--trees", "40")
    assert done.returncode == 0, done.stderr
    card = json.loads(champion.with_suffix(".json").read_text())
    assert card["data"]["fraudulent"] == 406 and card["data"]["legitimate"] == 401
    assert card["training"]["calibration"]["method"] in {"sigmoid", "isotonic", "beta"}
    assert card["metrics"]["results"]["fraudrisk"]["roc_auc"] > 0.9
    # A deliberately crippled challenger: only the top-level-domain features.
    challenger = tmp_path / "challenger.joblib"
    done = fraudrisk(
        "train", ktu_path, "-o", challenger, "--trees", "40", "--families", "tld", "--base-model", champion
    )
    assert done.returncode == 4
    assert "refused: the challenger is worse than" in done.stderr and "log-loss" in done.stderr
    assert not challenger.exists()
    done = fraudrisk(
        "train", ktu_path, "-o", challenger, "--trees", "40", "--families", "tld", "--base-model", champion, "--force"
    )
    assert done.returncode == 0 and challenger.exists()
    done = fraudrisk("compare", champion, challenger, "--data", ktu_path)
    assert done.returncode == 0 and "roc_auc" in done.stdout and "training data" in done.stderr


def test_train_same_seed_same_predictions(tmp_path):
    table = pd.read_csv(EXAMPLES, dtype=str, keep_default_na=False)
    table = pd.concat([table] * 3, ignore_index=True)
    table["url"] = [f"https://shop{i}.example{i % 7}.be" for i in range(len(table))]
    table["label"] = [i % 2 for i in range(len(table))]
    source = tmp_path / "labelled.csv"
    table.to_csv(source, index=False)
    for name in ("a", "b"):
        done = fraudrisk("train", source, "-o", tmp_path / f"{name}.joblib", "--trees", "20", "--seed", "3")
        assert done.returncode == 0, done.stderr
    from fraudrisk import load_model

    first = load_model(tmp_path / "a.joblib").predict_proba(table.drop(columns=["label"]))
    second = load_model(tmp_path / "b.joblib").predict_proba(table.drop(columns=["label"]))
    assert (first == second).all()


def test_explain_prints_reasons_and_red_flags(tmp_path):
    source = tmp_path / "shops.jsonl"
    source.write_text(
        '{"url": "https://coolbIue-outlet.shop", "observed_at": "2026-11-20", "domain_registered_at": "2026-11-11",'
        ' "enterprise_number": "BE 0403.170.702", "payment_methods": ["crypto"]}\n'
        '{"url": "https://ok.example.be", "tranco_rank": -1}\n'
    )
    done = fraudrisk("explain", source)
    assert done.returncode == 0, done.stderr
    assert "domain registered 9 days before it was observed" in done.stdout
    assert "! enterprise number 'BE 0403.170.702' fails" in done.stdout
    assert "row 1: not scored: shop record: field 'tranco_rank'" in done.stdout
    assert "1 rows could not be scored" in done.stderr
