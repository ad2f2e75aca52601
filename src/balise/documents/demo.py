"""The demo library of the fictional town of Saint-Balise, loaded by ``balise demo``.

Its files cover every format and classification, and carry fictional personal information (the
confidential file note, the HR procedure, the e-mail) so that the privacy guard has work to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from balise.documents.models import Classification, Document
from balise.documents.service import submit_files

LIBRARY = Path(__file__).parent / "demo_library"
SOURCE_PREFIX = "demo/"


@dataclass(frozen=True)
class DemoFile:
    filename: str
    classification: Classification
    owner_service: str
    third_party_copyright: bool = False


DEMO_FILES = (
    DemoFile("faq-citoyens.md", Classification.PUBLIC, "Service aux citoyens"),
    DemoFile("reglement-2024-12-arrosage.docx", Classification.PUBLIC, "Travaux publics"),
    DemoFile("reglement-2023-07-nuisances.odt", Classification.PUBLIC, "Greffe"),
    DemoFile("reglement-2025-03-permis-renovation.pdf", Classification.PUBLIC, "Urbanisme"),
    DemoFile("proces-verbal-conseil-2025-10-14.html", Classification.PUBLIC, "Greffe"),
    DemoFile("avis-public-pont-numerise.pdf", Classification.PUBLIC, "Greffe"),
    DemoFile(
        "guide-compostage-extrait.pdf", Classification.PUBLIC, "Environnement", third_party_copyright=True
    ),
    DemoFile("procedure-rh-absences.docx", Classification.INTERNAL, "Ressources humaines"),
    DemoFile("note-dossier-confidentielle.txt", Classification.CONFIDENTIAL, "Urbanisme"),
    DemoFile("courriel-plainte-bruit.eml", Classification.PERSONAL, "Service aux citoyens"),
)


def load_demo_library(session: Session, tenant_id: str, *, embed: bool = True) -> list[Document]:
    """Submits the demo files to the tenant (idempotent: unchanged files are no-ops).

    The ingestion jobs are queued, not run: the caller commits and then runs a worker (``balise demo``
    processes them in-process).
    """
    documents: list[Document] = []
    for demo in DEMO_FILES:
        data = (LIBRARY / demo.filename).read_bytes()
        (document,) = submit_files(
            session,
            tenant_id,
            [(SOURCE_PREFIX + demo.filename, data)],
            classification=demo.classification.value,
            owner_service=demo.owner_service,
            third_party_copyright=demo.third_party_copyright,
            embed=embed,
        )
        documents.append(document)
    session.flush()
    return documents
