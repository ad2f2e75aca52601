"""``balise eval retrieval`` on a small BEIR folder written by the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from balise.evaluation.retrieval import evaluate_retrieval, retrieval_command, score_ranking

CORPUS = [
    {"_id": "d1", "title": "Collecte", "text": "Les ordures ménagères sont collectées le mardi matin."},
    {"_id": "d2", "title": "Piscine", "text": "La piscine municipale ouvre à 7 heures en semaine."},
    {"_id": "d3", "title": "Urbanisme", "text": "Un permis de construire est exigé pour toute extension."},
    {"_id": "d4", "title": "Bibliothèque", "text": "La bibliothèque prête des livres et des jeux vidéo."},
]
QUERIES = [
    {"_id": "q1", "text": "Quel jour passe le camion des poubelles ?"},
    {"_id": "q2", "text": "À quelle heure ouvre la piscine ?"},
    {"_id": "q3", "text": "Faut-il un permis pour agrandir ma maison ?"},
]
KEYS = {
    "mrr@10",
    "recall@1",
    "recall@5",
    "recall@10",
    "ndcg@10",
    "queries",
    "documents",
    "chunks",
    "index_seconds",
    "query_p50_ms",
    "query_p95_ms",
}


def write_dataset(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(row) for row in CORPUS), encoding="utf-8")
    (folder / "queries.jsonl").write_text("\n".join(json.dumps(row) for row in QUERIES), encoding="utf-8")
    (folder / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td3\t1\n")
    return folder


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(retrieval_command)
    return app


def test_score_ranking() -> None:
    metrics = score_ranking(["x", "a", "y", "b"], {"a": 1, "b": 1})
    assert metrics["mrr@10"] == 0.5
    assert (metrics["recall@1"], metrics["recall@5"], metrics["recall@10"]) == (0.0, 1.0, 1.0)
    assert 0 < metrics["ndcg@10"] < 1


@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
def test_evaluate_retrieval(tmp_path: Path, mode: str) -> None:
    result = evaluate_retrieval(write_dataset(tmp_path / "beir"), mode)
    assert set(result) == KEYS
    assert (result["queries"], result["documents"], result["chunks"]) == (3, 4, 4)
    assert result["mrr@10"] >= 0.6


def test_command_prints_one_json_object(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(cli(), ["--dataset", str(write_dataset(tmp_path / "beir")), "--json"])
    assert outcome.exit_code == 0, outcome.output
    assert set(json.loads(outcome.stdout)) == KEYS


def test_command_prints_a_summary(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(
        cli(), ["--dataset", str(write_dataset(tmp_path / "beir")), "--mode", "lexical"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert "mrr@10" in outcome.stdout


def test_missing_file_exits_with_code_2_and_a_french_message(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path / "beir")
    (folder / "qrels.tsv").unlink()
    outcome = CliRunner().invoke(cli(), ["--dataset", str(folder), "--json"])
    assert outcome.exit_code == 2
    assert "Fichier manquant" in outcome.stderr


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("corpus.jsonl", '{"_id": "d1", "text": "ok"}\n{pas du json', "ligne 2"),
        ("queries.jsonl", '{"_id": 3, "text": "nombre"}', "ligne 1"),
        ("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\n", "ligne 2"),
        ("qrels.tsv", "q1\td1\t1\n", "en-tête"),
    ],
)
def test_malformed_lines_exit_with_code_2(tmp_path: Path, name: str, content: str, expected: str) -> None:
    folder = write_dataset(tmp_path / "beir")
    (folder / name).write_text(content, encoding="utf-8")
    outcome = CliRunner().invoke(cli(), ["--dataset", str(folder)])
    assert outcome.exit_code == 2
    assert expected in outcome.stderr


def test_unknown_mode_exits_with_code_2(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(
        cli(), ["--dataset", str(write_dataset(tmp_path / "beir")), "--mode", "fuzzy"]
    )
    assert outcome.exit_code == 2
    assert "Mode inconnu" in outcome.stderr
