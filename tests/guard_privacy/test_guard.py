"""Masking, restoring, tenant settings, user-chosen terms, and failing closed."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from balise.guard.privacy import (
    GuardedPrompt,
    GuardUnavailable,
    PlaceholderMap,
    PrivacyGuard,
    PrivacySettings,
    get_guard,
    restore,
)
from balise.guard.privacy.recognizers import EmailAddressRecognizer, PiiRecognizer
from balise.i18n import use_locale

TEXT = "Jean Tremblay (NAS 130 692 544) habite au 12, rue des Pins. Écrire à jean.tremblay@videotron.ca."


def test_guard_is_one_per_process(guard: PrivacyGuard) -> None:
    assert get_guard() is guard


def test_preview_masks_with_typed_numbered_placeholders(guard: PrivacyGuard) -> None:
    preview = guard.preview(TEXT)
    assert preview.text == "[PERSONNE_1] (NAS [NAS_1]) habite au [ADRESSE_1]. Écrire à [COURRIEL_1]."
    assert preview.counts == {"PERSON": 1, "CA_SIN": 1, "ADDRESS": 1, "EMAIL": 1}
    assert [TEXT[s.start : s.end] for s in preview.spans] == [
        "Jean Tremblay",
        "130 692 544",
        "12, rue des Pins",
        "jean.tremblay@videotron.ca",
    ]


def test_protect_is_consistent_across_a_conversation_and_restores_only_what_it_masked(
    guard: PrivacyGuard,
) -> None:
    placeholders = PlaceholderMap()
    first = guard.protect(
        [{"role": "user", "content": "Résume la plainte de Jean Tremblay."}], None, placeholders
    )
    second = guard.protect(
        [{"role": "user", "content": "Et Marie Gagnon? Compare avec jean  tremblay."}], None, placeholders
    )
    assert isinstance(first, GuardedPrompt)
    assert first.messages[0]["content"] == "Résume la plainte de [PERSONNE_1]."
    assert second.messages[0]["content"] == "Et [PERSONNE_2]? Compare avec [PERSONNE_1]."
    assert second.counts == {"PERSON": 2}
    answer = "[PERSONNE_1] et [PERSONNE_2] se plaignent; voir [PERSONNE_9] et [NOTE_1]."
    assert guard.restore(answer, placeholders) == (
        "Jean Tremblay et Marie Gagnon se plaignent; voir [PERSONNE_9] et [NOTE_1]."
    )
    assert restore(answer, second.placeholders) == guard.restore(answer, placeholders)


def test_text_already_holding_placeholders_is_not_masked_twice(guard: PrivacyGuard) -> None:
    placeholders = PlaceholderMap({"[PERSONNE_1]": "Jean Tremblay"})
    prompt = guard.protect(
        [
            {"role": "assistant", "content": "[PERSONNE_1] a écrit."},
            {"role": "user", "content": "Et ensuite?"},
        ],
        None,
        placeholders,
    )
    assert prompt.messages[0]["content"] == "[PERSONNE_1] a écrit."
    assert prompt.counts == {}


def test_settings_choose_labels_and_deny_and_allow_terms(guard: PrivacyGuard) -> None:
    text = "Le maire Bruno Marchand transmet le Projet Alpha à Jean Tremblay (tél. 418 641-6411)."
    settings = PrivacySettings(
        labels=frozenset({"PERSON"}), deny_terms=("projet alpha",), allow_terms=("Bruno Marchand",)
    )
    preview = guard.preview(text, settings)
    assert (
        preview.text == "Le maire Bruno Marchand transmet le [MASQUE_1] à [PERSONNE_1] (tél. 418 641-6411)."
    )


def test_user_can_mask_more_terms_and_spans(guard: PrivacyGuard) -> None:
    text = "Le dossier Sablière Nord touche le chalet du lac Vert."
    start = text.index("chalet du lac Vert")
    preview = guard.preview(text, extra_terms=["Sablière Nord"], extra_spans=[(start, start + 18)])
    assert preview.text == "Le dossier [MASQUE_1] touche le [MASQUE_2]."
    assert preview.counts == {"CUSTOM": 2}


def test_preview_does_not_change_the_conversation_map(guard: PrivacyGuard) -> None:
    placeholders = PlaceholderMap({"[PERSONNE_1]": "Marie Gagnon"})
    assert guard.preview("Jean Tremblay et Marie Gagnon", placeholders=placeholders).text == (
        "[PERSONNE_2] et [PERSONNE_1]"
    )
    assert placeholders.to_dict() == {"[PERSONNE_1]": "Marie Gagnon"}


class _Failing(PiiRecognizer):
    ENTITY = "EMAIL"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        raise RuntimeError("recognizer crashed")


class _Slow(PiiRecognizer):
    ENTITY = "EMAIL"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        time.sleep(1.0)
        return []


@pytest.mark.parametrize("broken", [_Failing, _Slow])
def test_fails_closed_when_detection_breaks_or_is_too_slow(guard: PrivacyGuard, broken: type) -> None:
    failing = PrivacyGuard(
        nlp_engine=guard.nlp_engine, recognizers=[EmailAddressRecognizer(), broken()], timeout_seconds=0.3
    )
    placeholders = PlaceholderMap()
    with pytest.raises(GuardUnavailable) as raised:
        failing.protect([{"role": "user", "content": "Écrire à jean@videotron.ca"}], None, placeholders)
    assert raised.value.status == 503
    assert placeholders.to_dict() == {}
    with use_locale("fr"):
        assert "rien n’a été envoyé au modèle" in str(raised.value)


def test_concurrent_calls_get_their_own_answers(guard: PrivacyGuard) -> None:
    texts = [f"Le citoyen Jean Tremblay a écrit à j{i}@videotron.ca." for i in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda text: guard.preview(text).text, texts))
    assert results == ["Le citoyen [PERSONNE_1] a écrit à [COURRIEL_1]."] * len(texts)


def test_an_overlapping_detection_is_cut_not_dropped(guard: PrivacyGuard) -> None:
    text = "Le citoyen Jean Tremblay Construction a écrit."
    preview = guard.preview(text, extra_terms=["Tremblay Construction"])
    assert preview.text == "Le citoyen [PERSONNE_1] [MASQUE_1] a écrit."


class _Counting(PiiRecognizer):
    """Counts the texts it is asked to read, so a test sees which paragraphs reached the models."""

    ENTITY = "EMAIL"

    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        self.read.append(text)
        return []


def test_long_paragraphs_are_checked_once_and_short_ones_keep_their_neighbours(guard: PrivacyGuard) -> None:
    counting = _Counting()
    cached = PrivacyGuard(nlp_engine=guard.nlp_engine, recognizers=[EmailAddressRecognizer(), counting])
    source = "[1] Règlement sur l'arrosage. " + "L'arrosage est permis les jours pairs. " * 6
    first = f"Sources :\n{source}\n\nQuestion : écrire à marie@exemple.ca ?"
    second = f"Sources :\n{source}\n\nQuestion : et à paul@exemple.ca ?"
    assert [first[d.start : d.end] for d in cached.detect(first)] == ["marie@exemple.ca"]
    assert [second[d.start : d.end] for d in cached.detect(second)] == ["paul@exemple.ca"]
    assert len(counting.read) == 3  # the source once, each question once
    letter = "Meilleures salutations,\n\nNina CHIGI\n\nnina@exemple.ch"
    assert [letter[d.start : d.end] for d in cached.detect(letter)] == ["nina@exemple.ch"]
    assert counting.read[-1] == letter  # short paragraphs are read together, with their context


def test_a_library_passage_is_checked_once_whatever_its_source_number(guard: PrivacyGuard) -> None:
    """The same passage at another rank of another prompt: its markers differ, its text is read once,
    and what it holds is still found at its place in each prompt."""
    from balise.assistant.prompts import ask_messages
    from balise.gateway import Passage

    counting = _Counting()
    cached = PrivacyGuard(nlp_engine=guard.nlp_engine, recognizers=[EmailAddressRecognizer(), counting])
    text = "Pour l'arrosage, écrivez à eau@exemple.ca. " + "L'arrosage est permis les jours pairs. " * 5
    other = "La collecte des encombrants a lieu le premier lundi du mois. " * 5

    def prompt(*passages: tuple[int, str]) -> str:
        found = [Passage(number, f"c{number}", "d", "Règlement", None, body) for number, body in passages]
        return "\n\n".join(m["content"] for m in ask_messages("Quand arroser ?", found))

    first, second = prompt((1, text), (2, other)), prompt((1, other), (2, text), (3, other))
    assert [first[d.start : d.end] for d in cached.detect(first)] == ["eau@exemple.ca"]
    read = len(counting.read)
    assert [second[d.start : d.end] for d in cached.detect(second)] == ["eau@exemple.ca"]
    assert len(counting.read) == read  # both passages were known, at any number
    assert not any("SOURCE 1>>>" in piece or "SOURCE 2>>>" in piece for piece in counting.read)
