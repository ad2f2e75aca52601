"""``balise eval answers`` on a small BEIR folder with gold answers, through the real ask task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from balise.cli import app
from balise.errors import Invalid
from balise.evaluation.answers import contains_answer, load_answer_set

CORPUS = [
    {
        "_id": "d1",
        "title": "Collecte",
        "text": "Les ordures ménagères sont collectées le mardi matin, dès 7 h.",
    },
    {
        "_id": "d2",
        "title": "Piscine",
        "text": "La piscine municipale ouvre à 7 heures en semaine. L'entrée coûte 4 $.",
    },
    {
        "_id": "d3",
        "title": "Urbanisme",
        "text": "Un permis de construire est exigé pour toute extension de plus de 10 m².",
    },
    {
        "_id": "d4",
        "title": "Natation",
        "text": "Le tournoi de natation 2024 de la piscine municipale a été gagné par le club des Dauphins.",
    },
]
QUERIES = [
    {"_id": "q1", "text": "Quel jour sont collectées les ordures ménagères ?"},
    {"_id": "q2", "text": "Combien coûte l'entrée de la piscine municipale ?"},
    {"_id": "q3", "text": "Quel est le nom du chef de la police du port de Hambourg ?"},
    # Looks like a search-engine question to the usage policy (X5): warned, then confirmed.
    {"_id": "q4", "text": "Qui a gagné le tournoi de natation en 2024 ?"},
]
KEYS = {"cited_rate", "answer_rate", "abstain_rate", "false_abstain_rate", "queries", "p50_ms", "p95_ms"}


def write_dataset(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "corpus.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in CORPUS), "utf-8"
    )
    (folder / "queries.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in QUERIES), "utf-8"
    )
    (folder / "qrels.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq4\td4\t1\n", encoding="utf-8"
    )
    answers = [
        {"query_id": "q1", "answers": ["mardi"]},
        {"query_id": "q2", "answers": ["4 $"]},
        {"query_id": "q4", "answers": ["Dauphins"]},
    ]
    (folder / "answers.jsonl").write_text("\n".join(json.dumps(a) for a in answers), encoding="utf-8")
    return folder


def test_gold_answers_are_matched_with_case_accents_and_spacing_folded() -> None:
    assert contains_answer("L'entrée coûte 4\u00a0$ [1].", ["4 $"])
    assert contains_answer("Collecte le MARDI matin", ["mardi"])
    assert not contains_answer("Les documents ne répondent pas.", ["mardi"])


def test_a_query_without_qrels_is_unanswerable(tmp_path: Path) -> None:
    data = load_answer_set(write_dataset(tmp_path / "set"))
    assert set(data.relevant) == {"q1", "q2", "q4"} and set(data.queries) == {"q1", "q2", "q3", "q4"}


def test_missing_answers_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path / "set")
    (folder / "answers.jsonl").unlink()
    with pytest.raises(Invalid):
        load_answer_set(folder)


def test_eval_answers_prints_the_contract_keys(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path / "set")
    result = CliRunner().invoke(app, ["eval", "answers", "--dataset", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(metrics) >= KEYS
    assert metrics["queries"] == 4
    assert metrics["cited_rate"] == 1.0 and metrics["answer_rate"] == 1.0
    assert metrics["false_abstain_rate"] == 0.0
    # The employee who reads a usage-policy warning may go on: the answer they get is measured.
    assert metrics["warned"] == 1
