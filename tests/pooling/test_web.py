"""The pooling page: managers only; a pack downloaded by one municipality and uploaded by another
lists what arrived; a damaged file is refused in French; the shared library shows only published
packs, and another municipality's unpublished pack or import is out of reach."""

from __future__ import annotations

import json
import re

from sqlalchemy import Engine

from balise.db import open_session
from balise.pooling import PackImport, SharedPack
from tests.support.web import Member, csrf_of

RULE = "x1-evaluate-people"


def _download(manager: Member, name: str = "Nos règles") -> bytes:
    response = manager.client.post(
        "/gouvernance/mutualisation/exporter",
        data={"csrf_token": csrf_of(manager.client), "name": name, "items": [f"policy_rule:{RULE}"]},
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    return response.content


def _upload(manager: Member, data: bytes):  # type: ignore[no-untyped-def]
    return manager.client.post(
        "/gouvernance/mutualisation/importer",
        data={"csrf_token": csrf_of(manager.client)},
        files={"file": ("paquet.json", data, "application/json")},
    )


def test_only_managers_reach_the_page(make_member) -> None:
    manager: Member = make_member("manager")
    employee = make_member("employee", tenant=manager.tenant)
    page = manager.client.get("/gouvernance/mutualisation").text
    assert "Mutualisation entre municipalités" in page and f"policy_rule:{RULE}" in page
    assert employee.client.get("/gouvernance/mutualisation").status_code == 403


def test_a_file_from_one_municipality_lists_what_arrived_in_another(make_member) -> None:
    first: Member = make_member("manager", name="Ville exportatrice")
    second: Member = make_member("manager", name="Ville importatrice")
    pack = _download(first)
    assert json.loads(pack)["origin"]["municipality"] == "Ville exportatrice"
    arrived = _upload(second, pack)
    assert arrived.status_code == 200 and "Ce qui est arrivé" in arrived.text
    assert "Déjà présent" in arrived.text and "Ville exportatrice" in arrived.text

    refused = _upload(second, pack.replace(b"balise-pack", b"autre-chose"))
    assert refused.status_code == 422
    assert (
        "Ce fichier n’est pas un paquet Balise (son manifeste manque) ; rien n’a été importé." in refused.text
    )
    nothing = _upload(second, b"")
    assert nothing.status_code == 422


def test_the_library_shows_published_packs_only_and_tells_of_a_newer_version(make_member) -> None:
    first: Member = make_member("manager", name="Ville qui partage")
    second: Member = make_member("manager", name="Ville qui reçoit")
    assert "Ville qui partage" not in second.client.get("/gouvernance/mutualisation").text
    published = first.client.post(
        "/gouvernance/mutualisation/publier",
        data={"csrf_token": csrf_of(first.client), "name": "Nos règles", "items": [f"policy_rule:{RULE}"]},
        follow_redirects=False,
    )
    assert published.status_code == 303
    library = second.client.get("/gouvernance/mutualisation").text
    assert "Ville qui partage" in library and "Nos règles" in library
    found = re.search(r"Ville qui partage</td>.*?/bibliotheque/([0-9a-f]+)/importer", library, re.S)
    assert found is not None
    pack_id = found.group(1)
    taken = second.client.post(
        f"/gouvernance/mutualisation/bibliotheque/{pack_id}/importer",
        data={"csrf_token": csrf_of(second.client)},
    )
    assert taken.status_code == 200 and "Ce qui est arrivé" in taken.text
    first.client.post(
        "/gouvernance/mutualisation/publier",
        data={"csrf_token": csrf_of(first.client), "name": "Nos règles", "items": [f"policy_rule:{RULE}"]},
    )
    assert (
        "a publié la version 2 du paquet « Nos règles »"
        in second.client.get("/gouvernance/mutualisation").text
    )
    refused = second.client.post(
        f"/gouvernance/mutualisation/bibliotheque/{pack_id}/retirer",
        data={"csrf_token": csrf_of(second.client)},
    )
    assert refused.status_code == 404


def test_another_municipality_s_unpublished_pack_and_imports_stay_out_of_reach(
    engine: Engine, make_member
) -> None:
    visitor: Member = make_member("manager", name="Ville curieuse")
    owner: Member = make_member("manager", name="Ville discrète")
    with open_session(engine) as session:
        pack = SharedPack(
            publisher_id=owner.tenant.id, name="Brouillon discret", document="{}", published=False
        )
        done = PackImport(
            tenant_id=owner.tenant.id,
            name="Import discret",
            origin_municipality="Origine discrète",
            origin_deployment="",
            sha256="0" * 64,
            outcomes=[],
        )
        session.add_all([pack, done])
        session.commit()
        pack_id, import_id = pack.id, done.id
    page = visitor.client.get("/gouvernance/mutualisation").text
    assert "Brouillon discret" not in page and "Ville discrète" not in page
    assert visitor.client.get(f"/gouvernance/mutualisation/imports/{import_id}").status_code == 404
    csrf = csrf_of(visitor.client)
    for action in ("importer", "retirer"):
        answer = visitor.client.post(
            f"/gouvernance/mutualisation/bibliotheque/{pack_id}/{action}", data={"csrf_token": csrf}
        )
        assert answer.status_code == 404 and "Brouillon discret" not in answer.text
    assert owner.client.get(f"/gouvernance/mutualisation/imports/{import_id}").status_code == 200


def test_a_use_case_card_is_read_by_peers_and_withdrawn_by_its_author_only(make_member) -> None:
    author: Member = make_member("manager", name="Ville qui raconte")
    peer: Member = make_member("manager", name="Ville qui lit")
    missing = author.client.post(
        "/gouvernance/mutualisation/cas-d-usage",
        data={"csrf_token": csrf_of(author.client), "title": "Sans texte"},
    )
    assert missing.status_code == 422 and "a besoin d’un titre et de ce qui a été essayé" in missing.text
    card = {
        "title": "Résumés des procès-verbaux",
        "tried": "Résumer les procès-verbaux du conseil pour le site web.",
        "time_saved": "2 heures par séance",
        "lessons": "Relire chaque résumé avant publication.",
    }
    published = author.client.post(
        "/gouvernance/mutualisation/cas-d-usage",
        data={"csrf_token": csrf_of(author.client), **card},
        follow_redirects=False,
    )
    assert published.status_code == 303
    seen = peer.client.get("/gouvernance/mutualisation").text
    assert (
        "Résumés des procès-verbaux" in seen and "2 heures par séance" in seen and "Ville qui raconte" in seen
    )
    own = author.client.get("/gouvernance/mutualisation").text
    card_id = re.search(r"/cas-d-usage/([0-9a-f]+)/retirer", own).group(1)  # type: ignore[union-attr]
    assert f"/cas-d-usage/{card_id}/retirer" not in seen  # a peer reads, never withdraws
    refused = peer.client.post(
        f"/gouvernance/mutualisation/cas-d-usage/{card_id}/retirer", data={"csrf_token": csrf_of(peer.client)}
    )
    assert refused.status_code == 404
    author.client.post(
        f"/gouvernance/mutualisation/cas-d-usage/{card_id}/retirer",
        data={"csrf_token": csrf_of(author.client)},
    )
    assert "Résumés des procès-verbaux" not in peer.client.get("/gouvernance/mutualisation").text


def test_a_zip_pack_is_downloaded_and_uploaded_like_a_json_one(make_member) -> None:
    first: Member = make_member("manager", name="Ville au zip")
    second: Member = make_member("manager", name="Ville qui dézippe")
    response = first.client.post(
        "/gouvernance/mutualisation/exporter",
        data={
            "csrf_token": csrf_of(first.client),
            "name": "Nos règles",
            "items": [f"policy_rule:{RULE}"],
            "format": "zip",
        },
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert (
        'filename="paquet-' in response.headers["content-disposition"]
        and ".zip" in response.headers["content-disposition"]
    )
    assert response.content.startswith(b"PK")
    arrived = _upload(second, response.content)
    assert arrived.status_code == 200 and "Déjà présent" in arrived.text and "Ville au zip" in arrived.text
    broken = _upload(second, response.content[:300])
    assert broken.status_code == 422 and "Ce fichier .zip ne peut pas être ouvert" in broken.text
