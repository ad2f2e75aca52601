"""The impact score with the mechanics of Canada's Algorithmic Impact Assessment, at each threshold."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from balise.audit.models import AuditEntry
from balise.errors import Invalid
from balise.governance import (
    IMPACT_QUESTIONS,
    MAX_IMPACT,
    MAX_MITIGATION,
    MITIGATION_QUESTIONS,
    AISystem,
    level_for,
    privacy_items,
    save_assessment,
    score_answers,
    score_values,
)
from balise.governance.assessment import LEVEL_REQUIREMENTS

MAX = 100  # a round maximum makes the thresholds exact


@pytest.mark.parametrize(
    ("raw", "level"),
    [(0, 1), (25, 1), (26, 2), (50, 2), (51, 3), (75, 3), (76, 4), (100, 4)],
)
def test_levels_without_mitigation_discount(raw: int, level: int) -> None:
    score = score_values(raw, 0, MAX, 20)
    assert not score.discounted and score.score == raw and score.level == level


@pytest.mark.parametrize(
    ("raw", "level"),
    # 15 % off: 29 → 24.65 (I), 30 → 25.5 (II), 58 → 49.3 (II), 59 → 50.15 (III),
    # 88 → 74.8 (III), 89 → 75.65 (IV)
    [(29, 1), (30, 2), (58, 2), (59, 3), (88, 3), (89, 4)],
)
def test_levels_with_the_mitigation_discount(raw: int, level: int) -> None:
    score = score_values(raw, 16, MAX, 20)  # 16 of 20 is exactly 80 %
    assert score.discounted and score.score == pytest.approx(raw * 0.85) and score.level == level


def test_the_discount_starts_at_80_percent_of_the_mitigation_maximum() -> None:
    assert not score_values(60, 15, MAX, 20).discounted  # 75 %
    assert score_values(60, 16, MAX, 20).discounted  # 80 %
    assert score_values(58, 15, MAX, 20).level == 3 and score_values(58, 16, MAX, 20).level == 2


def _answers(impact: str, mitigation: str) -> dict[str, str]:
    """Every impact question at its ``impact`` end (``min``/``max``), every mitigation at ``mitigation``."""
    answers = {}
    for q in IMPACT_QUESTIONS:
        choices = sorted(q.choices, key=lambda c: c.points)
        answers[q.key] = (choices[-1] if impact == "max" else choices[0]).value
    for q in MITIGATION_QUESTIONS:
        answers[q.key] = "yes" if mitigation == "yes" else "no"
    return answers


def test_the_questionnaire_scores_its_extremes() -> None:
    worst = score_answers(_answers("max", "no"))
    assert worst.raw_impact == MAX_IMPACT and worst.level == 4 and not worst.discounted
    best = score_answers(_answers("min", "yes"))
    assert best.raw_impact == 0 and best.mitigation == MAX_MITIGATION and best.level == 1
    mitigated = score_answers(_answers("max", "yes"))
    assert (
        mitigated.discounted and mitigated.score == pytest.approx(MAX_IMPACT * 0.85) and mitigated.level == 4
    )


def test_a_municipal_chatbot_for_citizens_reaches_level_three() -> None:
    """Citizens directly, indirect influence on decisions, general personal information, large reach."""
    answers = _answers("min", "yes") | {
        "audience": "citizens",
        "decision": "indirect",
        "personal": "general",
        "reach": "many",
        "hosting": "canada",
        "model": "contract",
        "vulnerable": "yes",
        "reversibility": "effort",
    }
    score = score_answers(answers)
    assert score.raw_impact == 4 + 3 + 2 + 2 + 1 + 1 + 2 + 2
    assert score.discounted  # every mitigation answered yes
    assert level_for(score.score, MAX_IMPACT) == score.level == 2  # 17 × 0.85 = 14.45 of 36 (40 %)
    answers["bias"], answers["tests"], answers["sources"] = "no", "no", "no"
    unmitigated = score_answers(answers)  # 14 of 20: below 80 %, no discount
    assert not unmitigated.discounted and unmitigated.level == 2  # 17 of 36 is 47 %
    answers["domain"] = "yes"
    assert score_answers(answers).level == 3  # 20 of 36 is 56 %


def test_each_level_lists_its_requirements_and_those_below() -> None:
    level_three = score_values(60, 0, MAX, 20).requirements
    assert all(item in level_three for level in (1, 2, 3) for item in LEVEL_REQUIREMENTS[level])
    assert not set(LEVEL_REQUIREMENTS[4]) & set(level_three)


def test_an_unanswered_question_is_refused_in_french() -> None:
    answers = _answers("min", "yes")
    del answers["domain"]
    with pytest.raises(Invalid) as refused:
        score_answers(answers)
    assert "Répondez à chaque question" in refused.value.localized()


def test_versions_are_kept_and_the_level_shows_on_the_register(engine, make_tenant, scoped) -> None:
    tenant = make_tenant()
    with scoped(tenant.id) as session:
        system = AISystem(
            tenant_id=tenant.id, key="manual:1", name="Agent", purpose="Répondre", hosting="abroad"
        )
        session.add(system)
        session.flush()
        assert {key for key, _text in privacy_items(system)} >= {"transfer_assessment", "transfer_agreement"}
        first = save_assessment(session, system, _answers("max", "no"), {"inventory"}, actor="cli")
        second = save_assessment(session, system, _answers("min", "yes"), set(), actor="cli")
        session.commit()
        assert (first.version, first.level, second.version, second.level) == (1, 4, 2, 1)
        assert system.impact_level == 1 and first.leaves_quebec
        assert first.privacy["inventory"] and not first.privacy["transfer_agreement"]
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.tenant_id == tenant.id, AuditEntry.action == "governance.assessment_saved"
            )
        ).all()
        assert [e.details["version"] for e in audited] == [1, 2]
