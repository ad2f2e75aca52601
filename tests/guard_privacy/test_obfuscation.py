"""Property: a valid identifier of each class stays masked however it is disguised with characters a
reader does not see (zero-width, bidirectional, soft hyphen), any Unicode space or look-alike letters,
and restoring the masked text gives back exactly the original."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balise.guard.privacy import LABELS, PrivacyGuard, PrivacySettings
from balise.guard.privacy.placeholders import PlaceholderMap
from tests.guard_privacy.disguise import INVISIBLE, SPACES, TRICKS, TWINS, hidden_around_placeholders, visible
from tests.guard_privacy.obfuscation import CORPUS, dumps, generate, load
from tests.guard_privacy.test_properties import STRUCTURED

SPECIFIC = {label: templates[-1] for label, (_values, templates) in STRUCTURED.items()}
"""Each class in its own words (« NAS : {v} »), so the clean value is always found."""
CLASSES: dict[str, tuple[st.SearchStrategy[str], str]] = {
    label: (values, SPECIFIC[label]) for label, (values, _templates) in STRUCTURED.items()
}
CLASSES["PERSON"] = (
    st.sampled_from(["Lucie Gagnon", "Marie-Ève Tremblay", "Jean-François Côté", "Séverine Favre"]),
    "Veuillez rappeler Mme {v} demain matin au sujet de sa plainte.",
)
CLASSES["ADDRESS"] = (
    st.sampled_from(["1234, rue des Érables", "56 avenue du Parc", "12 chemin des Vignes"]),
    "La citoyenne habite au {v}, depuis trois ans.",
)


@st.composite
def disguised(draw: st.DrawFn, value: str) -> str:
    """``value`` with invisible characters inserted anywhere, its spaces made any Unicode space, and
    any of its letters swapped for a look-alike: each trick alone or together."""
    tricks = draw(st.sets(st.sampled_from(["invisible", "space", "lookalike"]), min_size=1))
    chars = list(value)
    if "lookalike" in tricks:
        chars = [draw(st.sampled_from([c, *TWINS[c]])) if c in TWINS else c for c in chars]
    if "space" in tricks:
        chars = [draw(st.sampled_from(SPACES)) if c == " " else c for c in chars]
    if "invisible" in tricks:
        inserts = draw(
            st.lists(st.tuples(st.integers(0, len(chars)), st.sampled_from(INVISIBLE)), max_size=5)
        )
        for position, char in sorted(inserts, reverse=True):
            chars.insert(position, char)
    return "".join(chars)


@pytest.mark.parametrize("label", sorted(CLASSES))
def test_a_disguised_value_stays_masked_and_restores_exactly(guard: PrivacyGuard, label: str) -> None:
    values, template = CLASSES[label]

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        value = data.draw(values)
        hidden = data.draw(disguised(value))
        text = template.format(v=hidden)
        placeholders = PlaceholderMap()
        masked = guard.protect([{"role": "user", "content": text}], placeholders=placeholders)
        sent = masked.messages[0]["content"]
        assert not visible(value, sent, template), (label, text, sent)
        assert not hidden_around_placeholders(sent), (label, text, sent)
        assert guard.restore(sent, placeholders) == text
        shown = guard.preview(text)
        assert not visible(value, shown.text, template), (label, text, shown.text)
        rebuilt, cursor = [], 0
        for span in shown.spans:
            rebuilt += [text[cursor : span.start], span.placeholder]
            cursor = span.end
        assert "".join(rebuilt) + text[cursor:] == shown.text

    check()


def test_the_obfuscation_corpus_is_up_to_date_and_covers_every_class_and_trick() -> None:
    assert CORPUS.read_text(encoding="utf-8") == dumps(generate())
    records = load()
    assert {r["label"] for r in records} == set(LABELS)
    assert {r["trick"] for r in records} == set(TRICKS)


def test_the_guard_masks_every_value_of_the_obfuscation_corpus(guard: PrivacyGuard) -> None:
    leaks = []
    for record in load():
        shown = guard.preview(record["text"])
        if visible(record["value"], shown.text, record["template"]) or record["label"] not in shown.counts:
            leaks.append((record["id"], shown.text))
    assert leaks == []


def test_allow_deny_and_public_terms_meet_their_disguised_forms(guard: PrivacyGuard) -> None:
    settings = PrivacySettings(
        allow_terms=("Lucie Gagnon",), deny_terms=("Projet Alpha",), public_terms=("819 555-0100",)
    )
    text = (
        "Mme Lucie\u00a0Gagnon, du Proj\u200bet Al\u00adpha, répond au 819\u202f555-\u200b0100 "
        "ou au 514\u00a0555\u00a00112."
    )
    shown = guard.preview(text, settings)
    assert "Lucie\u00a0Gagnon" in shown.text
    assert [(text[s.start : s.end], s.label) for s in shown.spans] == [
        ("Proj\u200bet Al\u00adpha", "CUSTOM"),
        ("514\u00a0555\u00a00112", "PHONE"),
    ]
    assert [text[start:end] for start, end in shown.public] == ["819\u202f555-\u200b0100"]


def test_a_value_masked_earlier_in_the_conversation_is_found_again_however_disguised(
    guard: PrivacyGuard,
) -> None:
    placeholders = PlaceholderMap()
    guard.protect(
        [{"role": "user", "content": "Rappeler Mme Lucie Gagnon demain."}], placeholders=placeholders
    )
    later = guard.preview("Et lu\u0441ie g\u200bagnon a-t-elle rappelé ?", placeholders=placeholders)
    assert later.text == "Et [PERSONNE_1] a-t-elle rappelé ?"
