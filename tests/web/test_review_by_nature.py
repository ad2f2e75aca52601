"""Review by the nature of an output: a press release needs a reviewer whatever purpose is declared."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select

from balise.db import open_session
from balise.review import Output
from balise.tenancy import Tenant
from tests.support.web import Member, csrf_of, draft_through_page


def _draft(member: Member, template: str, text: str) -> str:
    """Drafts through the page as a person does; the id of the saved output."""
    return draft_through_page(member, template, text)[1]


def test_a_press_release_never_submitted_cannot_be_exported(member_of: Callable[..., Member], engine: Engine):
    author = member_of("employee")
    output_id = _draft(author, "press_release", "Ouverture de la nouvelle bibliothèque le 3 mai")
    with open_session(engine) as session:
        output = session.scalars(select(Output).where(Output.id == output_id)).one()
        assert output.provenance["nature"] == "draft:press_release" and output.purpose == "public"
    for fmt in ("md", "docx"):
        response = author.client.get(f"/resultats/{output_id}/export.{fmt}")
        assert response.status_code == 409
        assert "approuver" in response.text
    # Declaring it internal does not change what it is.
    refused = author.client.post(
        f"/resultats/{output_id}/soumettre",
        data={"csrf_token": csrf_of(author.client), "purpose": "internal"},
        follow_redirects=False,
    )
    assert refused.status_code == 422 and "communiqué de presse" in refused.text
    # Even an output saved as internal before the rule (or by another path) is held back by its nature.
    with open_session(engine) as session:
        output = session.scalars(select(Output).where(Output.id == output_id)).one()
        output.purpose = "internal"
        session.commit()
    assert author.client.get(f"/resultats/{output_id}/export.md").status_code == 409


def test_an_internal_memo_still_exports_until_a_manager_adds_memos(
    member_of: Callable[..., Member], engine: Engine
):
    author = member_of("employee")
    manager = member_of("manager", tenant=author.tenant)
    output_id = _draft(author, "memo", "Fermeture du garage municipal vendredi")
    assert author.client.get(f"/resultats/{output_id}/export.md").status_code == 200
    page = manager.client.get("/politique")
    assert "Résultats toujours soumis à révision" in page.text
    saved = manager.client.post(
        "/politique/revue",
        data={"csrf_token": csrf_of(manager.client), "nature": ["draft:memo"]},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert author.client.get(f"/resultats/{output_id}/export.md").status_code == 409
    with open_session(engine) as session:
        tenant = session.get(Tenant, author.tenant.id)
        assert tenant is not None and tenant.settings["reviewed_natures"] == ["draft:memo"]
    # The guide's kinds cannot be removed: unticking everything keeps press releases reviewed.
    manager.client.post("/politique/revue", data={"csrf_token": csrf_of(manager.client)})
    assert author.client.get(f"/resultats/{output_id}/export.md").status_code == 200
    release = _draft(author, "press_release", "Collecte des feuilles le 3 novembre")
    assert author.client.get(f"/resultats/{release}/export.md").status_code == 409
    employee_try = author.client.post(
        "/politique/revue", data={"csrf_token": csrf_of(author.client), "nature": ["draft:memo"]}
    )
    assert employee_try.status_code == 403
