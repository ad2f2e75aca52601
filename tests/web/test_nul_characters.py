"""A NUL character (0x00) in a query or a form: PostgreSQL cannot store it, so the person is told
to remove it (400) on either database, instead of a server error (the schema fuzzer found it)."""

from __future__ import annotations

from tests.support.web import Member, csrf_of


def test_a_nul_in_a_search_is_the_persons_to_remove(make_member) -> None:  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    response = admin.client.get("/documents?q=permis%00arbre")
    assert response.status_code in (200, 400)  # SQLite stores and searches it; PostgreSQL refuses it
    if response.status_code == 400:
        assert "caractère nul (0x00)" in response.text


def test_a_nul_in_a_form_records_nothing(make_member, db_kind) -> None:  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    data = {
        "csrf_token": csrf_of(admin.client),
        "name": "Robot\x00 de tri",
        "purpose": "Trier le courrier.",
        "status": "planned",
        "hosting": "canada",
    }
    response = admin.client.post("/gouvernance/registre/nouveau", data=data, follow_redirects=False)
    if db_kind == "postgresql":
        assert response.status_code == 400
        assert "caractère nul (0x00)" in response.text and "rien n’a été enregistré" in response.text
        assert "Robot" not in admin.client.get("/gouvernance/registre").text
    else:
        assert response.status_code == 303
