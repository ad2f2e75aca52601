"""The summary's document picker: grouped by classification, filtered on the server without JavaScript."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from sqlalchemy import Engine

from balise.db import limit_clearance, tenant_session
from balise.documents.picker import pick_documents
from balise.tenancy import visible_classifications
from tests.support.web import Member


def _titles(page: str) -> list[str]:
    found = re.findall(r'name="document_ids" value="[0-9a-f]+"\s*>([^<]+)</label>', page)
    return [html.unescape(title).strip() for title in found]


def test_the_picker_groups_by_classification_within_the_readers_clearance(
    member_of: Callable[..., Member],
):
    employee = member_of("employee")
    page = employee.client.get("/assistant/resume")
    assert page.status_code == 200
    legends = re.findall(r'<fieldset class="document-group" data-group>\s*<legend>([^<]+)<', page.text)
    assert [legend.strip() for legend in legends] == ["Public", "Interne"]
    assert _titles(page.text) == ["Collecte des ordures", "Règlement sur l'arrosage"]
    assert "2 documents affichés sur 2" in page.text


def test_the_filter_works_without_javascript_and_folds_accents(member_of: Callable[..., Member]):
    employee = member_of("employee")
    page = employee.client.get("/assistant/resume", params={"filtre": "REGLEMENT arrosage"})
    assert _titles(page.text) == ["Règlement sur l'arrosage"]
    assert "1 documents affichés sur 2" in page.text
    assert 'value="REGLEMENT arrosage"' in page.text and 'href="/assistant/resume"' in page.text
    nothing = employee.client.get("/assistant/resume", params={"filtre": "budget 1987"})
    assert _titles(nothing.text) == []
    assert re.search(r'<p id="document-none"\s*>Aucun document ne correspond', nothing.text)


def test_a_ticked_document_stays_listed_whatever_the_filter(library: Member, engine: Engine):
    with tenant_session(library.tenant.id, engine) as session:
        limit_clearance(session, visible_classifications("employee"))
        everything = pick_documents(session)
        listed = [d for g in everything.groups for d in g.documents]
        waste = next(d.id for d in listed if d.title == "Collecte des ordures")
        picker = pick_documents(session, "arrosage", keep=[waste])
    assert [d.title for g in picker.groups for d in g.documents] == [
        "Collecte des ordures",
        "Règlement sur l'arrosage",
    ]
    assert (picker.shown, picker.total) == (2, 2)
