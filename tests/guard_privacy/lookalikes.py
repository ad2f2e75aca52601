"""Texts where no person is named: streets and places named after people, and role words opening a line.

Names come from Faker (``fr_CA``, ``fr_CH``, ``de_CH``, ``it_IT``), so that the list is not made of the
examples the veto rules were written from. ``street_names()`` gives 200 distinct names.
"""

from __future__ import annotations

import random

from faker import Faker

SEED = 20261206
PLACE_TYPES = [
    "rue",
    "chemin",
    "place",
    "avenue",
    "croissant",
    "boulevard",
    "impasse",
    "route",
    "parc",
    "allée",
    "promenade",
    "quai",
    "square",
    "sentier",
    "montée",
    "côte",
    "terrasse",
    "esplanade",
    "école",
    "aréna",
    "bibliothèque",
    "centre sportif",
    "pavillon",
    "salle",
    "rang",
    "ruelle",
]
STREET_SENTENCES = (
    "Les travaux du {s} débuteront lundi.",
    "{S} : fermeture complète du 3 au 7 mars.",
    "Déneigement prioritaire : {s}, puis {t}.",
    "La collecte est reportée pour les résidents du {s}.",
    "Un nouvel abribus sera installé à l'angle du {s} et du {t}.",
    "- {S}\n- {T}",
)
ROLE_LINES = (
    "Requérant : à compléter par le service.",
    "Propriétaire : voir le rôle d'évaluation foncière.",
    "Quiconque contrevient au présent règlement commet une infraction.",
    "Carte d'accès à l'écocentre perdue : 10 $ de frais.",
    "Carte\nLe plan du secteur est joint.",
    "Demandeur : la municipalité.",
    "Plaignante : anonyme.",
    "Locataire ou propriétaire, chacun déneige son entrée.",
    "Témoin : aucun.",
    "Signataire : le greffier.",
    "Objet : demande de dérogation mineure.",
    "Considérant que le conseil a adopté le règlement 2024-118;",
    "Attendu qu'un avis de motion a été donné;",
    "Mandataire : à désigner.",
    "Contribuable, votre compte de taxes est disponible en ligne.",
    "Occupant : vacant depuis 2023.",
    "Bénéficiaire : organisme à but non lucratif.",
    "Référence : résolution CM-2025-044.",
    "Annexe : plan d'implantation.",
    "Dossier : 2025-0412.",
)


def street_names(count: int = 200, seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    fakers = [Faker(locale) for locale in ("fr_CA", "fr_CH", "de_CH", "it_IT")]
    for number, fake in enumerate(fakers):
        fake.seed_instance(seed + number)
    names: dict[str, None] = {}
    while len(names) < count:
        fake = rng.choice(fakers)
        first, last = fake.first_name(), fake.last_name()
        person = rng.choice([f"{first}-{last}", f"{first} {last}", f"{first}-{last}", last])
        particle = "du Docteur-" if rng.random() < 0.05 else ""
        names[f"{rng.choice(PLACE_TYPES)} {particle}{person}"] = None
    return list(names)


def street_texts(seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    streets = street_names(seed=seed)
    texts = []
    for street in streets:
        other = rng.choice(streets)
        sentence = rng.choice(STREET_SENTENCES)
        texts.append(
            sentence.format(
                s=street, S=street[0].upper() + street[1:], t=other, T=other[0].upper() + other[1:]
            )
        )
    return texts
