"""French first, English second: gettext catalogues, one ``.po`` file per package.

Message ids are English. Each package keeps its French translations in
``locale/fr/LC_MESSAGES/<package>.po`` so that packages never edit the same file; they are merged
at load. The current language lives in a context variable set per request (or per CLI call).
"""

from __future__ import annotations

import gettext
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

LOCALES = ("fr", "en")
DEFAULT_LOCALE = "fr"
LOCALE_DIR = Path(__file__).parent / "locale"
# gettext's plural rules (CLDR gives French a third form, for millions, that no .po file fills)
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "en": "nplurals=2; plural=(n != 1);"}

current_locale: ContextVar[str] = ContextVar("balise_locale", default=DEFAULT_LOCALE)


@lru_cache(maxsize=len(LOCALES))
def catalogue(locale: str) -> Catalog:
    """All ``.po`` files of a language merged into one catalogue."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=locale)
    merged.mime_headers = [("Plural-Forms", PLURAL_FORMS[locale])]
    for po in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if isinstance(message.string, tuple):  # CLDR's extra forms: gettext's two only
                    message.string = message.string[: merged.num_plurals]
                if message.id and message.string:
                    merged[message.id] = message
    return merged


def _compiled_path(locale: str) -> Path:
    """Where the merged catalogue is kept compiled, named by the ``.po`` files' names, sizes and times:
    parsing them all takes a tenth of a second, which every ``balise`` command would otherwise pay."""
    key = hashlib.sha256(locale.encode())
    for po in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        stat = po.stat()
        key.update(f"{po}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "balise"
    return cache / f"messages-{key.hexdigest()[:24]}.mo"


def _compiled(locale: str) -> bytes:
    """The catalogue as a ``.mo`` file, from the cache when the ``.po`` files have not changed."""
    try:
        path = _compiled_path(locale)
        return path.read_bytes()
    except (OSError, RuntimeError):  # not compiled yet, or no home folder (RuntimeError)
        pass
    from babel.messages.mofile import write_mo  # a tenth of a second: only when compiling

    buffer = BytesIO()
    write_mo(buffer, catalogue(locale))
    try:
        path = _compiled_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        draft.write_bytes(buffer.getvalue())
        draft.replace(path)  # whole or absent: another process never reads half a file
    except (OSError, RuntimeError):  # a read-only home: the catalogue is compiled again next time
        pass
    return buffer.getvalue()


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> gettext.NullTranslations:
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    return gettext.GNUTranslations(BytesIO(_compiled(locale)))


def gettext_(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


_ = gettext_


def stored_message(message: str, **params: object) -> str:
    """A message to keep in the database untranslated, so each reader later sees it in their language."""
    return json.dumps({"msgid": message, "params": params}, ensure_ascii=False, default=str)


def localize_stored(text: str) -> str:
    """Translates a :func:`stored_message` for the current reader; any other text is shown as written."""
    if not text.startswith('{"msgid"'):
        return text
    try:
        stored = json.loads(text)
        return gettext_(stored["msgid"]).format(**stored["params"])
    except (ValueError, KeyError, TypeError, IndexError):
        return text


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; it is translated where it is shown."""
    return message


def negotiate(accept_language: str | None, preferred: str | None = None) -> str:
    """The language to use: an explicit choice, else the browser's first supported one, else French."""
    if preferred in LOCALES:
        return preferred
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LOCALES:
            return code
    return DEFAULT_LOCALE


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = current_locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        current_locale.reset(token)
