"""Each requirement in the reader's language, and its light markdown (``*…*``, ``**…**``) as spans.

``requirements.py`` is generated from REQUIREMENTS.md and holds the English text; the French text,
written from the wording of the Quebec and Swiss guides, is kept here beside it, by id. The conformity
page, its printable and Word reports read a requirement through :func:`requirement_text`.
"""

# ruff: noqa: E501
from __future__ import annotations

import re
from typing import NamedTuple

from balise.governance.requirements import REQUIREMENTS
from balise.i18n import current_locale

FRENCH_SECTIONS: dict[str, str] = {
    "Uses the product must serve": "Usages que le produit doit servir",
    "Directives for every employee": "Directives pour chaque employé",
    "Discouraged or harmful uses": "Usages déconseillés ou nuisibles",
    "Principles": "Principes",
    "Governance steps": "Étapes de gouvernance",
    "Legal anchors to respect": "Ancrages juridiques à respecter",
}

FRENCH: dict[str, str] = {
    "U1": "Agent conversationnel sur le site web de la municipalité qui répond plus rapidement aux questions des citoyens, à partir de l'information publique de la municipalité.",
    "U2": "Rédaction et résumés ; amélioration de la qualité d'un texte (notes de service, courriels, notes).",
    "U3": "Offres d'emploi et descriptions de tâches.",
    "U4": "Assistant pour le personnel qui permet d'« interroger » les documents internes, de trouver rapidement l'information et de produire des résumés adaptés au public visé (degré de vulgarisation), à la manière de Redbox au Royaume-Uni.",
    "U5": "Révision de l'orthographe et de la syntaxe ; réécriture en *langage clair* pour l'accessibilité.",
    "U6": "Titres accrocheurs pour les publications.",
    "U7": "Trouver rapidement de la documentation sur un sujet.",
    "U8": "Résumés d'enregistrements audio (enregistrements de réunions) : transcription, puis résumé.",
    "U9": "Visuels pour la communication (génération d'images), uniquement par un service autorisé et selon la politique de D4/X2.",
    "U10": "Soutien aux programmeurs (questions de code) par la même passerelle protégée.",
    "D0": "N'utiliser que les outils autorisés par la municipalité ; la plateforme autorisée remplace les outils publics non encadrés (« IA de l'ombre »).",
    "D1": "Toujours vérifier les faits et relire les productions de l'IA, surtout pour la communication publique ou les décisions : les sources doivent être visibles et vérifiables ; les productions destinées à la publication ou à une décision passent par une révision humaine.",
    "D2": "Mentionner l'usage de l'IA : toute production assistée par l'IA porte une mention indiquant qu'elle a été produite avec l'IA, à l'interne comme à l'externe.",
    "D3": "Ne jamais soumettre d'information confidentielle ou de renseignements personnels à une plateforme d'IA générative : les renseignements personnels sont détectés et retirés avant tout appel à un modèle ; les documents confidentiels ne vont qu'aux modèles approuvés pour eux.",
    "D4": "Ne jamais soumettre de contenu protégé par le droit d'auteur : avertir et bloquer lorsqu'il s'agit de contenu de tiers protégé.",
    "X1": "Évaluer un employé ou un candidat à un emploi avec l'IA : refusé.",
    "X2": "Produire une image ou une vidéo qui ressemble à une personne réelle (par exemple une personnalité politique) : refusé.",
    "X3": "Réduire ou compliquer l'accès des citoyens à des agents humains : une solution de rechange humaine est toujours offerte.",
    "X4": "Remplacer son propre jugement ou confier à l'IA une compétence qu'on ne possède pas : le produit le signale et exige une révision.",
    "X5": "Utiliser l'IA générative pour ce que fait un moteur de recherche classique : le produit oriente vers la recherche en rappelant le coût environnemental.",
    "P1": "Amélioration des services et valeur ajoutée : le besoin et le bénéfice sont évalués avant l'adoption ; l'impact environnemental est mesuré.",
    "P2": "Responsabilité humaine : toute décision assistée par l'IA qui peut toucher une personne est supervisée, validée et approuvée par un humain ; un mécanisme de reddition de comptes traite les plaintes.",
    "P3": "Transparence et explicabilité : chaque usage de l'IA est déclaré à la population et expliqué ; les sources sont indiquées ; les citoyens consentent à interagir avec l'IA générative.",
    "P4": "Exactitude et fiabilité : tests de performance réguliers, taux d'erreur mesurés et suivis ; réponses fondées sur les documents locaux.",
    "P5": "Égalité et inclusion : les biais et les associations stéréotypées sont évalués tout au long du cycle de vie.",
    "P6": "Sécurité des données : confidentialité maximale ; seule l'information communicable parvient à l'IA générative ; sécurité robuste ; hébergement local privilégié ; conformité à la Loi 25 du Québec (et à la nLPD suisse).",
    "P7": "Participation : les groupes sous-représentés (dont les femmes) prennent part à la conception, aux essais et au déploiement des outils d'IA de la municipalité (QC P5).",
    "P8": "Les effets sur le service public et sur le personnel sont pesés avant et pendant l'usage : déshumanisation des services, perte d'autonomie professionnelle ; l'IA n'est adoptée que pour un besoin réel, jamais « pour faire de l'IA » (risques QC, P1).",
    "G1": "Préparation : objectifs clairs, besoin, budget proportionné, acceptabilité sociale, consignés pour chaque système d'IA (registre et évaluation d'impact).",
    "G2": "Sondage auprès du personnel sur l'état de préparation, les préoccupations, l'usage actuel et les compétences (préparation QC ; feuille de route CH, étape 1 « état des lieux »).",
    "G3": "Évaluation des fournisseurs au regard des principes de la municipalité (hébergement, usage des données, option de sortie, interopérabilité).",
    "G4": "Rôles et responsabilités pour chaque outil déployé ; une personne responsable désignée ; une personne responsable de la protection des renseignements personnels.",
    "G5": "Autoévaluation de la maturité en IA.",
    "G6": "Gestion du changement : maintenir l'accès en personne et par téléphone ; accompagner les citoyens ; former le personnel sur un intranet ; ajuster les attentes sur ce que l'outil peut faire et ne peut pas faire.",
    "G7": "Contrôle et évaluation continus des outils, y compris des biais et des associations stéréotypées (voir P4, P5).",
    "G8": "Règles sur l'IA de l'ombre et blocage des plateformes interdites sur les appareils municipaux.",
    "G9": "Conséquences du non-respect définies, pour le personnel et pour les fournisseurs.",
    "G10": "Processus de vérification humaine des décisions prises avec l'IA.",
    "G11": "Procédure interne pour les plaintes et les demandes des citoyens au sujet des outils d'IA, avec une personne responsable désignée.",
    "G12": "Vue de conformité : chaque recommandation ci-dessus reliée aux contrôles du produit et à des preuves tirées en direct.",
    "G13": "Campagne de formation (CH, étape 1) : comprendre les forces et les faiblesses, les règles d'usage, tester des cas d'usage ; savoir qui a été formé.",
    "G14": "Feuille de route stratégique (CH, étape 2) : pilotage du projet ; inventaire ; mémento (directive interne) sur l'usage de l'IA ; communication interne ; service pilote ; mutualisation et choix stratégiques ; bilan intermédiaire (améliorations par rapport aux ressources).",
    "G15": "Mesure du projet pilote : cartographier les processus chronophages, mesurer le temps avant et après, rendre compte des gains, des défis et du ressenti du personnel.",
    "G16": "Mutualisation intercommunale (CH, étape 3, enseignements) : partager expériences, cas d'usage, modèles, jeux d'évaluation et ressources entre municipalités, et négocier ensemble les outils commerciaux ; un seul déploiement peut servir plusieurs municipalités.",
    "G17": "Aucune dépendance à un fournisseur : interopérabilité, formats ouverts, exportation complète des données, plusieurs fournisseurs de modèles, une option de sortie claire.",
    "G18": "Service pilote choisi pour sa motivation et ses tâches ; des personnes-ressources nommées dans le service pilote, puis dans chaque service, pour promouvoir le bon usage et partager l'expérience entre pairs (CH, étapes 2, 4, 5).",
    "G19": "Le conseil pilote : une discussion stratégique préalable avec un budget pour la phase de test ; les résultats du pilote présentés au conseil, qui décide de l'extension ; les résultats communiqués au personnel et à la population (conseils généraux, assemblées primaires) (CH, étapes 2, 5, 6).",
    "G20": "Les processus sont repensés, pas copiés : le pilote cartographie ses processus chronophages et les simplifie avant et pendant l'ajout de l'IA (CH §1, étape 4).",
    "G21": "Ressources d'apprentissage par public : un glossaire et une introduction, des guides de rédaction de requêtes, les bases de la protection des données et de la sécurité, des formats de formation pour les élus, les testeurs et tout le personnel (glossaire QC ; CH §2, §5).",
    "L1": "Les organismes publics du Québec sont soumis à la Loi sur l'accès aux documents des organismes publics et sur la protection des renseignements personnels (A-2.1), modifiée par la Loi 25 : personne responsable de la protection des renseignements personnels (art. 8), règles de gouvernance avec un processus de plainte (art. 63.3), évaluation des facteurs relatifs à la vie privée avant d'acquérir ou de développer un système d'information (art. 63.5), registre des incidents de confidentialité (art. 63.11), avis pour les décisions fondées exclusivement sur un traitement automatisé (art. 65.2), communication à l'extérieur du Québec seulement après évaluation (art. 70.1).",
    "L2": "Suisse : la loi fédérale révisée sur la protection des données (nLPD) et les règles cantonales s'appliquent aux communes.",
    "L3": "L'article 50 du règlement européen sur l'IA sert de référence de conception pour la transparence : dire aux personnes qu'elles parlent à une IA, marquer le contenu généré par l'IA de façon lisible par machine.",
}

