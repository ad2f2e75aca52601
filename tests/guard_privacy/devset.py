"""A deterministic development set for the privacy guard: Quebec and Swiss municipal sentences with
gold spans, and look-alikes that must not be flagged (by-law and resolution numbers, amounts, meeting
dates, cadastre lots, numbers with a wrong checksum, organisations and places).

``python tests/guard_privacy/devset.py OUT.jsonl [--size N]`` writes it in the ``balise eval pii`` format.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED = 20261122
SIZE = 600

FIRST_QC = [
    "Jean",
    "Marie",
    "Louis",
    "Sophie",
    "Mathieu",
    "Isabelle",
    "Pierre-Luc",
    "Marie-Ève",
    "Chantal",
    "Sylvain",
    "Nathalie",
    "François",
    "Geneviève",
    "Alexandre",
    "Catherine",
    "Étienne",
    "Julie",
    "Martin",
    "Valérie",
    "Guillaume",
    "Mélanie",
    "Simon",
    "Annie",
    "Benoît",
    "Josée",
    "Karine",
]
FIRST_CH = [
    "Luc",
    "Céline",
    "Nicolas",
    "Laurence",
    "Olivier",
    "Anne-Claude",
    "Yves",
    "Séverine",
    "Cédric",
    "Nadia",
    "Raphaël",
    "Sandrine",
    "Pascal",
    "Murielle",
    "Christophe",
    "Valentine",
]
LAST_QC = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
]
LAST_CH = [
    "Favre",
    "Rochat",
    "Pittet",
    "Morand",
    "Bonvin",
    "Fellay",
    "Rey",
    "Vuilleumier",
    "Jaquet",
    "Cretton",
    "Bagnoud",
    "Dubuis",
    "Moret",
    "Chappuis",
    "Perrin",
    "Mottier",
    "Python",
    "Zufferey",
]
STREETS_QC = [
    "Saint-Denis",
    "Sherbrooke",
    "Notre-Dame",
    "des Érables",
    "du Lac",
    "Principale",
    "Jean-Talon",
    "René-Lévesque",
    "de la Montagne",
    "des Pins",
    "Wellington",
    "Saint-Jean",
    "du Moulin",
    "de l'Église",
    "des Pionniers",
    "Laurier",
    "Champlain",
    "des Bouleaux",
]
TYPES_QC = ["rue", "rue", "rue", "avenue", "boulevard", "chemin", "rang", "montée", "croissant", "place"]
STREETS_CH = [
    "rue du Simplon",
    "avenue de la Gare",
    "chemin des Vignes",
    "route de Lausanne",
    "rue de Bourg",
    "place de la Palud",
    "rue du Rhône",
    "chemin de Pierrefleur",
    "avenue de Cour",
    "rue des Remparts",
    "route du Levant",
    "chemin du Stand",
    "Grand-Rue",
    "avenue de la Harpe",
]
CITIES_QC = [
    "Montréal",
    "Québec",
    "Trois-Rivières",
    "Sherbrooke",
    "Gatineau",
    "Saint-Jean-sur-Richelieu",
    "Rivière-du-Loup",
    "Rimouski",
    "Sainte-Julie",
    "Val-d'Or",
    "Lévis",
    "Saguenay",
]
CITIES_CH = [
    "Lausanne",
    "Sion",
    "Martigny",
    "Yverdon-les-Bains",
    "Nyon",
    "Monthey",
    "Sierre",
    "Vevey",
    "Morges",
    "Genève",
    "Neuchâtel",
    "Fribourg",
]
ORGS = [
    "Hydro-Québec",
    "Desjardins",
    "la Société de transport de Montréal",
    "Vidéotron",
    "la SAAQ",
    "la Banque cantonale vaudoise",
    "les CFF",
    "Romande Énergie",
    "la Poste",
    "le CIUSSS de l'Estrie",
    "l'Union des municipalités du Québec",
    "la MRC de Memphrémagog",
    "l'Union des communes vaudoises",
]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
DOMAINS = [
    "videotron.ca",
    "gmail.com",
    "hotmail.com",
    "bell.net",
    "bluewin.ch",
    "sunrise.ch",
    "outlook.fr",
    "yahoo.ca",
    "ville.exemple.qc.ca",
    "commune-exemple.ch",
]
AREA_QC = ["514", "438", "418", "581", "450", "819", "873", "367"]
CH_PREFIX = ["021", "022", "024", "026", "027", "032", "079", "078", "076", "077"]
PLATE_CANTONS = ["VD", "VS", "GE", "FR", "NE", "JU"]
LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
POSTAL_FIRST = "ABCEGHJKLMNPRSTVXY"


def _luhn_check(payload: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def _ean13_check(payload: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(payload))
    return str((10 - total % 10) % 10)


def _iban(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    raw = f"{country}{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


class Gen:
    """Value generators; a slot whose name starts with ``_`` is a look-alike with no gold span."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.swiss = False

    def _digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def first(self) -> str:
        return self.r.choice(FIRST_CH if self.swiss else FIRST_QC)

    def last(self) -> str:
        return self.r.choice(LAST_CH if self.swiss else LAST_QC)

    def PERSON(self) -> str:
        return f"{self.first()} {self.last()}"

    def SURNAME(self) -> str:
        return self.last()

    def EMAIL(self) -> str:
        first = re.sub(r"[^a-z]", "", self.first().lower().translate(str.maketrans("éèëêïç", "eeeeic")))
        last = re.sub(r"[^a-z]", "", self.last().lower().translate(str.maketrans("éèëêôç", "eeeeoc")))
        local = self.r.choice([f"{first}.{last}", f"{first[0]}{last}", f"{last}{self.r.randint(1, 99)}"])
        domain = self.r.choice(DOMAINS)
        style = self.r.random()
        if style < 0.7:
            return f"{local}@{domain}"
        if style < 0.85:
            return f"{local} [at] {domain}"
        return f"{local} arobase {domain}"

    def PHONE(self) -> str:
        if self.swiss:
            prefix = self.r.choice(CH_PREFIX)
            rest = f"{self.r.randint(200, 999)} {self._digits(2)} {self._digits(2)}"
            if self.r.random() < 0.3:
                return f"+41 {prefix[1:]} {rest}"
            return f"{prefix} {rest}"
        area = self.r.choice(AREA_QC)
        exchange, line = self.r.randint(200, 989), self._digits(4)
        if str(exchange)[1:] == "11":
            exchange += 1
        return self.r.choice(
            [
                f"{area}-{exchange}-{line}",
                f"({area}) {exchange}-{line}",
                f"{area} {exchange}-{line}",
                f"+1 {area} {exchange} {line}",
                f"{area}.{exchange}.{line}",
            ]
        )

    def ADDRESS(self) -> str:
        if self.swiss:
            value = f"{self.r.choice(STREETS_CH)} {self.r.randint(1, 120)}{self.r.choice(['', '', '', 'b'])}"
            return value[0].upper() + value[1:] if self.r.random() < 0.3 else value
        number = str(self.r.randint(1, 9999))
        street = f"{self.r.choice(TYPES_QC)} {self.r.choice(STREETS_QC)}"
        if self.r.random() < 0.2:
            street += f" {self.r.choice(['Est', 'Ouest', 'Nord'])}"
        unit = self.r.random()
        if unit < 0.2:
            return f"{number}, {street}, app. {self.r.randint(1, 40)}"
        if unit < 0.3:
            return f"{self.r.randint(1, 12)}-{number}, {street}"
        if unit < 0.4:
            return f"{number} {street}, bureau {self.r.randint(100, 500)}"
        return f"{number}{self.r.choice([',', ''])} {street}"

    def POSTAL_CODE(self) -> str:
        r = self.r
        return (
            f"{r.choice(POSTAL_FIRST)}{r.randint(0, 9)}{r.choice(LETTERS[:-2])} "
            f"{r.randint(0, 9)}{r.choice(LETTERS[:-2])}{r.randint(0, 9)}"
        )

    def CA_SIN(self) -> str:
        payload = str(self.r.choice([1, 2, 3, 4, 5, 6, 7, 9])) + self._digits(7)
        number = payload + _luhn_check(payload)
        sep = self.r.choice([" ", "-", ""])
        return sep.join([number[:3], number[3:6], number[6:]])

    def _BAD_SIN(self) -> str:
        number = self.CA_SIN().replace(" ", "").replace("-", "")
        number = number[:-1] + str((int(number[-1]) + self.r.randint(1, 9)) % 10)
        return f"{number[:3]} {number[3:6]} {number[6:]}"

    def CA_RAMQ(self) -> str:
        last = re.sub(r"[^A-Z]", "", self.last().upper().translate(str.maketrans("ÉÈÔ", "EEO")))
        letters = (last + "XXX")[:3] + self.first()[0].upper().replace("É", "E")
        month = self.r.randint(1, 12) + self.r.choice([0, 50])
        value = (
            f"{letters}{self.r.randint(40, 99):02d}{month:02d} {self.r.randint(1, 28):02d}{self._digits(2)}"
        )
        return value if self.r.random() < 0.5 else f"{value[:4]} {value[4:8]} {value[9:]}"

    def CA_QC_DRIVER_LICENCE(self) -> str:
        sep = self.r.choice(["-", "-", " ", ""])
        birth = f"{self.r.randint(1, 28):02d}{self.r.randint(1, 12):02d}{self.r.randint(40, 99)}"
        initial = self.last()[0].upper().replace("É", "E").replace("Ô", "O")
        return f"{initial}{self._digits(4)}{sep}{birth}{sep}{self._digits(2)}"

    def CH_AVS(self) -> str:
        payload = "756" + self._digits(9)
        number = payload + _ean13_check(payload)
        if self.r.random() < 0.8:
            return f"{number[:3]}.{number[3:7]}.{number[7:11]}.{number[11:]}"
        return number

    def IBAN(self) -> str:
        if self.swiss or self.r.random() < 0.6:
            return _iban("CH", self._digits(5) + self._digits(12))
        return _iban(
            "FR", self._digits(10) + "".join(self.r.choice(LETTERS) for _ in range(2)) + self._digits(11)
        )

    def CREDIT_CARD(self) -> str:
        kind = self.r.choice(["visa", "mc", "mc2", "amex"])
        prefix = {
            "visa": "4",
            "mc": str(self.r.randint(51, 55)),
            "mc2": str(self.r.randint(2221, 2720)),
            "amex": self.r.choice(["34", "37"]),
        }[kind]
        length = 15 if kind == "amex" else 16
        payload = prefix + self._digits(length - 1 - len(prefix))
        number = payload + _luhn_check(payload)
        if kind == "amex":
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        sep = self.r.choice([" ", "-", ""])
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def _BAD_CARD(self) -> str:
        number = self.CREDIT_CARD().replace(" ", "").replace("-", "")
        number = number[:-1] + str((int(number[-1]) + self.r.randint(1, 9)) % 10)
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))

    def _date(self, year_from: int, year_to: int) -> str:
        day, month, year = self.r.randint(1, 28), self.r.randint(1, 12), self.r.randint(year_from, year_to)
        style = self.r.random()
        if style < 0.5:
            return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"
        if style < 0.7:
            return f"{year}-{month:02d}-{day:02d}"
        return f"{day:02d}{'.' if self.swiss else '/'}{month:02d}{'.' if self.swiss else '/'}{year}"

    def DATE_OF_BIRTH(self) -> str:
        return self._date(1935, 2010)

    def _MEETING_DATE(self) -> str:
        return self._date(2019, 2026)

    def LICENCE_PLATE(self) -> str:
        r = self.r
        if self.swiss:
            return (
                f"{r.choice(PLATE_CANTONS)} {r.randint(1, 999)} {r.randint(100, 999)}"
                if r.random() < 0.6
                else (f"{r.choice(PLATE_CANTONS)} {r.randint(1000, 99999)}")
            )
        letters = "".join(r.choice(LETTERS) for _ in range(3))
        digits = self._digits(3)
        return r.choice([f"{letters} {digits}", f"{digits} {letters}", f"{letters}{digits}"])

    def _BYLAW(self) -> str:
        return self.r.choice(
            [
                f"règlement no {self.r.randint(2015, 2026)}-{self.r.randint(1, 250):03d}",
                f"règlement {self.r.randint(1000, 1999)}-{self.r.randint(2015, 2026)}",
                f"règlement RCA{self.r.randint(10, 26)}-{self.r.randint(1000, 9999)}",
            ]
        )

    def _RESOLUTION(self) -> str:
        return self.r.choice(
            [
                f"résolution CM-{self.r.randint(2019, 2026)}-{self.r.randint(1, 12):02d}-"
                f"{self.r.randint(1, 400):03d}",
                f"résolution no {self.r.randint(2019, 2026)}-{self.r.randint(100, 999)}",
                f"décision municipale {self.r.randint(2019, 2026)}/{self.r.randint(1, 99)}",
            ]
        )

    def _AMOUNT(self) -> str:
        value = self.r.randint(100, 9_999_999)
        grouped = f"{value:,}".replace(",", " ")
        return self.r.choice(
            [f"{grouped} $", f"{grouped},{self._digits(2)} $", f"CHF {grouped}.–", f"{grouped} francs"]
        )

    def _LOT(self) -> str:
        return f"lot {self.r.randint(1, 6)} {self._digits(3)} {self._digits(3)}"

    def _FILE(self) -> str:
        return self.r.choice(
            [
                f"dossier {self.r.randint(2019, 2026)}-{self._digits(4)}",
                f"permis de construction PC-{self.r.randint(2019, 2026)}-{self._digits(4)}",
                f"appel d'offres AO-{self.r.randint(2019, 2026)}-{self._digits(3)}",
            ]
        )

    def FIRST(self) -> str:
        return self.first()

    def _PARK(self) -> str:
        return self.r.choice(
            ["Jean-Drapeau", "des Braves", "Maisonneuve", "du Bois-de-Coulonge", "Lafontaine"]
        )

    def _PREAVIS(self) -> str:
        return f"{self.r.randint(1, 40)}/{self.r.randint(2019, 2026)}"

    def _ORG(self) -> str:
        return self.r.choice(ORGS)

    def _CITY(self) -> str:
        return self.r.choice(CITIES_CH if self.swiss else CITIES_QC)

    def _STREET(self) -> str:
        if self.swiss:
            return self.r.choice(STREETS_CH)
        return f"la {self.r.choice(TYPES_QC[:3])} {self.r.choice(STREETS_QC)}"


