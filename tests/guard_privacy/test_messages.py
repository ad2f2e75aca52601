"""Every message the privacy guard can show has its French translation, in its own catalogue."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from balise.i18n import LOCALE_DIR

SOURCES = Path(__file__).parents[2] / "src" / "balise"
FILES = [*sorted((SOURCES / "guard" / "privacy").rglob("*.py")), SOURCES / "evaluation" / "pii.py"]
KEYWORDS = {"_": None, "Invalid": None, "GuardUnavailable": None, "VaultUnreadable": None}
OWN = LOCALE_DIR / "fr" / "LC_MESSAGES" / "guard_privacy.po"


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="fr")


def test_every_msgid_has_a_french_translation() -> None:
    msgids = {
        message
        for path in FILES
        for _line, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS)
        if isinstance(message, str)
    }
    assert len(msgids) >= 15
    own = _read(OWN)
    assert sorted(m for m in msgids if not (own.get(m) and own.get(m).string)) == []


def test_no_other_catalogue_translates_our_messages_differently() -> None:
    """Catalogues are merged at load, so the same msgid translated twice would show one at random."""
    own = {message.id: message.string for message in _read(OWN) if message.id}
    for path in sorted(OWN.parent.glob("*.po")):
        if path == OWN:
            continue
        for message in _read(path):
            if message.id in own and message.string and message.string != own[message.id]:
                raise AssertionError(f"{path.name} translates {message.id!r} differently")
