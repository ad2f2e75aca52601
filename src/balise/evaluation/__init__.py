"""Evaluation: the `balise eval …` commands and their metrics (stable contracts, docs/architecture.md)."""
