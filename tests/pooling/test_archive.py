"""Packs as .zip files: the same pack as JSON, read back whole, and every unsafe .zip refused in French
before anything is imported — a zip bomb, too many files, a path leaving the pack, a missing file."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from balise import pooling
from balise.db import tenant_session
from balise.guard.policy import load_policy
from balise.i18n import use_locale
from balise.pooling import archive
from balise.tenancy import Tenant


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as made:
        for name, data in files.items():
            made.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def pack_zip(engine: Engine, make_tenant: Callable[..., Tenant]) -> tuple[bytes, Tenant]:
    first, second = make_tenant("Ville au .zip"), make_tenant("Ville qui dézippe")
    with tenant_session(first.id, engine) as session:
        town = session.merge(first)
        chosen = [f"{o.kind}:{o.key}" for o in pooling.offers(session, town) if o.kind == "policy_rule"][:2]
        return pooling.build_zip(session, town, "Règles", chosen), second


def test_a_zip_pack_holds_a_manifest_and_one_file_per_item_and_imports(engine: Engine, pack_zip) -> None:  # type: ignore[no-untyped-def]
    data, second = pack_zip
    with zipfile.ZipFile(io.BytesIO(data)) as read:
        names = read.namelist()
        manifest = json.loads(read.read("manifest.json"))
    assert names[-1] == "manifest.json" and len(names) == 3
    assert all("content" not in item and item["file"] in names for item in manifest["items"])
    with tenant_session(second.id, engine) as session:
        done = pooling.import_pack(session, session.merge(second), data, actor="u2")
        assert [o["status"] for o in done.outcomes] == ["present", "present"]  # built-in rules


def _member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as read:
        return read.read(name)


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda files: {**files, "../../etc/passwd": b"x"}, "un chemin hors du paquet"),
        (lambda files: {**files, "/absolu.json": b"x"}, "un chemin hors du paquet"),
        (lambda files: {**files, "bombe.txt": b"0" * (archive.MAX_UNZIPPED + 1)}, "dépasse 20 Mo"),
        (lambda files: {**files, **{f"f{n}": b"" for n in range(archive.MAX_MEMBERS)}}, "plus de 1"),
        (lambda files: {k: v for k, v in files.items() if k != "manifest.json"}, "pas de manifest.json"),
        (lambda files: {k: v for k, v in files.items() if not k.startswith("items/001")}, "pas de fichier"),
        (lambda files: {**files, "items/001-policy_rule.json": b"{pas du json"}, "pas du texte JSON"),
        (lambda files: {**files, "items/001-policy_rule.json": b'{"id": "autre"}'}, "sha256"),
    ],
)
def test_an_unsafe_or_damaged_zip_is_refused_whole_in_french(
    engine: Engine, pack_zip, spoil, message
) -> None:  # type: ignore[no-untyped-def]
    data, second = pack_zip
    with zipfile.ZipFile(io.BytesIO(data)) as read:
        files = {name: read.read(name) for name in read.namelist()}
    spoiled = _zip(spoil(files))
    assert len(spoiled) < pooling.MAX_PACK_BYTES  # the bomb is small once compressed
    with tenant_session(second.id, engine) as session, use_locale("fr"):
        before = load_policy(session, second.id)
        with pytest.raises(pooling.PackInvalid) as refused:
            pooling.import_pack(session, session.merge(second), spoiled, actor="u2")
        assert message in refused.value.localized()
        assert pooling.imports(session) == [] and load_policy(session, second.id) == before


def test_a_truncated_zip_is_refused(engine: Engine, pack_zip) -> None:  # type: ignore[no-untyped-def]
    data, second = pack_zip
    with (
        tenant_session(second.id, engine) as session,
        use_locale("fr"),
        pytest.raises(pooling.PackInvalid) as refused,
    ):
        pooling.import_pack(session, session.merge(second), data[:100], actor="u2")
    assert "ne peut pas être ouvert" in refused.value.localized()
