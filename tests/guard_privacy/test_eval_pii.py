"""``balise eval pii``: the stable JSON keys, the targets on the dev set, and clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from balise.evaluation.pii import evaluate_pii, load_dataset, metrics, pii_command, run
from balise.guard.privacy import LABELS

STRUCTURED = [label for label in LABELS if label not in {"PERSON", "ADDRESS"}]


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(pii_command)
    return app


def test_dev_set_meets_the_targets(dev_file: Path) -> None:
    result = metrics(run(load_dataset(dev_file), "balise"), STRUCTURED)
    assert result["micro"]["recall"] >= 0.99
    assert result["micro"]["precision"] >= 0.95
    assert result["leak_rate"] == 0
    full = evaluate_pii(dev_file, "balise")
    assert set(full) == {"micro", "per_label", "leak_rate", "ms_per_1000_chars"}
    assert set(full["micro"]) == {"precision", "recall", "f1", "support"}
    assert full["per_label"]["PERSON"]["f1"] >= 0.90
    assert full["per_label"]["ADDRESS"]["f1"] >= 0.90
    assert set(full["per_label"]) == set(LABELS)


def test_dev_set_is_deterministic_and_well_formed(dev_records: list[dict[str, object]]) -> None:
    from tests.guard_privacy.devset import generate

    assert generate() == dev_records
    assert len(dev_records) >= 500
    labels = {span["label"] for record in dev_records for span in record["spans"]}  # type: ignore[attr-defined]
    assert labels == set(LABELS)
    assert sum(1 for record in dev_records if not record["spans"]) >= 50


def test_json_output(dev_file: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text(
        "\n".join(dev_file.read_text(encoding="utf-8").splitlines()[:20]) + "\n", encoding="utf-8"
    )
    outcome = CliRunner().invoke(_cli(), ["--dataset", str(small), "--json"])
    assert outcome.exit_code == 0, outcome.output
    assert set(json.loads(outcome.stdout)) == {"micro", "per_label", "leak_rate", "ms_per_1000_chars"}
    table = CliRunner().invoke(_cli(), ["--dataset", str(small)])
    assert "Taux de fuite" in table.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "introuvable"),
        ('{"id": 1, "text": "x", "spans": []}\n{oops\n', "Ligne 2 du jeu de données : JSON invalide"),
        (
            '{"id": 1, "text": "Jean", "spans": [{"start": 0, "end": 4, "label": "NAME"}]}\n',
            "catégorie inconnue NAME",
        ),
        ('{"id": 1, "text": "Jean", "spans": [{"start": 0, "end": 9, "label": "PERSON"}]}\n', "positions"),
    ],
)
def test_bad_input_exits_2_with_a_french_message(tmp_path: Path, content: str | None, message: str) -> None:
    dataset = tmp_path / "data.jsonl"
    if content is not None:
        dataset.write_text(content, encoding="utf-8")
    outcome = CliRunner().invoke(_cli(), ["--dataset", str(dataset)])
    assert outcome.exit_code == 2
    assert message in outcome.stderr


def test_unknown_engine_exits_2(dev_file: Path) -> None:
    outcome = CliRunner().invoke(_cli(), ["--dataset", str(dev_file), "--engine", "spacy"])
    assert outcome.exit_code == 2
    assert "Moteur inconnu" in outcome.stderr


@pytest.mark.bench
def test_presidio_default_runs_with_mapped_labels(dev_file: Path) -> None:
    records = load_dataset(dev_file)[:30]
    result = metrics(run(records, "presidio-default"))
    assert set(result["per_label"]) <= set(LABELS)
    assert result["per_label"]["PERSON"]["recall"] > 0
