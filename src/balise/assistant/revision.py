"""Revision that needs no model: typography, safe plain-language rewrites, and concrete diagnostics.

Without a generative model, Balise still does what rules can do without changing the meaning:
spacing, punctuation spacing, capitals and doubled words (``tidy``), and, for a plain-language
revision, replacing administrative phrases that have an exact plain equivalent (« afin de » →
« pour »). Everything else a plain-language guide asks for — splitting long sentences, replacing rare
or technical words, turning passive sentences active, rounding figures — is reported as a diagnostic
pointing at the words concerned, for the person (or a generative model) to rewrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from wordfreq import zipf_frequency

from balise.gateway import split_sentences
from balise.i18n import _

_SPACES = re.compile(r"[ \t]{2,}")
_BEFORE_COMMA = re.compile(r"[ \t]+([,.])(?!\d)")
_AFTER_PUNCT = re.compile(r"([,;:!?])(?=[^\W\d_])")
_AFTER_STOP = re.compile(r"(?<=[a-zà-ÿ])\.(?=[A-ZÀ-Ý])")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zà-ÿ])", re.MULTILINE)
_DOUBLED = re.compile(r"\b(\w+)(\s+)\1\b", re.IGNORECASE)

Kind = Literal["long_sentence", "rare_word", "passive", "figure", "plain_phrase"]

LONG_SENTENCE_WORDS = 25
"""Plain-language guides advise 15 to 20 words on average; past 25 a sentence is worth splitting."""
RARE_ZIPF = 3.0
"""A word seen less than once per million words of French (wordfreq's Zipf scale) is rare."""

# Administrative phrases with an exact plain equivalent, safe to replace without a model.
PLAIN_PHRASES: tuple[tuple[str, str], ...] = (
    ("afin de", "pour"),
    ("afin d'", "pour "),
    ("en vue de", "pour"),
    ("aux fins de", "pour"),
    ("dans le but de", "pour"),
    ("préalablement à", "avant"),
    ("antérieurement à", "avant"),
    ("postérieurement à", "après"),
    ("conformément aux", "selon les"),
    ("conformément à", "selon"),
    ("en vertu des", "selon les"),
    ("en vertu de", "selon"),
    ("nonobstant", "malgré"),
    ("à l'exception de", "sauf"),
    ("dans l'éventualité où", "si"),
    ("dans le cas où", "si"),
    ("au cas où", "si"),
    ("en raison de", "à cause de"),
    ("subséquemment à", "après"),
    ("subséquemment", "ensuite"),
    ("quiconque", "toute personne qui"),
    ("est passible d'une amende", "peut recevoir une amende"),
    ("sont passibles d'une amende", "peuvent recevoir une amende"),
    ("dans les meilleurs délais", "dès que possible"),
    ("à compter de", "à partir de"),
    ("suite à", "après"),
)
_PHRASE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(old).replace("'", "['’]") for old, _new in PLAIN_PHRASES) + r")(?!\w)",
    re.IGNORECASE,
)
_PLAIN = {old: new for old, new in PLAIN_PHRASES}

_PASSIVE = re.compile(
    r"\b(est|sont|sera|seront|serait|seraient|était|étaient|soit|soient|être|a été|ont été|avait été|"
    r"avaient été|sera été)\s+(?:(?:ne|n'|pas|plus|également|aussi|obligatoirement|toujours|déjà)\s+)*"
    r"(\w+(?:é|ée|és|ées|is|ise|ises|it|ite|its|ites|u|ue|us|ues|ert|erte|erts|ertes|int|inte|ints|intes))\b"
    r"(?:\s+(par)\b)?",
    re.IGNORECASE,
)
# Participles that mostly read as adjectives after « être » (« il est interdit », « elle est situé »).
_NOT_PASSIVE = frozenset(
    {"situé", "située", "situés", "situées", "tenu", "tenue", "tenus", "tenues", "né", "née"}
)
_FIGURE = re.compile(r"\b\d{1,3}(?:[  \u202f]\d{3})+(?:,\d+)?\b|\b\d+,\d{2,}\b|\b\d{5,}\b")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Diagnostic:
    """One thing that makes a text harder to read, where it is, and what to do about it."""

    kind: Kind
    excerpt: str  # the words concerned, verbatim from the revised text
    advice: str
    rewritten: bool = False  # True when the rewrite was applied (a safe one)


