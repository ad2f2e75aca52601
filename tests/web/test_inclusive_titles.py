"""A job posting drafted by staff shows its masculine-only titles as a hint, on the draft's result and
on its page in « Mes résultats », for its author and its reviewer; other drafts show none (P5, U3)."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.web import Member, draft_through_page

HINT = "Titre au masculin seulement : « Chauffeur » — forme féminine : « Chauffeuse »."
ANY_HINT = "Titre au masculin seulement"


def test_a_job_posting_names_its_masculine_only_titles_and_an_email_does_not(
    member_of: Callable[..., Member],
) -> None:
    author = member_of("employee")
    page, output_id = draft_through_page(author, "job_posting", "Chauffeur de camion de déneigement")
    assert HINT in page and "Écrire « Chauffeur ou chauffeuse » ou « Chauffeur (H/F) »" in page
    assert HINT in author.client.get(f"/resultats/{output_id}").text
    inclusive, _id = draft_through_page(author, "job_posting", "Chauffeur ou chauffeuse de déneigement")
    assert ANY_HINT not in inclusive
    email, email_id = draft_through_page(author, "email", "Rappeler au chauffeur de déneiger la cour")
    assert ANY_HINT not in email and ANY_HINT not in author.client.get(f"/resultats/{email_id}").text
