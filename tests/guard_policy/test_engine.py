"""The engine on its own: what the built-in rules decide, tenant rules, precedence, and languages."""

from __future__ import annotations

import dataclasses

import pytest

from balise.guard.policy import THIRD_PARTY_COPYRIGHT, Decision, Policy, Rule, default_policy, evaluate
from balise.i18n import use_locale

POLICY = default_policy()


@pytest.mark.parametrize(
    ("text", "outcome", "requirement"),
    [
        ("Mets en ordre ces dossiers de candidature du plus fort au plus faible.", "block", "X1"),
        ("Rédige une offre d'emploi pour un poste de brigadière scolaire.", "allow", ""),
        ("Écris l'évaluation de rendement annuelle de Ginette, notre réceptionniste.", "block", "X1"),
        ("Résume le rapport de performance publié par le service de l'eau.", "allow", ""),
        ("Fabrique une photo réaliste du maire qui nage dans la rivière.", "block", "X2"),
        ("Génère une image d'un parc avec un kiosque à musique, style aquarelle.", "allow", ""),
        ("Quelle est la capitale de la Belgique?", "warn", "X5"),
        ("Décide à ma place si on accorde ce permis de lotissement.", "warn", "X4"),
        ("Résume ce texte : « © 2020 Éditions du Nord. Tous droits réservés. »", "warn", "D4"),
    ],
)
def test_built_in_rules(text: str, outcome: str, requirement: str) -> None:
    decision = evaluate(POLICY, text)
    assert (decision.outcome, decision.requirement) == (outcome, requirement)


def test_explanations_are_french_by_default_quote_the_guide_and_exist_in_english() -> None:
    text = "Classe ces candidats du meilleur au pire."
    decision = evaluate(POLICY, text)
    assert "Évaluer un employé ou une candidature à l'aide d'un outil d'IA" in decision.explanation
    with use_locale("en"):
        assert evaluate(POLICY, text).explanation.startswith("The guide asks not to use generative AI")
    search = evaluate(POLICY, "Quelle est la capitale de la Belgique?")
    assert "environnemental" in search.explanation and "page de recherche" in search.explanation


def test_a_document_flagged_as_third_party_copyright_warns() -> None:
    decision = evaluate(POLICY, "Résume ce document.", document_flags={THIRD_PARTY_COPYRIGHT})
    assert (decision.outcome, decision.rule_id) == ("warn", "d4-third-party-copyright")
    assert evaluate(POLICY, "Résume ce document.").outcome == "allow"


