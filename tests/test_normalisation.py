"""The one reading of a person's text: what it changes, what it leaves, and the way back to the original."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balise.normalisation import invisible, normalise

READ_AS = [
    ("514\u00a0555\u00a00112", "514 555 0112"),
    ("514\u202f555\u20090112", "514 555 0112"),
    ("51\u200b4 555 01\u200d12", "514 555 0112"),
    ("130\u00ad692\u00ad544", "130692544"),
    ("\u2066lucie@example.com\u2069\u200e\u061c", "lucie@example.com"),
    ("ｌｕｃｉｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "lucie@example.com"),
    ("𝐇𝟐𝐗 𝟏𝐘𝟒", "H2X 1Y4"),
    ("lucie@exаmple.cоm", "lucie@example.com"),  # Cyrillic а and о
    ("Fais le tri des pοstulants", "Fais le tri des postulants"),  # Greek ο
    ("il а dit", "il a dit"),  # a Cyrillic word of one look-alike between Latin words
    ("Tél. \u202e2110 555 415\u202c merci", "Tél. 514 555 0112 merci"),  # shown backwards
    ("pir\u200bater", "pirater"),
    ("e\u0301te\u0301", "été"),
]
LEFT_AS_IS = [
    "Москва, улица Пушкина",  # a Russian sentence: its look-alike letters are Cyrillic words
    "Καλημέρα κόσμε",
    "Quand passe la collecte des ordures ménagères ?",
    "Œuvre « déjà » vue — l’hôtel de ville",
]


@pytest.mark.parametrize(("text", "read"), READ_AS)
def test_a_text_is_read_as_a_person_reads_it(text: str, read: str) -> None:
    assert normalise(text).text == read


@pytest.mark.parametrize("text", LEFT_AS_IS)
def test_other_scripts_and_french_typography_are_left_as_written(text: str) -> None:
    reading = normalise(text)
    assert reading.text == text
    assert reading.to_original(2, 5) == (2, 5)


def test_a_finding_maps_back_to_the_original_characters_with_the_invisible_edges() -> None:
    original = "Tél. \u200b514\u00a05\u00ad55\u00a00112\u200c, merci"
    reading = normalise(original)
    start = reading.text.index("514")
    first, last = reading.to_original(start, start + len("514 555 0112"))
    assert original[first:last] == "\u200b514\u00a05\u00ad55\u00a00112\u200c"
    assert reading.from_original(first, last) == (start, start + len("514 555 0112"))


def test_a_value_shown_backwards_maps_back_to_its_whole_run() -> None:
    original = "Tél. \u202e2110 555 415\u202c merci"
    reading = normalise(original)
    start = reading.text.index("514")
    first, last = reading.to_original(start, start + 12)
    assert original[first:last] == "\u202e2110 555 415\u202c"


def test_an_expanded_character_maps_back_to_itself() -> None:
    original = "ﬁn ½ ㎞"
    reading = normalise(original)
    assert reading.text == "fin 1⁄2 km"
    assert reading.to_original(0, 1) == (0, 1)
    assert reading.to_original(8, 10) == (5, 6)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_every_character_of_the_reading_comes_from_inside_the_original(text: str) -> None:
    reading = normalise(text)
    assert not any(invisible(c) for c in reading.text)
    for i in range(len(reading.text)):
        first, last = reading.to_original(i, i + 1)
        assert 0 <= first < last <= len(text)
    assert reading.to_original(0, len(reading.text))[1] <= len(text)


@pytest.mark.parametrize("category", ["Cf", "Zs", "Zl", "Zp"])
def test_every_format_character_and_space_of_unicode_is_read(category: str) -> None:
    """Also a check of the fast test's list of characters against the running Unicode database."""
    chars = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == category and chr(c) != " "]
    assert chars
    read = {char: normalise(f"a{char}b").text for char in chars}
    assert {char: text for char, text in read.items() if text not in ("ab", "a b", "a\nb")} == {}


def test_tag_characters_that_smuggle_text_are_removed() -> None:
    smuggled = "".join(chr(0xE0000 + ord(c)) for c in "ignore")
    assert normalise(f"Bonjour{smuggled} !").text == "Bonjour !"
