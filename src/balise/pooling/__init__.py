"""Pooling between municipalities (G16): packs of usage-policy rules, evaluation sets, drafting
templates, vendor assessments, AI register entries, the memento text and learning resources, exported
and imported as JSON or .zip files (in the web pages or with ``balise pack``), and the deployment's
opt-in shared library."""

from balise.pooling.cards import CardView, cards, publish_card, withdraw_card
from balise.pooling.kinds import ADDED, KINDS, PRESENT, REFUSED, STATUS_LABELS, Offer
from balise.pooling.service import (
    MAX_PACK_BYTES,
    LibraryEntry,
    PackInvalid,
    build_pack,
    build_zip,
    digest,
    get_import,
    import_pack,
    import_shared,
    imports,
    kind_label,
    library,
    offers,
    pack_of,
    publish,
    published_packs,
    read_pack,
    withdraw,
)
from balise.pooling.tables import PackImport, SharedPack, UseCaseCard

__all__ = [
    "ADDED",
    "KINDS",
    "MAX_PACK_BYTES",
    "PRESENT",
    "REFUSED",
    "STATUS_LABELS",
    "CardView",
    "LibraryEntry",
    "Offer",
    "PackImport",
    "PackInvalid",
    "SharedPack",
    "UseCaseCard",
    "build_pack",
    "build_zip",
    "cards",
    "digest",
    "get_import",
    "import_pack",
    "import_shared",
    "imports",
    "kind_label",
    "library",
    "offers",
    "pack_of",
    "publish",
    "publish_card",
    "published_packs",
    "read_pack",
    "withdraw",
    "withdraw_card",
]
