"""The AI-use mention and provenance: French by default, per-tenant template, reviewer responsibility."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from balise.errors import Invalid
from balise.review import (
    DIGITAL_SOURCE_TYPE,
    Output,
    build_disclosure,
    check_template,
    disclosure_for,
    notice_text,
)
from balise.tenancy import Tenant

AT = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def test_default_mention_is_french_with_model_and_date():
    tenant = Tenant(slug="ville", name="Ville", locale="fr", settings={})
    disclosure = build_disclosure(tenant, model="mistral-small", backend_kind="openai", at=AT)
    assert (
        disclosure.text
        == "Texte produit avec l’aide de l’IA générative (modèle mistral-small, le 22 novembre 2026)."
    )
    assert disclosure.provenance["digital_source_type"] == DIGITAL_SOURCE_TYPE
    assert disclosure.provenance["ai_generated"] is True
    assert disclosure.provenance["reviewed_by"] is None
    assert disclosure.provenance["tenant"] == "ville"


def test_reviewer_name_is_added_and_english_tenants_get_english():
    tenant = Tenant(slug="town", name="Town", locale="en", settings={})
    disclosure = build_disclosure(
        tenant,
        model="m",
        backend_kind="generative",
        at=AT,
        reviewed_by="Rémi",
        output_id="o1",
        review_status="approved",
    )
    assert disclosure.text == (
        "Text produced with the help of generative AI (model m, on November 22, 2026). "
        "Reviewed and approved by Rémi."
    )
    assert disclosure.provenance["output_id"] == "o1" and disclosure.provenance["review_status"] == "approved"


def test_a_tenant_template_replaces_the_default():
    tenant = Tenant(
        slug="v",
        name="Ville de Lévis",
        locale="fr",
        settings={"disclosure_template": "IA ({model}) — {tenant}, {date}."},
    )
    text = build_disclosure(tenant, model="m", backend_kind="k", at=AT, reviewed_by="Ana").text
    assert text == "IA (m) — Ville de Lévis, 22 novembre 2026. Révisé et approuvé par Ana."


@pytest.mark.parametrize("template", ["", "Avec {modele}.", "Accolade {model", "x" * 501])
def test_bad_templates_are_refused(template):
    with pytest.raises(Invalid):
        check_template(template)


def test_the_notice_covers_every_element_of_section_65_2_in_both_languages():
    fields = {
        "information_used": "Revenu déclaré",
        "main_factors": "Barème 2026",
        "contact": "Guichet, poste 2",
    }
    french, english = notice_text(fields, "fr"), notice_text(fields, "en")
    for expected in (
        "art. 65.2",
        "Revenu déclaré",
        "Barème 2026",
        "faire rectifier",
        "présenter vos observations",
        "Guichet, poste 2",
    ):
        assert expected in french
    for expected in (
        "s. 65.2",
        "Personal information used",
        "main factors",
        "corrected",
        "submit your observations",
    ):
        assert expected in english


@pytest.mark.parametrize(
    ("provenance", "origin", "starts"),
    [
        ({"task": "revise", "backend": "extractive"}, "revision_rules", "Texte révisé par Balise"),
        ({"task": "draft", "backend": "template"}, "template", "Modèle à compléter"),
        ({"task": "summarise", "backend": "extractive", "sources": []}, "text_extract", "Texte composé"),
        ({"task": "ask", "backend": "extractive"}, "extract", "Texte composé par Balise d’extraits"),
        ({"task": "ask", "backend": "generative", "model": "m"}, "generative", "Avis IA (m)"),
    ],
)
def test_outputs_saved_before_the_origin_was_recorded_read_from_their_task_and_backend(
    provenance: dict[str, object], origin: str, starts: str
):
    tenant = Tenant(
        slug="ville", name="Ville", locale="fr", settings={"disclosure_template": "Avis IA ({model})."}
    )
    output = Output(
        id="o1",
        tenant_id="t",
        author_id="a",
        task=str(provenance["task"]),
        text="Texte.",
        provenance={**provenance, "date": "2026-11-20T10:00:00+00:00"},
        status="draft",
    )
    disclosure = disclosure_for(tenant, output)
    assert disclosure.provenance["origin"] == origin
    # The municipality's own (AI) wording replaces only the mention of a model's text.
    assert disclosure.text.startswith(starts)
    assert disclosure.provenance["ai_generated"] is (origin == "generative")
