"""Search quality on French retrieval sets of different shapes, and how the fusion method is chosen.

Sets: PIAF (Wikipedia paragraphs under their article title), fr_gov_faq (government FAQ answers titled
by their source), and ``fr_gov_faq_untitled``, built here at run time from the same shared files: the
FAQ answers with their titles removed, so neither index gets the subject from a heading.

Each set is indexed once; every query fetches its lexical and dense candidates once (the 50 the
product's hybrid search fuses), then every fusion method of ``GRID`` ranks the same candidates, so the
methods are compared on identical inputs. The method is chosen across sets, never on one:

- leave one set out: pick the method with the best worst-case margin (hybrid MRR@10 minus the better
  single mode) on the other sets, report it on the set left out;
- the product's method (``balise.search.fusion``) is the one with the best worst-case margin over all
  sets; the table shows lexical, dense and the product's hybrid (``search(mode="hybrid")`` itself).

With ``--rerank-url`` (and ``--rerank-model``, ``--rerank-protocol``, ``--rerank-key-env``,
``--rerank-timeout``, ``--rerank-candidates``, as ``balise eval retrieval`` takes them) the table adds the
product's hybrid search reranked by that server, through the product's rules, beside the hybrid search
without it: the gain a municipality's own server brings, on the same candidates.

Run: ``.venv/bin/python bench/search_quality.py [--data ../shared/data/retrieval] [--json]``; passage
vectors are kept in the system's temporary folder (never in the repository) so a re-run skips embedding.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
from rich.console import Console
from rich.table import Table

from balise.db import tenant_session
from balise.documents.models import Classification
from balise.evaluation.retrieval import (
    CHUNKS_PER_QUERY,
    BeirDataset,
    BeirDocument,
    Reranking,
    Store,
    build_store,
    load_dataset,
    run_queries,
    score_ranking,
)
from balise.search import Embedder, fusion, get_embedder, search
from balise.search import index as search_index

DATASETS = ("piaf", "fr_gov_faq", "fr_gov_faq_untitled")
COLUMNS = ("mrr@10", "recall@1", "recall@5", "recall@10", "ndcg@10", "query_p50_ms", "query_p95_ms")
METRICS = ("mrr@10", "recall@1", "recall@5", "recall@10", "ndcg@10")
RERANKED = "hybrid + reranking"

Candidates = list[tuple[str, float]]
FuseFn = Callable[[Candidates, Candidates], list[tuple[str, float]]]


def _grid() -> dict[str, FuseFn]:
    """Every fusion method compared: RRF over several k, min-max and z-score weighted mixes."""
    grid: dict[str, FuseFn] = {}
    for k in (5, 10, 20, 30, 60, 100):
        grid[f"rrf k={k}"] = lambda lex, den, k=k: fusion.reciprocal_rank([lex, den], k=k)
    for weight in (0.3, 0.4, 0.5, 0.6, 0.7):
        grid[f"minmax w={weight}"] = lambda lex, den, w=weight: fusion.weighted(lex, den, w)
        grid[f"zscore w={weight}"] = lambda lex, den, w=weight: fusion.weighted(lex, den, w, fusion.z_score)
    return grid


GRID = _grid()


class PassageCache:
    """The product's embedder, with passage vectors kept on disk in the temporary folder: re-running
    the benchmark after a change to search or fusion then skips the slow part (embedding)."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner, self.path = inner, path
        self.name, self.dim = inner.name, inner.dim
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as stored:
                self.vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha256(f"{self.name}\n{text}".encode()).hexdigest() for text in texts]
        missing = [(key, text) for key, text in zip(keys, texts, strict=True) if key not in self.vectors]
        if missing:
            computed = self.inner.embed_passages([text for _key, text in missing])
            self.vectors.update({key: vector for (key, _text), vector in zip(missing, computed, strict=True)})
            np.savez(
                self.path, keys=np.array(list(self.vectors)), vectors=np.stack(list(self.vectors.values()))
            )
        return np.stack([self.vectors[key] for key in keys]) if keys else self.inner.embed_passages([])

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def subset(dataset: BeirDataset, documents: int | None, queries: int | None) -> BeirDataset:
    """The first ``documents`` documents and the first ``queries`` queries judged only on them: a
    quicker run on a loaded machine, with the same corpus for every mode so they stay comparable."""
    corpus = dataset.corpus[:documents]
    kept = {doc.id for doc in corpus}
    judged = [(query_id, qrels) for query_id, qrels in dataset.qrels.items() if qrels.keys() <= kept]
    return BeirDataset(corpus, dataset.queries, dict(judged[:queries]))


