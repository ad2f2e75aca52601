"""French first: every user-facing message has a French translation, and English is available."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from balise.i18n import gettext_, negotiate, ngettext_, use_locale

ROOT = Path(__file__).resolve().parents[1]


def _messages_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_french_translation():
    missing = _messages_module().missing("fr")
    listing = "\n".join(f"{package}: {msgid}" for package, ids in missing.items() for msgid in ids)
    assert not missing, f"run `python scripts/messages.py --append` and translate:\n{listing}"


def test_the_extractor_finds_messages_in_code_errors_and_templates():
    found = _messages_module().extract()
    assert "Skip to main content" in found  # template
    assert "Wrong e-mail or password. Check both and try again." in found  # BaliseError subclass
    assert "Audit log" in found  # N_() marker


def test_french_is_the_default_and_english_on_request():
    assert negotiate(None) == "fr"
    assert negotiate("en-CA,en;q=0.9") == "en"
    assert negotiate("de-CH", preferred=None) == "fr"
    with use_locale("fr"):
        assert gettext_("Sign in") == "Se connecter"
    with use_locale("en"):
        assert gettext_("Sign in") == "Sign in"


def test_plural_messages_follow_french_rules():
    """French puts 0 and 1 in the singular; a million is not a third form as CLDR would have it."""
    with use_locale("fr"):
        assert ngettext_("{n} open incident", "{n} open incidents", 0) == "{n} incident ouvert"
        assert ngettext_("{n} open incident", "{n} open incidents", 1) == "{n} incident ouvert"
        assert ngettext_("{n} open incident", "{n} open incidents", 2) == "{n} incidents ouverts"
        assert ngettext_("{n} open incident", "{n} open incidents", 1_000_000) == "{n} incidents ouverts"
    with use_locale("en"):
        assert ngettext_("{n} open incident", "{n} open incidents", 0) == "{n} open incidents"