QC_TEMPLATES = [
    "Bonjour, je m'appelle {PERSON} et j'habite au {ADDRESS}, {_CITY} (Québec) {POSTAL_CODE}.",
    "Le citoyen {PERSON} (tél. : {PHONE}) se plaint du bruit des travaux sur {_STREET}.",
    "Veuillez répondre à {PERSON} à l'adresse {EMAIL} avant la séance du {_MEETING_DATE}.",
    "Mme {SURNAME} a demandé un remboursement de {_AMOUNT} pour des dommages à sa propriété du {ADDRESS}.",
    "M. {SURNAME} conteste le constat d'infraction visant le véhicule immatriculé {LICENCE_PLATE}.",
    "Numéro d'assurance sociale de l'employé : {CA_SIN}. Date de naissance : {DATE_OF_BIRTH}.",
    "{PERSON}, né le {DATE_OF_BIRTH}, demande une exemption de taxe pour le {_LOT} du cadastre du Québec.",
    "Pour le dossier de subvention, le requérant fournit son NAS {CA_SIN} et sa carte RAMQ {CA_RAMQ}.",
    "Numéro d'assurance maladie : {CA_RAMQ}; permis de conduire : {CA_QC_DRIVER_LICENCE}.",
    "Le paiement de {_AMOUNT} a été fait avec la carte {CREDIT_CARD} au nom de {PERSON}.",
    "Le conseil adopte le {_BYLAW} conformément à la {_RESOLUTION} du {_MEETING_DATE}.",
    "Le montant de {_AMOUNT} sera versé à {_ORG} pour l'entretien du {_LOT}.",
    "Le numéro {_BAD_SIN} inscrit au formulaire ne correspond à aucun NAS valide.",
    "La carte {_BAD_CARD} a été refusée; le paiement de {_AMOUNT} reste dû.",
    "Pour joindre {PERSON}, composez le {PHONE} ou écrivez à {EMAIL}.",
    "La plainte de {PERSON}, domiciliée au {ADDRESS}, vise le {_FILE}.",
    "Le camion de déneigement a heurté une voiture (plaque {LICENCE_PLATE}) sur {_STREET}.",
    "Lors de la séance du {_MEETING_DATE}, {_ORG} a présenté le bilan du {_FILE}.",
    "La conseillère {PERSON} propose, appuyée par le conseiller {PERSON}, d'adopter le {_BYLAW}.",
    "Objet : demande d'accès de {PERSON} (DDN {DATE_OF_BIRTH}), {ADDRESS}, {_CITY} {POSTAL_CODE}.",
    "Le remboursement sera déposé dans le compte {IBAN} de {PERSON}.",
    "Les travaux prévus au {_BYLAW} totalisent {_AMOUNT} et touchent {_STREET} à {_CITY}.",
    "Le permis de conduire {CA_QC_DRIVER_LICENCE} de {PERSON} a été vérifié par la SAAQ.",
    "Mme {PERSON} a appelé au {PHONE} pour signaler un nid-de-poule devant le {ADDRESS}.",
    "Le {_FILE} concerne le {_LOT} situé à {_CITY}, évalué à {_AMOUNT}.",
    "{PERSON} a transmis son adresse courriel, {EMAIL}, et son numéro de cellulaire, {PHONE}.",
    "Le directeur général dépose le rapport financier; {_ORG} confirme une subvention de {_AMOUNT}.",
    "Le règlement d'emprunt de {_AMOUNT} est adopté à l'unanimité (voir {_RESOLUTION}).",
    "Transférer la demande de {SURNAME} au Service de l'urbanisme; ref. {_FILE}, {_LOT}.",
    "Bonjour {FIRST}, ton courriel {EMAIL} a bien été reçu. Merci, {PERSON}",
    "Résumé : la requérante {PERSON} (NAS : {CA_SIN}, date de naissance {DATE_OF_BIRTH}) conteste sa taxe.",
    "Adresse de facturation : {ADDRESS}, {_CITY}, QC {POSTAL_CODE}. Paiement par carte {CREDIT_CARD}.",
    "Inscription au camp de jour : enfant {PERSON}, né le {DATE_OF_BIRTH}; parent à joindre au {PHONE}.",
    "Le Comité consultatif d'urbanisme recommande la dérogation mineure pour le {_LOT} situé sur {_STREET}.",
    "La Ville de {_CITY} remercie {_ORG} pour sa contribution de {_AMOUNT} au parc {_PARK}.",
    "Rapport d'incident : le véhicule de {PERSON} (plaque {LICENCE_PLATE}) a été remorqué le {_MEETING_DATE}",
]
CH_TEMPLATES = [
    "Madame {PERSON}, domiciliée {ADDRESS} à {_CITY}, demande un permis de stationnement.",
    "Numéro AVS : {CH_AVS}. Veuillez verser la prestation sur le compte IBAN {IBAN}.",
    "M. {SURNAME} a signalé que le véhicule {LICENCE_PLATE} stationne devant son domicile.",
    "La Municipalité de {_CITY} a adopté la {_RESOLUTION} lors de sa séance du {_MEETING_DATE}.",
    "{PERSON}, née le {DATE_OF_BIRTH}, a déposé une demande de naturalisation (numéro AVS {CH_AVS}).",
    "Pour toute question, contactez {PERSON} au {PHONE} ou par courriel à {EMAIL}.",
    "Le crédit d'investissement de {_AMOUNT} pour {_STREET} a été accepté par le Conseil communal.",
    "La facture de {_AMOUNT} adressée à {PERSON}, {ADDRESS}, reste impayée.",
    "Le syndic {PERSON} rappelle que {_ORG} prendra en charge {_AMOUNT} des travaux.",
    "Voiture immatriculée {LICENCE_PLATE}, appartenant à {PERSON}, enlevée le {_MEETING_DATE}.",
    "Le {_FILE} présenté par {_ORG} sera examiné par la commission le {_MEETING_DATE}.",
    "Le numéro {_BAD_SIN} figurant sur le bulletin n'est pas un numéro AVS valide.",
    "Le préavis municipal no {_PREAVIS} concernant {_STREET} sera discuté le {_MEETING_DATE}.",
    "Coordonnées bancaires de {PERSON} : IBAN {IBAN}, tél. {PHONE}, {ADDRESS}, {_CITY}.",
    "Selon le contrôle des habitants, {PERSON} (né le {DATE_OF_BIRTH}) a quitté la commune.",
    "La Municipalité répond à la pétition de la Société de développement de {_CITY} ({_AMOUNT}).",
]


def generate(size: int = SIZE, seed: int = SEED) -> list[dict[str, Any]]:
    """``size`` records ``{id, text, spans}``; the same arguments always give the same records."""
    rng = random.Random(seed)
    gen = Gen(rng)
    records = []
    for index in range(size):
        gen.swiss = rng.random() < 0.4
        template = rng.choice(CH_TEMPLATES if gen.swiss else QC_TEMPLATES)
        text, spans = "", []
        for literal, slot in re.findall(r"([^{]*)(?:\{(\w+)\})?", template):
            text += literal
            if not slot:
                continue
            maker: Callable[[], str] = getattr(gen, slot)
            value = maker()
            if not slot.startswith("_"):
                label = "PERSON" if slot in {"SURNAME", "FIRST"} else slot
                spans.append({"start": len(text), "end": len(text) + len(value), "label": label})
            text += value
        records.append({"id": f"dev-{'ch' if gen.swiss else 'qc'}-{index:04d}", "text": text, "spans": spans})
    return records


def write_jsonl(path: Path, size: int = SIZE, seed: int = SEED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(size, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=SIZE)
    args = parser.parse_args()
    write_jsonl(args.out, args.size)