def load(data: Path, name: str) -> BeirDataset:
    """A shared set, or a set derived from one at run time (nothing is copied into the project)."""
    if name == "fr_gov_faq_untitled":
        faq = load_dataset(data / "fr_gov_faq")
        return BeirDataset([BeirDocument(doc.id, "", doc.text) for doc in faq.corpus], faq.queries, faq.qrels)
    return load_dataset(data / name)


def candidates(store: Store, dataset: BeirDataset) -> dict[str, tuple[Candidates, Candidates]]:
    """Per query, the lexical and dense candidates (chunk id, score) the hybrid search would fuse."""
    found: dict[str, tuple[Candidates, Candidates]] = {}
    with tenant_session(store.tenant_id, store.engine) as session:
        for query_id in dataset.qrels:
            pair = tuple(
                [
                    (hit.chunk_id, hit.score)
                    for hit in search(
                        session,
                        dataset.queries[query_id],
                        tenant_id=store.tenant_id,
                        classifications={Classification.PUBLIC.value},
                        limit=CHUNKS_PER_QUERY,
                        mode=mode,
                    )
                ]
                for mode in ("lexical", "dense")
            )
            found[query_id] = (pair[0], pair[1])
    return found


def chunk_documents(store: Store) -> dict[str, str]:
    """Chunk id -> BEIR corpus id, to turn a ranking of chunks into a ranking of documents."""
    from sqlalchemy import select

    from balise.documents.models import Chunk

    with tenant_session(store.tenant_id, store.engine) as session:
        rows = session.execute(select(Chunk.id, Chunk.document_id)).all()
    return {chunk_id: store.source_ids[document_id] for chunk_id, document_id in rows}


def grid_scores(
    dataset: BeirDataset, found: dict[str, tuple[Candidates, Candidates]], documents: dict[str, str]
) -> dict[str, dict[str, float]]:
    """Mean metrics of every fusion method (and of each single mode) on the same candidates."""
    methods: dict[str, FuseFn] = {"lexical": lambda lex, den: lex, "dense": lambda lex, den: den, **GRID}
    scores: dict[str, dict[str, float]] = {}
    for name, fuse in methods.items():
        totals = dict.fromkeys(METRICS, 0.0)
        for query_id, (lex, den) in found.items():
            ranked = list(dict.fromkeys(documents[chunk] for chunk, _score in fuse(lex, den)))
            for metric, value in score_ranking(ranked, dataset.qrels[query_id]).items():
                totals[metric] += value
        scores[name] = {metric: round(total / len(found), 4) for metric, total in totals.items()}
    return scores


def margin(scores: dict[str, dict[str, float]], method: str) -> float:
    """Hybrid MRR@10 minus the better single mode's, on one set."""
    return scores[method]["mrr@10"] - max(scores["lexical"]["mrr@10"], scores["dense"]["mrr@10"])


def best_method(per_set: dict[str, dict[str, dict[str, float]]]) -> str:
    """The method whose worst margin over the given sets is largest; mean MRR@10 breaks ties."""

    def key(method: str) -> tuple[float, float]:
        worst = min(margin(scores, method) for scores in per_set.values())
        mean = sum(scores[method]["mrr@10"] for scores in per_set.values()) / len(per_set)
        return (round(worst, 4), mean)

    return max(GRID, key=key)


