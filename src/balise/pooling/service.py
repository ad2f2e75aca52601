"""Packs between municipalities (G16): export a pack file, import one whole or not at all, publish
it in the deployment's shared library, and read what other municipalities published.

A pack file is JSON, or a .zip of the same (:mod:`balise.pooling.archive`): a manifest (``kind``
« balise-pack », ``version``, the pack's ``name`` and ``pack_version``, its ``origin`` — municipality
and deployment —, ``created_at``) and its ``items``, each with its kind, key, title, content and the
sha256 of its content. Any fault in the file refuses
the whole file in French before anything is added; item by item, an import adds, finds already
present or refuses with the reason, never overwriting. Every state change is audited.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length
from balise.config import get_settings
from balise.db import utcnow
from balise.errors import BaliseError, Invalid, NotFound
from balise.i18n import N_, gettext_
from balise.pooling.archive import ZIP_MAGIC, PackInvalid, from_zip, to_zip
from balise.pooling.kinds import ADDED, KINDS, PRESENT, REFUSED, Offer
from balise.pooling.tables import PackImport, SharedPack
from balise.tenancy import Tenant

PACK_KIND = "balise-pack"
PACK_FORMAT_VERSION = 1
MAX_NAME = 120
MAX_PACK_BYTES = 5_000_000


def digest(content: Any) -> str:
    """The sha256 of an item's content, on its canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def offers(session: Session, tenant: Tenant) -> list[Offer]:
    """Everything the municipality may put in a pack, kind by kind."""
    return [offer for kind in KINDS.values() for offer in kind.offers(session, tenant)]


def pack_of(
    session: Session, tenant: Tenant, name: str, chosen: list[str], *, version: int = 1
) -> dict[str, Any]:
    """The pack of the chosen items (``kind:key``): its manifest and items."""
    name = name.strip()
    if not name:
        raise Invalid("Give the pack a name.")
    check_length(name, MAX_NAME, gettext_(N_("Name")))
    wanted = set(chosen)
    items = [o for o in offers(session, tenant) if f"{o.kind}:{o.key}" in wanted]
    if not items:
        raise Invalid("Choose at least one item to put in the pack.")
    pack = {
        "kind": PACK_KIND,
        "version": PACK_FORMAT_VERSION,
        "name": name,
        "pack_version": version,
        "origin": {"municipality": tenant.name, "deployment": get_settings().base_url},
        "created_at": utcnow().isoformat(timespec="seconds"),
        "items": [
            {
                "kind": o.kind,
                "key": o.key,
                "title": o.title,
                "sha256": digest(o.content),
                "content": o.content,
            }
            for o in items
        ],
    }
    return pack


def build_pack(session: Session, tenant: Tenant, name: str, chosen: list[str], *, version: int = 1) -> str:
    """The pack file of the chosen items, as JSON text."""
    return json.dumps(pack_of(session, tenant, name, chosen, version=version), ensure_ascii=False, indent=2)


def build_zip(session: Session, tenant: Tenant, name: str, chosen: list[str]) -> bytes:
    """The pack file of the chosen items, as a .zip: a manifest and one file per item."""
    return to_zip(pack_of(session, tenant, name, chosen))


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PackInvalid("The pack's manifest has no “{field}”; nothing was imported.", field=field)
    return value.strip()


