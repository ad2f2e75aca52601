"""Fusing lexical and dense rankings: the product's method and the ones it was chosen against."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from balise.search import fusion

LEXICAL = [("a", 12.0), ("b", 9.0), ("c", 1.0)]
DENSE = [("c", 0.91), ("a", 0.90), ("d", 0.89)]


def test_reciprocal_rank_rewards_agreement_and_ignores_score_scales():
    fused = dict(fusion.reciprocal_rank([LEXICAL, DENSE], k=60))
    assert max(fused, key=fused.__getitem__) == "a"  # first and second: the best agreement
    scaled = dict(fusion.reciprocal_rank([[(i, s * 1000) for i, s in LEXICAL], DENSE], k=60))
    assert scaled == fused


def test_weighted_fusion_gives_a_missing_entry_the_lists_lowest_score():
    for normalise in (fusion.min_max, fusion.z_score):
        fused = dict(fusion.weighted(LEXICAL, DENSE, 0.5, normalise))
        assert set(fused) == {"a", "b", "c", "d"}
        assert fused["a"] > fused["b"] and fused["a"] > fused["d"]


def test_the_product_fuses_with_its_default_method():
    assert fusion.fuse(LEXICAL, DENSE) == fusion.weighted(LEXICAL, DENSE, fusion.DENSE_WEIGHT, fusion.z_score)
    assert f"zscore w={fusion.DENSE_WEIGHT}" == fusion.DEFAULT_NAME
    assert fusion.fuse(LEXICAL, DENSE, "rrf") == fusion.reciprocal_rank([LEXICAL, DENSE], k=fusion.RRF_K)


def _bench() -> object:
    path = Path(__file__).parents[2] / "bench" / "search_quality.py"
    spec = importlib.util.spec_from_file_location("search_quality_bench", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_method_is_chosen_by_its_worst_margin_across_sets_not_by_one_set():
    bench = _bench()
    grid = {name: {"mrr@10": 0.0} for name in bench.GRID}  # type: ignore[attr-defined]
    fits_one = next(iter(grid))
    robust = list(grid)[1]
    per_set = {
        "one": {**grid, "lexical": {"mrr@10": 0.70}, "dense": {"mrr@10": 0.60}},
        "other": {**grid, "lexical": {"mrr@10": 0.50}, "dense": {"mrr@10": 0.55}},
    }
    per_set["one"][fits_one] = {"mrr@10": 0.80}  # best on one set…
    per_set["other"][fits_one] = {"mrr@10": 0.50}  # …below a single mode on the other
    per_set["one"][robust] = {"mrr@10": 0.72}
    per_set["other"][robust] = {"mrr@10": 0.56}
    assert bench.best_method(per_set) == robust  # type: ignore[attr-defined]
    report = bench.cross_validate(per_set)  # type: ignore[attr-defined]
    assert report["one"]["chosen"] == robust and report["one"]["margin"] > 0


def test_the_untitled_faq_set_is_built_from_the_shared_data_without_titles(tmp_path: Path):
    folder = tmp_path / "fr_gov_faq"
    folder.mkdir()
    (folder / "corpus.jsonl").write_text('{"_id": "d1", "title": "URSSAF", "text": "Réponse."}\n', "utf-8")
    (folder / "queries.jsonl").write_text('{"_id": "q1", "text": "Question ?"}\n', "utf-8")
    (folder / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\n", "utf-8")
    dataset = _bench().load(tmp_path, "fr_gov_faq_untitled")  # type: ignore[attr-defined]
    assert [(doc.id, doc.title, doc.text) for doc in dataset.corpus] == [("d1", "", "Réponse.")]
    assert dataset.qrels == {"q1": {"d1": 1}}
