"""Balise: responsible generative AI for municipalities."""

__version__ = "0.7.0"
