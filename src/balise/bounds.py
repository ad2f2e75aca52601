"""The limits on what a person types: how long a field may be, which whole numbers and dates are accepted.

A value outside them is a :class:`~balise.errors.Invalid` (HTTP 422, or the form again with the reason),
never an overflow deep in the database driver. ``str.isdigit`` is not enough: it accepts « ² » and
other Unicode digits that ``int`` then refuses.
"""

from __future__ import annotations

import re
from datetime import date

from balise.errors import Invalid

# Any field of any form: far above what a person types (a 20,000-character text to revise, a list of
# terms), far below what fills a database.
MAX_FIELD_CHARS = 100_000
# The highest page a list is asked for; beyond it nothing is there to show.
MAX_PAGE = 1_000_000
_WHOLE = re.compile(r"[0-9]{1,15}")


class FieldTooLong(Invalid):
    code = "too_long"


def whole_number(text: str, *, minimum: int = 0, maximum: int) -> int | None:
    """The whole number written with ASCII digits, within the bounds; ``None`` for anything else."""
    cleaned = text.strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    if not _WHOLE.fullmatch(cleaned):
        return None
    value = int(cleaned)
    return value if minimum <= value <= maximum else None


def check_length(value: str, maximum: int, field: str) -> None:
    """Refuses a field longer than ``maximum`` characters, naming it (``field`` is a translated label)."""
    if len(value) > maximum:
        raise FieldTooLong(
            "The field “{field}” has {count} characters; shorten it to {max} at most.",
            field=field,
            count=len(value),
            max=maximum,
        )


def optional_date(text: str, field: str) -> date | None:
    """A day written as ISO (2026-03-31), or ``None`` when left empty; ``field`` names it (translated)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid("The {field} must be a date such as 2026-03-31.", field=field) from None
