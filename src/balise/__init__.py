"""Balise: responsible generative AI for municipalities."""

__version__ = "0.2.0"
