"""Validated answers on the citizen FAQ (issue 25's target), for ``bench/citizen.py --validated N``.

The FAQ has no question frequencies and one question per answer, so the honest split is this one:

- the *validated* questions: N questions drawn with a fixed seed (25) stand for the most-asked ones
  (the data says nothing of frequency); each gets a validated answer (the FAQ's own answer, its
  document as source), as staff would write it;
- resident re-phrasings of them, written by hand for this benchmark (``citizen_rephrasings.jsonl``):
  one set to choose the matching threshold on (``tune``), another never looked at while tuning
  (``test``);
- every other FAQ question, split in two the same way: those of the tuning half must not match, those
  of the held-out half show what validated answers do to questions they do not cover.

Held-out = the ``test`` re-phrasings plus the held-out half of the other questions. Each goes through
``balise.citizen.answer`` twice, without and then with the validated answers. The threshold is the
one with the best F0.5 on the tuning questions (see :func:`_choose`); its precision and
recall are then reported on the held-out questions (a match is right when the validated answer's
source is judged relevant to the question).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from balise.answers import MATCH_THRESHOLD, Draft, ValidatedAnswer, closest, create
from balise.citizen import answer
from balise.db import tenant_session
from balise.tenancy import CITIZEN_CLASSIFICATIONS, Tenant

REPHRASINGS = Path(__file__).with_name("citizen_rephrasings.jsonl")
SEED = 25
MAX_ANSWER_CHARS = 8000


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def split(dataset: Any, n: int) -> tuple[list[str], list[str], list[str]]:
    """(validated question ids, other questions for tuning, other questions held out)."""
    ids = sorted(dataset.qrels)
    random.Random(SEED).shuffle(ids)
    rest = ids[n:]
    return ids[:n], rest[::2], rest[1::2]


def _rephrasings(validated: list[str]) -> dict[str, dict[str, str]]:
    rows = [json.loads(line) for line in REPHRASINGS.read_text().splitlines() if line.strip()]
    known = {row["query_id"]: row for row in rows}
    missing = [q for q in validated if q not in known]
    if missing:
        raise SystemExit(f"{len(missing)} validated questions have no re-phrasing in {REPHRASINGS.name}")
    return {q: known[q] for q in validated}


def _validate(store: Any, dataset: Any, validated: list[str]) -> None:
    texts = {doc.id: doc.text for doc in dataset.corpus}
    product_ids = {corpus_id: doc_id for doc_id, corpus_id in store.source_ids.items()}
    with tenant_session(store.tenant_id, store.engine) as session:
        tenant = session.get(Tenant, store.tenant_id)
        assert tenant is not None
        for query_id in validated:
            relevant = sorted(dataset.qrels[query_id])
            draft = Draft(
                dataset.queries[query_id],
                texts[relevant[0]][:MAX_ANSWER_CHARS],
                [product_ids[c] for c in relevant],
            )
            create(session, tenant, draft, actor="bench")
        session.commit()


def _scores(store: Any, questions: list[tuple[str, str]], dataset: Any) -> list[tuple[float, bool]]:
    """(closest cosine, whether that answer's source is relevant) per question."""
    scored: list[tuple[float, bool]] = []
    with tenant_session(store.tenant_id, store.engine, clearance=CITIZEN_CLASSIFICATIONS) as session:
        for query_id, text in questions:
            match = closest(session, text, threshold=0.0)
            assert match is not None
            sources = {store.source_ids.get(s["document_id"], "") for s in match.answer.sources}
            scored.append((match.score, bool(sources & dataset.qrels[query_id].keys())))
    return scored


def _precision_recall(scored: list[tuple[float, bool]], covered: int, threshold: float) -> dict[str, Any]:
    matched = [right for score, right in scored if score >= threshold]
    right = sum(matched)
    return {
        "threshold": threshold,
        "matched": len(matched),
        "precision": _share(right, len(matched)),
        "recall": _share(right, covered),
    }


def _choose(scored: list[tuple[float, bool]], covered: int) -> float:
    """The threshold (on a 0.005 grid) with the best F0.5 on the tuning questions: a wrong validated
    answer costs more than a missed one, so precision weighs twice as much as recall."""
    best, chosen = -1.0, 1.0
    for step in range(140, 200):
        threshold = step / 200
        figures = _precision_recall(scored, covered, threshold)
        p, r = figures["precision"], figures["recall"]
        f_half = 1.25 * p * r / (0.25 * p + r) if p and r else 0.0
        if f_half > best:
            best, chosen = f_half, threshold
    return chosen


def _outcomes(store: Any, questions: list[tuple[str, str]], dataset: Any, tag: str) -> list[tuple[str, bool]]:
    """(right | wrong | redirected, served from a validated answer) per question, through the citizen."""
    outcomes: list[tuple[str, bool]] = []
    with tenant_session(store.tenant_id, store.engine) as session:
        tenant = session.get(Tenant, store.tenant_id)
        assert tenant is not None
        for n, (query_id, text) in enumerate(questions):
            reply = answer(session, tenant, text, f"bench-{tag}-{n}")
            session.rollback()
            cited = {store.source_ids.get(c.document_id, "") for c in reply.citations}
            if reply.redirected_to_human:
                outcome = "redirected"
            elif cited & dataset.qrels[query_id].keys():
                outcome = "right"
            else:
                outcome = "wrong"
            outcomes.append((outcome, bool(reply.validated)))
    return outcomes


def _figures(outcomes: list[tuple[str, bool]]) -> dict[str, Any]:
    total = len(outcomes)
    count = {kind: sum(1 for o, _v in outcomes if o == kind) for kind in ("right", "wrong", "redirected")}
    return {
        "questions": total,
        "right_source": _share(count["right"], total),
        "wrong_source": _share(count["wrong"], total),
        "redirected": _share(count["redirected"], total),
        "served_validated": _share(sum(1 for _o, v in outcomes if v), total),
        "precision": _share(count["right"], count["right"] + count["wrong"]),
    }


def _by_part(
    store: Any, dataset: Any, rephrased: list[tuple[str, str]], others: list[tuple[str, str]], tag: str
) -> dict[str, Any]:
    outcomes = _outcomes(store, rephrased + others, dataset, tag)
    return {
        "held_out": _figures(outcomes),
        "rephrasings": _figures(outcomes[: len(rephrased)]),
        "other_questions": _figures(outcomes[len(rephrased) :]),
    }


def validated_figures(store: Any, dataset: Any, n: int) -> dict[str, Any]:
    """Reader alone, then with validated answers for ``n`` questions, on the held-out questions."""
    validated, tune_others, test_others = split(dataset, n)
    rephrasings = _rephrasings(validated)
    tune = [(q, rephrasings[q]["tune"]) for q in validated] + [(q, dataset.queries[q]) for q in tune_others]
    test_rephrased = [(q, rephrasings[q]["test"]) for q in validated]
    test_others_q = [(q, dataset.queries[q]) for q in test_others]
    print(
        f"validated answers: reader alone on {len(test_rephrased) + len(test_others_q)} held-out questions…",
        file=sys.stderr,
        flush=True,
    )
    alone = _by_part(store, dataset, test_rephrased, test_others_q, "alone")
    _validate(store, dataset, validated)
    tuned = _choose(_scores(store, tune, dataset), len(validated))
    held_scores = _scores(store, test_rephrased + test_others_q, dataset)
    print("validated answers: with validated answers…", file=sys.stderr, flush=True)
    served = _by_part(store, dataset, test_rephrased, test_others_q, "validated")
    with tenant_session(store.tenant_id, store.engine) as session:
        session.execute(delete(ValidatedAnswer))
        session.commit()
    return {
        "validated_questions": n,
        "seed": SEED,
        "tuning": {"questions": len(tune), "chosen_threshold": tuned},
        "product_threshold": MATCH_THRESHOLD,
        "matching_held_out": _precision_recall(held_scores, len(validated), MATCH_THRESHOLD),
        "matching_held_out_at_chosen": _precision_recall(held_scores, len(validated), tuned),
        "reader_alone": alone,
        "with_validated": served,
    }
