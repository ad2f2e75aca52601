"""The one reranking rule of search: the reranker's order for what it scored, the fused order otherwise."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine

from balise.db import tenant_session
from balise.search import SearchHit, search
from balise.search.rerank import reranked
from balise.tenancy.models import Tenant

from .conftest import AddDocument


def hit(name: str) -> SearchHit:
    return SearchHit(name, "doc", name, None, "", name, 0, len(name), "public", 0.0)


@dataclass
class Fixed:
    """A reranker whose scores are given, or that raises ``error``; it keeps what it was asked."""

    given: Mapping[int, float] = field(default_factory=dict)
    error: Exception | None = None
    candidates: int = 3
    name: str = "fixed"
    asked: list[list[str]] = field(default_factory=list)

    def scores(self, query: str, hits: Sequence[SearchHit]) -> Mapping[int, float]:
        self.asked.append([h.chunk_id for h in hits])
        if self.error is not None:
            raise self.error
        return self.given


def names(hits: Sequence[SearchHit]) -> list[str]:
    return [h.chunk_id for h in hits]


FUSED = [hit(n) for n in "abcde"]


def test_the_candidates_take_the_rerankers_order_and_the_rest_follows() -> None:
    reranker = Fixed({0: 0.1, 1: 0.2, 2: 0.9})
    assert names(reranked("q", FUSED, reranker)) == ["c", "b", "a", "d", "e"]
    assert reranker.asked == [["a", "b", "c"]]  # only the first `candidates` are offered


def test_a_passage_the_reranker_did_not_score_keeps_its_place() -> None:
    """Passages it may not read (classification, personal information) stay where fusion put them."""
    assert names(reranked("q", FUSED, Fixed({0: 0.1, 2: 0.9}))) == ["c", "b", "a", "d", "e"]
    assert names(reranked("q", FUSED, Fixed({1: 0.1, 2: 0.9}))) == ["a", "c", "b", "d", "e"]


def test_ties_keep_the_fused_order_and_nothing_scored_changes_nothing() -> None:
    assert names(reranked("q", FUSED, Fixed({0: 1.0, 1: 1.0, 2: 1.0}))) == list("abcde")
    assert names(reranked("q", FUSED, Fixed({}))) == list("abcde")
    assert names(reranked("q", FUSED, Fixed({7: 5.0, -1: 5.0}))) == list("abcde")  # no such place
    assert reranked("q", [], Fixed({0: 1.0})) == []


@pytest.mark.parametrize("error", [TimeoutError("slow"), ValueError("garbage"), RuntimeError("down")])
def test_any_failure_keeps_the_fused_order(error: Exception, caplog: pytest.LogCaptureFixture) -> None:
    assert names(reranked("q", FUSED, Fixed(error=error))) == list("abcde")
    assert "fused order is kept" in caplog.text


def test_search_reranks_its_first_passages_and_then_cuts_to_the_limit(
    engine: Engine, make_tenant: Callable[..., Tenant], add_document: AddDocument
) -> None:
    """The reranker sees more passages than asked for, so a passage fusion ranked below the limit can
    rise into it."""
    tenant_id = make_tenant().id
    for day in ("lundi", "mardi", "mercredi", "jeudi"):
        add_document(tenant_id, f"Collecte du {day}", f"La collecte des ordures a lieu le {day} matin.")
    with tenant_session(tenant_id, engine) as session:
        fused = search(session, "collecte des ordures", tenant_id=tenant_id, limit=4, mode="lexical")
        last = len(fused) - 1
        reranker = Fixed({position: 9.0 if position == last else 0.0 for position in range(4)}, candidates=10)
        top = search(
            session, "collecte des ordures", tenant_id=tenant_id, limit=2, mode="lexical", reranker=reranker
        )
        failing = Fixed(error=RuntimeError("down"), candidates=10)
        kept = search(
            session, "collecte des ordures", tenant_id=tenant_id, limit=2, mode="lexical", reranker=failing
        )
    assert len(reranker.asked[0]) == 4
    assert names(top) == [fused[last].chunk_id, fused[0].chunk_id]
    assert names(kept) == names(fused[:2])
