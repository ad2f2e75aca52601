"""U8, U9, D2 and L3 on the conformity view: from the demo's examples, then from real servers."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select

from balise.db import tenant_session
from balise.governance import AISystem, sync_register
from balise.governance.conformity import evaluate
from balise.governance.evidence import gather
from balise.i18n import use_locale
from balise.media import GeneratedImage
from balise.media.demo import ensure_demo_image, ensure_demo_recording
from balise.media.images import ImageRequest, generate
from balise.media.provenance import read_provenance
from balise.tenancy import Tenant
from tests.media.conftest import register_media
from tests.support.media_server import MediaServer


def _rows(engine: Engine, tenant: Tenant) -> dict[str, tuple[str, str]]:
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        return {row.id: (row.status, row.evidence) for row in evaluate(gather(session, tenant))}


def test_the_demo_examples_show_u8_and_u9_built_and_real_servers_put_them_in_place(
    engine: Engine, make_tenant: Callable[..., Tenant], media_server: MediaServer
) -> None:
    tenant = make_tenant()
    assert _rows(engine, tenant)["U8"][0] == "missing"
    with tenant_session(tenant.id, engine) as session:
        ensure_demo_image(session, tenant)
        assert ensure_demo_recording(session, tenant)
        ensure_demo_image(session, tenant)  # idempotent
        assert ensure_demo_recording(session, tenant) == ""
        session.commit()
        example = session.query(GeneratedImage).filter_by(tenant_id=tenant.id).one()
        seen = read_provenance(example.data)
        assert (seen.state, seen.ai_generated, seen.algorithmic) == ("valid", False, True)
    rows = _rows(engine, tenant)
    assert rows["U8"][0] == rows["U9"][0] == "attention"
    assert "exemple" in rows["U8"][1] and "exemple" in rows["U9"][1]
    assert "1 des 1 plus récentes" in rows["D2"][1] and "C2PA" in rows["L3"][1]

    register_media(engine, tenant, media_server, "openai-transcription")
    register_media(engine, tenant, media_server, "openai-images", max_classification="public")
    with tenant_session(tenant.id, engine) as session:
        request = ImageRequest(
            prompt="Une affiche d’un marché public.", backend="openai-images", size="256x256"
        )
        generate(session, tenant, request, user_id=None)
        session.commit()
    rows = _rows(engine, tenant)
    assert rows["U8"][0] == rows["U9"][0] == "in_place"
    with tenant_session(tenant.id, engine) as session:
        sync_register(session, tenant)
        keys = set(session.scalars(select(AISystem.key).where(AISystem.tenant_id == tenant.id)))
    assert {"task:transcription", "task:images", "model:openai-transcription", "model:openai-images"} <= keys
    assert "2 portent un manifeste C2PA valide" in rows["U9"][1]
