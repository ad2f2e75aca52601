"""Person names: spaCy's French NER, plus names introduced by a civility or a title.

The statistical model misses short surnames after "M." or "Mme" (frequent in minutes and council
resolutions) and sometimes tags organisations or streets; the title recognizer covers the first,
the filters below and the guard's overlap rules (addresses win over names) the second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer
from balise.guard.privacy.recognizers.generic.name_lists import (
    ORGANISATION,
    PLACE_BEFORE,
    PLACE_WORD_FIRST,
    POSTAL_CODE_BEFORE,
    ROLE_WORDS,
    is_known_name,
    starts_line_or_sentence,
)

UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_WORD = rf"[{UPPER}][\w'’]*(?:-[{UPPER}]?[\w'’]+)*"
_PARTICLE = r"(?:de|du|des|d['’]|van|von|le|la)"
_NAME = rf"(?:{_PARTICLE}[ \t]*)?{_NAME_WORD}(?:[ \t]+(?:(?:de|du|d['’])[ \t]*)?{_NAME_WORD}){{0,2}}"
_TITLES = (
    r"M\.|MM\.?|Mme|Mmes|Mlle|Mlles|Me|Dr|Dre|Pr|Prof\.|"
    r"NI\.|Ni\.|M[*°»]|"  # how OCR reads « M. » and « Me » on scanned pages
    r"(?i:monsieur|madame|mademoiselle|ma[îi]tre|docteure?|l['’]abb[ée]|le colonel|le g[ée]n[ée]ral|"
    r"le capitaine|le commandant|le lieutenant|le sergent|le pr[ée]fet|le d[ée]put[ée]|le s[ée]nateur|"
    r"le syndic|la syndique|le maire|la mairesse|le conseiller|la conseill[èe]re|l['’][ée]chevin|"
    r"le citoyen|la citoyenne|le requ[ée]rant|la requ[ée]rante|le plaignant|la plaignante|"
    r"le sieur|la dame|la veuve|la demoiselle|le nomm[ée]|la nomm[ée]e|le caporal|le major|l['’]adjudant|"
    r"le chanoine|le cur[ée]|le vicaire|le pasteur|le notaire|la notaire|le juge|la juge|"
    r"l['’]inspect(?:eur|rice)|le t[ée]moin|la t[ée]moin|l['’]agent|l['’]agente|le contribuable|"
    r"la contribuable|la famille|les familles|"
    r"le camarade|les camarades|la femme|"
    r"bonjour|bonsoir|salut|all[ôo]|cher|ch[èe]re)"
)
NOT_NAMES = re.compile(
    r"^(?:ville|municipalit[ée]|conseil|commune|canton|r[èe]glement|r[ée]solution|article|monsieur|madame|"
    r"qu[ée]bec|montr[ée]al|suisse|canada|gouvernement|minist[èe]re|service|direction|comit[ée]|"
    r"commission|bureau|mairie|h[ôo]tel|rue|avenue|boulevard|chemin|route|place|lot|loi|saint|sainte|"
    r"le|la|les|l['’]|un|une|ce|cette|il|elle|nous|vous|veuillez|merci|bonjour|objet|"
    r"commissaire|ministre|directeur|directrice|pr[ée]sidente?|pr[ée]fet|maire|g[ée]n[ée]ral|pape|roi|reine|"
    r"messieurs|mesdames|dieu|"
    r"vid[ée]otron|desjardins|hydro-qu[ée]bec|bell|telus|rogers|swisscom|sunrise|postfinance|migros|coop)$",
    re.IGNORECASE,
)


_STARTS_LIKE_A_NAME = re.compile(rf"(?:(?:de|du|des|d['’]|van|von|le|la)\s*)?[{UPPER}]")
_PLACE_PREPOSITION = re.compile(r"(?<!\w)(?:à|a|au|aux|en|vers|sur|dans|près de)\s+$", re.IGNORECASE)
_PROVINCE = re.compile(r",?\s*(?:QC|Qc|Québec|\(Québec\)|\(QC\)|ON|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{4}\b)")
_FUNCTION_WORDS = frozenset(
    [
        "il",
        "ils",
        "elle",
        "elles",
        "on",
        "nous",
        "vous",
        "je",
        "tu",
        "est",
        "sont",
        "et",
        "ou",
        "mais",
        "donc",
        "ni",
        "car",
        "que",
        "qui",
        "ce",
        "cette",
        "un",
        "une",
    ]
)
_INITIALS_ONLY = re.compile(rf"(?:[{UPPER}]\.?[ \t]*)+")
_LIST_ITEM = re.compile(rf"\s*(?:,|\bet\b)\s*(?P<value>{_NAME})")


class TitledPersonRecognizer(PiiRecognizer):
    """A capitalised name after a civility or a title ("M. Tremblay", "la conseillère Roy"), every name of
    a list after "MM." ("MM. Roy, Côté et Gagnon"), and a name after an initial ("J. Tremblay")."""

    ENTITY = labels.PERSON
    PATTERNS = (
        re.compile(rf"(?<!\w)(?:{_TITLES})\s*:?\s+(?P<value>{_NAME})(?!\w)"),
        re.compile(rf"(?<![\w.])(?P<value>(?!M\.)[{UPPER}]\.(?:-[{UPPER}]\.)?\s?{_NAME_WORD})(?!\w)"),
    )
    PLURAL = re.compile(rf"(?<!\w)MM\.?\s*:?\s+{_NAME}(?!\w)")
    BASE_SCORE = 0.8

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        yield from super().candidates(text)
        for match in self.PLURAL.finditer(text):
            cursor = match.end()
            while item := _LIST_ITEM.match(text, cursor):
                yield item.span("value")
                cursor = item.end()

    def validate(self, value: str) -> bool:
        """Not a civic word, and not initials alone or followed by a pronoun (« V. C. A. », « P. Ils »)."""
        words = [word.strip(".") for word in value.replace(".", ". ").split()]
        last = words[-1]
        if all(len(word) <= 1 for word in words) or (len(last) <= 2 and last.isupper()):
            return False
        return NOT_NAMES.match(value.split()[0]) is None and last.casefold() not in _FUNCTION_WORDS

    def accept(self, text: str, start: int, end: int) -> bool:
        return PLACE_BEFORE.search(text, max(0, start - 40), start) is None


class SpacyPersonRecognizer(PiiRecognizer):
    """Person entities (``PER``) of spaCy's ``fr_core_news_md``, from the analysis Presidio already ran."""

    ENTITY = labels.PERSON
    BASE_SCORE = 0.85
    _LEADING = re.compile(
        rf"^(?:[^\w]+|(?:{_TITLES})\s+|(?!(?:de|du|des|van|von|le|la)\s+[{UPPER}])[^\W{UPPER}][\w.]*\s+)+"
    )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None:
            return []
        results = []
        vocabulary = nlp_artifacts.tokens.vocab  # spaCy's French vocabulary: words that have a vector
        for entity in nlp_artifacts.entities:
            if entity.label_ != labels.PERSON:
                continue
            start, end = entity.start_char, entity.end_char
            lead = self._LEADING.match(text[start:end])
            if lead:
                start += lead.end()
            if "\n" in text[start:end]:
                end = text.index("\n", start)
            while " " in text[start:end] and (
                any(c.isdigit() for c in text[start:end].rsplit(" ", 1)[1])
                or vocabulary[text[start:end].rsplit(" ", 1)[1].casefold()].is_stop
            ):  # « Joliette L2B », « P. Ils »: the last word is a code or a pronoun, not part of a name
                end = text.rindex(" ", start, end)
            while end > start and not text[end - 1].isalnum():
                end -= 1
            if (
                self.is_name(text[start:end])
                and not self.is_place(text, start, end)
                and not self.vetoed(text, start, end, vocabulary.has_vector)
            ):
                results.append(self.result(start, end, self.BASE_SCORE))
        return results

    @staticmethod
    def vetoed(text: str, start: int, end: int, is_word: Callable[[str], bool] = lambda word: False) -> bool:
        """A street or place named after a person (« chemin Georges-Tessier »), the locality after a postal
        code, a role word opening a field (« Requérant : ») and, at the start of a line or sentence, a
        single capitalised word that is a French word (``is_word`` of its lower case: « Quiconque »,
        « Réponds ») and no name list knows. Unknown words there stay names (« Fragson était… »)."""
        window = max(0, start - 40)
        if PLACE_BEFORE.search(text, window, start) or POSTAL_CODE_BEFORE.search(text, window, start):
            return True
        if PLACE_WORD_FIRST.match(text, start, end):
            return True
        if ORGANISATION.search(text, start, min(len(text), end + 8)):
            return True
        first = text[start:end].split()[0]
        if _INITIALS_ONLY.fullmatch(text, start, end):
            return True  # « V. C. A. C. R. »: a club's or a company's acronym
        elided = re.match(r"[LlDd]['’](\w+)", first)
        if elided and is_word(elided.group(1).casefold()) and not is_known_name(elided.group(1)):
            return True  # « L'empereur », not « L'Heureux »
        if ROLE_WORDS.match(first) or (
            re.match(r"[ \t]*:", text[end : end + 3]) and " " not in text[start:end]
        ):
            return True
        return (
            " " not in text[start:end]
            and starts_line_or_sentence(text, start)
            and is_word(first.casefold())
            and not is_known_name(first)
        )

    @staticmethod
    def is_place(text: str, start: int, end: int) -> bool:
        """A single word right after "à", "en", "au"… ("à Trois-Rivières") or right before a province or a
        postal code ("Trois-Rivières, QC") is a place: spaCy's most frequent confusion in municipal text."""
        return " " not in text[start:end] and (
            _PLACE_PREPOSITION.search(text, 0, start) is not None or _PROVINCE.match(text, end) is not None
        )

    @staticmethod
    def is_name(value: str) -> bool:
        """Keeps spans that start with a capital (after a particle), are not OCR crumbs (under three
        letters), have at most one digit (OCR), no e-mail signs and are not only common civic words."""
        words = value.split()
        return (
            len(value) > 2
            and _STARTS_LIKE_A_NAME.match(value) is not None
            and sum(c.isdigit() for c in value) < 2
            and not any(c in "@_[]" for c in value)
            and not all(NOT_NAMES.match(word) for word in words)
        )
