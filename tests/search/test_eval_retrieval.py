"""``balise eval retrieval`` on a small BEIR folder written by the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from balise.evaluation.cli import retrieval
from balise.evaluation.retrieval import Reranking, evaluate_retrieval, score_ranking
from tests.support.ports import refused_port
from tests.support.rerank_server import RerankServer

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
    app.command()(retrieval)
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


RANKING_KEYS = ("mrr@10", "recall@1", "recall@5", "recall@10", "ndcg@10")


def test_a_reranking_server_changes_the_ranking_as_its_scores_say(tmp_path: Path) -> None:
    """Favouring « piscine » puts the pool first for every question: right for one, wrong for two."""
    folder = write_dataset(tmp_path / "beir")
    plain = evaluate_retrieval(folder, "hybrid")
    with RerankServer(favoured="piscine") as server:
        outcome = CliRunner().invoke(
            cli(),
            ["--dataset", str(folder), "--json", "--rerank-url", server.base_url, "--rerank-timeout", "30"],
        )
        assert outcome.exit_code == 0, outcome.output
        reranked = json.loads(outcome.stdout)
        assert len(server.requests) == 3 and all(body["top_n"] == 4 for body in server.requests)
    assert set(reranked) == KEYS | {"rerank_calls", "rerank_fallbacks"}
    assert (reranked["rerank_calls"], reranked["rerank_fallbacks"]) == (3, 0)
    assert plain["mrr@10"] == 1.0 and reranked["mrr@10"] == pytest.approx((1 + 0.5 + 0.5) / 3, abs=1e-4)
    assert reranked["recall@1"] == pytest.approx(1 / 3, abs=1e-4)


@pytest.mark.parametrize("behaviour", ["down", "slow", "garbage"])
def test_a_failing_reranking_server_gives_the_results_of_none(tmp_path: Path, behaviour: str) -> None:
    folder = write_dataset(tmp_path / "beir")
    plain = evaluate_retrieval(folder, "hybrid")
    with RerankServer(favoured="piscine") as server, refused_port() as port:
        url = f"http://127.0.0.1:{port}" if behaviour == "down" else server.base_url
        if behaviour != "down":
            server.behaviour = behaviour  # type: ignore[assignment]
        reranked = evaluate_retrieval(folder, "hybrid", rerank=Reranking(url, timeout_s=0.2))
    assert {k: reranked[k] for k in RANKING_KEYS} == {k: plain[k] for k in RANKING_KEYS}
    assert reranked["rerank_fallbacks"] == reranked["rerank_calls"] == 3


def test_an_unknown_reranking_protocol_exits_with_code_2(tmp_path: Path) -> None:
    arguments = ["--dataset", str(write_dataset(tmp_path / "beir")), "--rerank-url", "http://127.0.0.1:9"]
    outcome = CliRunner().invoke(cli(), [*arguments, "--rerank-protocol", "openai"])
    assert outcome.exit_code == 2
    assert "Protocole de reclassement openai inconnu" in outcome.stderr
