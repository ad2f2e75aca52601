"""Numbers, quantities, sizes and dates as the reader writes them, through Babel.

« 323,6 ko », « 0,011 Wh », « 7 décembre 2026, 05:03 » in French; « 323.6 kB », « Dec 7, 2026 » in
English. Pages use these as Jinja filters (``web/templating.py``); reports meant for people (the Word
conformity report) call them directly. Machine exports (JSON, CSV) keep ISO dates and plain numbers.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from babel.units import format_unit

from balise.i18n import current_locale, gettext_

_SIZES = ((1024**3, "digital-gigabyte"), (1024**2, "digital-megabyte"), (1024, "digital-kilobyte"))


def number(value: float | int, places: int = 0) -> str:
    """A number with the reader's separators, at most ``places`` decimals (« 12 345,6 »)."""
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(value, format=pattern, locale=current_locale.get())


def quantity(value: float) -> str:
    """A measured quantity with two significant digits when small, so « 0,000 04 » never reads as
    « 0,0000 »: energy and carbon estimates of one request are tiny."""
    if value == 0:
        return number(0)
    magnitude = math.floor(math.log10(abs(value)))
    places = max(0, 1 - magnitude) if magnitude < 2 else 0
    return number(round(value, places), places)


def percent(share: float) -> str:
    """« 42 % » from 0.42."""
    return format_percent(share, locale=current_locale.get())


def money(value: float, currency: str) -> str:
    """« 12,50 $CA », « 3,20 CHF »: an amount in its currency, as the reader writes it."""
    return format_currency(value, currency, locale=current_locale.get())


def energy(wh: float) -> str:
    return gettext_("{value} Wh").format(value=quantity(wh))


def carbon(grams: float) -> str:
    return gettext_("{value} g CO2e").format(value=quantity(grams))


def filesize(size_bytes: int) -> str:
    """« 323,6 ko », « 2,5 Mo », « 12 octets »."""
    for factor, unit in _SIZES:
        if size_bytes >= factor:
            return format_unit(
                size_bytes / factor, unit, length="short", format="#,##0.#", locale=current_locale.get()
            )
    return format_unit(size_bytes, "digital-byte", length="short", locale=current_locale.get())


def day(value: date | datetime | None) -> str:
    """« 7 décembre 2026 »; « — » when there is no date."""
    if value is None:
        return "—"
    return format_date(value, "long", locale=current_locale.get())


def moment(value: datetime | None) -> str:
    """« 7 décembre 2026, 05:03 » (UTC, as stored); « — » when there is no date."""
    if value is None:
        return "—"
    pattern = "d MMMM y, HH:mm" if current_locale.get() == "fr" else "MMM d, y, h:mm a"
    return format_datetime(value, pattern, locale=current_locale.get())


FILTERS = {
    "number": number,
    "quantity": quantity,
    "percent": percent,
    "money": money,
    "energy": energy,
    "carbon": carbon,
    "filesize": filesize,
    "day": day,
    "moment": moment,
}