def cross_validate(per_set: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, Any]]:
    """Leave one set out: the method chosen on the others, and its margin on the one left out."""
    report: dict[str, dict[str, Any]] = {}
    for held_out in per_set:
        chosen = best_method({name: scores for name, scores in per_set.items() if name != held_out})
        report[held_out] = {
            "chosen": chosen,
            "mrr@10": per_set[held_out][chosen]["mrr@10"],
            "margin": round(margin(per_set[held_out], chosen), 4),
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared/data/retrieval")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--documents", type=int, default=None, help="only the first N documents")
    parser.add_argument("--queries", type=int, default=None, help="only the first N queries judged on them")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "balise-quality-passages.npz"
    )
    parser.add_argument("--rerank-url", default="", help="a reranking server to compare hybrid search with")
    parser.add_argument("--rerank-model", default="reranker")
    parser.add_argument("--rerank-protocol", default="rerank", choices=["rerank", "rerank-tei"])
    parser.add_argument("--rerank-key-env", default="", help="variable holding its API key")
    parser.add_argument("--rerank-timeout", type=float, default=2.0)
    parser.add_argument("--rerank-candidates", type=int, default=20)
    args = parser.parse_args()
    reranking = (
        Reranking(
            args.rerank_url,
            args.rerank_model,
            args.rerank_protocol,
            args.rerank_key_env,
            args.rerank_timeout,
            args.rerank_candidates,
        )
        if args.rerank_url
        else None
    )
    cache = PassageCache(get_embedder(), args.cache)
    product: dict[str, dict[str, dict[str, Any]]] = {}
    per_set: dict[str, dict[str, dict[str, float]]] = {}
    with patch.object(search_index, "get_embedder", return_value=cache):
        for name in args.datasets:
            dataset = subset(load(args.data, name), args.documents, args.queries)
            with build_store(dataset, rerank=reranking) as store:
                product[name] = {
                    mode: run_queries(store, dataset, mode) for mode in ("lexical", "dense", "hybrid")
                }
                if reranking is not None:
                    product[name][RERANKED] = run_queries(store, dataset, "hybrid", rerank=reranking)
                per_set[name] = grid_scores(dataset, candidates(store, dataset), chunk_documents(store))
    chosen = best_method(per_set)
    result = {
        "product_fusion": fusion.DEFAULT_NAME,
        "chosen_across_sets": chosen,
        "cross_validation": cross_validate(per_set) if len(per_set) > 1 else {},
        "sets": product,
        "grid": per_set,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    console = Console()
    for name, runs in product.items():
        first = runs["lexical"]
        table = Table(
            title=f"{name}: {first['queries']} queries, {first['documents']} documents, "
            f"{first['chunks']} chunks, indexed in {first['index_seconds']} s"
        )
        table.add_column("mode")
        for column in COLUMNS:
            table.add_column(column, justify="right")
        for mode, row in runs.items():
            label = f"hybrid ({fusion.DEFAULT_NAME})" if mode == "hybrid" else mode
            if mode == RERANKED:
                label += f" ({row['rerank_fallbacks']}/{row['rerank_calls']} fell back)"
            table.add_row(label, *(str(row[column]) for column in COLUMNS))
        console.print(table)
    grid = Table(
        title="MRR@10 of every fusion method (same candidates); margin = minus the better single mode"
    )
    grid.add_column("method")
    for name in per_set:
        grid.add_column(name, justify="right")
    grid.add_column("worst margin", justify="right")
    for method in ("lexical", "dense", *GRID):
        cells = [f"{per_set[name][method]['mrr@10']:.4f}" for name in per_set]
        worst = (
            ""
            if method in ("lexical", "dense")
            else f"{min(margin(s, method) for s in per_set.values()):+.4f}"
        )
        grid.add_row(method, *cells, worst)
    console.print(grid)
    console.print(f"chosen across all sets: {chosen}; the product uses: {fusion.DEFAULT_NAME}")
    for held_out, row in result["cross_validation"].items():
        console.print(
            f"left out {held_out}: chosen on the others {row['chosen']}, "
            f"MRR@10 {row['mrr@10']}, margin {row['margin']:+.4f}"
        )


if __name__ == "__main__":
    main()
