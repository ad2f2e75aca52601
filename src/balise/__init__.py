"""Balise: responsible generative AI for municipalities."""

__version__ = "0.6.0"
