"""``PrivacyGuard.mask``: the text a history keeps, with the conversation's placeholders."""

from __future__ import annotations

from balise.guard.privacy import PlaceholderMap, PrivacyGuard


def test_mask_detects_and_adds_new_values_to_the_map(guard: PrivacyGuard):
    placeholders = PlaceholderMap()
    masked = guard.mask("Appeler Marie Tremblay au 514-555-0199.", placeholders)
    assert "Marie" not in masked and "514-555-0199" not in masked
    assert set(placeholders.values.values()) >= {"Marie Tremblay", "514-555-0199"}
    assert guard.restore(masked, placeholders) == "Appeler Marie Tremblay au 514-555-0199."


def test_known_values_are_masked_however_they_are_written_and_never_twice(guard: PrivacyGuard):
    placeholders = PlaceholderMap({"[PERSONNE_1]": "Marie Tremblay"})
    answer = "Bonjour marie\u200b  TREMBLAY, votre dossier [PERSONNE_1] avance."
    masked = guard.mask(answer, placeholders, detect=False)
    assert masked == "Bonjour [PERSONNE_1], votre dossier [PERSONNE_1] avance."
    assert guard.mask(masked, placeholders, detect=False) == masked
    assert placeholders.values == {"[PERSONNE_1]": "Marie Tremblay"}
