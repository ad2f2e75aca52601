"""Search quality on the shared French retrieval sets: every mode, and both fusion methods.

Each dataset is indexed once, then searched in lexical, dense and hybrid mode (RRF and weighted
fusion). Run: ``.venv/bin/python bench/search_quality.py [--data ../shared/data/retrieval] [--json]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
from rich.console import Console
from rich.table import Table

from balise.evaluation.retrieval import BeirDataset, build_store, load_dataset, run_queries
from balise.search import Embedder, get_embedder
from balise.search import index as search_index

DATASETS = ("piaf", "fr_gov_faq")
RUNS: tuple[tuple[str, str, Any], ...] = (
    ("lexical", "lexical", "rrf"),
    ("dense", "dense", "rrf"),
    ("hybrid (rrf)", "hybrid", "rrf"),
    ("hybrid (weighted)", "hybrid", "weighted"),
)
COLUMNS = ("mrr@10", "recall@1", "recall@5", "recall@10", "ndcg@10", "query_p50_ms", "query_p95_ms")


class PassageCache:
    """The product's embedder, with passage vectors kept on disk: re-running the benchmark after a
    change to search or fusion then skips the slow part (embedding the corpora)."""

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
    args = parser.parse_args()
    cache = PassageCache(get_embedder(), args.cache)
    results: dict[str, dict[str, Any]] = {}
    with patch.object(search_index, "get_embedder", return_value=cache):
        for name in args.datasets:
            dataset = subset(load_dataset(args.data / name), args.documents, args.queries)
            with build_store(dataset) as store:
                results[name] = {
                    label: run_queries(store, dataset, mode, fusion) for label, mode, fusion in RUNS
                }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, runs in results.items():
        first = next(iter(runs.values()))
        table = Table(
            title=f"{name}: {first['queries']} queries, {first['documents']} documents, "
            f"{first['chunks']} chunks, indexed in {first['index_seconds']} s"
        )
        table.add_column("mode")
        for column in COLUMNS:
            table.add_column(column, justify="right")
        for label, result in runs.items():
            table.add_row(label, *(str(result[column]) for column in COLUMNS))
        Console().print(table)


if __name__ == "__main__":
    main()
