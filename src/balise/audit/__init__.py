"""Append-only, hash-chained audit log: who, what, when, tenant; ids and counts, never personal data."""

from balise.audit.log import ChainBreak, as_dict, iter_entries, latest_entries, record, verify

__all__ = ["ChainBreak", "as_dict", "iter_entries", "latest_entries", "record", "verify"]