def read_pack(data: bytes) -> dict[str, Any]:
    """The pack, checked whole: manifest, every item's kind, content and sha256."""
    if len(data) > MAX_PACK_BYTES:
        raise PackInvalid("The file is larger than 5 MB; nothing was imported.")
    if data.startswith(ZIP_MAGIC):
        pack = from_zip(data)
    else:
        try:
            pack = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PackInvalid(
                "This file is not a Balise pack (neither JSON text nor a .zip); nothing was imported."
            ) from exc
    if not isinstance(pack, dict) or pack.get("kind") != PACK_KIND:
        raise PackInvalid("This file is not a Balise pack (its manifest is missing); nothing was imported.")
    if pack.get("version") != PACK_FORMAT_VERSION:
        raise PackInvalid("This pack's format version is not supported; nothing was imported.")
    _text(pack.get("name"), "name")
    origin = pack.get("origin")
    if not isinstance(origin, dict):
        raise PackInvalid("The pack's manifest has no “{field}”; nothing was imported.", field="origin")
    _text(origin.get("municipality"), "origin.municipality")
    if not isinstance(pack.get("pack_version"), int) or isinstance(pack.get("pack_version"), bool):
        raise PackInvalid("The pack's manifest has no “{field}”; nothing was imported.", field="pack_version")
    items = pack.get("items")
    if not isinstance(items, list) or not items:
        raise PackInvalid("The pack holds no item; nothing was imported.")
    for number, item in enumerate(items, start=1):
        if (
            not isinstance(item, dict)
            or item.get("kind") not in KINDS
            or not isinstance(item.get("content"), dict)
        ):
            raise PackInvalid(
                "Item {number} of the pack is of a kind Balise does not know; nothing was imported.",
                number=number,
            )
        if item.get("sha256") != digest(item["content"]):
            raise PackInvalid(
                "Item {number} of the pack was altered (its sha256 does not match); nothing was imported.",
                number=number,
            )
        try:
            KINDS[item["kind"]].check(item["content"])
        except BaliseError as exc:
            raise PackInvalid(
                "Item {number} of the pack cannot be read ({reason}); nothing was imported.",
                number=number,
                reason=exc.localized(),
            ) from exc
    return pack


def import_pack(
    session: Session, tenant: Tenant, data: bytes, *, actor: str, shared_pack_id: str = ""
) -> PackImport:
    """Imports a pack file: checked whole first, then each item added, found present or refused."""
    pack = read_pack(data)
    outcomes = []
    for item in pack["items"]:
        status, reason = KINDS[item["kind"]].add(session, tenant, item["content"], actor)
        outcomes.append(
            {
                "kind": item["kind"],
                "title": str(item.get("title") or item.get("key") or ""),
                "status": status,
                "reason": reason,
            }
        )
    row = PackImport(
        tenant_id=tenant.id,
        name=pack["name"].strip()[:MAX_NAME],
        version=pack["pack_version"],
        origin_municipality=pack["origin"]["municipality"].strip()[:200],
        origin_deployment=str(pack["origin"].get("deployment") or "")[:300],
        shared_pack_id=shared_pack_id,
        sha256=hashlib.sha256(data).hexdigest(),
        outcomes=outcomes,
        imported_by=actor,
    )
    session.add(row)
    session.flush()
    counts = {s: sum(1 for o in outcomes if o["status"] == s) for s in (ADDED, PRESENT, REFUSED)}
    audit.record(
        session,
        "pooling.imported",
        actor=actor,
        tenant_id=tenant.id,
        target_type="pack_import",
        target_id=row.id,
        details={"version": row.version, "shared": bool(shared_pack_id), **counts},
    )
    return row


def get_import(session: Session, import_id: str) -> PackImport:
    found = session.scalar(select(PackImport).where(PackImport.id == import_id))
    if found is None:
        raise NotFound("This import does not exist in this municipality.")
    return found


def imports(session: Session) -> list[PackImport]:
    """The municipality's imports, newest first: where each pack came from."""
    return list(session.scalars(select(PackImport).order_by(PackImport.imported_at.desc()).limit(100)))


