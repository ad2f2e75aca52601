"""Evaluation: the `balise eval …` commands and their metrics (stable contracts of DESIGN.md)."""
