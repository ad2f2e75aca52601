"""Names as administrations write them: « DUPONT, Marie », « Marie DUPONT », « Témoin : Luc Favre »,
lists of witnesses or applicants, and a name alone on its line in a signature block.

spaCy's French model was trained on news, where names sit inside sentences; forms, minutes and letters
put them in fields, lists and signatures, where it misses most of them. The frequency lists of
:mod:`name_lists` confirm the less certain shapes (a capitalised pair is a name when its first word is a
known first name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer
from balise.guard.privacy.recognizers.generic.name_lists import (
    ORGANISATION,
    PLACE_BEFORE,
    PLACE_WORD_FIRST,
    ROLE_WORDS,
    is_first_name,
    is_surname,
)
from balise.guard.privacy.recognizers.generic.persons import NOT_NAMES, UPPER

_LOWER = "a-zß-öø-ÿ"
_CAPS = rf"[{UPPER}]{{2,}}(?:[- '’][{UPPER}]{{2,}})*"
"""A surname in capitals (« DUPONT », « DE LA RUE », « MÜLLER-FAVRE »)."""
_CAPITALISED = rf"[{UPPER}][{_LOWER}'’]+(?:-[{UPPER}][{_LOWER}'’]+)*"
_PARTICLE = r"(?:(?:de|du|des|van|von|der|den|di|da|dos|del|della|le|la|d['’])[ \t]*)"
_NAME_WORD = rf"(?:{_CAPS}|{_CAPITALISED})"
_FULL = re.compile(
    rf"(?:(?:M\.|Mme|Mmes|Mlle|Me|Dr|Dre|MM\.)[ \t]+)?(?P<value>"
    rf"[{UPPER}]\.(?:-[{UPPER}]\.)?[ \t]?{_NAME_WORD}|{_CAPS},[ \t]*{_CAPITALISED}"
    rf"|{_CAPITALISED},[ \t]*{_CAPITALISED}(?=[ \t]*(?:$|[\n;)]|\bet\b))"
    rf"|{_NAME_WORD}(?:[ \t]+{_PARTICLE}?{_NAME_WORD}){{0,3}})",
    re.MULTILINE,
)
"""One person in a field or a list: « DUPONT, Marie », « Marie-Ève DE LA RUE », « Luc Favre »."""

_ACRONYMS = re.compile(
    r"^(?:QC|CH|NAS|AVS|RAMQ|SAAQ|IBAN|TPS|TVQ|TVA|PDF|CHF|CAD|NPA|MRC|CLSC|CHSLD|CPE|OMH|SPVM|SQ|GRC|"
    r"CFF|SBB|TPG|TL|UE|USA|ONU|OK|ID|NB|PS|RSVP|SVP|PV|CV|HLM|UPAC|SEAO|ADM|URGENT|CONFIDENTIEL|"
    r"[A-Z]{2})$"
)
_ROLE_LABEL = re.compile(
    r"(?:^|(?<=[\n;.]))[ \t]*(?:[-•*–][ \t]*)?(?:(?:le|la|les)\s+)?"
    r"(?:t[ée]moins?|requ[ée]rant(?:e|\(e\))?s?|propri[ée]taires?|demandeu(?:r|se|resse)s?|plaignant(?:e)?s?|"
    r"signataires?|locataires?|contribuables?|repr[ée]sentant(?:e)?s?|mandataires?|intim[ée]e?s?|"
    r"d[ée]clarant(?:e)?s?|citoyen(?:ne)?s?|r[ée]sident(?:e)?s?|occupant(?:e)?s?|b[ée]n[ée]ficiaires?|"
    r"soussign[ée]e?s?|pr[ée]sent(?:e)?s?|absent(?:e)?s?|excus[ée]e?s?|pr[ée]sid[ée]e? par|secr[ée]taire|"
    r"pr[ée]sident(?:e)?|r[ée]dig[ée] par|sign[ée] par|nom(?: complet| et pr[ée]nom| de famille)?|"
    r"pr[ée]nom(?: et nom)?|[ée]lu(?:e)?s?|inspect(?:eur|rice)|agent(?:e)?|conjoint(?:e)?|"
    r"titulaire|contact|personne[- ]ressource|responsable|auteur(?:e)?|exp[ée]diteur|destinataire|de|[àa]|cc)"
    r"[ \t]*(?:\([^)\n]{1,30}\))?[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
_BULLET = re.compile(r"\s*(?:(?:[-•*–]|\d{1,2}[.)])[ \t]*)?")
_NAME_COLUMN = re.compile(
    r"^(?:nom(?: complet| et pr[ée]nom)?|pr[ée]nom et nom|requ[ée]rant|propri[ée]taire|titulaire|t[ée]moin|"
    r"participant|citoyen|r[ée]sident|locataire|personne)e?s?$",
    re.IGNORECASE,
)
_STREET_LINE = re.compile(
    r"[ \t]*(?:\d|(?:rue|avenue|chemin|route|boulevard|place|case postale)\b)", re.IGNORECASE
)
_LIST_SEPARATOR = re.compile(r"[ \t]*(?:,|;|\bet\b|\n[ \t]*(?:[-•*–]|\d{1,2}[.)]))[ \t]*")
_CLOSING = re.compile(
    r"(?:salutations|cordialement|merci|bien [àa] vous|veuillez agr[ée]er|sinc[èe]res|respectueusement|"
    r"meilleures? (?:salutations|pens[ée]es)|sign[ée]|signature|\(s\)|au nom d)",
    re.IGNORECASE,
)
_JOB = re.compile(
    r"^[ \t]*(?:(?:la|le)\s+)?(?:directeur|directrice|greffi[èe]re?|secr[ée]taire|tr[ée]sori[èe]re?|maire|"
    r"mairesse|syndic|syndique|conseill[eè]re?|inspect(?:eur|rice)|responsable|chef|cheffe|coordonnat(?:eur|rice)|"
    r"agent|agente|technicien(?:ne)?|adjoint(?:e)?|pr[ée]sident(?:e)?|municipal(?:e)?|urbaniste|ing[ée]nieur(?:e)?|"
    r"avocat(?:e)?|notaire|service|pour |p\.o\.|requ[ée]rant(?:e)?|propri[ée]taire|citoyen(?:ne)?)",
    re.IGNORECASE,
)
_SIGNATURE_LINE = re.compile(
    rf"^[ \t]*(?P<value>{_NAME_WORD}(?:\s+{_PARTICLE}?{_NAME_WORD}){{0,3}})[ \t,]*$", re.MULTILINE
)
_PAIR = re.compile(
    rf"(?<![\w-])(?P<value>(?P<first>{_CAPITALISED})[ \t]+"
    rf"(?P<last>{_PARTICLE}?(?:{_CAPS}|{_CAPITALISED})))(?![\w-])"
)
_ROLE_AFTER = re.compile(
    rf"(?<![\w-])(?P<value>{_NAME_WORD}(?:[ \t]+{_PARTICLE}?{_NAME_WORD}){{0,2}}),"
    r"[ \t]+(?:(?:le|la|l['’])[ \t]*)?"
    r"(?i:conseill[eè]re?|notaire|maire|mairesse|syndic|procureure?|avocate?|pasteur|vicaire|cur[ée]|"
    r"commissaire|inspect(?:eur|rice)|directeur|directrice|cultivat(?:eur|rice)|agricult(?:eur|rice)|"
    r"propri[ée]taire|locataire|domicili[ée]e?|demeurant|r[ée]sidant|n[ée]e? (?:le|en|à)|[âa]g[ée]e? de|"
    r"employ[ée]e?|commer[çc]ant|ouvri[eè]re?|retrait[ée]e?|[ée]tudiante?|m[ée]decin|ing[ée]nieure?|"
    r"secr[ée]taire|tr[ée]sori[eè]re?|greffi[eè]re?|pr[ée]sident(?:e)?|vice-pr[ée]sident(?:e)?|"
    r"officier|capitaine|lieutenant|sergent|caporal|soldat|chauffeur|m[ée]canicien(?:ne)?|"
    r"requ[ée]rante?|plaignante?|t[ée]moin|contribuable|citoyen(?:ne)?|r[ée]sident(?:e)?)(?![\w-])"
)
"""« Marie Dupont, domiciliée au… », « Lamotte, conseiller municipal »: a name, then what the person is."""
_NOM_PRENOM = re.compile(rf"(?<![\w-])(?P<value>(?P<last>{_CAPS}),[ \t]*(?P<first>{_CAPITALISED}))(?![\w-])")


def _is_person(value: str) -> bool:
    """Not an organisation, not a role word, not an acronym, not a civic word."""
    words = re.findall(rf"[{UPPER}{_LOWER}'’-]+", value)
    if not words or ORGANISATION.search(value) or ROLE_WORDS.match(words[0]):
        return False
    if NOT_NAMES.match(words[0]) or all(_ACRONYMS.match(w) or NOT_NAMES.match(w) for w in words):
        return False
    return sum(c.isalpha() for c in value) >= 3


class AdministrativeNameRecognizer(PiiRecognizer):
    """Names in fields, lists and signature blocks, and name shapes the frequency lists confirm."""

    ENTITY = labels.PERSON
    BASE_SCORE = 0.9
    """Above spaCy's: the structure shows the whole name (« DUPONT, Marie »), spaCy often half of it."""

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        yield from dict.fromkeys(self._shapes(text))

    def _shapes(self, text: str) -> Iterator[tuple[int, int]]:
        yield from self._fields(text)
        yield from self._table_columns(text)
        yield from self._signatures(text)
        for match in _ROLE_AFTER.finditer(text):
            if _is_person(match["value"]):
                yield match.span("value")
        for match in _NOM_PRENOM.finditer(text):
            if is_first_name(match["first"]) and not _ACRONYMS.match(match["last"].split()[0]):
                yield match.span("value")
        for match in _PAIR.finditer(text):
            last = match["last"]
            if not is_first_name(match["first"]) or NOT_NAMES.match(last) or ROLE_WORDS.match(last):
                continue
            if last.isupper() and _ACRONYMS.match(last):
                continue
            if last.isupper() or is_surname(last) or not is_first_name(last):
                yield match.span("value")

    def _fields(self, text: str) -> Iterator[tuple[int, int]]:
        """Values after « Témoin : », « Requérants : »…, including bullet lists on the following lines."""
        for label in _ROLE_LABEL.finditer(text):
            cursor = _BULLET.match(text, label.end()).end()  # type: ignore[union-attr]
            block_end = text.find("\n\n", cursor)
            block_end = len(text) if block_end < 0 else block_end
            if text[label.end() : label.end() + 1] in ("\n", "\r"):
                yield from self._list_lines(text, label.end() + 1)
                continue
            while True:
                item = _FULL.match(text, cursor, block_end)
                if item is None or not _is_person(item["value"]):
                    break
                yield item.span("value")
                separator = _LIST_SEPARATOR.match(text, item.end(), block_end)
                if separator is None or separator.end() == item.end():
                    break
                cursor = separator.end()

    def _list_lines(self, text: str, start: int) -> Iterator[tuple[int, int]]:
        """A list under a heading (« Témoins : »): the name that opens each line, until a blank line."""
        for line in text[start:].split("\n"):
            if not line.strip() or re.search(r"\S[ \t]*:[ \t]", line):
                return
            bullet = _BULLET.match(line)
            item = _FULL.match(line, bullet.end() if bullet else 0)
            if item is not None and _is_person(item["value"]):
                yield start + item.start("value"), start + item.end("value")
            start += len(line) + 1

    def _table_columns(self, text: str) -> Iterator[tuple[int, int]]:
        """The cells under a « Nom » column header, in tables written with | or tabs."""
        column, separator, offset = -1, "", 0
        for line in text.split("\n"):
            cells = re.split(r"[ \t]*\|[ \t]*|\t", line)
            if len(cells) < 2:
                column = -1
            elif column < 0:
                names = [i for i, cell in enumerate(cells) if _NAME_COLUMN.match(cell.strip())]
                column, separator = (names[0], "|" if "|" in line else "\t") if names else (-1, "")
            elif column < len(cells):
                position = offset
                for cell in re.split(r"(\|)" if separator == "|" else r"(\t)", line)[: 2 * column]:
                    position += len(cell)
                cell = text[position : offset + len(line)].split(separator)[0]
                value = cell.strip()
                if value and _is_person(value) and _FULL.fullmatch(value):
                    start = position + cell.index(value)
                    yield start, start + len(value)
            offset += len(line) + 1

    def _signatures(self, text: str) -> Iterator[tuple[int, int]]:
        """A line holding only a name, after a closing formula or above a job title."""
        for line in _SIGNATURE_LINE.finditer(text):
            value = line["value"]
            words = value.split()
            if not _is_person(value) or (len(words) == 1 and not is_surname(value)):
                continue
            before = text[max(0, line.start() - 160) : line.start()]
            after = text[line.end() + 1 : line.end() + 80]
            if (
                _CLOSING.search(before)
                or _STREET_LINE.match(after)
                or _JOB.match(after)
                or is_first_name(words[0])
            ):
                yield line.span("value")

    def accept(self, text: str, start: int, end: int) -> bool:
        return (
            PLACE_BEFORE.search(text, max(0, start - 40), start) is None
            and PLACE_WORD_FIRST.match(text, start, end) is None
        )
