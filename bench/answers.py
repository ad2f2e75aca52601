"""Answer quality of the ask task (extractive reader) beside the baseline "BM25 top passage, two best
sentences", measured in the same run on the same store.

Sets: PIAF (``../shared/data/retrieval/piaf`` with its answers; ``--piaf-queries N`` samples N
questions, their documents and as many other documents), fr_gov_faq (cited gold document only: it has
no short answers), Montpellier (this repository's questions in ``bench/data/montpellier_qa`` over the
123 deliberation PDFs of ``../shared/data/corpus/montpellier/pdf``, ingested as PDFs) and the demo
library questions. Each query runs through the same ask task as the web page, once, with abstention
switched off so that every threshold can be replayed offline. The abstention threshold is chosen on
the dev halves (even positions) of every set run, pooled: the one that maximises the share of
queries handled right (a gold answer stated, or the gold document cited where a set has no short
answers; an unanswerable query abstained), averaged over the sets so that the largest does not decide
alone. Every set is reported on its held-out half too.

Run: ``.venv/bin/python bench/answers.py [--sets montpellier,demo,piaf,fr_gov_faq] [--json]``; with
``--save DIR``, ``bench/off_topic.py DIR`` then measures how often an answer appends an off-topic sentence
(about 25 CPU-minutes for all sets on an idle 2-core machine; the corpora's embeddings dominate).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest.mock import patch

from balise.db import tenant_session
from balise.evaluation.answers import (
    AnswerSet,
    AnswerStore,
    Outcome,
    ask_all,
    build_answer_store,
    contains_answer,
    load_answer_set,
    metrics,
)
from balise.gateway import reader as reader_module
from balise.gateway.contracts import Completion
from balise.gateway.extractive import ExtractiveBackend
from balise.search import search
from balise.text import overlap, split_sentences, term_set

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared" / "data"
THRESHOLDS = [round(0.20 + 0.01 * i, 2) for i in range(36)]
ABSTAIN_TEXT = "abstained"


def montpellier_folder(work: Path) -> Path:
    """The repository's question set plus a corpus.jsonl naming each deliberation PDF."""
    source = HERE / "data" / "montpellier_qa"
    pdfs = sorted((SHARED / "corpus" / "montpellier" / "pdf").glob("*.pdf"))
    folder = work / "montpellier"
    folder.mkdir()
    for name in ("queries.jsonl", "qrels.tsv", "answers.jsonl"):
        (folder / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as corpus:
        for pdf in pdfs:
            corpus.write(
                json.dumps({"_id": pdf.name, "title": "", "text": "", "file": str(pdf.resolve())}) + "\n"
            )
    return folder


def sampled_folder(work: Path, name: str, queries: int, seed: int = 9) -> Path:
    """A BEIR folder with ``queries`` questions, their documents and as many other documents."""
    source = SHARED / "retrieval" / name
    folder = work / name
    folder.mkdir()
    rows = [json.loads(line) for line in (source / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    qrels = [line.split("\t") for line in (source / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    rng = random.Random(seed)
    chosen = (
        {row["_id"] for row in rng.sample(rows, min(queries, len(rows)))}
        if queries
        else {r["_id"] for r in rows}
    )
    kept_qrels = [q for q in qrels if q[0] in chosen]
    relevant = {q[1] for q in kept_qrels}
    corpus = [json.loads(line) for line in (source / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    others = [doc for doc in corpus if doc["_id"] not in relevant]
    extra = rng.sample(others, min(len(relevant), len(others))) if queries else others
    kept = [doc for doc in corpus if doc["_id"] in relevant] + extra
    (folder / "corpus.jsonl").write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in kept), "utf-8"
    )
    (folder / "queries.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r["_id"] in chosen), "utf-8"
    )
    (folder / "qrels.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join("\t".join(q) + "\n" for q in kept_qrels), "utf-8"
    )
    answers = source / "answers.jsonl"
    lines = answers.read_text(encoding="utf-8").splitlines() if answers.exists() else []
    (folder / "answers.jsonl").write_text(
        "".join(line + "\n" for line in lines if json.loads(line)["query_id"] in chosen), "utf-8"
    )
    return folder


def reader_run(store: AnswerStore, data: AnswerSet) -> list[Outcome]:
    """Every query through the ask task with abstention off, keeping the reader's confidence and caution."""
    confidences: list[tuple[float | None, bool]] = []
    original = ExtractiveBackend.answer

    def recording(self: ExtractiveBackend, question: str, passages: Any) -> Completion:
        completion = original(self, question, passages)
        confidences.append((completion.confidence, completion.caution))
        return completion

    with (
        patch.object(reader_module, "ABSTAIN_BELOW", 0.0),
        patch.object(ExtractiveBackend, "answer", recording),
    ):
        warm = AnswerSet(
            dict(list(data.queries.items())[:3]), data.relevant, data.answers, data.corpus, data.folder
        )
        ask_all(store, warm)  # warm-up: models loaded, caches filled
        confidences.clear()
        done = [0]

        def one_per_query(count: int) -> None:
            """A query the reader never saw (blocked, no passage) has no confidence; one read per query."""
            done[0] += count
            if len(confidences) < done[0]:
                confidences.append((None, False))
            del confidences[done[0] - 1 : -1]

        outcomes = ask_all(store, data, one_per_query)
    return [
        replace(o, confidence=c, caution=caution)
        for o, (c, caution) in zip(outcomes, confidences, strict=True)
    ]


def with_threshold(outcomes: list[Outcome], threshold: float) -> list[Outcome]:
    return [
        o if (o.confidence or 0.0) >= threshold else replace(o, cited=set(), text=ABSTAIN_TEXT)
        for o in outcomes
    ]


def baseline_run(store: AnswerStore, data: AnswerSet) -> list[Outcome]:
    """BM25 (the lexical index) top passage, its two sentences that best cover the question."""
    outcomes: list[Outcome] = []
    with tenant_session(store.tenant_id, store.engine) as session:
        for query_id, question in data.queries.items():
            started = time.perf_counter()
            hits = search(
                session,
                question,
                tenant_id=store.tenant_id,
                classifications={"public"},
                limit=1,
                mode="lexical",
            )
            if not hits:
                outcomes.append(Outcome(query_id, query_id in data.relevant, set(), ABSTAIN_TEXT, 0.0))
                continue
            asked = term_set(question)
            sentences = sorted(split_sentences(hits[0].text), key=lambda s: -overlap(asked, s.text))[:2]
            text = " ".join(s.text for s in sentences)
            ms = (time.perf_counter() - started) * 1000
            cited = {store.source_ids[hits[0].document_id]}
            outcomes.append(Outcome(query_id, query_id in data.relevant, cited, text, ms))
    return outcomes


def split(outcomes: list[Outcome]) -> tuple[list[Outcome], list[Outcome]]:
    """Dev (even positions in query order) and held-out (odd) halves."""
    return outcomes[0::2], outcomes[1::2]


def right_share(outcomes: list[Outcome], data: AnswerSet) -> float:
    """Queries handled right: the gold answer stated (or, with no short answer, the gold document
    cited) when answerable; no citation when not."""

    def right(o: Outcome) -> bool:
        if not o.answerable:
            return not o.cited
        if data.answers.get(o.query_id):
            return bool(o.cited) and contains_answer(o.text, data.answers[o.query_id])
        return bool(o.cited & data.relevant[o.query_id])

    return sum(map(right, outcomes)) / len(outcomes) if outcomes else 0.0


def choose_threshold(runs: dict[str, tuple[list[Outcome], AnswerSet]]) -> tuple[float, list[dict[str, Any]]]:
    """The threshold handling the most dev queries right, averaged over the sets (see the module)."""
    curve = []
    for threshold in THRESHOLDS:
        per_set = {
            name: round(right_share(with_threshold(split(outcomes)[0], threshold), data), 4)
            for name, (outcomes, data) in runs.items()
        }
        curve.append({"threshold": threshold, "right": sum(per_set.values()) / len(per_set), **per_set})
    best = max(curve, key=lambda row: (row["right"], -row["threshold"]))
    return best["threshold"], curve


def run_set(folder: Path, save: Path | None = None, embed: bool = True) -> dict[str, Any]:
    """The reader (abstention off, confidences kept) and the baseline on one set."""
    data = load_answer_set(folder)
    started = time.perf_counter()
    with build_answer_store(data, embed=embed) as store:
        index_s = time.perf_counter() - started
        reader = reader_run(store, data)
        baseline = baseline_run(store, data)
    if save is not None:  # every outcome, to replay other thresholds without asking again
        with save.open("w", encoding="utf-8") as out:
            for who, outcomes in (("reader", reader), ("baseline", baseline)):
                for o in outcomes:
                    row = {
                        "who": who,
                        "query_id": o.query_id,
                        "answerable": o.answerable,
                        "cited": sorted(o.cited),
                    }
                    out.write(
                        json.dumps(
                            {
                                **row,
                                "text": o.text,
                                "ms": o.ms,
                                "confidence": o.confidence,
                                "caution": o.caution,
                            }
                        )
                        + "\n"
                    )
    return {"data": data, "reader": reader, "baseline": baseline, "index_seconds": round(index_s, 1)}


def report_set(run: dict[str, Any], threshold: float) -> dict[str, Any]:
    data: AnswerSet = run["data"]
    result: dict[str, Any] = {"index_seconds": run["index_seconds"], "threshold": threshold}
    answered = with_threshold(run["reader"], threshold)
    result["reader"] = metrics(answered, data)
    result["reader_no_abstention"] = metrics(run["reader"], data)
    result["baseline"] = metrics(run["baseline"], data)
    for name, part in zip(("dev", "held_out"), split(answered), strict=True):
        result[f"reader_{name}"] = metrics(part, data)
    for name, part in zip(("dev", "held_out"), split(run["baseline"]), strict=True):
        result[f"baseline_{name}"] = metrics(part, data)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="montpellier,demo,piaf,fr_gov_faq")
    parser.add_argument("--piaf-queries", type=int, default=200, help="0 for all 2,000")
    parser.add_argument("--faq-queries", type=int, default=200, help="0 for all 529")
    parser.add_argument("--no-dense", action="store_true", help="the reader without e5 similarity")
    parser.add_argument(
        "--no-embed", action="store_true", help="ingest without passage vectors (search is then lexical only)"
    )
    parser.add_argument(
        "--threshold", type=float, help="abstention threshold (default: chosen on Montpellier dev)"
    )
    parser.add_argument(
        "--save", type=Path, help="folder where each set's outcomes are written as JSON Lines"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.no_dense:
        patch("balise.gateway.extractive.sentence_similarity", lambda _q, _s: None).start()
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="balise-bench-answers-") as work_dir:
        work = Path(work_dir)
        folders = {
            "montpellier": lambda: montpellier_folder(work),
            "demo": lambda: HERE / "data" / "demo_qa",
            "piaf": lambda: sampled_folder(work, "piaf", args.piaf_queries),
            "fr_gov_faq": lambda: sampled_folder(work, "fr_gov_faq", args.faq_queries),
        }
        runs: dict[str, dict[str, Any]] = {}
        for name in args.sets.split(","):
            print(f"== {name}", file=sys.stderr)
            save = args.save / f"{name}.jsonl" if args.save else None
            runs[name] = run_set(folders[name](), save, embed=not args.no_embed)
        threshold: float = args.threshold
        if threshold is None:
            threshold, curve = choose_threshold({n: (r["reader"], r["data"]) for n, r in runs.items()})
            report["curve_dev"] = curve
        for name, run in runs.items():
            report[name] = report_set(run, threshold)
            print(json.dumps({name: report[name]}), file=sys.stderr)
    if args.json:
        print(json.dumps(report))
        return
    for name, result in report.items():
        if name == "curve_dev":
            continue
        print(f"\n{name} (threshold {result['threshold']})")
        for who in ("reader", "reader_no_abstention", "baseline", "reader_held_out", "baseline_held_out"):
            m = result[who]
            print(
                f"  {who:20} cited {m['cited_rate']:.3f}  answer {m['answer_rate']:.3f}  abstain "
                f"{m['abstain_rate']:.3f}  false abstain {m['false_abstain_rate']:.3f}  p50/p95 "
                f"{m['p50_ms']:.0f}/{m['p95_ms']:.0f} ms  ({m['queries']} queries)"
            )


if __name__ == "__main__":
    main()
