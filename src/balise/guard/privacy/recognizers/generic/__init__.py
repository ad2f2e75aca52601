"""Recognizers that do not depend on a country: e-mail, addresses, birth dates, IBAN, cards, names, plates."""
