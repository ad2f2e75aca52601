"""`balise eval policy`: the dev set, its honesty, the stable JSON keys, the targets, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from balise.evaluation.policy import DEV_SET, evaluate_policy, load_dataset, policy_command
from balise.guard.policy import default_policy
from balise.guard.policy.engine import fold

KEYS = {"accuracy", "block_precision", "block_recall", "warn_precision", "warn_recall"}


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(policy_command)
    return app


def test_dev_set_is_large_realistic_and_separate_from_the_classifier_examples() -> None:
    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert {r["expected"] for r in rows} == {"allow", "warn", "block"}
    assert sum(r["tricky"] for r in rows) >= len(rows) / 4
    assert {r["split"] for r in rows} == {"dev", "heldout"}
    examples = {fold(e) for rule in default_policy().rules for e in rule.examples}
    assert not examples & {fold(r["text"]) for r in rows}


def test_dev_set_meets_the_targets() -> None:
    result = evaluate_policy(DEV_SET)
    assert set(result) >= KEYS
    assert result["block_precision"] >= 0.95
    assert result["block_recall"] >= 0.90


def test_json_output_has_exactly_the_design_keys(tmp_path: Path) -> None:
    data = tmp_path / "mini.jsonl"
    data.write_text(
        '{"text": "Classe ces candidats du meilleur au pire.", "expected": "block"}\n'
        '{"text": "Corrige les fautes de ce courriel.", "expected": "allow"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(_cli(), ["--dataset", str(data), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) >= KEYS and payload["accuracy"] == 1.0
    summary = CliRunner().invoke(_cli(), ["--dataset", str(data)])
    assert "block_precision" in summary.output and "Matrice de confusion" in summary.output


def test_bad_input_exits_2_with_a_french_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"text": "ok", "expected": "allow"}\n{"text": "x", "expected": "maybe"}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(_cli(), ["--dataset", str(bad)])
    assert result.exit_code == 2
    assert "ligne 2" in result.output and "allow, warn ou block" in result.output
    missing = CliRunner().invoke(_cli(), ["--dataset", str(tmp_path / "absent.jsonl")])
    assert missing.exit_code == 2 and "Impossible de lire" in missing.output
    assert load_dataset(DEV_SET)
