"""How often the assistant's answer cites the right document, on the French government FAQ set.

The corpus is ingested in a temporary store (chunked and indexed as the product does it), then every
judged question goes through the whole ``ask`` task with the extractive backend: usage policy,
retrieval, privacy guard, gateway, citation checks. A question counts as citing the gold document when
one of the answer's citations points at a document judged relevant for it.

    .venv/bin/python bench/assistant_citations.py [--data DIR] [--limit N] [--json]

The data is read from ../shared/data at run time, never copied.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from balise.assistant import Requester, ask
from balise.db import tenant_session
from balise.evaluation.retrieval import build_store, load_dataset
from balise.tenancy import Tenant

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/retrieval/fr_gov_faq"


def run(data: Path, limit: int | None, progress: Progress | None) -> dict[str, Any]:
    dataset = load_dataset(data)
    judged = list(dataset.qrels.items())[:limit]
    counts = {"cited_gold": 0, "cited_other": 0, "abstained": 0, "stopped_by_policy": 0, "to_verify": 0}
    started = time.perf_counter()
    indexing = progress.add_task("index", total=len(dataset.corpus)) if progress else None
    with build_store(
        dataset, (lambda n: progress.advance(indexing, n)) if progress and indexing is not None else None
    ) as store:
        asking = progress.add_task("ask", total=len(judged)) if progress else None
        with tenant_session(store.tenant_id, store.engine) as session:
            tenant = session.get(Tenant, store.tenant_id)
            assert tenant is not None
            who = Requester(tenant, None, ("public",))
            for query_id, relevant in judged:
                result = ask(session, who, dataset.queries[query_id])
                session.rollback()  # nothing of a benchmark run needs keeping
                cited = {store.source_ids.get(c.document_id, "") for c in result.citations}
                if result.status in ("blocked", "warning"):
                    counts["stopped_by_policy"] += 1
                elif not cited:
                    counts["abstained"] += 1
                elif cited & relevant.keys():
                    counts["cited_gold"] += 1
                else:
                    counts["cited_other"] += 1
                counts["to_verify"] += int(result.to_verify > 0)
                if progress and asking is not None:
                    progress.advance(asking)
        documents, chunks = store.documents, store.chunks
    questions = len(judged)
    return {
        "dataset": data.name,
        "questions": questions,
        "documents": documents,
        "chunks": chunks,
        "gold_cited_share": round(counts["cited_gold"] / questions, 4) if questions else 0.0,
        **counts,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a BEIR folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N judged questions")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(run(args.data, args.limit, None), indent=2))
        return
    with Progress(transient=True) as progress:
        result = run(args.data, args.limit, progress)
    console = Console()
    console.print(
        f"{result['dataset']}: {result['questions']} questions, {result['documents']} documents, "
        f"{result['chunks']} chunks ({result['seconds']} s)"
    )
    console.print(
        f"answer cites the gold document: {result['gold_cited_share']:.1%} "
        f"({result['cited_gold']}/{result['questions']}); cites another document: {result['cited_other']}; "
        f"no answer: {result['abstained']}; stopped by the policy: {result['stopped_by_policy']}; "
        f"with sentences to verify: {result['to_verify']}"
    )


if __name__ == "__main__":
    main()