@dataclass(frozen=True)
class PlainRevision:
    """A plain-language revision done without a model: the text with the safe rewrites, and the rest."""

    text: str
    diagnostics: list[Diagnostic]

    @property
    def applied(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.rewritten]

    @property
    def left(self) -> list[Diagnostic]:
        """What needs a person or a generative model."""
        return [d for d in self.diagnostics if not d.rewritten]


def tidy(text: str) -> str:
    """The text with typography corrected; words themselves are never changed, only doubled ones removed."""
    lines = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        line = _BEFORE_COMMA.sub(r"\1", line)
        line = _AFTER_PUNCT.sub(r"\1 ", line)
        line = _AFTER_STOP.sub(". ", line)
        line = _DOUBLED.sub(lambda m: m.group(1) if not m.group(1).isdigit() else m.group(0), line)
        line = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), line)
        lines.append(line)
    return "\n".join(lines)


def _keep_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def plain_phrases(text: str) -> tuple[str, list[Diagnostic]]:
    """Administrative phrases replaced by their exact plain equivalent, each change reported."""
    applied: list[Diagnostic] = []

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        new = _keep_case(found, _PLAIN[found.lower().replace("’", "'")])
        applied.append(
            Diagnostic(
                "plain_phrase",
                found,
                _("“{old}” replaced by “{new}”.").format(old=found, new=new.strip()),
                rewritten=True,
            )
        )
        return new

    return _PHRASE.sub(replace, text), applied


def diagnose(text: str) -> list[Diagnostic]:
    """Long sentences, rare or technical words, passive voice and figures to round, in reading order."""
    found: list[Diagnostic] = []
    for sentence in split_sentences(text):
        words = _WORD.findall(sentence.text)
        if len(words) > LONG_SENTENCE_WORDS:
            found.append(
                Diagnostic(
                    "long_sentence",
                    sentence.text,
                    _(
                        "{count} words: split this sentence, one idea per sentence (about 15 to 20 words)."
                    ).format(count=len(words)),
                )
            )
        for match in _PASSIVE.finditer(sentence.text):
            if match.group(2).lower() in _NOT_PASSIVE:
                continue
            advice = (
                _("Passive voice: put who acts first (“X does Y” rather than “Y is done by X”).")
                if match.group(3)
                else _("Passive voice: say who acts (“the City collects…” rather than “… is collected”).")
            )
            found.append(Diagnostic("passive", match.group(0), advice))
    seen: set[str] = set()
    for word in _WORD.findall(text):
        key = word.lower()
        # Capitalised words are mostly names (places, people): not for a dictionary to judge.
        if key in seen or len(key) < 4 or word[:1].isupper():
            continue
        seen.add(key)
        if not _is_common(key):
            found.append(
                Diagnostic(
                    "rare_word",
                    word,
                    _("Rare or technical word: use a more common one, or explain it the first time."),
                )
            )
    for match in _FIGURE.finditer(text):
        found.append(
            Diagnostic(
                "figure",
                match.group(0),
                _("Precise figure: round it if the exact value does not matter to the reader."),
            )
        )
    return found


def _is_common(word: str) -> bool:
    """Frequent in French, in this form or without a plural or feminine ending (« ramassées »)."""
    forms = {word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("e"), word[:-2]}
    return max(zipf_frequency(form, "fr") for form in forms if len(form) >= 3) >= RARE_ZIPF


def plain_revision(text: str) -> PlainRevision:
    """The plain-language revision rules can do: typography, then plain phrases; then diagnostics."""
    revised, applied = plain_phrases(tidy(text))
    revised = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), revised)
    return PlainRevision(revised, [*applied, *diagnose(revised)])


def plain_revision_notice(revision: PlainRevision) -> str:
    """What was done without a model, and plainly what is left for a person or a generative model."""
    done = _(
        "No generative model was available: only rewrites that rules can make without changing the "
        "meaning were applied ({applied}: typography and plain equivalents of administrative phrases)."
    ).format(applied=len(revision.applied))
    if not revision.left:
        return done + " " + _("No other difficulty was found.")
    return (
        done
        + " "
        + _(
            "{left} points below need a generative model or you: splitting long sentences, replacing rare "
            "or technical words, making passive sentences active, rounding figures."
        ).format(left=len(revision.left))
    )
