"""How easy a French text is to read (U5, plain language): the Kandel–Moles score.

Kandel & Moles (1958) adapted Flesch's formula to French:
``207 − 1.015 × words per sentence − 73.6 × syllables per word``. Higher is easier. Syllables are
counted as spoken in standard French: groups of vowels, a final mute "e" not counted, and the usual
hiatuses ("poète", "réunion", "naïf") split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from balise.gateway import fold, split_sentences
from balise.i18n import _

_VOWELS = "aeiouyàâäéèêëîïôöùûüÿœæ"
_WORD = re.compile(rf"[a-zA-Z{_VOWELS}{_VOWELS.upper()}ç]+(?:['’-][a-zA-Z{_VOWELS}{_VOWELS.upper()}ç]+)*")
_GROUP = re.compile(f"[{_VOWELS}]+")
# Inside a vowel group these pairs are two syllables: é/è + vowel ("ré-union", "po-ète" is "oè"),
# a vowel + a diaeresis ("na-ïf", "No-ël"), "o-é" ("po-ésie"), a "y" between vowels ("ci-to-yen");
# final "-ée" stays one ("idée").
_HIATUS = re.compile(r"[éè](?=[aiouyàâéèêîôû])|[aeiouy](?=[ïüë])|[oa](?=[éè])|(?<=[aeiou])y(?=[aeiouéèê])")

# Lower bound of each band → (level, label): Flesch's classic bands, as used for Kandel–Moles.
LEVELS: tuple[tuple[float, str], ...] = (
    (90, "very_easy"),
    (80, "easy"),
    (70, "fairly_easy"),
    (60, "standard"),
    (50, "fairly_difficult"),
    (30, "difficult"),
    (float("-inf"), "very_difficult"),
)


def level_label(level: str) -> str:
    labels = {
        "very_easy": _("very easy"),
        "easy": _("easy"),
        "fairly_easy": _("fairly easy"),
        "standard": _("standard"),
        "fairly_difficult": _("fairly difficult"),
        "difficult": _("difficult"),
        "very_difficult": _("very difficult"),
    }
    return labels[level]


@dataclass(frozen=True)
class Readability:
    score: float
    level: str  # very_easy … very_difficult
    sentences: int
    words: int
    syllables: int

    @property
    def label(self) -> str:
        """The level in the reader's language ("très facile" … "très difficile")."""
        return level_label(self.level)


def _part_syllables(part: str) -> int:
    if part.endswith("es") and len(part) > 3 and part[-3] not in _VOWELS:
        part = part[:-2]
    elif part.endswith("e") and len(part) > 2 and part[-2] not in _VOWELS:
        part = part[:-1]
    part = part.replace("qu", "q").replace("gu", "g")
    return sum(1 + len(_HIATUS.findall(group)) for group in _GROUP.findall(part))


def syllables(word: str) -> int:
    """Spoken syllables of one French word (at least one); elided "l'", "qu'" count for nothing."""
    return max(1, sum(_part_syllables(part) for part in re.split(r"['’-]", word.lower())))


def kandel_moles(text: str) -> Readability:
    """Score and level of a French text; an empty text scores as "standard" with no words."""
    sentence_count = max(1, len(split_sentences(text)))
    found = [w for w in _WORD.findall(text) if fold(w).strip("'-")]
    if not found:
        return Readability(0.0, "standard", 0, 0, 0)
    syllable_count = sum(syllables(w) for w in found)
    score = 207 - 1.015 * len(found) / sentence_count - 73.6 * syllable_count / len(found)
    level = next(name for bound, name in LEVELS if score >= bound)
    return Readability(round(score, 1), level, sentence_count, len(found), syllable_count)
