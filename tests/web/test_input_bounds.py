"""Out-of-range numbers are answered in French (422, or the form again), never with a 500."""

from __future__ import annotations

from balise.bounds import whole_number
from tests.support.web import Member, csrf_of


def test_whole_numbers_are_ascii_and_bounded() -> None:
    assert whole_number("12", maximum=100) == 12 and whole_number(" 1 000 ", maximum=10_000) == 1000
    assert whole_number("²", maximum=100) is None and whole_number("١٢", maximum=100) is None
    assert whole_number("1" + "0" * 30, maximum=10**9) is None and whole_number("-1", maximum=5) is None
    assert whole_number("0", minimum=1, maximum=5) is None


def test_incident_people_affected_out_of_range_comes_back_in_the_form(make_member) -> None:  # type: ignore[no-untyped-def]
    officer: Member = make_member("privacy_officer")
    for people in ("1" + "0" * 30, "²"):
        response = officer.client.post(
            "/gouvernance/incidents/nouveau",
            data={
                "csrf_token": csrf_of(officer.client),
                "circumstances": "Courriel envoyé au mauvais destinataire.",
                "people_affected": people,
            },
        )
        assert response.status_code == 422, people
        assert "nombre entier entre 0 et" in response.text, people
        assert "Courriel envoyé au mauvais destinataire." in response.text  # nothing lost


def test_huge_page_numbers_are_refused_not_crashed(make_member) -> None:  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    huge = str(10**25)
    for path in (f"/documents?page={huge}", f"/documents/inconnu?passages={huge}", f"/journal?page={huge}"):
        response = admin.client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 422, path
        assert "Des informations manquent ou sont invalides" in response.text, path
    assert admin.client.get("/documents?page=2").status_code == 200


def test_retention_days_in_unicode_digits_are_refused(make_member) -> None:  # type: ignore[no-untyped-def]
    admin: Member = make_member("admin")
    response = admin.client.post(
        "/assistant/conservation", data={"csrf_token": csrf_of(admin.client), "days": "²"}
    )
    assert response.status_code == 422 and "nombre de jours" in response.text
