"""A reviewer who rejects a staff answer sees how the assistant reached it (P4): the question as the
guard masked it, the passages search returned, the sentence the reader chose, the policy's decision,
what is at fault and what fixes it."""

from __future__ import annotations

import re
from collections.abc import Callable

from balise.tenancy import Tenant
from tests.support.web import Member, csrf_of

QUESTION = "Jean Tremblay demande : quel jour a lieu la collecte des ordures ménagères ?"


def _asked(member: Member) -> str:
    page = member.client.post(
        "/assistant/question",
        data={"csrf_token": csrf_of(member.client), "question": QUESTION, "action": "send"},
    )
    assert page.status_code == 200, page.text
    match = re.search(r"/resultats/(\w+)", page.text)
    assert match is not None
    return match.group(1)


def test_a_rejected_answer_shows_its_masked_question_passages_reader_and_the_reason(
    member_of: Callable[..., Member], make_tenant: Callable[..., Tenant]
) -> None:
    author = member_of("employee")
    reviewer = member_of("reviewer", tenant=author.tenant)
    output_id = _asked(author)
    submitted = author.client.post(
        f"/resultats/{output_id}/soumettre",
        data={"csrf_token": csrf_of(author.client), "purpose": "public", "reviewer_id": reviewer.user.id},
        follow_redirects=False,
    )
    assert submitted.status_code == 303, submitted.text
    review_page = reviewer.client.get(f"/revision/{output_id}").text
    assert f'href="/revision/{output_id}/trace"' in review_page
    rejected = reviewer.client.post(
        f"/revision/{output_id}/decision",
        data={"csrf_token": csrf_of(reviewer.client), "decision": "reject", "comment": "Mauvais calendrier"},
        follow_redirects=False,
    )
    assert rejected.status_code == 303, rejected.text

    trace = reviewer.client.get(f"/revision/{output_id}/trace")
    assert trace.status_code == 200
    page = trace.text
    assert "[PERSONNE_1]" in page and "Tremblay" not in page  # the question as the guard masked it
    assert "Passages renvoyés par la recherche" in page and "/documents/" in page
    assert "Phrases choisies" in page and "mardi" in page  # the reader's sentence
    assert "Mauvais calendrier" in page  # the reviewer's reason
    assert "Politique d’utilisation" in page or "Politique d'utilisation" in page

    assert author.client.get(f"/revision/{output_id}/trace").status_code == 403  # reviewers only
    other = member_of("reviewer", tenant=make_tenant())
    assert other.client.get(f"/revision/{output_id}/trace").status_code == 404


def test_a_result_without_a_trace_says_why(
    member_of: Callable[..., Member],
) -> None:
    author = member_of("employee")
    reviewer = member_of("reviewer", tenant=author.tenant)
    page = author.client.post(
        "/assistant/revision",
        data={"csrf_token": csrf_of(author.client), "text": "Le camion pase mardi.", "action": "send"},
    )
    assert page.status_code == 200, page.text
    match = re.search(r"/resultats/(\w+)", page.text)
    assert match is not None
    assert 'trace"' not in reviewer.client.get(f"/revision/{match.group(1)}").text
    missing = reviewer.client.get(f"/revision/{match.group(1)}/trace")
    assert missing.status_code == 404
    assert "question" in missing.text and "historique" in missing.text