def publish(session: Session, tenant: Tenant, name: str, chosen: list[str], *, actor: str) -> SharedPack:
    """Publishes the chosen items in the shared library; publishing a name again raises its version,
    and the municipalities that imported it are told."""
    existing = session.scalar(
        select(SharedPack).where(SharedPack.publisher_id == tenant.id, SharedPack.name == name.strip())
    )
    version = existing.version + 1 if existing else 1
    document = build_pack(session, tenant, name, chosen, version=version)
    if existing is None:
        existing = SharedPack(publisher_id=tenant.id, name=name.strip(), version=version, document=document)
        session.add(existing)
    else:
        existing.version, existing.document, existing.published = version, document, True
        existing.published_at = utcnow()
    session.flush()
    audit.record(
        session,
        "pooling.published",
        actor=actor,
        tenant_id=tenant.id,
        target_type="shared_pack",
        target_id=existing.id,
        details={"version": version, "count": len(json.loads(document)["items"])},
    )
    return existing


def own_pack(session: Session, tenant: Tenant, pack_id: str) -> SharedPack:
    found = session.scalar(
        select(SharedPack).where(SharedPack.id == pack_id, SharedPack.publisher_id == tenant.id)
    )
    if found is None:
        raise NotFound("This pack does not exist in the shared library, or it is not yours.")
    return found


def withdraw(session: Session, tenant: Tenant, pack_id: str, *, actor: str) -> SharedPack:
    """Stops sharing a pack; what others already imported stays theirs."""
    pack = own_pack(session, tenant, pack_id)
    pack.published = False
    audit.record(
        session,
        "pooling.withdrawn",
        actor=actor,
        tenant_id=tenant.id,
        target_type="shared_pack",
        target_id=pack.id,
        details={"version": pack.version},
    )
    return pack


def published_packs(session: Session, tenant: Tenant) -> list[SharedPack]:
    """The municipality's own packs in the library, published or withdrawn."""
    return list(
        session.scalars(
            select(SharedPack).where(SharedPack.publisher_id == tenant.id).order_by(SharedPack.name)
        )
    )


@dataclass(frozen=True)
class LibraryEntry:
    pack: SharedPack
    publisher: str
    items: list[dict[str, str]]
    imported_version: int | None
    """The version this municipality imported last, None when never."""

    @property
    def newer(self) -> bool:
        return self.imported_version is not None and self.imported_version < self.pack.version


def library(session: Session, tenant: Tenant) -> list[LibraryEntry]:
    """What other municipalities of the deployment published, read-only, with the version this one
    imported."""
    rows = session.execute(
        select(SharedPack, Tenant.name)
        .join(Tenant, Tenant.id == SharedPack.publisher_id)
        .where(SharedPack.published.is_(True), SharedPack.publisher_id != tenant.id)
        .order_by(Tenant.name, SharedPack.name)
    ).all()
    imported = dict(
        session.execute(
            select(PackImport.shared_pack_id, func.max(PackImport.version))
            .where(PackImport.shared_pack_id != "")
            .group_by(PackImport.shared_pack_id)
        )
        .tuples()
        .all()
    )
    return [
        LibraryEntry(
            pack,
            publisher,
            [{"kind": i["kind"], "title": i["title"]} for i in json.loads(pack.document)["items"]],
            imported.get(pack.id),
        )
        for pack, publisher in rows
    ]


def shared_pack(session: Session, tenant: Tenant, pack_id: str) -> SharedPack:
    """Another municipality's published pack; anything else is as if it did not exist."""
    found = session.scalar(
        select(SharedPack).where(
            SharedPack.id == pack_id, SharedPack.published.is_(True), SharedPack.publisher_id != tenant.id
        )
    )
    if found is None:
        raise NotFound("This pack is not published in the shared library.")
    return found


def import_shared(session: Session, tenant: Tenant, pack_id: str, *, actor: str) -> PackImport:
    """Imports (and so subscribes to) a published pack of another municipality."""
    pack = shared_pack(session, tenant, pack_id)
    return import_pack(session, tenant, pack.document.encode(), actor=actor, shared_pack_id=pack.id)


def kind_label(kind: str) -> str:
    return gettext_(KINDS[kind].label) if kind in KINDS else kind
