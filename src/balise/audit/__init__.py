"""Append-only, hash-chained audit log: who, what, when, tenant; ids and counts, never personal data."""

from balise.audit.labels import EVENT_LABELS, Shown, event_label, ids_to_name, shown
from balise.audit.log import ChainBreak, as_dict, iter_entries, latest_entries, record, verify

__all__ = [
    "EVENT_LABELS",
    "ChainBreak",
    "Shown",
    "as_dict",
    "event_label",
    "ids_to_name",
    "iter_entries",
    "latest_entries",
    "record",
    "shown",
    "verify",
]
