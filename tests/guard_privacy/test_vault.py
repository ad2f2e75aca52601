"""Per-tenant settings and the encrypted placeholder vault, on the real database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, text

from balise.audit.models import AuditEntry
from balise.db import tenant_session, utcnow
from balise.errors import Invalid
from balise.guard.privacy import (
    PlaceholderMap,
    PrivacySettings,
    VaultUnreadable,
    load_placeholders,
    load_settings,
    purge_expired,
    save_placeholders,
    save_settings,
)
from balise.guard.privacy.models import PlaceholderVaultEntry
from balise.tenancy.models import Tenant

SECRET_VALUES = {"[PERSONNE_1]": "Geneviève Bouchard", "[NAS_1]": "130 692 544"}


def test_settings_default_then_saved_and_audited(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        assert load_settings(session, tenant.id) == PrivacySettings()
        chosen = PrivacySettings(
            labels=frozenset({"PERSON", "EMAIL"}),
            deny_terms=("Projet Alpha", " "),
            allow_terms=("Bruno Marchand",),
            retention_days=7,
        )
        save_settings(session, tenant.id, chosen, actor="user-1")
        session.commit()
    with tenant_session(tenant.id, engine) as session:
        assert load_settings(session, tenant.id) == chosen
        assert chosen.deny_terms == ("Projet Alpha",)
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.tenant_id == tenant.id, AuditEntry.action == "privacy.settings_saved"
            )
        ).one()
        assert entry.details == {
            "labels": ["EMAIL", "PERSON"],
            "deny_terms": 1,
            "allow_terms": 1,
            "retention_days": 7,
        }


@pytest.mark.parametrize("fields", [{"labels": frozenset({"NAME"})}, {"retention_days": 0}])
def test_invalid_settings_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(Invalid):
        PrivacySettings(**fields)  # type: ignore[arg-type]


def test_vault_round_trip_never_stores_plaintext(
    engine: Engine, make_tenant: Callable[..., Tenant], secret_key: str
) -> None:
    tenant, other = make_tenant(), make_tenant()
    with tenant_session(tenant.id, engine) as session:
        save_placeholders(session, tenant.id, "conv-1", PlaceholderMap(dict(SECRET_VALUES)))
        session.commit()
    with engine.connect() as connection:
        raw = connection.execute(
            text("SELECT nonce, ciphertext FROM privacy_vault WHERE tenant_id = :t"), {"t": tenant.id}
        ).one()
    stored = bytes(raw.nonce) + bytes(raw.ciphertext)
    for value in SECRET_VALUES.values():
        assert value.encode() not in stored
        assert value.encode("utf-16-le") not in stored
    with tenant_session(tenant.id, engine) as session:
        assert load_placeholders(session, tenant.id, "conv-1").to_dict() == SECRET_VALUES
    with tenant_session(other.id, engine) as session:
        assert load_placeholders(session, other.id, "conv-1").to_dict() == {}


def test_a_row_moved_to_another_conversation_does_not_decrypt(
    engine: Engine, make_tenant: Callable[..., Tenant], secret_key: str
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        save_placeholders(session, tenant.id, "conv-a", PlaceholderMap(dict(SECRET_VALUES)))
        session.flush()
        session.scalars(select(PlaceholderVaultEntry)).one().conversation_id = "conv-b"
        session.commit()
    with tenant_session(tenant.id, engine) as session, pytest.raises(VaultUnreadable):
        load_placeholders(session, tenant.id, "conv-b")


def test_retention_period_then_purge(
    engine: Engine, make_tenant: Callable[..., Tenant], secret_key: str
) -> None:
    tenant = make_tenant()
    now = utcnow()
    with tenant_session(tenant.id, engine) as session:
        save_settings(session, tenant.id, PrivacySettings(retention_days=2))
        expires = save_placeholders(
            session, tenant.id, "conv-1", PlaceholderMap(dict(SECRET_VALUES)), now=now
        )
        session.commit()
    assert expires == now + timedelta(days=2)
    with tenant_session(tenant.id, engine) as session:
        assert load_placeholders(session, tenant.id, "conv-1", now=now + timedelta(days=1)).to_dict()
        assert load_placeholders(session, tenant.id, "conv-1", now=now + timedelta(days=3)).to_dict() == {}
        assert purge_expired(session, now + timedelta(days=1)) == 0
        assert purge_expired(session, now + timedelta(days=3)) == 1
        session.commit()
        assert session.scalars(select(PlaceholderVaultEntry)).all() == []
