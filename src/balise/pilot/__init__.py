"""The pilot measurement and the interim review (G15, G19, G20; Valais guide steps 4 and 6): the pilot
service's time-consuming processes measured before, redesigned and measured after, the interim review
report beside Balise's own figures, exported as HTML, Word and PDF, and its results told to staff
and to residents.

Kept import-free here: the schema registry imports :mod:`balise.pilot.tables` alone.
"""
