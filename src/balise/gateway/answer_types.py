"""What kind of fact a French question asks for, and where such facts sit in a sentence.

"Combien coûte…" wants an amount, "Quand…" a date, "Qui…" a person: a sentence that holds a fact of
the expected kind is a better answer than one that only repeats the question's words. Amounts,
numbers, dates and times are found by patterns; people, organisations and places by the spaCy model
the privacy guard has already loaded (never a second copy).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

from balise.text import fold

AnswerType = Literal["amount", "time", "date", "person", "organisation", "place", "number", "yesno", "other"]
Span = tuple[int, int]
EntityFinder = Callable[[Sequence[str]], list[list[tuple[int, int, str]]]]

# Checked in this order on the folded question; the first that matches decides.
_QUESTION_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        "amount",
        re.compile(
            r"\bcombien (?:coute|coutent|ca coute|faut-il payer|dois-je payer|de dollars|d'euros|de francs)"
            r"|\b(?:quel|quelle|quels|quelles)\b(?: \w+){0,3} (?:montant|prix|cout|couts|tarif|tarifs|frais"
            r"|amende|amendes|somme|budget|loyer|subvention|redevance)\b"
            r"|\ba combien s'elev|\bmontant\b|\bcombien .{0,30}(?:payer|debourser|verser)"
        ),
    ),
    (
        "time",
        re.compile(
            r"\ba quelle heure\b|\bheures? d'ouverture\b|\bhoraires?\b|\bquelles? (?:sont les )?heures\b"
            r"|\best(?:-il| elle)? ouvert"
        ),
    ),
    (
        "date",
        re.compile(
            r"^quand\b|\bquand\b|\ba quelle date\b|\bquelle date\b|\bquels? jours?\b|\ben quelle annee\b"
            r"|\bquelle annee\b|\bdepuis quand\b|\bjusqu'a quand\b|\ba partir de quand\b|\bquel mois\b"
            r"|\ba quelle periode\b|\bquelle periode\b|\bdate\b|\becheance\b"
        ),
    ),
    (
        "person",
        re.compile(
            r"^(?:qui|par qui|a qui|de qui|avec qui|pour qui)\b|\b(?:par|a|de) qui\b|^qui\b|\bqui (?:est"
            r"|sont|etait|a ete)"
            r" (?:le|la|les|l')\b|\b(?:quel|quelle)\b(?: \w+){0,2} (?:nom|personne|maire|elu|elue|adjoint"
            r"|adjointe"
            r"|president|presidente|directeur|directrice|auteur|rapporteur|rapporteure|conseiller"
            r"|conseillere)\b"
        ),
    ),
    (
        "organisation",
        re.compile(
            r"\b(?:quel|quelle|quels|quelles)\b(?: \w+){0,2} (?:organisme|organismes|societe|entreprise"
            r"|association"
            r"|associations|entite|ministere|club|groupe|institution|prestataire|titulaire|attributaire"
            r"|partenaire|partenaires|beneficiaire|beneficiaires|etablissement|structure)\b"
        ),
    ),
    (
        "place",
        re.compile(
            r"^ou\b|\bou (?:se|est|sont|a|ont|peut|peuvent|dois|puis|trouve|aura|vit|habite|nait|naquit)\b"
            r"|\bdans quel(?:le)?s? (?:ville|pays|lieu|region|quartier|commune|departement|endroit"
            r"|batiment)\b"
            r"|\ba quel endroit\b|\bquelle (?:ville|adresse|rue|commune|region)\b|\badresse\b"
            r"|\bquel (?:pays|lieu|quartier)\b"
        ),
    ),
    (
        "number",
        re.compile(
            r"\bcombien\b|\b(?:quel|quelle)\b(?: \w+){0,2} (?:nombre|pourcentage|taux|proportion|superficie"
            r"|surface"
            r"|duree|age|hauteur|longueur|distance|population|delai|capacite|part)\b"
        ),
    ),
    (
        "yesno",
        re.compile(
            r"^(?:est-ce que?|est ce que?|peut-on|puis-je|dois-je|ai-je|faut-il|y a-t-il|existe-t-il|a-t-on"
            r"|suis-je"
            r"|peut-il|peut-elle|doit-on|doit-il|doit-elle|peuvent-ils|peut-je|pourrais-je|serait-il"
            r"|sont-ils|est-il"
            r"|est-elle|avons-nous|pouvons-nous|devons-nous)\b|^\w+-(?:je|tu|il|elle|on|nous|vous|ils"
            r"|elles)\b"
        ),
    ),
)

_MONTHS = (
    "janvier|fevrier|février|mars|avril|mai|juin|juillet|aout|août|septembre|octobre|novembre|decembre"
    "|décembre"
)
_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_NUMBER = r"(?:\d{1,3}(?:[ \n\u00a0\u202f.']\d{3})+|\d+)(?:[.,]\d+)?"
_CURRENCY = (
    r"(?:\$|€|£|(?:euros?|dollars?|francs?|CHF|EUR|Fr\.|M€|k€"
    r"|(?:millions?|milliards?) d['’](?:euros|dollars))(?!\w))"
)
_PATTERNS: dict[str, re.Pattern[str]] = {
    "amount": re.compile(
        rf"{_NUMBER}\s?(?:(?:millions?|milliards?)\s(?:de\s|d['’]))?{_CURRENCY}|(?:\$|€|CHF)\s?{_NUMBER}"
    ),
    "time": re.compile(
        rf"\b\d{{1,2}}\s?h(?:\s?\d{{2}})?(?!\w)|\b\d{{1,2}}:\d{{2}}\b|\bmidi\b|\bminuit\b|\b(?:{_DAYS})s?\b",
        re.IGNORECASE,
    ),
    "date": re.compile(
        rf"\b(?:(?:{_DAYS})\s+)?\d{{1,2}}(?:er)?\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b|\b(?:{_MONTHS})\s+\d{{4}}\b"
        rf"|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b|\b(?:1[5-9]|20)\d{{2}}\b|\b(?:{_DAYS})s?\b"
        rf"|\b(?:{_MONTHS})\b"
        r"|\bjours? (?:pairs|impairs)\b|\b(?:XVI|XVII|XVIII|XIX|XX|XXI)e siècle\b",
        re.IGNORECASE,
    ),
    "number": re.compile(
        rf"{_NUMBER}(?:\s?(?:%|pour cent|m²|m2|km|ha|hectares?|ans|jours|mois|semaines|heures|places"
        rf"|logements"
        r"|personnes|habitants|élus|membres|voix|lits|mètres|kilomètres|tonnes|litres))?"
        r"|\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante"
        r"|cinquante|soixante|cent|mille)\b",
        re.IGNORECASE,
    ),
    "yesno": re.compile(
        r"\b(?:permis|permise|interdit|interdite|interdits|autorisé|autorisée|autorisation|obligatoire"
        r"|doit|doivent|peut|peuvent|seulement|uniquement|exclusivement|défendu|aucun|aucune|nécessaire"
        r"|besoin|oui|non|gratuit|gratuite|exempté|exemptée)\b|\bne\b[^.]{0,40}\bpas\b|\bn['’]\w+[^.]{0,40}\bpas\b",
        re.IGNORECASE,
    ),
}
_TITLED_PERSON = re.compile(
    r"\b(?:M\.|Mme|Mmes|MM\.|Monsieur|Madame|Me|Dr|Docteur)\s+[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)?"
)
_SPACY_LABELS = {"person": ("PER",), "organisation": ("ORG",), "place": ("LOC",)}
# Words that join two facts of one answer: "de 8 h 30 à 12 h", "100 $, 300 $ ou 500 $".
_JOINER = re.compile(
    r"^[\s,;–-]*(?:(?:à|a|au|et|ou|puis|jusqu['’]à|de|du|le|la|les|l['’])\s*)*[\s,;–-]*$", re.IGNORECASE
)


def expected_type(question: str) -> AnswerType:
    """The kind of fact the question asks for ("other" when it does not say)."""
    folded = fold(question).strip().replace("’", "'")
    for answer_type, pattern in _QUESTION_TYPES:
        if pattern.search(folded):
            return answer_type
    return "other"


def needs_entities(answer_type: AnswerType) -> bool:
    """Whether facts of this type are found by the NER model rather than by patterns."""
    return answer_type in _SPACY_LABELS


def fact_spans(
    text: str, answer_type: AnswerType, entities: Sequence[tuple[int, int, str]] = ()
) -> list[Span]:
    """Where facts of ``answer_type`` sit in ``text``; ``entities`` are (start, end, spaCy label)."""
    if answer_type in _SPACY_LABELS:
        spans = [(s, e) for s, e, label in entities if label in _SPACY_LABELS[answer_type]]
        if answer_type == "person":
            spans += [m.span() for m in _TITLED_PERSON.finditer(text)]
        return sorted(set(spans))
    pattern = _PATTERNS.get(answer_type)
    if pattern is None:
        return []
    spans = [m.span() for m in pattern.finditer(text) if m.group().strip()]
    if answer_type == "time":  # opening hours are days and hours together
        spans += [m.span() for m in _PATTERNS["date"].finditer(text) if not m.group().isdigit()]
    if answer_type == "date":
        spans += [m.span() for m in _PATTERNS["time"].finditer(text) if m.group()[0].isdigit()]
    return sorted(set(spans))


def merge_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Neighbouring facts joined by "à", "et", "ou" or a comma make one fact: "8 h 30 à 12 h"."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or _JOINER.match(text[merged[-1][1] : start])):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
