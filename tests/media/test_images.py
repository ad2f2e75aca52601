"""U9: images from a loopback server speaking ``/v1/images/generations``, refused prompts (X2, D4, D3),
and content credentials (C2PA, IPTC XMP) read back and validated by ``c2pa-python``."""

from __future__ import annotations

import io
from collections.abc import Callable

import c2pa
import pytest
from PIL import Image
from sqlalchemy import Engine, select

from balise.audit.models import AuditEntry
from balise.db import tenant_session
from balise.gateway import ModelUsage, NoAllowedBackend
from balise.i18n import use_locale
from balise.media.images import ImageRefused, ImageRequest, generate
from balise.media.provenance import TRAINED_ALGORITHMIC_MEDIA, manifest_json, read_provenance
from balise.tenancy import Tenant
from tests.media.conftest import register_media
from tests.support.media_server import MediaServer

POSTER = "Une affiche colorée d'une piscine municipale au soleil, avec des enfants anonymes qui jouent."


def _generate(engine: Engine, tenant: Tenant, prompt: str, **fields: object) -> bytes:
    with tenant_session(tenant.id, engine) as session:
        request = ImageRequest(prompt=prompt, backend="openai-images", size="256x256", **fields)  # type: ignore[arg-type]
        image = generate(session, tenant, request, user_id=None)
        session.commit()
        return image.data


def test_a_generated_image_carries_a_valid_c2pa_manifest_and_iptc_xmp(
    engine: Engine, make_tenant: Callable[..., Tenant], media_server: MediaServer
) -> None:
    tenant = make_tenant(name="Ville de Saint-Exemple")
    register_media(engine, tenant, media_server, "openai-images", max_classification="public")
    data = _generate(engine, tenant, POSTER)
    assert media_server.prompts == [" ".join(POSTER.split())]

    with c2pa.Reader("image/png", io.BytesIO(data)) as reader:
        results = reader.get_validation_results() or {}
        manifest = reader.get_active_manifest() or {}
    failures = {f["code"] for f in results["activeManifest"].get("failure", [])}
    assert failures <= {"signingCredential.untrusted"}  # self-signed: valid, trusted by no one else
    assert "claimSignature.validated" in {s["code"] for s in results["activeManifest"]["success"]}
    actions = [
        a
        for x in manifest["assertions"]
        if x["label"].startswith("c2pa.actions")
        for a in x["data"]["actions"]
    ]
    assert actions == [
        {
            "action": "c2pa.created",
            "softwareAgent": {"name": "Balise"},
            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
        }
    ]
    assert manifest["signature_info"]["issuer"] == "Ville de Saint-Exemple"
    assert manifest_json(data, "image/png")["active_manifest"] == manifest["label"]
    image = Image.open(io.BytesIO(data))
    assert TRAINED_ALGORITHMIC_MEDIA in image.info["XML:com.adobe.xmp"]
    # The visible caption: the foot of the image is the black band the server did not draw.
    assert image.convert("RGB").getpixel((1, image.height - 2)) == (0, 0, 0)

    seen = read_provenance(data)
    assert (seen.state, seen.ai_generated, seen.xmp_ai, seen.untrusted) == ("valid", True, True, True)
    with tenant_session(tenant.id, engine) as session:
        usage = session.scalars(select(ModelUsage).where(ModelUsage.tenant_id == tenant.id)).one()
        assert (usage.kind, usage.outcome, usage.tool) == ("image", "ok", "images")
        actions_logged = set(
            session.scalars(select(AuditEntry.action).where(AuditEntry.tenant_id == tenant.id))
        )
        assert {"media.image_generated", "media.certificate_created"} <= actions_logged


def test_a_changed_image_no_longer_validates_and_a_plain_one_has_none(
    engine: Engine, make_tenant: Callable[..., Tenant], media_server: MediaServer
) -> None:
    tenant = make_tenant()
    register_media(engine, tenant, media_server, "openai-images", max_classification="public")
    data = _generate(engine, tenant, POSTER, caption=False)
    image = Image.open(io.BytesIO(data))
    assert image.convert("RGB").getpixel((1, image.height - 2)) != (0, 0, 0)
    marker = data.index(b"IDAT") + 8
    tampered = data[:marker] + bytes([data[marker] ^ 0xFF]) + data[marker + 1 :]
    assert read_provenance(tampered).state == "invalid"
    plain = io.BytesIO()
    Image.new("RGB", (32, 32), "white").save(plain, "PNG")
    assert read_provenance(plain.getvalue()).state == "none"
    with pytest.raises(ValueError):
        read_provenance(b"not an image at all")


@pytest.mark.parametrize(
    ("prompt", "requirement", "french"),
    [
        (
            "Une photo réaliste de Valérie Plante qui coupe le ruban de la nouvelle piscine.",
            "X2",
            "personne réelle",
        ),
        ("Génère une image du maire en train d'inaugurer l'aréna.", "X2", "personne réelle"),
        ("Reprends les photos trouvées sur Google d'un photographe pour notre affiche.", "D4", "droit d"),
        (
            "Une affiche qui invite à écrire à marc.dupuis@courriel.ca ou au 514-555-0199.",
            "D3",
            "renseignements personnels",
        ),
    ],
)
def test_prompts_about_real_people_protected_works_or_personal_information_are_refused(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    media_server: MediaServer,
    prompt: str,
    requirement: str,
    french: str,
) -> None:
    tenant = make_tenant()
    register_media(engine, tenant, media_server, "openai-images", max_classification="public")
    with use_locale("fr"), pytest.raises(ImageRefused) as refused:
        _generate(engine, tenant, prompt)
    assert refused.value.requirement == requirement
    with use_locale("fr"):
        assert french in refused.value.localized()
    assert not media_server.prompts
    with tenant_session(tenant.id, engine) as session:
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "media.image_refused", AuditEntry.tenant_id == tenant.id
            )
        ).one()
        assert entry.details["requirement"] == requirement


def test_an_image_server_not_approved_for_the_prompt_is_not_asked(
    engine: Engine, make_tenant: Callable[..., Tenant], media_server: MediaServer
) -> None:
    tenant = make_tenant()
    register_media(engine, tenant, media_server, "openai-images", max_classification="public")
    with pytest.raises(NoAllowedBackend):
        _generate(engine, tenant, POSTER, classification="internal")
    assert not media_server.prompts
