"""Recognizers for one country's identifiers and notations, as in Presidio's ``country_specific`` folder."""
