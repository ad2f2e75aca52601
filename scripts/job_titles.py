"""Build ``src/balise/inclusive_titles.txt``, the masculine and feminine job titles that the inclusive
title check reads, from ``../shared/data/bias/rome_job_titles.csv``.

The source is France Travail's ROME v4.60 (« appellations »), published under the Licence Ouverte /
Open Licence (Etalab), which allows reuse with attribution: the file's header names the source. The
product must work where ``../shared`` does not exist, so a compact list is derived here, at build
time, and a test checks that it still matches the source.

Each gendered ROME title gives one entry (epicene titles give none: nothing to flag):

* its head noun, when it differs between the two forms (« Technicien » → « Technicienne »): the check
  looks for it anywhere in a text;
* for the heads that are also ordinary French words (a past participle, an adjective), a short
  phrase instead (« Chargé de projet » → « Chargée de projet »): « le comité chargé de » is no title;
* nothing for the heads in ``SKIPPED``: words that are mostly something else than a person
  (« Couleur », « Capteur »), adjectives (« Principal »), and titles that Quebec usage reads as
  epicene (« chef », « commis », OQLF).

    python scripts/job_titles.py [path/to/rome_job_titles.csv]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "bias" / "rome_job_titles.csv"
TARGET = ROOT / "src" / "balise" / "inclusive_titles.txt"
HEADER = """\
# Masculine and feminine forms of French job titles, one pair a line, tab-separated.
# Derived by scripts/job_titles.py from: France Travail — ROME v4.60, appellations
# (Répertoire opérationnel des métiers et des emplois), Licence Ouverte / Open Licence (Etalab).
# One word: a head noun, looked for anywhere; several words: a phrase, looked for as a whole.
"""
# Read as epicene in Quebec (OQLF), or not a person's title in most texts (« dépanneur » is a corner
# shop in Quebec), or an adjective (« des titres accrocheurs »).
SKIPPED = frozenset(
    [
        "Chef",
        "Commis",
        "Homme",
        "Monsieur",
        "Garçon",
        "Agente",
        "Opératrice",
        "Bioinformaticienne",
        "Couleur",
        "Capteur",
        "Calculateur",
        "Classeur",
        "Détecteur",
        "Malaxeur",
        "Mixeur",
        "Planeur",
        "Simulateur",
        "Transmetteur",
        "Injecteur",
        "Extracteur",
        "Enrouleur",
        "Intercepteur",
        "Chargeur",
        "Trieur",
        "Traceur",
        "Pointeur",
        "Marqueur",
        "Lecteur",
        "Décompteur",
        "Récupérateur",
        "Régulateur",
        "Distributeur",
        "Transporteur",
        "Débiteur",
        "Glacier",
        "Voilier",
        "Facteur",
        "Patron",
        "Premier",
        "Second",
        "Grand",
        "Principal",
        "Social",
        "Général",
        "Permanent",
        "Professionnel",
        "Sportif",
        "Traitant",
        "Servant",
        "Correspondant",
        "Accueillant",
        "Marchand",
        "Porteur",
        "Substitut",
        "Compagnon",
        "Accrocheur",
        "Conservateur",
        "Dépanneur",
    ]
)
# Ordinary words as well as titles: only matched as a phrase (« Chargé de projet »).
PHRASE_ONLY = frozenset(
    [
        "Chargé",
        "Attaché",
        "Délégué",
        "Employé",
        "Préposé",
        "Agréé",
        "Engagé",
        "Envoyé",
        "Salarié",
        "Adjoint",
        "Expert",
        "Commercial",
        "Enseignant",
    ]
)
PREPOSITIONS = frozenset({"de", "à", "en"})
ARTICLES = frozenset({"la", "le", "les", "l'"})


def _phrase(tokens: list[str]) -> int:
    """How many words of a title make its phrase: the head and the word naming the job (« Attaché
    commercial », « Chargé d'affaires », « Chargé de projet »). None when an article or a contracted
    one follows the head (« chargé de la gestion », « chargé du service »): a committee or a service
    is « chargé de la gestion » as often as a person."""
    if len(tokens) < 2 or tokens[1] in {"du", "des", "au", "aux"}:
        return 0
    if tokens[1] not in PREPOSITIONS:
        return 2
    return 3 if len(tokens) > 2 and tokens[2] not in ARTICLES else 0


def derive(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(masculine, feminine) entries in the source's order, each once."""
    entries: dict[str, str] = {}
    for row in rows:
        masculine, feminine = row["masculine"].split(), row["feminine"].split()
        if masculine == feminine or len(masculine) != len(feminine) or masculine[0] == feminine[0]:
            continue
        head = masculine[0]
        if head in SKIPPED:
            continue
        if head in PHRASE_ONLY:
            size = _phrase(masculine)
            if size:
                entries.setdefault(" ".join(masculine[:size]), " ".join(feminine[:size]))
            continue
        entries.setdefault(head, feminine[0])
    return list(entries.items())


def render(entries: list[tuple[str, str]]) -> str:
    return HEADER + "".join(f"{masculine}\t{feminine}\n" for masculine, feminine in entries)


def build(source: Path = DEFAULT_SOURCE) -> str:
    with source.open(encoding="utf-8", newline="") as handle:
        return render(derive(list(csv.DictReader(handle))))


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    TARGET.write_text(build(source), encoding="utf-8")
    print(f"{TARGET}: {TARGET.read_text(encoding='utf-8').count(chr(10)) - HEADER.count(chr(10))} titles")
