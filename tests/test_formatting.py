"""Numbers, sizes and dates in the reader's language: what people read on pages and in reports."""

from __future__ import annotations

from datetime import UTC, date, datetime

from balise.formatting import carbon, day, energy, filesize, moment, number, percent, quantity
from balise.i18n import use_locale

NBSP = "\u202f"  # French groups digits and precedes % with a narrow no-break space


def test_french_numbers_sizes_and_quantities() -> None:
    with use_locale("fr"):
        assert number(12345.678, 1) == f"12{NBSP}345,7"
        assert filesize(331_366) == f"323,6{NBSP}ko"
        assert filesize(5 * 1024**2 // 2) == f"2,5{NBSP}Mo"
        assert filesize(12) == f"12{NBSP}o"
        assert energy(0.0106) == "0,011 Wh"
        assert carbon(0.000041) == "0,000041 g éq. CO2"  # never « 0,0000 g »
        assert quantity(0) == "0" and quantity(123.4) == "123"
        assert percent(0.42) == "42\xa0%"


def test_dates_in_words_in_each_language() -> None:
    at = datetime(2026, 12, 7, 5, 3, tzinfo=UTC)
    with use_locale("fr"):
        assert day(date(2026, 12, 7)) == "7 décembre 2026"
        assert moment(at) == "7 décembre 2026, 05:03"
        assert day(None) == "—"
    with use_locale("en"):
        assert day(date(2026, 12, 7)) == "December 7, 2026"
        assert moment(at) == "Dec 7, 2026, 5:03 AM"
        assert filesize(331_366) == "323.6 kB" and energy(0.0106) == "0.011 Wh"


def test_pages_use_the_filters_not_iso_dates_or_fixed_decimals() -> None:
    """A template that formats by hand (``strftime``, ``%.4f``) shows ISO dates and « 0.0000 »."""
    from pathlib import Path

    import balise.web

    templates = Path(balise.web.__file__).parent / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "strftime" not in text and '"%.' not in text, path