_ENGLISH = {rid: (section, text) for rid, section, text in REQUIREMENTS}


class Requirement(NamedTuple):
    id: str
    section: str
    text: str


def requirement_text(rid: str, locale: str | None = None) -> Requirement:
    """A requirement's section and text in ``locale`` (the reader's by default); English otherwise."""
    section, text = _ENGLISH[rid]
    if (locale or current_locale.get()) == "fr":
        return Requirement(rid, FRENCH_SECTIONS.get(section, section), FRENCH.get(rid, text))
    return Requirement(rid, section, text)


class Span(NamedTuple):
    text: str
    bold: bool = False
    italic: bool = False


_EMPHASIS = re.compile(r"\*\*(?P<bold>[^*]+)\*\*|\*(?P<italic>[^*\s][^*]*)\*")


def emphasis(text: str) -> list[Span]:
    """``*…*`` and ``**…**`` of the requirements' markdown as italic and bold spans, without asterisks."""
    spans: list[Span] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            spans.append(Span(text[position : match.start()]))
        if match.group("bold") is not None:
            spans.append(Span(match.group("bold"), bold=True))
        else:
            spans.append(Span(match.group("italic"), italic=True))
        position = match.end()
    if position < len(text):
        spans.append(Span(text[position:]))
    return spans
