"""Knowing when not to answer: questions a resident should put to a person, not to the assistant.

Checked before any retrieval, on the masked question, in French and English. The patterns are
deliberately narrow: a question about a topic (a permit, a tax) is the assistant's to answer from
the published documents; a question about *the resident's own* file, about another level of
government, an emergency, small talk or a harmful request is not. Regular expressions rather than a
classifier because each rule must be readable and testable by the municipality (X3), and a missed
case still reaches the assistant, which then cites published sources or hands over to a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from balise.normalisation import normalise
from balise.text import fold

Reason = Literal[
    "emergency",
    "own_file",
    "other_government",
    "chit_chat",
    "harmful",
    "policy",
    "no_answer",
    "unavailable",
]
REASONS: tuple[Reason, ...] = (
    "emergency",
    "own_file",
    "other_government",
    "chit_chat",
    "harmful",
    "policy",
    "no_answer",
    "unavailable",
)


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


EMERGENCY_NUMBERS = ("911", "811", "211", "112", "117", "118", "144", "143", "145", "147")
"""Quebec's (911 emergencies, 811 Info-Santé and Info-Social, 211 community help) and Switzerland's
(112, 117 police, 118 fire, 144 ambulance, 143 La Main Tendue, 145 Tox Info, 147 Pro Juventute)."""
_NUMBER = "(?:" + "|".join(EMERGENCY_NUMBERS) + ")"
_CALL = (
    r"(?:appel\w*|rappel\w*|compos\w*|signal\w*|fai(?:s|t|tes|re)|telephon\w*|contact\w*|joindre|"
    r"rejoindre|call\w*|dial\w*|phone\w*|ring|text)"
)
# A number is an emergency number only where it stands as one: after a verb of calling (« appelez le
# 118 », « faites le 911 », « call 911 ») or alone as the question, never inside a file, permit or phone
# number, a date or an amount (« demande 2024-118 », « 117,50 $ »).
_NOT_PART_OF_A_LONGER_NUMBER = r"(?![\w/]|[.,:-]\d|\s*(?:\$|€|%|chf|fr\b|francs?|dollars?|\d))"
_AS_EMERGENCY_NUMBER = (
    rf"\b{_CALL}(?:-(?:le|la|les|moi|nous|vous))?\s+(?:(?:le|au|the|du)\s+)?(?:(?:numero|number|no)\s+)?"
    rf"{_NUMBER}{_NOT_PART_OF_A_LONGER_NUMBER}"
)
_NUMBER_ALONE = rf"^\W*{_NUMBER}\W*$"

# Accent-folded, lower-case text is matched: « fuite de gaz » is written "fuite de gaz".
_EMERGENCY = _rx(
    _AS_EMERGENCY_NUMBER,
    _NUMBER_ALONE,
    r"\b(?:urgence|urgent|emergency)\b",
    r"\b(?:au feu|feu (?:dans|chez)|incendie|fire (?:in|at)|on fire|fumee)\b",
    r"\b(?:fuite de gaz|odeur de gaz|gas leak|smell (?:of )?gas)\b",
    r"\b(?:crise cardiaque|heart attack|inconscient|unconscious|ne respire plus|not breathing|"
    r"saigne beaucoup|bleeding|noyade|drowning|overdose|surdose|empoisonn\w*|poisoned)\b",
    r"\b(?:se suicider|me suicider|suicide|me tuer|kill myself|en danger|in danger|agress\w+|"
    r"attacked|assault\w*|violence conjugale|domestic violence|arme a feu|gun)\b",
    r"\b(?:accident (?:grave|de la route)|car accident|inondation en cours|flooding now|"
    r"l'eau monte|water is rising|effondr\w+|collapsed|intrus|intruder|cambriolage en cours|"
    r"break-in)\b",
    r"\b(?:appeler (?:une )?ambulance|call an ambulance|police vite|help me now|au secours|a l'aide)\b",
)
_OWN_FILE = _rx(
    r"\b(?:ou en est|where is|status of|statut de|suivi de|avancement de|etat de) "
    r"(?:ma|mon|mes|my)\b",
    r"\b(?:ma|mon|my) (?:demande|dossier|requete|plainte|application|request|file|case|claim|"
    r"reclamation|permis|permit|facture|bill|compte de taxes?|tax bill|compte|account|"
    r"inscription|registration|contravention|constat|ticket|amende|fine|paiement|payment|"
    r"remboursement|refund|licence|license|evaluation fonciere|property assessment)\b"
    r"(?!\s+(?:de|d'|du|des|for|of)\s+(?:construction|renovation|demolition))",
    r"\b(?:numero de dossier|file number|case number|reference number|numero de reference)\b",
    r"\b(?:(?:a|as)-t-on|avez-vous|have you|did you|est-ce que vous avez) "
    r"(?:bien )?(?:recu|traite|received|processed)\b",
    r"\b(?:quand (?:vais-je|est-ce que je vais|recevrai-je)|when will i) "
    r"(?:recevoir|avoir|obtenir|get|receive)\b",
    r"\b(?:pourquoi (?:ma|mon)|why (?:was|is|did) my)\b",
    r"\b(?:mes donnees personnelles|my personal (?:data|information)|mon adresse dans vos|"
    r"changer mon adresse|update my address|mettre a jour mon)\b",
)
_OTHER_GOVERNMENT = _rx(
    r"\b(?:gouvernement (?:federal|du canada|du quebec|provincial|cantonal|de la confederation)|"
    r"federal government|provincial government|government of (?:canada|quebec)|"
    r"confederation|conseil federal|premier ministre|prime minister|parlement|parliament|"
    r"assemblee nationale|national assembly)\b",
    r"\b(?:revenu quebec|agence du revenu du canada|canada revenue agency|\barc\b|\bcra\b|"
    r"service canada|services quebec|saaq|ramq|assurance[- ]emploi|employment insurance|"
    r"assurance[- ]maladie du quebec|passeport canadien|canadian passport|immigration canada|"
    r"ircc|citoyennete canadienne|canadian citizenship|pension de la securite de la vieillesse|"
    r"old age security|regime de rentes du quebec|quebec pension plan|\bavs\b|\bai\b federale|"
    r"office cantonal|administration federale|secretariat d'etat aux migrations)\b",
    r"\b(?:mon permis de conduire|my driver'?s licen[cs]e|(?:carte|card) d?'?assurance[- ]maladie|"
    r"health (?:insurance )?card|impot (?:federal|provincial|cantonal|sur le revenu)|"
    r"income tax|declaration de revenus|tax return)\b",
    r"\b(?:ministere|ministry|ministre|minister) (?:de|du|des|of) "
    r"(?:la sante|l'education|the environment|l'environnement|la defense|transports|health|"
    r"education|defence|immigration|la justice|justice|finances?)\b",
    r"\b(?:depute federal|member of parliament|depute provincial|conseiller national|"
    r"conseiller aux etats|elections? federales?|federal elections?|"
    r"elections? provinciales?|provincial elections?|votation federale)\b",
)
_CHIT_CHAT = _rx(
    r"^\W*(?:bonjour|bonsoir|salut|allo|hello|hi|hey|coucou|merci|thanks|thank you|"
    r"bonne journee|have a nice day|au revoir|bye|goodbye|ok|d'accord|oui|non|yes|no)\W*$",
    r"\b(?:comment (?:ca|tu) va|comment allez-vous|how are you|ca va\s*\?)",
    r"\b(?:qui es-tu|qui etes-vous|who are you|es-tu (?:un|une) (?:robot|humain|ia)|"
    r"are you (?:a )?(?:robot|human|bot|real)|tu t'appelles|what'?s your name|ton nom)\b",
    r"\b(?:raconte(?:-moi)? une blague|tell me a joke|une blague|a joke|chante|sing me|"
    r"un poeme|a poem|ecris(?:-moi)? une (?:chanson|histoire)|write (?:me )?a (?:song|story))\b",
    r"\b(?:quel temps fait-il|what'?s the weather|la meteo|weather (?:today|tomorrow)|"
    r"qui va gagner|who will win|score du match|resultat du match|game score|"
    r"quel est le sens de la vie|meaning of life|tu m'aimes|do you love me|je m'ennuie|i'?m bored|"
    r"ton film prefere|your favou?rite|recette de|recipe for|capitale de|capital of)\b",
)
_HARMFUL = _rx(
    r"\b(?:fabriquer|faire|build|make|construire) (?:une |a |an )?(?:bombe|bomb|explosif|explosive|"
    r"arme|weapon|cocktail molotov|molotov)\b",
    r"\b(?:pirater|hacker|hack into|hack the|contourner la securite|bypass security|"
    r"mot de passe (?:d'un|de quelqu'un|du maire|de l'administrateur)|someone'?s password|"
    r"voler|steal|frauder|commit fraud|fraude fiscale|tax fraud|blanchir|launder)\b",
    r"\b(?:adresse|numero de telephone|address|phone number|salaire|salary|dossier medical|"
    r"medical record|casier judiciaire|criminal record) (?:de mon voisin|of my neighbou?r|"
    r"du maire|of the mayor|d'un employe|of an employee|de (?:madame|monsieur|mme|m\.)|"
    r"de \[personne|of \[personne)",
    r"\b(?:ou habite|where does) (?:mon voisin|my neighbou?r|le maire|the mayor|\[personne)",
    r"\b(?:tuer|kill|blesser|hurt|empoisonner|poison|menacer|threaten|harceler|harass|"
    r"se venger|revenge on) (?:mon|ma|le|la|les|my|the|a|someone|quelqu'un)\b",
    r"\b(?:insulte|insult|injure|(?:fuck|merde|connard|conne|salope|idiot de maire)\b)",
    r"\b(?:ignore (?:tes|vos|your|all|previous) (?:instructions|consignes)|"
    r"ignore les instructions|oublie tes instructions|system prompt|prompt systeme|jailbreak)\b",
    r"\b(?:drogue|drugs?|cocaine|heroin|meth) (?:a vendre|for sale|acheter|buy|fabriquer|make)\b",
)

_RULES: tuple[tuple[Reason, re.Pattern[str]], ...] = (
    ("emergency", _EMERGENCY),
    ("harmful", _HARMFUL),
    ("other_government", _OTHER_GOVERNMENT),
    ("own_file", _OWN_FILE),
    ("chit_chat", _CHIT_CHAT),
)


@dataclass(frozen=True)
class OutOfScope:
    """Why the question goes to a person, and the words that showed it (for the staff statistics)."""

    reason: Reason
    matched: str


def out_of_scope(question: str) -> OutOfScope | None:
    """The first rule the question meets, emergencies first; None when the assistant may answer.

    The question is read as a person reads it (:mod:`balise.normalisation`): « fe\u200bu » is « feu »."""
    text = fold(normalise(question).text)
    for reason, pattern in _RULES:
        match = pattern.search(text)
        if match:
            return OutOfScope(reason, match.group(0).strip())
    return None
