"""Masculine-only job titles in French text (P5, P7, U3): the hint on every drafted job posting and the
job-title bias probe read them here.

The titles come from France Travail's ROME (``inclusive_titles.txt``, derived by
``scripts/job_titles.py``, Licence Ouverte): a head noun (« Technicien ») is looked for anywhere, a
phrase (« Chargé de projet ») only as a whole. An occurrence of a masculine form is flagged unless
the text is already inclusive about it:

* the feminine form is in the text too (« chauffeur ou chauffeuse », « les chauffeuses et chauffeurs »);
* the word carries its feminine ending (« chauffeur·euse », « technicien(ne) », « agent.e »,
  « chauffeur-euse »);
* a gender mark follows on the same line (« Chauffeur de camion (H/F) », « F/H »);
* it is part of a body's name (« Ordre des ingénieurs du Québec »), which the text cannot change.

Epicene titles (« secrétaire », « comptable ») have one form and are never flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from balise.i18n import _
from balise.text import fold

TITLES = Path(__file__).with_name("inclusive_titles.txt")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A feminine ending joined to the word: « chauffeur·euse », « technicien(ne) », « agent.e », « agent/e ».
_ATTACHED = re.compile(r"[·•⋅.(/]([^\W\d_]{1,5})(?![^\W\d_])")
_GENDER_MARK = re.compile(r"(?<![^\W\d_])[HFM]\s*/\s*[HFM](?:\s*/\s*[XN])?(?![^\W\d_])", re.IGNORECASE)
# Set phrases where a title's head is an adjective: « plan directeur », « fil conducteur ».
_ADJECTIVE_AFTER = {
    "directeur": frozenset({"plan", "plans", "schema", "schemas", "principe", "principes", "comite"}),
    "directeurs": frozenset({"plans", "schemas", "principes", "comites"}),
    "conducteur": frozenset({"fil", "fils"}),
    "organisateur": frozenset({"comite"}),
}
_BODY = re.compile(
    r"(?:Ordre|Association|Fédération|Syndicat|Corporation|Collège|Chambre|Regroupement|Union)"
    r"\s+(?:des|du|de\s+la|de\s+l['’]|d['’])\s*$"
)


@dataclass(frozen=True)
class _Title:
    masculine: str
    feminine: str
    folded: tuple[str, ...]  # the masculine form's words, folded


@dataclass(frozen=True)
class _Titles:
    heads: dict[str, _Title]
    phrases: dict[str, list[_Title]]  # first folded word → phrases, longest first


@dataclass(frozen=True)
class TitleFinding:
    """A title written in the masculine only: as the text writes it, its feminine, how often."""

    masculine: str
    feminine: str
    count: int = 1

    @property
    def hint(self) -> str:
        """The advice shown beside a draft, in the reader's language; the suggestions stay French."""
        feminine = (
            self.feminine if self.masculine.isupper() else self.feminine[:1].lower() + self.feminine[1:]
        )
        return _(
            "Title in the masculine only: “{masculine}” — feminine form: “{feminine}”. "
            "Write “{doublet}” or “{marked}”."
        ).format(
            masculine=self.masculine,
            feminine=self.feminine,
            doublet=f"{self.masculine} ou {feminine}",
            marked=f"{self.masculine} (H/F)",
        )


def _words(text: str) -> list[str]:
    return [fold(word) for word in _WORD.findall(text)]


@lru_cache(maxsize=1)
def _titles() -> _Titles:
    heads: dict[str, _Title] = {}
    phrases: dict[str, list[_Title]] = {}
    for line in TITLES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        masculine, feminine = line.split("\t")
        title = _Title(masculine, feminine, tuple(_words(masculine)))
        if len(title.folded) == 1:
            heads.setdefault(title.folded[0], title)
        else:
            phrases.setdefault(title.folded[0], []).append(title)
    for listed in phrases.values():
        listed.sort(key=lambda t: -len(t.folded))
    return _Titles(heads, phrases)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def _feminine_of(written: str, title: _Title, plural: bool) -> str:
    """The feminine form in the text's own spelling (accents, case, number): « éleveurs » → « éleveuses »."""
    if len(title.folded) > 1:
        first, space, rest = title.feminine.partition(" ")
        first = first[:1].lower() + first[1:] if written[:1].islower() else first
        feminine = f"{first}{'s' if plural else ''}{space}{rest}"
    else:
        masculine, female = title.masculine.lower(), title.feminine.lower()
        shared = 0
        while shared < min(len(masculine), len(female)) and masculine[shared] == female[shared]:
            shared += 1
        stem = written[: len(written) - int(plural)]
        feminine = stem[: len(stem) - (len(masculine) - shared)] + female[shared:] + ("s" if plural else "")
    return feminine.upper() if written.isupper() and len(written) > 1 else feminine


def _inclusive_ending(following: str, title: _Title) -> bool:
    attached = _ATTACHED.match(following)
    return attached is not None and fold(title.feminine).endswith(fold(attached.group(1)))


def _match(titles: _Titles, folded: list[str], index: int) -> tuple[_Title, int, bool] | None:
    """The title starting at word ``index`` (a phrase first, then a head noun), how many words it
    spans, and whether it is written in the plural."""
    word = folded[index]
    for phrase in titles.phrases.get(word) or titles.phrases.get(_singular(word)) or []:
        size = len(phrase.folded)
        following = tuple(folded[index + 1 : index + size])
        if following == phrase.folded[1:] and phrase.folded[0] in (word, _singular(word)):
            return phrase, size, phrase.folded[0] != word
    for candidate in (word, _singular(word)):
        title = titles.heads.get(candidate)
        if title is not None:
            return title, 1, candidate != word
    return None


def _feminine_written(title: _Title) -> tuple[str, ...]:
    """How the feminine form reads in folded words, singular and with its head in the plural."""
    words = _words(title.feminine)
    return (" ".join(words), " ".join([words[0] + "s", *words[1:]]))


def masculine_titles(text: str) -> list[TitleFinding]:
    """Every job title written in the masculine only in ``text``, once each, in order of appearance."""
    titles = _titles()
    matches = list(_WORD.finditer(text))
    folded = [fold(m.group(0)) for m in matches]
    haystack = f" {' '.join(folded)} "
    found: dict[str, TitleFinding] = {}
    index = 0
    while index < len(matches):
        start, hit = matches[index].start(), _match(titles, folded, index)
        written = ""
        if hit is None and "-" in folded[index]:  # a compound: « chauffeur-euse », « chauffeur-opérateur »
            head, _hyphen, rest = folded[index].partition("-")
            hit = _match(titles, [head], 0)
            if hit is not None and fold(hit[0].feminine).endswith(rest):
                hit = None
            written = matches[index].group(0).split("-")[0]
        if hit is None or (index and folded[index - 1] in _ADJECTIVE_AFTER.get(folded[index], ())):
            index += 1
            continue
        title, size, plural = hit
        end = start + len(written) if written else matches[index + size - 1].end()
        written = text[start:end]
        index += size
        line_end = text.find("\n", end)
        line_start = text.rfind("\n", 0, start) + 1
        if (
            any(f" {feminine} " in haystack for feminine in _feminine_written(title))
            or _inclusive_ending(text[end:], title)
            or _GENDER_MARK.search(text, end, len(text) if line_end < 0 else line_end)
            or _BODY.search(text[line_start:start])
        ):
            continue
        key = fold(title.masculine)
        previous = found.get(key)
        found[key] = (
            TitleFinding(previous.masculine, previous.feminine, previous.count + 1)
            if previous
            else TitleFinding(written, _feminine_of(written, title, plural))
        )
    return list(found.values())
