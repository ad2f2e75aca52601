"""Tenant-B objects for the path parameters of the document library and the model registry pages."""

from balise.documents import submit_files
from balise.gateway import register_backend
from tests.tenancy.isolation import Factory


def _document(session, tenant, user) -> str:  # type: ignore[no-untyped-def]
    """An empty file: recorded as failed with no ingestion job, so no worker ever touches tenant B."""
    (document,) = submit_files(
        session, tenant.id, [("dossier-secret-de-B.md", b"")], classification="public", uploaded_by=user.id
    )
    return document.id


def _backend(session, tenant, user) -> str:  # type: ignore[no-untyped-def]
    backend = register_backend(
        session,
        tenant.id,
        name="modele-secret-de-B",
        endpoint="http://127.0.0.1:9/v1",
        model="m",
        hosting="quebec",
    )
    return backend.id


FACTORIES: dict[str, Factory] = {"document_id": _document, "backend_id": _backend}