def test_decision_is_frozen_and_carries_no_text() -> None:
    decision = evaluate(POLICY, "Classe ces candidats du meilleur au pire.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.outcome = "allow"  # type: ignore[misc]
    assert "candidats" not in repr(dataclasses.astuple(decision)[:3])


def test_tenant_keyword_and_pattern_rules() -> None:
    rule = Rule(
        id="fuite-budget",
        outcome="block",
        explanation="Le budget n'est pas public avant le dépôt.",
        keywords=("budget préliminaire",),
        patterns=(r"\bhuis clos\b",),
    )
    policy = Policy(rules=(*POLICY.rules, rule))
    assert evaluate(policy, "Résume le BUDGET PRELIMINAIRE 2027.").rule_id == "fuite-budget"
    assert evaluate(policy, "Résume la séance à huis clos.").explanation == rule.explanation
    assert evaluate(policy, "Résume le budget adopté.").outcome == "allow"


def test_examples_catch_paraphrases_without_any_keyword() -> None:
    rule = Rule(
        id="cotisations",
        outcome="warn",
        explanation="Voir le service des finances.",
        examples=(
            "Calcule les cotisations syndicales de chaque employé pour la paie.",
            "Prépare le calcul des retenues syndicales sur les salaires.",
        ),
        threshold=0.88,
    )
    policy = Policy(rules=(rule, *(r for r in POLICY.rules if r.outcome == "allow")))
    decision = evaluate(policy, "Peux-tu calculer la cotisation au syndicat prélevée sur la paie de chacun?")
    assert decision.rule_id == "cotisations" and 0.88 <= decision.score < 1.0
    assert evaluate(policy, "Rédige un communiqué sur la fête du Canada.").outcome == "allow"


def test_block_wins_over_warn_and_explicit_allow_overrides_similarity() -> None:
    warn = Rule(id="mot-a", outcome="warn", explanation="a", keywords=("collecte",))
    block = Rule(id="mot-b", outcome="block", explanation="b", keywords=("collecte",))
    assert evaluate(Policy(rules=(warn, block)), "Horaire de la collecte").rule_id == "mot-b"
    similar = Rule(
        id="sim",
        outcome="block",
        explanation="s",
        examples=("Horaire de la collecte des ordures",),
        threshold=0.5,
    )
    allow = Rule(id="ok", outcome="allow", explanation="ok", keywords=("collecte",))
    assert evaluate(Policy(rules=(similar,)), "Horaire de collecte des déchets").outcome == "block"
    assert evaluate(Policy(rules=(similar, allow)), "Horaire de collecte des déchets").outcome == "allow"


def test_disabled_rules_are_ignored() -> None:
    policy = Policy(rules=tuple(dataclasses.replace(r, enabled=r.requirement != "X1") for r in POLICY.rules))
    assert evaluate(policy, "Classe ces candidats du meilleur au pire.").outcome == "allow"


def test_allow_decision() -> None:
    decision = evaluate(POLICY, "Corrige les fautes de ce courriel.")
    assert isinstance(decision, Decision)
    assert (decision.outcome, decision.requirement) == ("allow", "")
    assert decision.rule_id in {"default", "allowed-uses"}


CONTEXT = (
    "Le dossier 2023-42 porte sur le réaménagement du parc des Érables. Le conseil a voté le budget en "
    "mai et les travaux commencent au printemps. Les résidents du secteur ont été consultés deux fois. "
    "La firme d'architectes a remis ses plans la semaine dernière et le service des loisirs les a lus. "
)


def test_a_long_request_is_judged_on_its_intent_not_its_context() -> None:
    from balise.guard.policy.engine import INTENT_CHARS, intent

    short = "Peux-tu calculer la cotisation au syndicat prélevée sur la paie de chacun?"
    assert intent(short) == [short]
    long = CONTEXT + short + " Merci d'avance pour ton aide précieuse dans ce dossier."
    assert len(long) > INTENT_CHARS
    judged = intent(long)
    assert judged[0] == short and not any("réaménagement" in part for part in judged)
    assert sum(map(len, judged)) <= INTENT_CHARS
    rule = Rule(
        id="cotisations",
        outcome="warn",
        explanation="Voir le service des finances.",
        examples=("Calcule les cotisations syndicales de chaque employé pour la paie.",),
        threshold=0.88,
    )
    policy = Policy(rules=(rule, *(r for r in POLICY.rules if r.outcome == "allow")))
    assert evaluate(policy, long).rule_id == "cotisations"  # a paraphrase, no keyword: similarity only


def test_a_long_text_that_asks_nothing_is_not_compared_with_the_examples() -> None:
    from balise.guard.policy.engine import intent

    assert intent(CONTEXT * 2) == []


def test_an_exception_word_elsewhere_in_a_long_request_does_not_rule_a_rule_out() -> None:
    deepfake = "Génère une photo réaliste de la mairesse qui plante un arbre dans un parc riverain."
    closing = " Le service des communications en publiera ensuite un résumé sur le site de la Ville."
    assert (
        evaluate(POLICY, deepfake + " Fais-en aussi un résumé.").outcome == "allow"
    )  # one request: the exception holds
    long = CONTEXT + deepfake + closing
    decision = evaluate(POLICY, long)
    assert decision.outcome == "block" and decision.requirement == "X2"
