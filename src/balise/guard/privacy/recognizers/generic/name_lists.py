"""First names and surnames frequent in Quebec and Romandy, and the context that says a word is not a name.

The lists come from Faker's person providers (MIT licence, shipped inside the ``faker`` package, nothing
downloaded): ``fr_CA`` (first names from Retraite Québec's « banque de prénoms », the most frequent
Quebec surnames), ``fr_CH`` (Romandy) and ``fr_FR``. Swiss German and Italian names (``de_CH``,
``it_CH``) are left out on purpose: the independent dev set draws names from them too, and the names it
draws outside these lists show how detection does on names the lists do not know.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import import_module

_LOCALES = ("fr_CA", "fr_CH", "fr_FR")
_COMMON_WORDS = frozenset(
    {
        *("blanc", "petit", "grand", "martin", "rose", "pierre", "claire", "france", "lac", "roy", "noel"),
        *("marchand", "boucher", "masse", "page", "laporte", "parent", "poirier", "cloutier", "fontaine"),
        *("richard", "lambert", "vincent", "simon"),
    }
)
"""Names that are also frequent French words or place words: they still count, but never alone."""


def fold(word: str) -> str:
    """Case- and accent-insensitive key: « CÔTÉ », « Côté » and « cote » are one name."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], frozenset[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for locale in _LOCALES:
        provider = import_module(f"faker.providers.person.{locale}").Provider
        for name in provider.first_names:
            first.update(fold(part) for part in re.split(r"[- ]", name) if len(part) > 1)
        for name in provider.last_names:
            last.update(fold(part) for part in re.split(r"[- ]", name) if len(part) > 2)
    return frozenset(first), frozenset(last)


def is_first_name(word: str) -> bool:
    """« Marie », « Jean-François » (each part known), case- and accent-insensitive."""
    parts = [p for p in re.split(r"[-’']", word) if p]
    return bool(parts) and all(fold(p) in _lists()[0] for p in parts)


def is_surname(word: str) -> bool:
    parts = [p for p in re.split(r"[- ]", word) if p]
    return bool(parts) and any(fold(p) in _lists()[1] for p in parts)


def is_known_name(word: str) -> bool:
    """A first name or a surname of the lists, not also a common word."""
    return fold(word) not in _COMMON_WORDS and (is_first_name(word) or is_surname(word))


_PLACE_WORDS = (
    r"rue|ruelle|chemin|ch\.|place|pl\.|avenue|av\.|croissant|boulevard|boul\.|bd|impasse|route|rte|parc|"
    r"all[ée]e|promenade|quai|square|sentier|passage|mont[ée]e|c[ôo]te|rang|terrasse|esplanade|pont|"
    r"carrefour|rond-point|jardin|jardins|cours|voie|square|pr[ée]s|clos|cit[ée]|faubourg|"
    r"[ée]cole|coll[èe]ge|c[ée]gep|lyc[ée]e|gymnase|ar[ée]na|centre|pavillon|salle|biblioth[èe]que|"
    r"piscine|caserne|[ée]glise|chapelle|temple|h[ôo]pital|chsld|clsc|stade|complexe|[ée]difice|"
    r"immeuble|tour|r[ée]sidence|manoir|domaine|secteur|quartier|district|paroisse|station|gare|"
    r"lac|mont|rivi[èe]re|[îi]le|baie|pointe|plage|for[êe]t|bois|sentier|piste|fondation|prix|bourse|"
    r"pont|tunnel|barrage|aqueduc|usine|march[ée]|foyer|maison|villa|h[ôo]tel|auberge|circonscription|"
    r"comt[ée]|mrc|canton|ville|municipalit[ée]|commune|village"
)
_PLACE_ADJECTIVE = (
    r"(?:\s+(?:sportif|culturel|communautaire|municipal|r[ée]cr[ée]atif|aquatique|civique|public|"
    r"de loisirs|des loisirs|[ée]l[ée]mentaire|primaire|secondaire|r[ée]gional|commercial|industriel))?"
)
PLACE_WORD_FIRST = re.compile(rf"(?:{_PLACE_WORDS}){_PLACE_ADJECTIVE}(?![\w-])", re.IGNORECASE)
"""A span that starts with a place word (« Quai Roger-Isella ») names a place."""
PLACE_BEFORE = re.compile(
    rf"(?<![\w-])(?:{_PLACE_WORDS}){_PLACE_ADJECTIVE}\s+(?:(?:de\s+la|du|des|de|à\s+la|au|aux)\s+|(?:de\s+l|d|l)['’]\s*)?$",
    re.IGNORECASE,
)
"""« chemin Georges-Tessier », « parc Jean-Drapeau », « école Marie-Curie »: a place named after a person."""

POSTAL_CODE_BEFORE = re.compile(r"(?:(?<![\w-])[1-9]\d{3}|[A-Z]\d[A-Z][ -]?\d[A-Z]\d)\s+$")
"""The locality right after a postal code (« 1227 Carouge », « G1R 4S9 Québec »)."""

ROLE_WORDS = re.compile(
    r"^(?:requ[ée]rant|propri[ée]taire|quiconque|carte|demandeur|demanderesse|plaignant|locataire|"
    r"t[ée]moin|signataire|mandataire|repr[ée]sentant|contribuable|occupant|intim[ée]|d[ée]clarant|"
    r"b[ée]n[ée]ficiaire|pr[ée]sident|secr[ée]taire|greffi[èe]re?|directeur|directrice|objet|concerne|"
    r"r[ée]f[ée]rence|signature|adresse|t[ée]l[ée]phone|courriel|date|lieu|nom|pr[ée]nom|sujet|"
    r"destinataire|exp[ée]diteur|copie|annexe|pi[èe]ce|dossier|lot|matricule|avis|note|rapport|"
    r"proc[èe]s-verbal|ordre|point|article|alin[ée]a|section|chapitre|annexe|tableau|total)e?s?$",
    re.IGNORECASE,
)
"""Words that open a form field or a sentence and that spaCy, seeing a capital, takes for names."""


_OPENING = re.compile(r"(?:^|[\n\r]|[.!?:;]\s)[ \t]*(?:[-•*–][ \t]*|\d{1,2}[.)][ \t]*)?[«\"(]?[ \t]*$")


def starts_line_or_sentence(text: str, start: int) -> bool:
    """Only spaces, a bullet or a list number between ``start`` and a line break, a sentence end, a colon."""
    return _OPENING.search(text, max(0, start - 12), start) is not None


ORGANISATION = re.compile(
    r"(?<!\w)(?:inc|lt[ée]e|enr|s\.?a|s[àa]rl|ag|gmbh|sa|s\.e\.n\.c|coop|association|soci[ée]t[ée]|"
    r"entreprises?|gestion|groupe|construction|immobili[èe]re|fondation|club|banque|caisse|syndicat|"
    r"ville|municipalit[ée]|commune|conseil|service|bureau|direction|minist[èe]re|gouvernement)\.?(?!\w)",
    re.IGNORECASE,
)
"""Words that make a capitalised group a company or a public body, not a person."""
