"""Pooling between municipalities (G16): packs of usage-policy rules, evaluation sets and drafting
templates exported and imported as files, and the deployment's opt-in shared library."""

from balise.pooling.cards import CardView, cards, publish_card, withdraw_card
from balise.pooling.kinds import ADDED, KINDS, PRESENT, REFUSED, Offer
from balise.pooling.service import (
    MAX_PACK_BYTES,
    LibraryEntry,
    PackInvalid,
    build_pack,
    digest,
    get_import,
    import_pack,
    import_shared,
    imports,
    kind_label,
    library,
    offers,
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
    "CardView",
    "LibraryEntry",
    "Offer",
    "PackImport",
    "PackInvalid",
    "SharedPack",
    "UseCaseCard",
    "build_pack",
    "cards",
    "digest",
    "get_import",
    "import_pack",
    "import_shared",
    "imports",
    "kind_label",
    "library",
    "offers",
    "publish",
    "publish_card",
    "published_packs",
    "read_pack",
    "withdraw",
    "withdraw_card",
]
