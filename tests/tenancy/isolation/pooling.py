"""Tenant-B objects for pooling's path parameters (issue 24): an import of B, and a pack B keeps
unpublished, which no other municipality may see, import or withdraw."""

from __future__ import annotations

from sqlalchemy.orm import Session

from balise.pooling import PackImport, SharedPack
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _import(session: Session, tenant: Tenant, user: User) -> str:
    done = PackImport(
        tenant_id=tenant.id,
        name="Paquet secret de B",
        origin_municipality="Origine secrète de B",
        origin_deployment="",
        sha256="0" * 64,
        outcomes=[{"kind": "policy_rule", "title": "regle-secrete-b", "status": "added", "reason": ""}],
        imported_by=user.id,
    )
    session.add(done)
    session.flush()
    return done.id


def _pack(session: Session, tenant: Tenant, user: User) -> str:
    pack = SharedPack(publisher_id=tenant.id, name="Brouillon secret de B", document="{}", published=False)
    session.add(pack)
    session.flush()
    return pack.id


FACTORIES: dict[str, Factory] = {"import_id": _import, "pack_id": _pack}
